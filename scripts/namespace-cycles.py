#!/usr/bin/env python3
"""Namespace dependency graph of a C# project, and its cycles.

A namespace depends on another when one of its files names a type declared there: through a `using`, a qualified
name (`Hosting.EngineOptions`, `Takeoff.Engine.Text.ModelText`), or a parent namespace (whose types are in scope
without a using). Identifiers are matched against the types the project declares, outside comments and strings.
Usage: scripts/namespace-cycles.py [project-dir]   (default Takeoff.Engine); exits 1 when there is a cycle.
"""
import os, re, sys
from collections import defaultdict

root = sys.argv[1] if len(sys.argv) > 1 else "Takeoff.Engine"
files = [os.path.join(d, f) for d, _, fs in os.walk(root) for f in fs
         if f.endswith(".cs") and "/obj/" not in d + "/" and "/bin/" not in d + "/"]

def strip(code):
    code = re.sub(r"//[^\n]*", "", code)
    code = re.sub(r"/\*.*?\*/", "", code, flags=re.S)
    code = re.sub(r'\$?@?"(?:[^"\\]|\\.)*"', '""', code)
    return code

# Top-level types only (declared at the start of a line): a nested type is named through its parent.
decl = re.compile(r"^(?:[a-z]+\s+)*(?:class|struct|record|interface|enum|delegate\s+\S+)\s+([A-Z]\w*)", re.M)
sources, types = {}, defaultdict(set)   # type name -> namespaces declaring it
for path in files:
    code = strip(open(path, encoding="utf-8").read())
    ns = re.search(r"^namespace\s+([\w.]+)\s*;", code, re.M)
    if not ns:
        continue
    sources[path] = (ns.group(1), code)
    for name in decl.findall(code):
        types[name].add(ns.group(1))

graph = defaultdict(set)
for path, (ns, code) in sources.items():
    usings = set(re.findall(r"^using\s+([\w.]+)\s*;", code, re.M))
    parents = {".".join(ns.split(".")[:i]) for i in range(1, len(ns.split(".")))}
    scope = usings | parents
    body = re.sub(r"^using[^\n]*", "", code, flags=re.M)
    for qualifier, name in re.findall(r"\b((?:[A-Z]\w*\.)*)([A-Z]\w*)\b", body):
        for target in types.get(name, ()):
            if target == ns:
                continue
            q = qualifier.rstrip(".")
            qualified = q and (target == q or target.endswith("." + q) and any(target == s + "." + q for s in parents | {ns}))
            if qualified or (not q and target in scope):
                graph[ns].add(target)

def cycles(graph):
    index, low, stack, on, out, counter = {}, {}, [], set(), [], [0]
    def visit(v):
        index[v] = low[v] = counter[0]; counter[0] += 1; stack.append(v); on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w); low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop(); on.discard(w); comp.append(w)
                if w == v: break
            if len(comp) > 1: out.append(sorted(comp))
    for v in list(graph):
        if v not in index: visit(v)
    return out

sys.setrecursionlimit(10000)
found = cycles(graph)
for ns in sorted(graph):
    print(f"{ns} -> {', '.join(sorted(graph[ns]))}")
for comp in found:
    members = set(comp)
    print("CYCLE:", " <-> ".join(comp))
    for a in comp:
        for b in sorted(graph[a] & members):
            users = sorted({n for p, (n2, c) in sources.items() if n2 == a
                            for n in types if b in types[n] and re.search(rf"\b{n}\b", c)})
            print(f"   {a} -> {b}: {', '.join(users[:8])}")
print(f"{len(found)} cycle(s)")
sys.exit(1 if found else 0)
