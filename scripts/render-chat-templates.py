#!/usr/bin/env python3
"""Renders every chat template of ../shared/chat-templates with real Jinja2, the judge of our C# engine.

Usage: python3 scripts/render-chat-templates.py [TEMPLATES_DIR]   (run from the repository root; needs jinja2 3.1)

Each template is rendered against every conversation of
Takeoff.Tests/Engine/Text/Jinja/Golden/conversations.json with Hugging Face transformers' settings
(ImmutableSandboxedEnvironment, trim_blocks, lstrip_blocks, loopcontrols, a tojson that keeps non-ASCII,
raise_exception and strftime_now globals). The clock is fixed (the file's "now") so the golden files are
reproducible, and every template gets the same bos_token / eos_token from that file. The result goes to
Golden/<template>.json: the template's source (so the C# test needs nothing outside the repository) and, per
conversation, either the output or the error Jinja2 raised (its type and message).
"""
import datetime
import json
import os
import sys

import jinja2
import jinja2.ext
from jinja2.sandbox import ImmutableSandboxedEnvironment

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GOLDEN = os.path.join(ROOT, "Takeoff.Tests", "Engine", "Text", "Jinja", "Golden")


def make_environment(now):
    def raise_exception(message):
        raise jinja2.exceptions.TemplateError(message)

    def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
        # transformers' own tojson: no HTML escaping, non-ASCII kept.
        return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)

    def strftime_now(format):
        return now.strftime(format)

    env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True, extensions=[jinja2.ext.loopcontrols])
    env.filters["tojson"] = tojson
    env.globals["raise_exception"] = raise_exception
    env.globals["strftime_now"] = strftime_now
    return env


def main():
    templates_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "..", "shared", "chat-templates")
    with open(os.path.join(GOLDEN, "conversations.json"), encoding="utf-8") as f:
        corpus = json.load(f)
    now = datetime.datetime.fromisoformat(corpus["now"])
    env = make_environment(now)

    names = sorted(n for n in os.listdir(templates_dir) if n.endswith(".jinja"))
    for name in names:
        with open(os.path.join(templates_dir, name), encoding="utf-8") as f:
            source = f.read()
        cases = []
        try:
            template = env.from_string(source)
            parse_error = None
        except Exception as e:  # Jinja2 refuses the template itself: every conversation fails the same way.
            template, parse_error = None, e
        for conversation in corpus["conversations"]:
            case = {"conversation": conversation["name"]}
            try:
                if parse_error is not None:
                    raise parse_error
                variables = {
                    "messages": conversation["messages"],
                    "add_generation_prompt": conversation["add_generation_prompt"],
                    "bos_token": corpus["bos_token"],
                    "eos_token": corpus["eos_token"],
                }
                if "tools" in conversation:
                    variables["tools"] = corpus["toolsets"][conversation["tools"]]
                variables.update(conversation.get("extra", {}))
                case["output"] = template.render(**variables)
            except Exception as e:
                case["error"] = {"type": type(e).__name__, "message": str(e)}
            cases.append(case)
        with open(os.path.join(GOLDEN, name[: -len(".jinja")] + ".json"), "w", encoding="utf-8", newline="\n") as f:
            json.dump({"template": name, "jinja2": jinja2.__version__, "source": source, "cases": cases},
                      f, ensure_ascii=False, indent=1)
            f.write("\n")
        errors = sum(1 for c in cases if "error" in c)
        print(f"{name}: {len(cases) - errors} rendered, {errors} raised")


if __name__ == "__main__":
    main()
