#!/usr/bin/env python3
"""Random Jinja expressions judged by real Jinja2, for our engine's differential test.

Usage: python3 scripts/render-jinja-expressions.py [COUNT] [SEED]   (run from the repository root; needs jinja2 3.1)

Builds COUNT (default 1500) random expressions from a small grammar over the value types chat templates meet
(None, booleans, ints, floats, strings with Unicode, lists, tuples, dicts, undefined) combined with operators,
filters, tests, methods and subscripts, renders each as {{ expr }} in transformers' environment (the one
render-chat-templates.py builds) and writes Takeoff.Tests/Engine/Text/Jinja/Golden/expressions.json: per expression,
Jinja2's output or the type and message of its error. The seed makes the file reproducible.
"""
import datetime
import importlib.util
import json
import os
import random
import re
import sys
import warnings

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
spec = importlib.util.spec_from_file_location("templates", os.path.join(ROOT, "scripts", "render-chat-templates.py"))
templates = importlib.util.module_from_spec(spec)
spec.loader.exec_module(templates)

VARIABLES = {
    "s": "Hello, World",
    "n": 7,
    "f": 2.5,
    "l": [3, 1, 2],
    "words": ["b", "A", "c", "a"],
    "d": {"k": "v", "n": 1, "nested": {"x": [1, 2]}},
    "msgs": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": None}],
    "empty": "",
    "nothing": None,
}

ATOMS = ["0", "1", "-3", "7", "2.0", "0.5", "-1.25", "1e3", "''", "'a'", "'Hello World'", "' x '", "'a,b,,c'",
         "'é😀'", "\"it's\"", "'<b>'", "none", "true", "false", "[]", "[1, 2, 3]", "['b', 'a']", "(1, 'x')",
         "{'k': 1, 'j': 'v'}", "{}", "missing", "s", "n", "f", "l", "words", "d", "msgs", "empty", "nothing",
         "d.nested", "msgs[0]", "d.k", "msgs[1].content"]

BINARY = ["+", "-", "*", "/", "//", "%", "~", "==", "!=", "<", ">", "<=", ">=", "in", "not in", "and", "or"]

FILTERS = ["length", "upper", "lower", "trim", "join(',')", "join", "first", "last", "list", "string", "int", "float",
           "abs", "default('dflt')", "default('dflt', true)", "tojson", "tojson(indent=2)", "tojson(sort_keys=true)",
           "sort", "reverse|list", "unique|list", "items|list", "dictsort", "capitalize", "title", "replace('a', 'b')",
           "select|list", "reject|list", "map('string')|list", "map('upper')|list", "sum", "min", "max", "count",
           "selectattr('role', 'equalto', 'user')|list", "map(attribute='role')|list", "round", "indent(2)", "safe",
           "string|length", "list|length", "wordcount", "e"]

TESTS = ["defined", "undefined", "none", "string", "number", "integer", "float", "boolean", "mapping", "iterable",
         "sequence", "callable", "odd", "even", "true", "false", "eq 1", "in [1, 'a']", "sameas none", "lower",
         "upper", "divisibleby 2", "gt 1", "le 'b'"]

METHODS = [".upper()", ".lower()", ".strip()", ".split(',')", ".split()", ".startswith('H')", ".endswith('d')",
           ".replace('l', 'L')", ".find('o')", ".get('k')", ".get('zz', 'dz')", ".items()|list", ".keys()|list",
           ".values()|list", ".title()", ".lstrip('H')", ".rsplit(',', 1)", ".count(1)", ".index(1)"]

SUBSCRIPTS = ["[0]", "[-1]", "[1:]", "[::-1]", "[:2]", "['k']", ".k", ".role", "[5]"]


def reads_variable(source):
    names = re.findall(r"[A-Za-z_]\w*", re.sub(r"'[^']*'|\"[^\"]*\"", "", source))
    return any(name in VARIABLES or name == "missing" for name in names)


def expr(rng, depth):
    if depth <= 0 or rng.random() < 0.25:
        return rng.choice(ATOMS)
    kind = rng.random()
    if kind < 0.30:
        return f"({expr(rng, depth - 1)} {rng.choice(BINARY)} {expr(rng, depth - 1)})"
    if kind < 0.50:
        return f"({expr(rng, depth - 1)})|{rng.choice(FILTERS)}"
    if kind < 0.62:
        neg = "not " if rng.random() < 0.3 else ""
        return f"({expr(rng, depth - 1)} is {neg}{rng.choice(TESTS)})"
    if kind < 0.74:
        return f"({expr(rng, depth - 1)}){rng.choice(METHODS)}"
    if kind < 0.84:
        # Jinja2 folds constant expressions at compile time through its forgiving getitem (a slice of 1 becomes
        # undefined), while at runtime a slice is a plain Python subscript (a TypeError). Templates slice variables,
        # so a subscript here always applies to something that reads one.
        target = expr(rng, depth - 1)
        while not reads_variable(target):
            target = expr(rng, depth - 1)
        return f"({target}){rng.choice(SUBSCRIPTS)}"
    if kind < 0.90:
        return f"(not {expr(rng, depth - 1)})"
    if kind < 0.95:
        return f"({expr(rng, depth - 1)} if {expr(rng, depth - 1)} else {expr(rng, depth - 1)})"
    return f"[{expr(rng, depth - 1)}, {expr(rng, depth - 1)}]"


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1500
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 20260115
    # Jinja2's constant folding compiles some generated expressions to Python that warns ("'int' object is not
    # subscriptable"); the render still raises or renders as it should.
    warnings.filterwarnings("ignore", category=SyntaxWarning)
    rng = random.Random(seed)
    env = templates.make_environment(datetime.datetime(2026, 1, 15, 12, 34, 56))
    seen, cases = set(), []
    while len(cases) < count:
        source = "{{ " + expr(rng, rng.choice([1, 2, 2, 3])) + " }}"
        if source in seen:
            continue
        seen.add(source)
        case = {"source": source}
        try:
            case["output"] = env.from_string(source).render(**VARIABLES)
        except Exception as e:
            case["error"] = {"type": type(e).__name__, "message": str(e)}
        cases.append(case)
    path = os.path.join(templates.GOLDEN, "expressions.json")
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        json.dump({"jinja2": templates.jinja2.__version__, "seed": seed, "variables": VARIABLES, "cases": cases},
                  f, ensure_ascii=False, indent=1)
        f.write("\n")
    errors = sum(1 for c in cases if "error" in c)
    print(f"{len(cases)} expressions: {len(cases) - errors} rendered, {errors} raised")


if __name__ == "__main__":
    main()
