#!/usr/bin/env python3
"""Generates the type table of dev.ferry.apiserver.patch.KubeSchemaText from upstream Go API types.

Usage: gen_patch_schema.py core/v1/types.go apps/v1/types.go discovery/v1/types.go autoscaling/v1/types.go \
           coordination/v1/types.go meta/v1/types.go > table.txt
(files from kubernetes/api and kubernetes/apimachinery; the package is taken from the path).

Output grammar, one struct per line:  Name[!]: field:TYPE[ANNOT]...
  TYPE  = S (scalar) | U (untyped, atomic) | pkg.StructName | {TYPE} (map) | [TYPE] (list)
  ANNOT = ! (atomic map)  @map(k1,k2) | @set | @atomic (SSA list type; default atomic)
          ~strategy[(mergeKey)]  (strategic-merge-patch tags; strategy may be "merge,retainKeys")
          =default (default of a list-map key field, JSON scalar)
  Name! = +structType=atomic
  T^    = a non-pointer struct field: Go always materialises it, so a typed object carries it (as {} when empty)
"""
import re
import sys

SCALAR_EXTERNAL = {"metav1.Time", "metav1.MicroTime", "metav1.Duration", "resource.Quantity", "types.UID",
                   "string", "int", "int32", "int64", "bool", "float64", "byte", "Time", "MicroTime", "Duration",
                   "intstr.IntOrString", "UID"}
UNTYPED_EXTERNAL = {"runtime.RawExtension", "metav1.FieldsV1", "FieldsV1", "RawExtension"}
ROOTS = ["core.Pod", "core.Service", "core.Endpoints", "core.Namespace", "core.Node", "core.Event",
         "apps.Deployment", "apps.ReplicaSet", "discovery.EndpointSlice", "autoscaling.Scale", "coordination.Lease"]
PKG_ALIAS = {"metav1": "meta", "v1": "core", "corev1": "core", "apiv1": "core"}

structs = {}   # qualified name -> (atomic, [fields])
aliases = {}   # qualified name -> go type text
atomic_types = set()


def pkg_of(path):
    for p in ("core", "apps", "discovery", "autoscaling", "coordination", "meta"):
        if p in path.replace("_", "/").split("/"):
            return p
    raise SystemExit("unknown package for " + path)


def parse(path):
    pkg = pkg_of(path)
    lines = open(path).read().split("\n")
    i = 0
    comments = []
    while i < len(lines):
        line = lines[i]
        s = line.strip()
        if s.startswith("//"):
            comments.append(s)
            i += 1
            continue
        m = re.match(r"^type (\w+) struct \{$", line)
        if m:
            name = pkg + "." + m.group(1)
            atomic = any("+structType=atomic" in c or "+mapType=atomic" in c for c in comments)
            fields = []
            fcomments = []
            i += 1
            while lines[i].strip() != "}":
                fs = lines[i].strip()
                if fs.startswith("//"):
                    fcomments.append(fs)
                elif fs:
                    fields.append((fs, fcomments))
                    fcomments = []
                else:
                    fcomments = []
                i += 1
            structs[name] = (atomic, fields)
            comments = []
            i += 1
            continue
        m = re.match(r"^type (\w+) (.+)$", line)
        if m and not m.group(2).startswith("struct") and not m.group(2).startswith("interface"):
            aliases[pkg + "." + m.group(1)] = (m.group(2).strip(), list(comments), pkg)
        if s == "" or not s.startswith("//"):
            comments = []
        i += 1


def qualify(t, pkg):
    if "." in t:
        p, n = t.split(".", 1)
        return PKG_ALIAS.get(p, p) + "." + n
    return pkg + "." + t


