"""End-to-end check of `adrgraph mcp` with the official MCP Python SDK (a client nobody here
wrote): initialise, list the tools, call every tool and compare its structuredContent with the
command line's `--json` for the same question (the CLI with a store of its own), then the bad
inputs: an unknown tool, a wrong argument type, an unknown id, a 10 MB argument, a malformed
JSON-RPC line, and a call on a record deleted since the last call; the server must keep
serving after each. Run by tests/mcp.rs as `python3 mcp_client.py ADRGRAPH TREE [http]`: over
stdio, or over Streamable HTTP with the SDK's HTTP client (`adrgraph mcp --http`, whose first
line of output is its address); prints what it checked and exits non-zero on the first
difference."""

import asyncio
import atexit
import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile

from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client
from mcp.client.streamable_http import streamable_http_client
try:  # the SDK's 2.x name, then 1.x's
    from mcp.shared.exceptions import MCPError as McpError
except ImportError:
    from mcp.shared.exceptions import McpError

BIN, TREE = sys.argv[1], sys.argv[2]
HTTP = sys.argv[3:] == ["http"]
CLI_STORE = tempfile.mkdtemp(prefix="adrgraph-mcp-cli-")
SERVER_STORE = tempfile.mkdtemp(prefix="adrgraph-mcp-server-")
# The stores are this run's own: removed when it ends, whatever happens.
atexit.register(lambda: [shutil.rmtree(d, ignore_errors=True) for d in (CLI_STORE, CLI_STORE + "-twin", SERVER_STORE)])


def cli_json(*args):
    out = subprocess.run([BIN, "--root", "data", "--store", CLI_STORE, "--json", *args], cwd=TREE,
                         capture_output=True, text=True)
    assert out.returncode in (0, 1), f"{args}: exit {out.returncode}: {out.stderr}"
    return json.loads(out.stdout)


def check(cond, what):
    if not cond:
        raise SystemExit(f"FAILED: {what}")
    print(f"ok: {what}")


# Each tool with its arguments, and the command line asking the same question.
# The keys of a `list` row unless others are asked for.
ROW = "--fields=id,path,title,number,status,date,deciders,tags"
CASES = [
    ("list", {}, ["list", ROW, "--limit", "50"], "decisions"),
    ("list", {"status": ["accepted"], "sort": "date"}, ["list", ROW, "--status", "accepted", "--sort", "date", "--limit", "50"], "decisions"),
    ("list", {"limit": 5, "offset": 5}, ["list", ROW, "--limit", "5", "--offset", "5"], "decisions"),
    ("list", {"limit": 3, "fields": ["id", "links", "dialect"]}, ["list", "--fields", "dialect,id,links", "--limit", "3"], "decisions"),
    ("search", {"query": "kafka events", "limit": 3}, ["search", "--limit", "3", "kafka events"], None),
    ("search", {"query": "database", "status": ["accepted"], "since": "2020-01-01"},
     ["search", "--status", "accepted", "--since", "2020-01-01", "database"], None),
    ("show", {"id": "ADR-004-postgresql-schema-per-module"}, ["show", "ADR-004-postgresql-schema-per-module"], None),
    ("impact", {"id": "ADR-001-use-nats-for-event-bus"}, ["impact", "--limit", "50", "ADR-001-use-nats-for-event-bus"], None),
    ("impact", {"id": "ADR-001-use-nats-for-event-bus", "depth": 1}, ["impact", "--depth", "1", "--limit", "50", "ADR-001-use-nats-for-event-bus"], None),
    ("impact", {"id": "ADR-001-use-nats-for-event-bus", "limit": 2}, ["impact", "--limit", "2", "ADR-001-use-nats-for-event-bus"], None),
    ("deps", {"id": "ADR-008-transactional-outbox-for-event-publishing"}, ["deps", "--limit", "50", "ADR-008-transactional-outbox-for-event-publishing"], None),
    ("chain", {"id": "ADR-003-json-event-payloads"}, ["chain", "ADR-003-json-event-payloads"], None),
    ("path", {"from": "ADR-010-protobuf-event-contracts-with-buf", "to": "ADR-003-json-event-payloads"}, ["path", "ADR-010-protobuf-event-contracts-with-buf", "ADR-003-json-event-payloads"], "steps"),
    ("path", {"from": "ADR-005-adopt-istio-service-mesh", "to": "20250114-build-the-web-app-with-react-and-vite"},
     ["path", "ADR-005-adopt-istio-service-mesh", "20250114-build-the-web-app-with-react-and-vite"], "steps"),
    ("governs", {"paths": ["src"]}, ["governs", "src"], "files"),
    ("lint", {}, ["lint"], None),
    ("stats", {}, ["stats"], None),
]


