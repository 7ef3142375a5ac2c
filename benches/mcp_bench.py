"""Latency of `adrgraph mcp` tools over one stdio session, with the official MCP Python SDK:
each read tool called N times back to back after one warm-up call, p50 and p99 in ms, and the
server's peak memory. Used by benches/run.sh (ONLY=mcp); by hand:

    python3 benches/mcp_bench.py ADRGRAPH TREE STORE [N]

TREE is a generated tree (ids and queries are picked from its own `list`).

The client's own garbage collector is run between tools and paused while a tool's calls are
timed: its full collections (30 to 120 ms in Python 3.11, seen with `gc.callbacks`) otherwise
land in whichever call happens to be running, a pause of this process and not of the server."""

import asyncio
import gc
import json
import os
import statistics
import subprocess
import sys
import time

from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

BIN, TREE, STORE = sys.argv[1:4]
N = int(sys.argv[4]) if len(sys.argv) > 4 else 100


def p99(xs):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(0.99 * (len(xs) - 1))))]


async def main():
    rows = json.loads(subprocess.run([BIN, "-q", "--root", TREE, "--store", STORE, "--json", "list"],
                                     capture_output=True, text=True, check=True).stdout)
    some = rows[len(rows) // 2]["id"]
    other = rows[len(rows) // 3]["id"]
    # Twenty files of code beside the tree, each with markers naming three decisions by their
    # file (the generated folders number their records alike, so `ADR-12` would name eight):
    # what governs and context are asked about.
    code_dir = os.path.join(os.path.dirname(os.path.abspath(TREE)), os.path.basename(TREE) + "-code")
    os.makedirs(code_dir, exist_ok=True)
    code = []
    for k in range(20):
        named = [rows[(k * 37 + j * 101) % len(rows)] for j in range(3)]
        path = os.path.join(code_dir, f"module{k}.rs")
        with open(path, "w") as f:
            for r in named:
                f.write(f"// as decided in {os.path.basename(r['path'])}\n")
            f.write(f"pub fn run{k}() {{}}\n")
        code.append(path)
    calls = [
        ("search", {"query": "kafka"}),
        ("list", {"status": ["accepted"]}),
        ("show", {"id": some}),
        ("impact", {"id": some}),
        ("deps", {"id": some}),
        ("chain", {"id": some}),
        ("path", {"from": some, "to": other}),
        ("lint", {"path": rows[0]["path"]}),
        ("stats", {}),
        ("governs", {"paths": code}),
        ("context", {"paths": code, "budget": 4000}),
    ]
    params = StdioServerParameters(command=BIN, args=["-q", "--root", TREE, "--store", STORE, "mcp"])
    out = {}
    async with stdio_client(params) as (r, w):
        async with ClientSession(r, w) as s:
            await s.initialize()
            for name, args in calls:
                await s.call_tool(name, args)
                times = []
                gc.collect()
                gc.disable()
                for _ in range(N):
                    t = time.perf_counter()
                    res = await s.call_tool(name, args)
                    times.append(time.perf_counter() - t)
                    if res.is_error:
                        raise SystemExit(f"{name}: {res.content[0].text}")
                gc.enable()
                out[name] = (statistics.median(times) * 1000, p99(times) * 1000)
            pid = int(subprocess.run(["pgrep", "-n", "-f", f"{STORE} mcp"], capture_output=True, text=True).stdout.split()[0])
            status = open(f"/proc/{pid}/status").read()
            hwm = int(next(l for l in status.splitlines() if l.startswith("VmHWM")).split()[1]) / 1024
    print(json.dumps({"tools": out, "peak_mb": hwm}))


asyncio.run(main())
