/* The parse-only floor for the OpenAPI benchmark: reads each file and parses it with the same
 * library apicompat uses (cJSON for JSON, libyaml's event parser for YAML), nothing more.
 * usage: parse_floor FILE...   (prints nothing; time it from outside) */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) {
        fclose(f);
        free(buf);
        return NULL;
    }
    fclose(f);
    buf[n] = 0;
    *len = (size_t)n;
    return buf;
}

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        size_t len;
        char *text = slurp(argv[i], &len);
        if (!text) return 2;
        size_t k = 0;
        while (k < len && strchr(" \t\r\n", text[k])) k++;
        if (k < len && (text[k] == '{' || text[k] == '[')) {
            cJSON *j = cJSON_ParseWithLength(text, len);
            if (!j) return 2;
            cJSON_Delete(j);
        } else {
            yaml_parser_t p;
            yaml_event_t e;
            yaml_parser_initialize(&p);
            yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
            int done = 0;
            while (!done) {
                if (!yaml_parser_parse(&p, &e)) return 2;
                done = e.type == YAML_STREAM_END_EVENT;
                yaml_event_delete(&e);
            }
            yaml_parser_delete(&p);
        }
        free(text);
    }
    return 0;
}