@contextlib.asynccontextmanager
async def connect():
    """The server's two streams, over stdio or (HTTP) Streamable HTTP."""
    if not HTTP:
        params = StdioServerParameters(command=BIN, args=["--root", "data", "--store", SERVER_STORE, "mcp"], cwd=TREE)
        async with stdio_client(params) as (r, w):
            yield r, w
        return
    p = subprocess.Popen([BIN, "--root", "data", "--store", SERVER_STORE, "mcp", "--http"], cwd=TREE,
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        url = p.stdout.readline().strip()
        check(url.startswith("http://127.0.0.1:") and url.endswith("/mcp"), f"--http serves on loopback: {url}")
        async with streamable_http_client(url) as streams:
            yield streams[0], streams[1]
        host_checks(url)
    finally:
        p.terminate()
        p.wait()


def host_checks(url):
    """Another site's name in Host is refused (DNS rebinding); a malformed body is an error;
    the server answers after both."""
    import http.client
    from urllib.parse import urlparse
    u = urlparse(url)
    def post(body, host):
        c = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
        c.request("POST", u.path, body=body, headers={
            "Host": host, "Content-Type": "application/json", "Accept": "application/json, text/event-stream"})
        r = c.getresponse()
        return r.status, r.read()
    init = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "raw", "version": "0"}}})
    status, _ = post(init, "evil.example")
    check(status in (400, 403, 421), f"a request for another host is refused ({status})")
    status, _ = post("{this is not json", f"127.0.0.1:{u.port}")
    check(400 <= status < 500, f"a malformed body is a client error ({status})")
    status, body = post(init, f"localhost:{u.port}")
    check(status == 200 and b"adrgraph" in body, f"still serving over HTTP ({status})")


