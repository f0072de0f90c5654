#!/usr/bin/env python3
"""Measures the constraint probes of issue 17 against a real server (docs/constraint-costs.md).

Usage: constraint-probes.py <Takeoff.Api.dll> <models dir> [probe ...]
Each probe gets a fresh server: the constrained request is sent, and from 0.5 s later another client sends
4-token requests one after the other until it ends; the constrained request's wall time and status, the slowest
other request (time, status, how many were sent) and the server's RSS before and after are printed.
"""
import json, os, random, socket, subprocess, sys, tempfile, threading, time, urllib.request, urllib.error

def words(n, seed):
    rng = random.Random(seed)
    out = set()
    while len(out) < n:
        out.add("".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(5, 10))))
    return sorted(out)

def probes():
    w = words(40000, 1)
    a = words(20000, 2)
    return {
        "regex-16": {"regex_string": "(((a{0,16}){0,16}){0,16})b"},
        "regex-20": {"regex_string": "(((a{0,20}){0,20}){0,20})b"},
        "regex-50": {"regex_string": "(((a{0,50}){0,50}){0,50})b"},
        "gbnf-ambiguous": {"grammar": 'root ::= x{0,60} "b"\nx ::= "a"? "a"? "a"? "a"?\n'},
        "regex-40k": {"regex_string": "|".join(w)},
        "enum-40k": {"json_schema": {"enum": w}},
        "oneof-2x10k": {"json_schema": {"oneOf": [{"enum": a[:10000]}, {"enum": a[10000:]}]}},
        "optional-2000": {"json_schema": {"type": "object", "properties": {f"p{i}": {"type": "integer"} for i in range(2000)}}},
        "optional-500": {"json_schema": {"type": "object", "properties": {f"p{i}": {"type": "integer"} for i in range(500)}}},
    }

def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p

def rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0

def post(port, body, timeout, result, key):
    start = time.monotonic()
    data = json.dumps(body).encode()
    req = urllib.request.Request(f"http://127.0.0.1:{port}/generate", data=data, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            status, text = r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        status, text = e.code, e.read().decode()
    except Exception as e:
        status, text = "timeout" if "timed out" in str(e) else "error", str(e)
    result[key] = [round(time.monotonic() - start, 2), status, text[:160]]

def run(dll, models, name, body, timeout=60):
    port, mport = free_port(), free_port()
    catalog = tempfile.NamedTemporaryFile("w", suffix=".json", delete=False)
    json.dump({"models": [{"name": "story", "file": "stories260K.gguf", "threads": 1}]}, catalog); catalog.close()
    server = subprocess.Popen(["dotnet", dll, "--port", str(port), "--management-port", str(mport), "--openai-port", "0",
                               "--models-dir", models, "--models-file", catalog.name, "--Logging:LogLevel:Default=Warning"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1); break
            except Exception:
                time.sleep(0.1)
        warm = {}
        post(port, {"text": "Once upon a time", "max_new_tokens": 4}, 30, warm, "w")
        before = rss_mb(server.pid)
        result = {}
        t = threading.Thread(target=post, args=(port, {"text": "Once upon a time", "max_new_tokens": 16, **body}, timeout, result, "constrained"))
        t.start(); time.sleep(0.5)
        # Another client's 4-token requests, one after the other while the constrained one runs: the slowest counts.
        others = []
        while True:
            post(port, {"text": "Once upon a time", "max_new_tokens": 4}, timeout, result, "other")
            others.append(result["other"])
            if not t.is_alive():
                break
            time.sleep(0.2)
        t.join()
        result["other"] = max(others, key=lambda o: o[0])[:2] + [len(others)]
        after = rss_mb(server.pid)
        size = len(json.dumps(body))
        print(json.dumps({"probe": name, "body_bytes": size, "constrained": result["constrained"], "other": result["other"],
                          "rss_before_mb": round(before), "rss_after_mb": round(after)}), flush=True)
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill(); server.wait()
        os.unlink(catalog.name)

if __name__ == "__main__":
    dll, models, *names = sys.argv[1:]
    all_probes = probes()
    for name in names or all_probes:
        run(dll, models, name, all_probes[name], timeout=float(os.environ.get("PROBE_TIMEOUT", "60")))
