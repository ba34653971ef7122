#!/usr/bin/env python3
"""Lists the google.api.http bindings of a tree of .proto files by reading the text, independently of
apicompat (no descriptor, no compiler): one line per binding, "package.Service/Method VERB PATH
body=B response_body=R".  With two trees, prints the bindings of RPCs present on both sides that
changed (removed, or verb/path/body/response_body different) and the counts, for comparing with
`apicompat breaking` (bench/README: the REST surface).
usage: http-bindings.py OLD_DIR [NEW_DIR]"""
import os, re, sys

def strip_comments(t):
    out, i, n = [], 0, len(t)
    while i < n:
        c = t[i]
        if c == '"' or c == "'":
            j = i + 1
            while j < n and t[j] != c:
                j += 2 if t[j] == '\\' else 1
            out.append(t[i:j + 1]); i = j + 1
        elif t.startswith('//', i):
            while i < n and t[i] != '\n': i += 1
        elif t.startswith('/*', i):
            j = t.find('*/', i + 2); i = n if j < 0 else j + 2
        else:
            out.append(c); i += 1
    return ''.join(out)

def block(t, i):
    """the text of the {...} starting at t[i] == '{'"""
    depth, j = 0, i
    while j < len(t):
        if t[j] == '"':
            j += 1
            while t[j] != '"': j += 2 if t[j] == '\\' else 1
        elif t[j] == '{': depth += 1
        elif t[j] == '}':
            depth -= 1
            if depth == 0: return t[i + 1:j], j
        j += 1
    return t[i + 1:], len(t)

FIELD = re.compile(r'\b(get|put|post|delete|patch|body|response_body)\s*:\s*((?:"(?:[^"\\]|\\.)*"\s*)+)')
def rule(text):
    """bindings of an HttpRule text: the rule's own fields, then each additional_bindings block"""
    extra, own, i = [], [], 0
    for m in re.finditer(r'additional_bindings\s*:?\s*\{', text): pass
    while True:
        m = re.compile(r'additional_bindings\s*:?\s*\{').search(text, i)
        if not m:
            own.append(text[i:]); break
        own.append(text[i:m.start()])
        b, end = block(text, m.end() - 1)
        extra.append(b); i = end + 1
    def fields(s):
        d = {'body': '', 'response_body': ''}
        for k, v in FIELD.findall(s):
            d[k] = ''.join(re.findall(r'"((?:[^"\\]|\\.)*)"', v))
        custom = re.search(r'custom\s*:?\s*\{([^}]*)\}', s)
        if custom:
            c = dict((k, v) for k, v in re.findall(r'(kind|path)\s*:\s*"([^"]*)"', custom.group(1)))
            d['custom'] = (c.get('kind', ''), c.get('path', ''))
        return d
    res = []
    for s in [''.join(own)] + extra:
        d = fields(s)
        verb = next((v for v in ('get', 'put', 'post', 'delete', 'patch') if v in d), None)
        if verb: res.append((verb.upper(), d[verb], d['body'], d['response_body']))
        elif 'custom' in d: res.append((d['custom'][0].upper(), d['custom'][1], d['body'], d['response_body']))
    return res

def scan(root):
    out = {}
    for dp, _, fns in os.walk(root):
        for fn in fns:
            if not fn.endswith('.proto'): continue
            t = strip_comments(open(os.path.join(dp, fn), encoding='utf-8', errors='replace').read())
            pkg = re.search(r'^\s*package\s+([\w.]+)\s*;', t, re.M)
            pkg = pkg.group(1) + '.' if pkg else ''
            for sm in re.finditer(r'\bservice\s+(\w+)\s*\{', t):
                body, _ = block(t, sm.end() - 1)
                hm = re.search(r'option\s*\(\s*google\.api\.default_host\s*\)\s*=\s*"([^"]*)"', re.sub(r'\brpc\b.*', '', body, flags=re.S))
                hosts[pkg + sm.group(1)] = hm.group(1) if hm else ''
                streaming[pkg + sm.group(1)] = set(m.group(1) for m in re.finditer(r'\brpc\s+(\w+)\s*\(\s*stream\b', body))
                for rm in re.finditer(r'\brpc\s+(\w+)\s*\(', body):
                    rest = body[rm.end():]
                    semi, brace = rest.find(';'), rest.find('{')
                    if brace < 0 or (0 <= semi < brace): continue  # rpc X(...) returns (...);
                    rb, _ = block(rest, brace)
                    hm = re.search(r'option\s*\(\s*google\.api\.http\s*\)\s*=\s*\{', rb)
                    if not hm: 
                        out[pkg + sm.group(1) + '/' + rm.group(1)] = []
                        continue
                    hb, _ = block(rb, hm.end() - 1)
                    out[pkg + sm.group(1) + '/' + rm.group(1)] = rule(hb)
    return out

def match(path):
    """what a template matches: {x} -> *, {x=p} -> p"""
    return re.sub(r'\{[^}=]*=([^}]*)\}', r'\1', re.sub(r'\{([^}=]*)\}', '*', path))

hosts, streaming = {}, {}
removed_mode = sys.argv[1] == '--removed'
if removed_mode: del sys.argv[1]
old = scan(sys.argv[1])
if removed_mode:
    def ops(tree):
        """(host, verb, match) -> the RPCs' Service_Method names, as apicompat's operationIds"""
        out = {}
        for k, bs in tree.items():
            svc, m = k.rsplit('/', 1)
            if m in streaming.get(svc, ()): continue  # client streaming: transcoders do not serve it
            for v, p, _, _ in bs:
                out.setdefault((hosts.get(svc, ''), v, match(p)), set()).add(svc.rsplit('.', 1)[-1] + '_' + m)
        return out
    o_hosts = dict(hosts); o_stream = dict(streaming)
    o = ops(old)
    hosts.clear(); streaming.clear()
    n = ops(scan(sys.argv[2]))
    moved = {(v, t, i) for (h, v, t), ids in n.items() for i in ids}
    paths = {(h, t) for (h, _, t) in n}
    npath = nop = 0
    for (h, v, t), ids in sorted(o.items()):
        if (h, v, t) in n or all((v, t, i) in moved for i in ids): continue
        whole = (h, t) not in paths
        npath += whole; nop += not whole
        print('removed', 'path' if whole else 'operation', h or '(no default_host)', v, t, ' '.join(sorted(ids)))
    print(npath, 'removed paths;', nop, 'removed operations on paths that stay')
    sys.exit(0)
if len(sys.argv) == 2:
    for k in sorted(old):
        for v, p, b, r in old[k]: print(k, v, p, 'body=' + b, 'response_body=' + r)
    print(sum(len(v) for v in old.values()), 'bindings')
    sys.exit(0)
new = scan(sys.argv[2])
changed = 0
for k in sorted(old):
    if k not in new: continue  # a removed RPC is RPC_NO_DELETE's, not a binding change
    nb = {(v, match(p)): (b, r) for v, p, b, r in new[k]}
    for i, (v, p, b, r) in enumerate(old[k]):
        key = (v, match(p))
        if key not in nb:
            changed += 1
            print('changed', k, v, p, '(removed or moved)' if i else '(primary: removed or moved)')
        elif nb[key] != (b, r):
            changed += 1
            print('changed', k, v, p, 'body/response_body %s -> %s' % ((b, r), nb[key]))
print(sum(len(v) for v in old.values()), 'bindings old;', sum(len(v) for v in new.values()), 'bindings new;', changed, 'changed bindings of RPCs on both sides')