async def main():
    async with connect() as (r, w):
        async with ClientSession(r, w) as s:
            init = await s.initialize()
            check(init.server_info.name == "adrgraph", f"initialised ({init.protocol_version})")
            tools = {t.name: t for t in (await s.list_tools()).tools}
            want = {"search", "list", "show", "impact", "deps", "chain", "path", "governs", "lint", "stats", "context"}
            check(set(tools) == want, f"tools listed, no writing tool without --allow-write: {sorted(tools)}")
            for t in tools.values():
                check(len(t.description or "") > 80 and "Example" in t.description, f"{t.name} is described for a model")
                check(t.input_schema.get("type") == "object", f"{t.name} has an input schema")
            for name, args, cli, wrap in CASES:
                res = await s.call_tool(name, args)
                check(not res.is_error, f"{name} {args} answers: {res.content[0].text[:120]}")
                theirs = cli_json(*cli)
                if wrap:
                    theirs = {wrap: theirs}
                ours = res.structured_content
                if name == "list":
                    # A page: where the next one starts, if there is one.
                    unpaged = [a for i, a in enumerate(cli) if a not in ("--limit", "--offset") and cli[i - 1] not in ("--limit", "--offset")]
                    rest = len(cli_json(*unpaged)) - args.get("offset", 0) - len(theirs["decisions"])
                    check(ours.pop("next_offset") == (args.get("offset", 0) + len(theirs["decisions"]) if rest > 0 else None),
                          f"list {args} says where the next page starts")
                if name == "stats":
                    # What this process's refresh of its own store did: the two stores differ.
                    ours, theirs = ({k: v for k, v in x.items() if k != "refresh"} for x in (ours, theirs))
                check(ours == theirs, f"{name} {args} equals `adrgraph --json {' '.join(cli)}`")
                check(res.content[0].type == "text" and len(res.content[0].text) < 300, f"{name} leads with a summary")
            # `at`: the answer as of a git revision, as `adrgraph --at REV --json` gives it.
            for name, args, cli in [("list", {"at": "HEAD"}, ["list", ROW]),
                                    ("chain", {"id": "ADR-003-json-event-payloads", "at": "HEAD"}, ["chain", "ADR-003-json-event-payloads"])]:
                res = await s.call_tool(name, args)
                check(not res.is_error and res.content[0].text.startswith("as of "), f"{name} at HEAD names the commit: {res.content[0].text[:100]}")
                theirs = cli_json("--at", "HEAD", *cli)
                res.structured_content.pop("next_offset", None)
                check(res.structured_content == theirs and res.structured_content["at"]["subject"] == "the log",
                      f"{name} {args} equals `adrgraph --json --at HEAD {' '.join(cli)}`")
            res = await s.call_tool("list", {"at": "no-such-rev"})
            check(res.is_error and "no-such-rev" in res.content[0].text, "an unknown revision is a tool error naming it")
            res = await s.call_tool("show", {"id": "ADR-004-postgresql-schema-per-module", "fields": ["title", "status"], "at": "HEAD"})
            check(sorted(res.structured_content["result"]) == ["status", "title"], "show at a revision keeps only the fields asked")
            res = await s.call_tool("show", {"id": "ADR-004-postgresql-schema-per-module", "fields": ["title", "status"]})
            check(sorted(res.structured_content) == ["status", "title"], "show keeps only the fields asked")
            some = cli_json("lint")["findings"]
            if some:
                path = some[0]["path"]
                res = await s.call_tool("lint", {"path": path})
                check(all(f["path"] == path for f in res.structured_content["findings"])
                      and res.structured_content["findings"], "lint keeps the findings of the path asked")
                check(res.structured_content == cli_json("lint", path), f"lint {path} equals `adrgraph --json lint {path}`")
                folder = os.path.dirname(path)
                res = await s.call_tool("lint", {"path": folder})
                inside = [f for f in some if f["path"].startswith(folder + "/")]
                check(res.structured_content["findings"] == inside and res.structured_content == cli_json("lint", folder),
                      f"lint {folder} gives the findings below the folder, as `adrgraph --json lint {folder}`")

            # context: the decisions in force to read, strongest reason first, within the budget.
            res = await s.call_tool("context", {"paths": ["src/events/outbox.rs"], "task": "publish events", "budget": 1200})
            got = res.structured_content
            check(not res.is_error and got["decisions"], f"context answers: {res.content[0].text[:100]!r}")
            check(got["decisions"][0]["id"] == "ADR-008-transactional-outbox-for-event-publishing"
                  and "line 1" in got["decisions"][0]["why"][0], "context puts the decision the file's marker names first")
            statuses = {d["id"]: d["status"] for d in cli_json("list")}
            check(all(statuses[d["id"]] == "accepted" for d in got["decisions"]), "context gives decisions in force only")
            shown = sum(len(f"## {d['id']} ({d['status']}): {d['title']}\n{d['uri']}\nWhy: {'; '.join(d['why'])}\n{d['decided']}\n")
                        for d in got["decisions"])
            check(shown <= 1200, f"context keeps to its budget ({shown} of 1200 characters)")
            check(all(u.startswith("adr://") for u in got["more"]), "context links the rest as adr:// URIs")
            res = await s.call_tool("context", {})
            check(res.is_error, "context with neither paths nor a task is a tool error")

            # Resources: every decision, the template, the markdown, the graph.
            listed = (await s.list_resources()).resources
            ids = [d["id"] for d in cli_json("list")]
            check([str(r.uri) for r in listed] == [f"adr://{i}" for i in ids] + ["adr://graph"],
                  f"every decision is a resource ({len(listed)})")
            templates = (await s.list_resource_templates()).resource_templates
            check([t.uri_template for t in templates] == ["adr://{id}"], "the adr://{id} template is listed")
            one = cli_json("show", "ADR-002-modular-monolith-with-module-boundaries")
            read = await s.read_resource("adr://ADR-002-modular-monolith-with-module-boundaries")
            want = open(os.path.join(TREE, one["path"]), encoding="utf-8").read()
            check(read.contents[0].text == want, "adr://{id} is the record's markdown")
            graph = await s.read_resource("adr://graph")
            check(json.loads(graph.contents[0].text) == cli_json("graph", "--format", "json"),
                  "adr://graph is `graph --format json`")
            try:
                await s.read_resource("adr://no-such-decision")
                check(False, "an unknown resource is an error")
            except McpError as e:
                check("no-such-decision" in str(e), f"an unknown resource is an error naming it: {e}")

            # Prompts: a draft from the folder's own template, and a review of a change.
            prompts = {p.name for p in (await s.list_prompts()).prompts}
            check(prompts == {"draft-decision", "review-change"}, f"prompts listed: {sorted(prompts)}")
            draft = await s.get_prompt("draft-decision", {"title": "Use gRPC between services",
                                                            "problem": "Services call each other with JSON over HTTP and the event bus.",
                                                            "folder": "data/platform"})
            text = draft.messages[0].content.text
            check("data/platform/ADR-011-use-grpc-between-services.md" in text and "# ADR-011: Use gRPC between services" in text,
                  "draft-decision gives the folder's template for its next number")
            check("adr://ADR-001-use-nats-for-event-bus" in text, "draft-decision names the related decisions in force")
            review = await s.get_prompt("review-change", {"paths": "src/events/outbox.rs, data/data-platform/0001-use-clickhouse-for-analytics.md"})
            text = review.messages[0].content.text
            check("ADR-008-transactional-outbox-for-event-publishing" in text, "review-change names the decisions governing the files")
            check("proposed-too-long" in text and "0001-use-clickhouse-for-analytics.md" in text,
                  "review-change gives the lint findings on the records touched")

            # Bad input: each a clean error, and the server answers the next call.
            async def still_serving(after):
                res = await s.call_tool("list", {})
                check(not res.is_error and res.structured_content["decisions"], f"still serving after {after}")

            try:
                res = await s.call_tool("no_such_tool", {})
                check(res.is_error, "an unknown tool is an error")
            except McpError as e:
                check("no_such_tool" in str(e) or "not found" in str(e).lower(), f"an unknown tool is a protocol error: {e}")
            await still_serving("an unknown tool")
            try:
                res = await s.call_tool("list", {"status": 5})
                check(res.is_error, f"a wrong argument type is a tool error: {res.content[0].text[:100]}")
            except McpError as e:
                check(True, f"a wrong argument type is a protocol error: {e}")
            await still_serving("a wrong argument type")
            res = await s.call_tool("show", {"id": "no-such-decision"})
            check(res.is_error and "no-such-decision" in res.content[0].text, "an unknown id is a tool error naming it")
            res = await s.call_tool("impact", {"id": "ADR-004-postgres-schema-per-module"})
            check(res.is_error and "did you mean `ADR-004-postgresql-schema-per-module`" in res.content[0].text,
                  "an id nearly right is a tool error with the nearest ids")
            await still_serving("an unknown id")
            res = await s.call_tool("search", {"query": "x" * (10 << 20)})
            check(res.is_error and "at most" in res.content[0].text, f"a 10 MB argument is a tool error: {res.content[0].text}")
            await still_serving("a 10 MB argument")
            res = await s.call_tool("search", {"query": "((((((((((deep))))))))))"})
            check(res.is_error and "nest" in res.content[0].text, "a query the CLI refuses is a tool error with its message")
            await still_serving("a refused query")

            # Fresh answers: an edit and a removal are seen by the next call.
            victim = cli_json("show", "ADR-004-postgresql-schema-per-module")["path"]
            text = open(os.path.join(TREE, victim), encoding="utf-8").read()
            with open(os.path.join(TREE, victim), "w", encoding="utf-8") as f:
                f.write(text.replace("Accepted", "Deprecated").replace("accepted", "deprecated"))
            res = await s.call_tool("show", {"id": "ADR-004-postgresql-schema-per-module"})
            check(res.structured_content["status"] == "deprecated", "an edit is seen by the next call")
            # An unchanged tree is not walked again; each change is seen by the call right after it.
            await s.call_tool("stats", {})
            res = await s.call_tool("stats", {})
            check(not res.structured_content["refresh"]["refreshed"], "a call on an unchanged tree does not walk it again")
            path = os.path.join(TREE, victim)
            for i in range(12):
                status = ["accepted", "rejected", "proposed"][i % 3]
                with open(path, "w", encoding="utf-8") as f:
                    f.write(text.replace("Accepted", status.capitalize()).replace("accepted", status))
                res = await s.call_tool("show", {"id": "ADR-004-postgresql-schema-per-module", "fields": ["status"]})
                if res.structured_content != {"status": status}:
                    check(False, f"edit {i} is seen by the call right after it: {res.structured_content}")
            check(True, "twelve edits in a row, each seen by the call right after it")
            os.makedirs(os.path.join(TREE, "data", "later"))
            with open(os.path.join(TREE, "data", "later", "0001-adopt-zanzibar-authorisation.md"), "w") as f:
                f.write("# 1. Adopt Zanzibar authorisation\n\n## Status\n\nAccepted\n\n## Decision\n\nWe adopt it.\n")
            res = await s.call_tool("search", {"query": "zanzibar"})
            check(res.structured_content["hits"], "a record in a folder made while serving is seen by the next call")
            res = await s.call_tool("stats", {})
            check(not res.structured_content["refresh"]["refreshed"], "and then the tree is not walked again")
            with open(os.path.join(TREE, "data", "later", "0001-adopt-zanzibar-authorisation.md"), "a") as f:
                f.write("\nSpiceDB implements it.\n")
            res = await s.call_tool("search", {"query": "spicedb"})
            check(res.structured_content["hits"], "a change in that new folder is seen too")
            shutil.rmtree(os.path.join(TREE, "data", "later"))
            with open(path, "w", encoding="utf-8") as f:
                f.write(text.replace("Accepted", "Deprecated").replace("accepted", "deprecated"))
            os.remove(os.path.join(TREE, victim))
            res = await s.call_tool("show", {"id": victim})
            check(res.is_error, "a record deleted since the last call is a tool error")
            await still_serving("a deleted record")