def type_expr(gotype, pkg, used):
    t = gotype.strip()
    while t.startswith("*"):
        t = t[1:]
    if t.startswith("[]byte"):
        return "S"
    if t.startswith("[]"):
        return "[" + type_expr(t[2:], pkg, used) + "]"
    m = re.match(r"^map\[([^\]]+)\](.+)$", t)
    if m:
        return "{" + type_expr(m.group(2), pkg, used) + "}"
    if t in SCALAR_EXTERNAL:
        return "S"
    if t in UNTYPED_EXTERNAL:
        return "U"
    q = qualify(t, pkg)
    if q in structs:
        used.append(q)
        return q
    if q in aliases:
        target, comments, apkg = aliases[q]
        inner = type_expr(target, apkg, used)
        if inner.startswith("{") and any("+mapType=atomic" in c for c in comments):
            return inner + "!"
        return inner
    if t.split(".")[-1] in ("Time", "MicroTime", "Quantity", "IntOrString", "Duration"):
        return "S"
    return "U"


def field_spec(fs, comments, pkg, used, key_defaults):
    if "`" not in fs:
        return None
    pre, tags = fs.split("`")[0].split(), fs.split("`")[1]
    gotype = pre[-1]  # embedded fields (metav1.TypeMeta `json:",inline"` or `json:""`) have no field name
    jm = re.search(r'json:"([^"]*)"', tags)
    if not jm:
        return None
    jname = jm.group(1).split(",")[0]
    if jname == "-":
        return None
    if jname == "" and (",inline" in jm.group(1) or len(pre) == 1):
        q = qualify(gotype.strip().lstrip("*"), pkg)
        return ("INLINE", q)
    te = type_expr(gotype, pkg, used)
    ann = ""
    if not gotype.startswith("*") and re.match(r"^[a-z]+\.[A-Z]", te) and not te.startswith("["):
        te += "^"
    marks = " ".join(comments)
    if te.startswith("{") and "+mapType=atomic" in marks and not te.endswith("!"):
        te += "!"
    if te.startswith("["):
        lt = re.search(r"\+listType=(\w+)", marks)
        keys = re.findall(r"\+listMapKey=(\w+)", marks)
        if lt and lt.group(1) == "map":
            ann += "@map(" + ",".join(keys) + ")"
        elif lt and lt.group(1) == "set":
            ann += "@set"
        elif lt:
            ann += "@atomic"
    ps = re.search(r'patchStrategy:"([^"]*)"', tags)
    pk = re.search(r'patchMergeKey:"([^"]*)"', tags)
    if ps:
        ann += "~" + ps.group(1) + ("(" + pk.group(1) + ")" if pk else "")
    d = re.search(r"\+default=(\S+)", marks)
    if d and not d.group(1).startswith("ref("):
        key_defaults[jname] = d.group(1)
    return (jname, te + ann)


def main():
    for p in sys.argv[1:]:
        parse(p)
    out = {}
    todo = list(ROOTS)
    seen = set()
    while todo:
        q = todo.pop()
        if q in seen:
            continue
        seen.add(q)
        atomic, fields = structs[q]
        pkg = q.split(".")[0]
        specs = []
        defaults = {}
        pending = list(fields)
        while pending:
            fs, comments = pending.pop(0)
            used = []
            spec = field_spec(fs, comments, pkg, used, defaults)
            if spec is None:
                continue
            if spec[0] == "INLINE":
                inl = spec[1]
                if inl in structs:
                    ipkg = inl.split(".")[0]
                    for f in structs[inl][1]:
                        u2 = []
                        s2 = field_spec(f[0], f[1], ipkg, u2, defaults)
                        if s2 and s2[0] != "INLINE":
                            specs.append(s2)
                            todo.extend(u2)
                continue
            specs.append(spec)
            todo.extend(used)
        out[q] = (atomic, specs, defaults)
    # defaults are only emitted for fields that are list-map keys somewhere
    keys = set()
    for atomic, specs, _ in out.values():
        for _, t in specs:
            for m in re.finditer(r"@map\(([^)]*)\)", t):
                keys.update(m.group(1).split(","))
    for q in sorted(out):
        atomic, specs, defaults = out[q]
        parts = []
        for n, t in specs:
            if n in keys and n in defaults:
                t += "=" + defaults[n]
            parts.append(n + ":" + t)
        print(q + ("!" if atomic else "") + ": " + " ".join(parts))


main()