async def raw():
    """A malformed JSON-RPC line, then a valid request: an error for the first, an answer to the second."""
    p = await asyncio.create_subprocess_exec(BIN, "--root", "data", "--store", SERVER_STORE, "mcp", cwd=TREE,
                                             stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
                                             stderr=asyncio.subprocess.DEVNULL)
    def send(obj):
        p.stdin.write((obj if isinstance(obj, str) else json.dumps(obj)).encode() + b"\n")
    send({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "raw", "version": "0"}}})
    send({"jsonrpc": "2.0", "method": "notifications/initialized"})
    send("{this is not json")
    send({"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": {"name": "stats", "arguments": {}}})
    await p.stdin.drain()
    answered = None
    for _ in range(10):
        line = await asyncio.wait_for(p.stdout.readline(), 60)
        if not line:
            break
        msg = json.loads(line)
        check(msg.get("jsonrpc") == "2.0", f"stdout carries the protocol only: {line[:80]!r}")
        if msg.get("id") == 2:
            answered = msg
            break
    check(answered is not None and "result" in answered, "a malformed line does not stop the server")
    p.stdin.close()
    await asyncio.wait_for(p.wait(), 60)


async def writes():
    """With --allow-write: new, supersede, link and status show their diff first and write
    nothing; called again with dry_run false, each file equals what the command line writes on
    a copy of the tree."""
    import shutil
    twin = tempfile.mkdtemp(prefix="adrgraph-mcp-twin-")
    shutil.copytree(os.path.join(TREE, "data"), os.path.join(twin, "data"))
    os.makedirs(os.path.join(twin, ".git"))
    def on_twin(*args):
        out = subprocess.run([BIN, "--root", "data", "--store", CLI_STORE + "-twin", *args], cwd=twin,
                             capture_output=True, text=True)
        assert out.returncode == 0, f"{args}: {out.stderr}"
    def files(root):
        out = {}
        for d, _, fs in os.walk(os.path.join(root, "data")):
            for f in fs:
                p = os.path.join(d, f)
                out[os.path.relpath(p, root)] = open(p, "rb").read()
        return out
    params = StdioServerParameters(command=BIN, args=["--root", "data", "--store", SERVER_STORE, "mcp", "--allow-write"],
                                   cwd=TREE)
    async with stdio_client(params) as (r, w):
        async with ClientSession(r, w) as s:
            await s.initialize()
            tools = {t.name for t in (await s.list_tools()).tools}
            check({"new", "supersede", "link", "status"} <= tools, "--allow-write lists the writing tools")
            calls = [
                ("status", {"id": "ADR-009-tenant-isolation-by-schema", "status": "accepted"},
                 ["status", "ADR-009-tenant-isolation-by-schema", "accepted"]),
                ("new", {"title": "Use gRPC between services", "supersedes": "ADR-002-modular-monolith-with-module-boundaries"},
                 ["new", "--supersedes", "ADR-002-modular-monolith-with-module-boundaries", "Use gRPC between services"]),
                ("link", {"source": "ADR-006-jetstream-retention-and-replay-policy", "verb": "Amends",
                          "target": "ADR-001-use-nats-for-event-bus", "reverse": "Amended by"},
                 ["link", "ADR-006-jetstream-retention-and-replay-policy", "Amends", "ADR-001-use-nats-for-event-bus", "Amended by"]),
                ("supersede", {"old": "0003-data-retention-policy", "new": "0002-change-data-capture-with-debezium"},
                 ["supersede", "0003-data-retention-policy", "0002-change-data-capture-with-debezium"]),
            ]
            for name, args, cli in calls:
                before = files(TREE)
                res = await s.call_tool(name, args)
                check(not res.is_error and res.structured_content["dry_run"], f"{name} shows its diff first")
                diff = res.structured_content["diff"]
                check("\n+" in diff and "\x1b" not in diff, f"{name}'s diff is a plain unified diff")
                check(files(TREE) == before, f"{name} wrote nothing on a dry run")
                res = await s.call_tool(name, {**args, "dry_run": False})
                check(not res.is_error and not res.structured_content["dry_run"], f"{name} writes when asked: {res.content[0].text[:200]}")
                on_twin(*cli)
                check(files(TREE) == files(twin), f"{name} wrote what `adrgraph {' '.join(cli)}` writes")
            res = await s.call_tool("status", {"id": "ADR-009-tenant-isolation-by-schema", "status": "accepted\n## Injected"})
            check(res.is_error, f"a status with a newline is refused: {res.content[0].text[:100]}")
    shutil.rmtree(twin)


asyncio.run(main())
if not HTTP:
    asyncio.run(raw())
    asyncio.run(writes())
print("all checks passed")
