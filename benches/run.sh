#!/usr/bin/env bash
# Whole-process benchmark of adrgraph on generated ADR trees, printed as tables.
#
#   bash benches/run.sh                           # trees of 1,000 and 10,000 decisions
#   bash benches/run.sh 1000 10000 100000         # the figures in the README
#   bash benches/run.sh --readme 1000 10000 100000  # ... and rewrite the README's tables
#   bash benches/run.sh --profile both 10000      # the generated trees in both profiles
#   bash benches/run.sh --tree DIR [--nygard-tree DIR]  # every figure on trees you name
#
# --profile standard (default), rich or both: the generator's profiles (examples/gen_corpus.rs
# --style mixed / rich). The rich one differs where real trees differ: long rich-template
# records, 6,000 of 10,000 in one folder, four to twelve prose links in each.
# --tree DIR measures the ingest and query tables on that tree instead of generated ones (ids
# and queries picked from it: decisions with supersession chains, long title words), and
# --nygard-tree DIR (an adr-tools folder, or a tree with .adr-dir or doc/adr) the authoring and
# adrs tables; each is copied under $BENCH_DIR first, and only the copy is written to.
# Every cold timing is preceded by reading the whole tree once (these machines evict the page
# cache within minutes; 100,000 files took 15.7 s from disk), and the script says so.
#
# For each size it generates a deterministic tree (examples/gen_corpus.rs, seed 1) under
# $BENCH_DIR (default /tmp/adrgraph-bench), then measures in this one run:
#  - ingest: the cold store build (parse + graph snapshot + full-text index, committed) with its
#    peak memory, a refresh with nothing changed, a refresh after one file changed;
#  - queries: search with --no-refresh and with the default freshness check, impact and chain
#    with --no-refresh, `graph --format dot`, and, for 1,000 decisions, every stage from nothing
#    (no store) to DOT;
#  - beside them the references that bound them, measured on the same tree: reading the files
#    alone, pulldown-cmark alone and tantivy indexing the same text alone (into the same terms,
#    with tantivy's stock stemmer), and a bare parallel
#    metadata walk (examples/reference.rs, same threads), `rg -l` for the same queries, and the process
#    start-up floor (`adrgraph --version`).
# Each adrgraph figure is printed with its ratio to its reference. Timings are medians of
# repeated runs, each command run back to back after a warm-up run, as hyperfine does (p99
# too for search, over every query and run).
# When `adrs` (cargo install adrs) is installed, it also compares `adrs generate graph` with
# `adrgraph graph --format dot` on adr-tools-style trees (one doc/adr folder of Nygard records)
# of 1,000, 10,000 and 100,000 decisions (up to the largest size asked), cold (no store) and
# warm. Installs ripgrep with apt-get if missing.
# Authoring: in a copy of the adr-tools-style tree of each size up to 10,000, `new` (a record
# written, the store refreshed around it) and `supersede` (two files rewritten), against the
# start-up floor plus a no-change refresh, which is what a command that must not reparse the
# tree cannot go below. ONLY=authoring runs just that table.
# Web view (sizes up to 10,000, or the tree named): `serve` under 50 concurrent clients (wrk,
# installed with apt-get if missing) on /, a decision page, /search and /api/search, p50 and
# p99 with the server's peak memory; and `site -o` from a warm store, with the weight of its
# log page and search index. ONLY=web runs just that table.
# governs: 5,040 and 20,000 generated code files with 100 to 1,000 records declaring three globs
# each, naming files and folders and linking to module folders, one file in ten carrying a
# marker; `governs src --json` against `rg -l` reading the same files. ONLY=governs.
# check: `check --diff HEAD` for a change of 50 files in a committed repository of 20,000 code
# files and 10,000 decisions, against the no-change refresh and `git status` of the same change
# (the floor). ONLY=check.
# --at: `--at HEAD list` cold and warm, and `--at HEAD~1` next to a stored revision, on a
# committed history of 1,000 generated decisions (101 commits; COMMITS=2000 for 2,001), on this
# repository's data/ history and on the shared corpora committed one corpus a commit; history,
# diff and lint --history on the generated history. ONLY=at.
# MCP: every read tool of `adrgraph mcp` 100 times over one stdio session (the official Python
# SDK as client), p50/p99 and the server's peak memory, up to 10,000 decisions. ONLY=mcp.
set -euo pipefail
cd "$(dirname "$0")/.."

readme=0
tree="" nygard_tree="" profile=standard
sizes=()
while [ $# -gt 0 ]; do
  case "$1" in
    --readme) readme=1 ;;
    --tree) tree=$(realpath "$2"); shift ;;
    --nygard-tree) nygard_tree=$(realpath "$2"); shift ;;
    --profile) profile="$2"; shift ;;
    -h|--help) awk 'NR > 1 && /^set -euo/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"; exit 0 ;;
    *) sizes+=("$1") ;;
  esac
  shift
done
case "$profile" in standard|rich|both) ;; *) echo "--profile is standard, rich or both" >&2; exit 2 ;; esac
for t in "$tree" "$nygard_tree"; do
  if [ -n "$t" ] && [ ! -d "$t" ]; then echo "no such folder: $t" >&2; exit 2; fi
done
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000)
bench_dir=${BENCH_DIR:-/tmp/adrgraph-bench}
mkdir -p "$bench_dir"

if ! command -v rg >/dev/null 2>&1; then
  echo "== installing ripgrep (rg is the reference for search)" >&2
  if [ "$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq ripgrep >/dev/null
fi

echo "== building (release)" >&2
cargo build --release --quiet --bin adrgraph --example gen_corpus --example reference
bin=$PWD/target/release/adrgraph
gen=$PWD/target/release/examples/gen_corpus
ref=$PWD/target/release/examples/reference
adrs=$(command -v adrs || true)

python3 - "$bin" "$gen" "$ref" "$bench_dir" "$readme" "$adrs" "$tree" "$nygard_tree" "$profile" "${sizes[@]}" <<'PY'
import os, random, re, resource, shutil, statistics, subprocess, sys, time, json, urllib.parse

bin_, gen, ref, bench_dir, readme, adrs, given_tree, given_nygard, profile = sys.argv[1:10]
sizes = [int(s) for s in sys.argv[10:]]
queries = ["kafka", "postgresql", "schema registry", "vault", "opentelemetry tracing",
           "kubernetes deployments", "rate limiting", "terraform"]

def run(cmd, check=True, cwd=None):
    t = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=check, cwd=cwd)
    return time.perf_counter() - t

def run_peak(cmd):
    """Wall time and peak resident memory (MB) of one process."""
    t = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t
    if status != 0:
        raise SystemExit(f"failed: {cmd}")
    return wall, usage.ru_maxrss / 1024

def ref_secs(*args):
    out = subprocess.run([ref, *args], capture_output=True, text=True, check=True).stdout
    return float(out.split()[-2])

median = statistics.median

def p99(xs):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(0.99 * (len(xs) - 1))))]

def faster(ours, theirs):
    """How many times faster ours is than theirs, or slower when it is."""
    r = theirs / ours
    return f"{r:.1f}x faster" if r >= 1 else f"{1 / r:.1f}x slower"

def ms(s):
    return f"{s * 1000:.0f} ms" if s >= 0.01 else f"{s * 1000:.1f} ms"

def tree_of(n, style="mixed"):
    tree = os.path.join(bench_dir, f"tree-{n}" if style == "mixed" else f"{style}-{n}")
    if not os.path.exists(os.path.join(tree, ".complete")):
        shutil.rmtree(tree, ignore_errors=True)
        print(f"== generating {n} decisions ({style})", file=sys.stderr)
        subprocess.run([gen, "--count", str(n), "--seed", "1", "--style", style, "--out", tree],
                       check=True, stdout=subprocess.DEVNULL)
        open(os.path.join(tree, ".complete"), "w").close()
    return tree

warned = []
def warm(tree):
    """Read every file of the tree once, so that a cold timing measures adrgraph, not the disk:
    these machines evict the page cache within minutes (100,000 files took 15.7 s from disk)."""
    if not warned:
        print("== warming the page cache before each cold timing (every file read once)", file=sys.stderr)
        warned.append(True)
    for d, _, fs in os.walk(tree):
        for f in fs:
            try:
                with open(os.path.join(d, f), "rb") as fh:
                    while fh.read(1 << 20):
                        pass
            except OSError:
                pass

def copy_of(tree, name):
    """A copy of a tree the user named, under the bench folder: the one-file-changed and
    authoring figures write into it, never into the user's own tree."""
    dest = os.path.join(bench_dir, name)
    stamp = os.path.join(dest, ".copied-from")
    if not (os.path.exists(stamp) and open(stamp).read() == tree):
        shutil.rmtree(dest, ignore_errors=True)
        print(f"== copying {tree} to {dest} (the benchmark writes only into the copy)", file=sys.stderr)
        shutil.copytree(tree, dest, symlinks=True)
        open(stamp, "w").write(tree)
    return dest

def picked(base, tree):
    """Ids and queries chosen from a tree nobody tuned for: decisions with supersession chains
    first (else evenly spaced), and one long title word from each of eight evenly spaced titles."""
    rows = json.loads(subprocess.run(base + ["--no-refresh", "--json", "list"], capture_output=True,
                                     text=True, check=True).stdout)
    chained = [r["id"] for r in rows if r.get("status") == "superseded"]
    spread = [rows[k * len(rows) // 3]["id"] for k in range(3)] if rows else []
    ids = (chained[:3] + spread)[:3]
    words = []
    for k in range(8):
        title = rows[k * len(rows) // 8].get("title") or "" if rows else ""
        ws = sorted((w for w in re.findall(r"[A-Za-z]{4,}", title)), key=lambda w: (-len(w), w))
        if ws and ws[0].lower() not in words:
            words.append(ws[0].lower())
    return ids, words or ["decision"], len(rows)

machine = f"{os.cpu_count()} cores, {os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB"
ingest_rows, query_rows = [], []
only = os.environ.get("ONLY", "")
def md_count(tree):
    return sum(1 for d, _, fs in os.walk(tree) for f in fs if f.endswith(".md"))

# What the ingest and query tables measure: the generated trees of each size in the profiles
# asked, or the tree the user named (its copy).
cases = []
if given_tree:
    t = copy_of(given_tree, "given-tree")
    cases.append(("given", t, md_count(t)))
else:
    for prof in (["standard", "rich"] if profile == "both" else [profile]):
        cases += [(prof, tree_of(n, "mixed" if prof == "standard" else "rich"), n) for n in sizes]

def settle(trees):
    """Wait until the trees' files are more than two seconds old. A file changed within two
    seconds before the store was written is checked by its content on every run until it is
    older (git's racy-clean rule): a user meets that only just after writing the file, but a
    tree generated a moment before the store is built met it on every file (the standard
    1,000's first three default-path commands measured 13-15 ms against 5 ms after)."""
    marks = [m for t in trees for m in (os.path.join(t, ".complete"), os.path.join(t, ".copied-from"))
             if os.path.exists(m)]
    wait = max((os.path.getmtime(m) for m in marks), default=0) + 2.1 - time.time()
    if wait > 0:
        print(f"== waiting {wait:.1f} s for the new trees' files to be two seconds old", file=sys.stderr)
        time.sleep(wait)

settle([t for _, t, _ in cases])

for label, tree, n in (cases if only == "" else []):
    store = os.path.join(bench_dir, f"store-{n}" if label == "standard" else f"store-{label}-{n}")
    files = md_count(tree)
    mb = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(tree) for f in fs) / 1e6
    base = [bin_, "-q", "--root", tree, "--store", store]
    print(f"== measuring {n} ({label}: {tree})", file=sys.stderr)
    floor = median([run([bin_, "--version"]) for _ in range(15)])
    warm(tree)
    walk = median([ref_secs("walk", tree) for _ in range(5)])
    read_alone = median([ref_secs("read", tree) for _ in range(3)])
    pulldown_alone = median([ref_secs("pulldown", tree) for _ in range(3)])
    tantivy_runs = []
    for _ in range(2 if n >= 100000 else 3):
        out = os.path.join(bench_dir, "tantivy-alone")
        shutil.rmtree(out, ignore_errors=True)
        warm(tree)
        tantivy_runs.append(ref_secs("tantivy", tree, out))
        shutil.rmtree(out, ignore_errors=True)
    tantivy_alone = median(tantivy_runs)
    colds = []
    for _ in range(2 if n >= 100000 else 3):
        shutil.rmtree(store, ignore_errors=True)
        warm(tree)
        colds.append(run_peak(base + ["index"]))
    cold, peak = median([c[0] for c in colds]), max(c[1] for c in colds)
    nochange = median([run(base + ["index"]) for _ in range(7)])
    # One file changed: a different file each time, appended to (and restored afterwards).
    changed = []
    victims = sorted(os.path.join(d, f) for d, _, fs in os.walk(tree) for f in fs if f.endswith(".md"))[:5]
    originals = {v: open(v, "rb").read() for v in victims}
    try:
        for v in victims:
            with open(v, "a") as fh:
                fh.write("\nAppended by the benchmark.\n")
            changed.append(run(base + ["index"]))
    finally:
        for v, b in originals.items():
            with open(v, "wb") as fh:
                fh.write(b)
    run(base + ["index"])
    # The generated mixed trees have fixed ids and queries; any other tree gets its own.
    if label == "standard":
        ids, qs = [f"platform/ADR-{k:03}" for k in (1, 2, 3)], queries
    else:
        ids, qs, count = picked(base, tree)
        # A tree nobody generated is counted by what adrgraph reads as decisions.
        n = count if label == "given" else n
    nr, fresh, rg = [], [], []
    for q in qs:
        # Each command back to back after one warm-up run, as hyperfine runs them.
        for cmd, out in ((base + ["--no-refresh", "search", q], nr), (base + ["search", q], fresh),
                         (["rg", "-l", "-i", "-F", q, tree], rg)):
            run(cmd, check=False)
            out.extend(run(cmd, check=False) for _ in range(5))
    # impact and chain from decisions spread over the tree (superseded ones have chains).
    def warm_runs(cmd, k):
        run(cmd, check=False)
        return [run(cmd, check=False) for _ in range(k)]
    impact = median([t for i in ids for t in warm_runs(base + ["--no-refresh", "impact", "--json", i], 3)])
    chain = median([t for i in ids for t in warm_runs(base + ["--no-refresh", "chain", "--json", i], 3)])
    dot = median([run(base + ["--no-refresh", "graph", "--format", "dot"]) for _ in range(3)])
    nothing_to_dot = None
    if n <= 1000:
        fresh_store = os.path.join(bench_dir, "store-nothing")
        tries = []
        for _ in range(5):
            shutil.rmtree(fresh_store, ignore_errors=True)
            tries.append(run([bin_, "-q", "--root", tree, "--store", fresh_store, "graph", "--format", "dot"]))
        shutil.rmtree(fresh_store, ignore_errors=True)
        nothing_to_dot = median(tries)
    ingest_rows.append(dict(n=n, label=label, files=files, mb=mb, cold=cold, peak=peak, tantivy=tantivy_alone,
                            read=read_alone, pulldown=pulldown_alone, nochange=nochange, walk=walk,
                            changed=median(changed)))
    query_rows.append(dict(n=n, label=label, nr=median(nr), nr99=p99(nr), fresh=median(fresh), fresh99=p99(fresh),
                           rg=median(rg), rg99=p99(rg), floor=floor, impact=impact, chain=chain, dot=dot,
                           nothing=nothing_to_dot))

def name(r):
    """A row's tree: its size, and its profile unless it is the first one."""
    return f"{r['n']:,}" if r["label"] == "standard" else f"{r['n']:,} ({r['label']})"

def table(head, rows):
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)

ingest = table(
    ["decisions", "MB", "cold index", "MB/s", "vs tantivy alone", "tantivy alone", "read alone",
     "pulldown alone", "peak memory", "no-change refresh", "vs cold", "vs walk alone", "1 file changed",
     "vs no-change"],
    [[name(r), f"{r['mb']:.1f}", f"{r['cold']:.2f} s", f"{r['mb'] / r['cold']:.1f}",
      f"{r['cold'] / r['tantivy']:.2f}x", f"{r['tantivy']:.2f} s", ms(r["read"]), ms(r["pulldown"]),
      f"{r['peak']:.0f} MB", ms(r["nochange"]), f"{100 * r['nochange'] / r['cold']:.1f}%",
      f"{r['nochange'] / r['walk']:.1f}x", ms(r["changed"]), f"{r['changed'] / r['nochange']:.1f}x"]
     for r in ingest_rows])
queries_t = table(
    ["decisions", "search --no-refresh (p50/p99)", "vs rg -l", "vs --version", "search (p50/p99)", "vs rg -l",
     "rg -l (p50/p99)", "impact --no-refresh", "vs --version", "chain --no-refresh", "vs --version",
     "graph dot", "nothing to DOT", "--version"],
    [[name(r), f"{ms(r['nr'])} / {ms(r['nr99'])}", faster(r['nr'], r['rg']),
      f"{r['nr'] / r['floor']:.1f}x", f"{ms(r['fresh'])} / {ms(r['fresh99'])}",
      faster(r['fresh'], r['rg']), f"{ms(r['rg'])} / {ms(r['rg99'])}", ms(r["impact"]),
      f"{r['impact'] / r['floor']:.1f}x", ms(r["chain"]), f"{r['chain'] / r['floor']:.1f}x", ms(r["dot"]),
      ms(r["nothing"]) if r["nothing"] is not None else "-", ms(r["floor"])]
     for r in query_rows])

def adr_folder(tree):
    """The folder of an adr-tools tree's records: its `.adr-dir`, else doc/adr, else itself."""
    try:
        return open(os.path.join(tree, ".adr-dir")).read().splitlines()[0].strip() or "."
    except (OSError, IndexError):
        return "doc/adr" if os.path.isdir(os.path.join(tree, "doc/adr")) else "."

nygard_cases = ([] if only not in ("", "authoring") else [(md_count(given_nygard), given_nygard)] if given_nygard
                else [(n, tree_of(n, "adr-tools")) for n in sizes if n <= 10000] if not given_tree else [])
authoring_rows = []
for n, source in (nygard_cases if only in ("", "authoring") else []):
    tree = os.path.join(bench_dir, f"authoring-{n}")
    shutil.rmtree(tree, ignore_errors=True)
    shutil.copytree(source, tree, symlinks=True)
    store = os.path.join(bench_dir, f"store-authoring-{n}")
    shutil.rmtree(store, ignore_errors=True)
    folder = adr_folder(tree)
    base = [bin_, "-q", "--root", folder, "--store", store]
    print(f"== authoring in {n}", file=sys.stderr)
    run(base + ["index"], cwd=tree)
    floor = median([run([bin_, "--version"]) for _ in range(15)])
    run(base + ["list"], cwd=tree)
    nochange = median([run(base + ["list"], cwd=tree) for _ in range(7)])
    news, made = [], []
    for k in range(7):
        t0 = time.perf_counter()
        out = subprocess.run(base + ["new", "--dialect", "nygard", "Benchmark", "record", str(k)], cwd=tree,
                             capture_output=True, text=True, check=True).stdout
        news.append(time.perf_counter() - t0)
        made.append(out.strip())
        run(base + ["list"], cwd=tree)
    # The newest record supersedes five of the tree's own, named by path (numbers may be shared).
    rows = json.loads(subprocess.run(base + ["--json", "list"], cwd=tree, capture_output=True, text=True,
                                     check=True).stdout)
    olds = [r["path"] for r in rows if r["path"] not in made][:5]
    newest_path = made[-1]
    supersedes = []
    for old in olds:
        supersedes.append(run(base + ["supersede", "--force", old, newest_path], cwd=tree))
        run(base + ["list"], cwd=tree)
    reference = floor + nochange
    authoring_rows.append([f"{n:,}", ms(floor), ms(nochange), ms(median(news)), f"{median(news) / reference:.1f}x",
                           ms(median(supersedes)), f"{median(supersedes) / reference:.1f}x"])
    shutil.rmtree(tree, ignore_errors=True)

adrs_t = None
if adrs and only == "":
    rows = []
    adrs_cases = ([(md_count(given_nygard), given_nygard)] if given_nygard else
                  [(n, tree_of(n, "adr-tools")) for n in (1000, 10000, 100000) if n <= max(sizes)]
                  if not given_tree else [])
    for n, tree in adrs_cases:
        store = os.path.join(bench_dir, f"store-adrtools-{n}")
        reps = 3 if n >= 100000 else 5
        theirs = median([run([adrs, "generate", "graph"], cwd=tree) for _ in range(reps)])
        # What any tool that walks the tree and runs pulldown-cmark over every file cannot go
        # below, before it extracts a single field: the walk, then reading and parsing (same
        # threads).
        records = os.path.join(tree, adr_folder(tree))
        parse_floor = (median([ref_secs("walk", records) for _ in range(reps)])
                       + median([ref_secs("pulldown", records) for _ in range(reps)]))
        cold = []
        for _ in range(reps):
            shutil.rmtree(store, ignore_errors=True)
            warm(tree)
            cold.append(run([bin_, "-q", "--root", adr_folder(tree), "--store", store, "graph", "--format", "dot"],
                            cwd=tree))
        warm_t = median([run([bin_, "-q", "--root", adr_folder(tree), "--store", store, "graph", "--format", "dot"],
                             cwd=tree) for _ in range(reps)])
        rows.append([f"{n:,}", ms(theirs), ms(median(cold)), faster(median(cold), theirs),
                     ms(warm_t), faster(warm_t, theirs), ms(parse_floor), f"{theirs / parse_floor:.1f}x",
                     f"{median(cold) / parse_floor:.1f}x"])
    version = subprocess.run([adrs, "--version"], capture_output=True, text=True).stdout.strip()
    adrs_t = table([f"adr-tools-style decisions", f"`{version} generate graph`", "adrgraph dot, cold (no store)",
                    "vs adrs", "adrgraph dot, warm", "vs adrs", "walk + read + pulldown alone",
                    "adrs vs that", "adrgraph cold vs that"], rows)

authoring_t = table(["adr-tools-style decisions", "--version", "no-change refresh (list)", "new",
                     "vs --version + no-change", "supersede", "vs --version + no-change"], authoring_rows)
# The web view: serve under 50 concurrent clients (wrk, one thread per core, --latency) on
# four pages of the generated standard tree of each size up to 10,000 (or the tree named),
# and a static site written from a warm store.
def wrk_ms(text, label):
    m = re.search(rf"^\s*{label}\s+([\d.]+)(us|ms|s)\b", text, re.M)
    if not m:
        return float("nan")
    return float(m.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[m.group(2)]
web_rows, site_rows = [], []
web_cases = [(cases[0][2], cases[0][1])] if given_tree else [(n, tree_of(n)) for n in sizes if n <= 10000]
if only in ("", "web"):
    if not shutil.which("wrk"):
        print("== installing wrk (the load generator)", file=sys.stderr)
        sudo = [] if os.getuid() == 0 else ["sudo"]
        subprocess.run(sudo + ["apt-get", "install", "-y", "-qq", "wrk"], check=True, stdout=subprocess.DEVNULL)
for n, tree in (web_cases if only in ("", "web") else []):
    store = os.path.join(bench_dir, f"store-web-{n}")
    shutil.rmtree(store, ignore_errors=True)
    base = [bin_, "-q", "--root", tree, "--store", store]
    print(f"== web view on {n}", file=sys.stderr)
    run(base + ["index"])
    srv = subprocess.Popen(base + ["serve", "--port", "0", "--no-watch"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    url = re.search(r"http://\S+", srv.stdout.readline()).group(0).rstrip("/")
    rows = json.loads(subprocess.run(base + ["--no-refresh", "--json", "list"], capture_output=True, text=True, check=True).stdout)
    some = rows[len(rows) // 2]["id"]
    word = picked(base, tree)[1][0] if given_tree else "kafka"
    pages = [("/", "/"), ("/decisions/{id}", f"/decisions/{urllib.parse.quote(some)}"),
             ("/search?q=", f"/search?q={word}"), ("/api/search", f"/api/search?q={word}")]
    cells = [f"{n:,}"]
    for _, path in pages:
        subprocess.run(["curl", "-s", "-o", "/dev/null", url + path], check=False)
        out = subprocess.run(["wrk", "-t", str(os.cpu_count()), "-c", "50", "-d", "5s", "--latency", url + path],
                             capture_output=True, text=True).stdout
        non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
        sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
        errors = (int(non2xx.group(1)) if non2xx else 0) + (sum(map(int, sock.groups())) if sock else 0)
        rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
        cells.append(f"{wrk_ms(out, '50%'):.1f} / {wrk_ms(out, '99%'):.1f} ms ({float(rps.group(1)) if rps else 0:,.0f}/s{', ' + str(errors) + ' errors' if errors else ''})")
    status = open(f"/proc/{srv.pid}/status").read()
    hwm = int(re.search(r"VmHWM:\s+(\d+)", status).group(1)) / 1024
    cells.append(f"{hwm:.0f} MB")
    srv.terminate()
    srv.wait()
    site = os.path.join(bench_dir, f"site-{n}")
    # First with no drawing kept in the store (Graphviz lays the graph out), then again.
    shutil.rmtree(os.path.join(store, "drawings"), ignore_errors=True)
    shutil.rmtree(site, ignore_errors=True)
    first = run(base + ["site", "-o", site])
    builds = []
    for _ in range(3):
        shutil.rmtree(site, ignore_errors=True)
        builds.append(run(base + ["site", "-o", site]))
    index_kb = os.path.getsize(os.path.join(site, "index.html")) / 1024
    search_kb = os.path.getsize(os.path.join(site, "search-index.js")) / 1024
    total_mb = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(site) for f in fs) / 2**20
    site_rows.append([f"{n:,}", f"{first:.2f} s", f"{115 / first:.0f}x" if n == 1000 else "-", f"{median(builds):.2f} s",
                      f"{index_kb:,.0f} KB", f"{search_kb:,.0f} KB", f"{total_mb:.1f} MB"])
    web_rows.append(cells)
web_t = table(["decisions", "/ (p50 / p99)", "/decisions/{id}", "/search?q=", "/api/search", "server peak memory"], web_rows)
site_t = table(["decisions", "site -o (warm store, graph drawn)", "vs log4brains' 115 s for 1,000",
                "site -o again (drawing kept)", "index.html", "search-index.js", "whole site"], site_rows)

# governs: a repository of generated code files and records declaring globs, naming files and
# folders and linking to modules; `governs src --json` over every file, against `rg -l` reading
# the same files once and the start-up floor. ONLY=governs runs just that table.
def governs_tree(root, files, decisions, seed=1):
    """A repository of `files` code files (src/<area>/<module>/file<k>.rs) and `decisions`
    records under docs/decisions: each record declares three globs in front matter, names two
    files and a folder in its text and links to a module folder; one file in ten carries a
    marker naming a decision."""
    rnd = random.Random(seed)
    areas = [f"area{a}" for a in range(20)]
    per_module = 50
    mods = []
    paths = []
    for k in range(files):
        m = k // per_module
        area = areas[m % len(areas)]
        folder = f"src/{area}/mod{m}"
        if k % per_module == 0:
            mods.append(folder)
        paths.append(f"{folder}/file{k % per_module}.rs")
    for k, p in enumerate(paths):
        os.makedirs(os.path.join(root, os.path.dirname(p)), exist_ok=True)
        body = [f"// {p}: generated code", "use std::collections::HashMap;"]
        if k % 10 == 0:
            body.append(f"// ADR-{rnd.randrange(1, decisions + 1):04d}: follows this decision")
        body += [f"fn f{i}(x: u32) -> u32 {{ x * {i} + {k} }}" for i in range(40)]
        open(os.path.join(root, p), "w").write("\n".join(body) + "\n")
    adr = os.path.join(root, "docs/decisions")
    os.makedirs(adr, exist_ok=True)
    for d in range(1, decisions + 1):
        globs = [f"{rnd.choice(mods)}/**" for _ in range(2)] + [f"src/{rnd.choice(areas)}/**/file{rnd.randrange(per_module)}.rs"]
        named = rnd.sample(paths, 2)
        folder = rnd.choice(mods)
        link = rnd.choice(mods)
        text = f"""---
status: accepted
date: 2024-01-{1 + d % 28:02d}
affects:
  - "{globs[0]}"
  - "{globs[1]}"
  - "{globs[2]}"
---
# {d:04d}. Decision {d} on {folder.split('/')[-1]}

## Context and Problem Statement

The code in `{named[0]}` and `{named[1]}` grew without a rule; everything under {folder} follows
the same pattern. See [the module](../../{link}) for the current shape. We weighed caching, batching
and retries for the services involved, and the team's experience with each.

## Decision Outcome

Chosen option: "batching", because it keeps {folder} simple and the latency within budget.

### Consequences

* Good, because the files stay small.
* Bad, because the batch size needs tuning.
"""
        open(os.path.join(adr, f"{d:04d}-decision-{d}.md"), "w").write(text)

governs_rows = []
for files, decisions in ([(5040, 100), (5040, 300), (20000, 1000)] if only in ("", "governs") else []):
    repo = os.path.join(bench_dir, f"governs-{files}-{decisions}")
    if not os.path.exists(os.path.join(repo, ".complete")):
        shutil.rmtree(repo, ignore_errors=True)
        print(f"== generating {files} files and {decisions} decisions", file=sys.stderr)
        governs_tree(repo, files, decisions)
        subprocess.run(["git", "init", "-q", repo], check=True)
        open(os.path.join(repo, ".complete"), "w").close()
    store = os.path.join(bench_dir, f"store-governs-{files}-{decisions}")
    shutil.rmtree(store, ignore_errors=True)
    base = [bin_, "-q", "--root", "docs/decisions", "--store", store]
    run(base + ["index"], cwd=repo)
    floor = median([run([bin_, "--version"]) for _ in range(15)])
    warm(repo)
    reps = 5
    ours, peak = [], 0.0
    for _ in range(reps):
        t = time.perf_counter()
        p = subprocess.Popen(base + ["--json", "governs", "src"], cwd=repo, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        size = len(p.stdout.read())
        _, status, usage = os.wait4(p.pid, 0)
        ours.append(time.perf_counter() - t)
        peak = max(peak, usage.ru_maxrss / 1024)
    rg = median([run(["rg", "-l", "-i", "adr", "src"], check=False, cwd=repo) for _ in range(reps)])
    governs_rows.append([f"{files:,}", f"{decisions:,}", ms(median(ours)), f"{median(ours) / rg:.1f}x",
                         ms(rg), ms(floor), f"{peak:.0f} MB", f"{size / 2**20:.1f} MB"])
governs_t = table(["code files", "decisions (3 globs each)", "governs src --json", "vs rg -l", "rg -l -i adr src",
                   "--version", "peak memory", "answer"], governs_rows)

# check: `check --diff HEAD --json` for a change of 50 files (5 of them adding a marker) in a
# repository of 20,000 code files and 10,000 decisions, committed with git, against the
# no-change refresh of the same store (`index`), which every command pays first, and beside them
# `git status --porcelain` on the same change: git reading it, the floor under any check of a
# work tree (each tracked file's metadata compared with the index). ONLY=check.
check_rows = []
for files, decisions in ([(20000, 10000)] if only in ("", "check") else []):
    repo = os.path.join(bench_dir, f"check-{files}-{decisions}")
    if not os.path.exists(os.path.join(repo, ".complete")):
        shutil.rmtree(repo, ignore_errors=True)
        print(f"== generating {files} files and {decisions} decisions, committed", file=sys.stderr)
        governs_tree(repo, files, decisions, seed=2)
        git = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.com"]
        subprocess.run(git + ["init", "-q", repo], check=True)
        subprocess.run(git + ["add", "-A"], cwd=repo, check=True)
        subprocess.run(git + ["commit", "-q", "-m", "generated"], cwd=repo, check=True)
        open(os.path.join(repo, ".complete"), "w").close()
    store = os.path.join(bench_dir, f"store-check-{files}-{decisions}")
    shutil.rmtree(store, ignore_errors=True)
    base = [bin_, "-q", "--root", "docs/decisions", "--store", store]
    run(base + ["index"], cwd=repo)
    code = sorted(os.path.join(d, f) for d, _, fs in os.walk(os.path.join(repo, "src")) for f in fs)
    victims = code[:: max(1, len(code) // 50)][:50]
    originals = {v: open(v, "rb").read() for v in victims}
    try:
        for k, v in enumerate(victims):
            extra = f"// ADR-{k + 1:04d}: changed here\n" if k % 10 == 0 else "fn changed() {}\n"
            open(v, "ab").write(extra.encode())
        warm(repo)
        reps = 7
        nochange = median([run(base + ["index"], cwd=repo) for _ in range(reps)])
        ours = median([run(base + ["--json", "check", "--diff", "HEAD"], cwd=repo, check=False) for _ in range(reps)])
        gov = median([run(base + ["--json", "governs", "--diff", "HEAD"], cwd=repo) for _ in range(reps)])
        # The floor under both: git's own reading of the same change (the work tree's status,
        # every tracked file's metadata against the index, and the untracked files).
        status = median([run(["git", "status", "--porcelain"], cwd=repo) for _ in range(reps)])
    finally:
        for v, b in originals.items():
            open(v, "wb").write(b)
    check_rows.append([f"{files:,}", f"{decisions:,}", "50", ms(ours), f"{ours / nochange:.1f}x", ms(gov),
                       f"{gov / nochange:.1f}x", ms(nochange), ms(status), f"{status / nochange:.1f}x",
                       f"{ours / (status + nochange):.2f}x"])
check_t = table(["code files", "decisions", "changed files", "check --diff --json", "vs refresh",
                 "governs --diff --json", "vs refresh", "no-change refresh (index)", "git status --porcelain",
                 "git status vs refresh", "check vs git status + refresh"], check_rows)

# --at: a generated tree of 1,000 decisions committed, then COMMITS (default 100) commits
# changing 10 records each. `--at HEAD list` cold (no revision store) against a cold `index` of the same tree on
# disk; warm against start-up; `--at HEAD~1 list` with HEAD's store made (10 records differ)
# against the work tree's one-file-changed refresh. ONLY=at.
at_rows, history_rows = [], []
commits = int(os.environ.get("COMMITS", "100"))
for n in ([1000] if only in ("", "at") else []):
    repo = os.path.join(bench_dir, f"history-{n}" + (f"-{commits}" if commits != 100 else ""))
    git = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.com", "-c", "commit.gpgsign=false"]
    if not os.path.exists(os.path.join(repo, ".complete")):
        shutil.rmtree(repo, ignore_errors=True)
        print(f"== generating a history of {n} decisions over {commits + 1} commits", file=sys.stderr)
        shutil.copytree(tree_of(n), os.path.join(repo, "adr"))
        subprocess.run(git + ["init", "-q", repo], check=True)
        subprocess.run(git + ["add", "-A"], cwd=repo, check=True)
        subprocess.run(git + ["commit", "-q", "-m", "generated"], cwd=repo, check=True)
        records = sorted(os.path.join(d, f) for d, _, fs in os.walk(os.path.join(repo, "adr")) for f in fs if f.endswith(".md"))
        rnd = random.Random(3)
        for c in range(commits):
            for f in rnd.sample(records, 10):
                open(f, "a").write(f"\nRevised in change {c}.\n")
            subprocess.run(git + ["commit", "-q", "-am", f"change {c}"], cwd=repo, check=True)
        open(os.path.join(repo, ".git", "info", "exclude"), "a").write(".complete\n")
        open(os.path.join(repo, ".complete"), "w").close()
    store = os.path.join(bench_dir, f"store-history-{n}")
    base = [bin_, "-q", "--root", "adr", "--store", store]
    revisions = os.path.join(store, "revisions")
    reps = 5
    warm(repo)
    floor = median([run([bin_, "--version"]) for _ in range(15)])
    colds, ats = [], []
    for _ in range(reps):
        shutil.rmtree(store, ignore_errors=True)
        colds.append(run(base + ["index"], cwd=repo))
        shutil.rmtree(revisions, ignore_errors=True)
        ats.append(run(base + ["--at", "HEAD", "list"], cwd=repo))
    cold, at_cold = median(colds), median(ats)
    at_warm = median([run(base + ["--at", "HEAD", "list"], cwd=repo) for _ in range(15)])
    nexts = []
    for _ in range(reps):
        shutil.rmtree(revisions, ignore_errors=True)
        run(base + ["--at", "HEAD", "list"], cwd=repo)
        nexts.append(run(base + ["--at", "HEAD~1", "list"], cwd=repo))
    at_next = median(nexts)
    # The work tree's one-file-changed refresh, a different record each time, put back after.
    records = sorted(os.path.join(d, f) for d, _, fs in os.walk(os.path.join(repo, "adr")) for f in fs if f.endswith(".md"))[:reps]
    one = []
    run(base + ["list"], cwd=repo)
    for f in records:
        before = open(f, "rb").read()
        open(f, "ab").write(b"\nOne more line.\n")
        one.append(run(base + ["list"], cwd=repo))
        open(f, "wb").write(before)
        run(base + ["list"], cwd=repo)
    one_changed = median(one)
    # history of the record changed most often, diff across 100 changes (and 500 when there
    # are), and lint --history over the whole history.
    log = subprocess.run(["git", "log", "--format=", "--name-only", "-n", str(commits)], cwd=repo, capture_output=True, text=True).stdout
    counts = {}
    for line in log.split():
        counts[line] = counts.get(line, 0) + 1
    busiest = max(sorted(counts), key=lambda k: counts[k])
    history_s = median([run(base + ["history", busiest], cwd=repo) for _ in range(reps)])
    diff_s = median([run(base + ["diff", "HEAD~100..HEAD"], cwd=repo) for _ in range(reps)])
    diff500_s = median([run(base + ["diff", "HEAD~500..HEAD"], cwd=repo) for _ in range(reps)]) if commits >= 500 else None
    lint_history_s = median([run(base + ["lint", "--history"], cwd=repo, check=False) for _ in range(3)])
    history_rows.append([f"{n:,}", f"{commits + 1}", f"{counts[busiest] + 1}", ms(history_s), ms(diff_s),
                         ms(diff500_s) if diff500_s is not None else "-", ms(lint_history_s)])
    at_rows.append([f"{n:,}", ms(at_cold), ms(cold), f"{at_cold / cold:.1f}x", ms(at_warm), ms(floor),
                    f"{at_warm / floor:.1f}x", ms(at_next), ms(one_changed), f"{at_next / one_changed:.1f}x"])

# The same figures on histories nobody generated: this repository's own data/ (cloned), and
# the shared corpora committed as a history, one corpus a commit (--at HEAD~1: one corpus
# differs).
def at_row(name, repo, root, store):
    base = [bin_, "-q", "--root", root, "--store", store]
    revisions = os.path.join(store, "revisions")
    warm(repo)
    floor = median([run([bin_, "--version"]) for _ in range(15)])
    colds, ats, nexts = [], [], []
    for _ in range(5):
        shutil.rmtree(store, ignore_errors=True)
        colds.append(run(base + ["index"], cwd=repo))
        shutil.rmtree(revisions, ignore_errors=True)
        ats.append(run(base + ["--at", "HEAD", "list"], cwd=repo))
    at_warm = median([run(base + ["--at", "HEAD", "list"], cwd=repo) for _ in range(15)])
    for _ in range(5):
        shutil.rmtree(revisions, ignore_errors=True)
        run(base + ["--at", "HEAD", "list"], cwd=repo)
        nexts.append(run(base + ["--at", "HEAD~1", "list"], cwd=repo))
    cold, at_cold, at_next = median(colds), median(ats), median(nexts)
    return [name, ms(at_cold), ms(cold), f"{at_cold / cold:.1f}x", ms(at_warm), ms(floor), f"{at_warm / floor:.1f}x",
            ms(at_next), "-", "-"]

if only in ("", "at"):
    project = os.path.join(bench_dir, "project-history")
    shutil.rmtree(project, ignore_errors=True)
    subprocess.run(["git", "clone", "-q", os.getcwd(), project], check=True)
    at_rows.append(at_row("data/ of this repository", project, "data", os.path.join(bench_dir, "store-project")))
    corpora_dir = os.path.join(os.getcwd(), "..", "shared", "corpora")
    if os.path.isdir(corpora_dir):
        repo = os.path.join(bench_dir, "corpora-history")
        git = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.com", "-c", "commit.gpgsign=false"]
        if not os.path.exists(os.path.join(repo, ".complete")):
            shutil.rmtree(repo, ignore_errors=True)
            print("== committing the shared corpora as a history, one corpus a commit", file=sys.stderr)
            subprocess.run(git + ["init", "-q", repo], check=True)
            for c in sorted(os.listdir(corpora_dir)):
                if os.path.isdir(os.path.join(corpora_dir, c)):
                    shutil.copytree(os.path.join(corpora_dir, c), os.path.join(repo, "adr", c))
                    subprocess.run(git + ["add", "-A"], cwd=repo, check=True)
                    subprocess.run(git + ["commit", "-q", "-m", f"add {c}"], cwd=repo, check=True)
            open(os.path.join(repo, ".git", "info", "exclude"), "a").write(".complete\n")
            open(os.path.join(repo, ".complete"), "w").close()
        at_rows.append(at_row("the shared corpora", repo, "adr", os.path.join(bench_dir, "store-corpora")))

at_t = table(["decisions", "--at HEAD list, cold", "cold index on disk", "vs", "--at HEAD list, warm", "--version",
              "vs", "--at HEAD~1 (10 records differ)", "1 file changed refresh", "vs"], at_rows)

# The MCP server: each read tool called 100 times over one stdio session (benches/mcp_bench.py,
# the official Python SDK as the client), p50/p99 per tool and the server's peak memory, on the
# generated trees of each size up to 10,000 in the profiles asked. ONLY=mcp runs just that table.
mcp_rows = []
mcp_tools = ["search", "list", "show", "impact", "deps", "chain", "path", "lint", "stats", "governs", "context"]
if only in ("", "mcp"):
    if subprocess.run(["python3", "-c", "import mcp"], capture_output=True).returncode != 0:
        print("== installing the MCP Python SDK (pip install mcp)", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "mcp"], check=True)
mcp_cases = [(prof, n) for prof in (["standard", "rich"] if profile == "both" else [profile])
             for n in sizes if n <= 10000] if only in ("", "mcp") and not given_tree else []
for prof, n in mcp_cases:
    tree = tree_of(n, "mixed" if prof == "standard" else "rich")
    store = os.path.join(bench_dir, f"store-mcp-{prof}-{n}")
    shutil.rmtree(store, ignore_errors=True)
    run([bin_, "-q", "--root", tree, "--store", store, "index"])
    print(f"== mcp tools on {n} ({prof})", file=sys.stderr)
    got = json.loads(subprocess.run(["python3", "benches/mcp_bench.py", bin_, tree, store, "100"],
                                    capture_output=True, text=True, check=True).stdout)
    label = f"{n:,}" + (" (rich)" if prof == "rich" else "")
    mcp_rows.append([label] + [f"{got['tools'][t][0]:.1f} / {got['tools'][t][1]:.1f}" for t in mcp_tools]
                    + [f"{got['peak_mb']:.0f} MB"])
    shutil.rmtree(store, ignore_errors=True)
mcp_t = table(["decisions"] + [f"{t} (p50 / p99 ms)" for t in mcp_tools] + ["server peak memory"], mcp_rows)

# The default path: what a user runs, every command first checking the tree for changes, in
# the user's own cache (XDG_CACHE_HOME under the bench folder; no --store), beside the same
# command with --no-refresh, paired runs (15) alternating. References: the start-up floor
# (--version), a bare parallel metadata walk of the tree (examples/reference.rs) and, for search,
# `rg -l -i`. Targets: within 3x of start-up at 1,000 decisions; within 1.5x of --no-refresh
# plus the walk at 10,000 and more; search faster than rg. ONLY=default runs just this table.
default_rows = []
for label, tree, n in (cases if only in ("", "default") else []):
    cache = os.path.join(bench_dir, "cache-default")
    shutil.rmtree(cache, ignore_errors=True)
    env = dict(os.environ, XDG_CACHE_HOME=cache)
    base = [bin_, "-q", "--root", tree]
    def paired(cmds, k=15):
        """Medians of k rounds, each running every command once in turn, after a warm-up (in
        which a command of ours that fails, exit 2 and up, stops the bench: its time would be
        an error's)."""
        for c in cmds:
            r = subprocess.run(c, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
            if c[0] == bin_ and r.returncode > 1:
                sys.exit(f"{' '.join(c)} failed (exit {r.returncode}): {r.stderr.decode(errors='replace')}")
        times = [[] for _ in cmds]
        for _ in range(k):
            for c, ts in zip(cmds, times):
                t = time.perf_counter()
                subprocess.run(c, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
                ts.append(time.perf_counter() - t)
        return [median(ts) for ts in times]
    print(f"== the default path on {n} ({label})", file=sys.stderr)
    subprocess.run(base + ["index"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=True)
    saved = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = cache
    ids, words = (["platform/ADR-001"], ["postgresql"]) if label == "standard" else picked(base, tree)[:2]
    some, word = ids[0], words[0]
    floor = median([run([bin_, "--version"]) for _ in range(15)])
    walk = median([ref_secs("walk", tree) for _ in range(5)])
    # governs: of a file of code beside the tree (the generated trees hold none) named after the
    # search word, a module name the records' texts name (governed by their mentions).
    code = os.path.join(bench_dir, "code-default")
    shutil.rmtree(code, ignore_errors=True)
    os.makedirs(os.path.join(code, "src"))
    governed = os.path.join(code, "src", f"{word}.rs")
    with open(governed, "w") as f:
        f.write("pub fn run() {}\n")
    commands = [("search", ["search", word]), ("list", ["list"]), ("show", ["show", some]),
                ("impact", ["impact", some]), ("chain", ["chain", some]), ("governs", ["governs", governed]),
                ("lint", ["lint"])]
    cells = [name(dict(n=n, label=label))]
    for cmd, args in commands:
        extra = [["rg", "-l", "-i", "-F", word, tree]] if cmd == "search" else []
        got = paired([base + args, base + ["--no-refresh"] + args] + extra)
        d, nr = got[0], got[1]
        cells += [f"{ms(d)} / {ms(nr)}", f"{d / floor:.1f}x", f"{d / (nr + walk):.2f}x"]
        if cmd == "search":
            cells.append(faster(d, got[2]))
    cells += [ms(floor), ms(walk)]
    default_rows.append(cells)
    shutil.rmtree(code, ignore_errors=True)
    if saved is None:
        del os.environ["XDG_CACHE_HOME"]
    else:
        os.environ["XDG_CACHE_HOME"] = saved
    shutil.rmtree(cache, ignore_errors=True)
head = ["decisions"]
for cmd in ("search", "list", "show", "impact", "chain", "governs", "lint"):
    head += [f"{cmd} (default / --no-refresh)", "vs --version", "vs --no-refresh + walk"]
    if cmd == "search":
        head.append("vs rg -l")
default_t = table(head + ["--version", "walk alone"], default_rows)

out = [f"adrgraph benchmark ({machine}); medians of repeated whole-process runs", ""]
if default_rows:
    out += ["The default path (every command checks the tree for changes first):", "", default_t, ""]
if only == "":
    out += ["Ingest:", "", ingest, "", "Queries:", "", queries_t]
if authoring_rows:
    out += ["", "Authoring (one folder, adr-tools records):", "", authoring_t]
if mcp_rows:
    out += ["", "MCP tools over one stdio session (100 calls each):", "", mcp_t]
if governs_rows:
    out += ["", "governs (every file of a generated repository):", "", governs_t]
if at_rows:
    out += ["", "--at (a committed history of generated decisions):", "", at_t]
    history_t = table(["decisions", "commits", "commits changing the record", "history ID", "diff HEAD~100..HEAD",
                       "diff HEAD~500..HEAD", "lint --history"], history_rows)
    out += ["", "history and diff on the same history:", "", history_t]
if check_rows:
    out += ["", "check (a change of 50 files in a generated repository):", "", check_t]
if web_rows:
    out += ["", "Web view (50 concurrent clients, wrk):", "", web_t, "", "Static site:", "", site_t]
if adrs_t:
    out += ["", "Against adrs:", "", adrs_t]
elif only in ("authoring", "web", "governs", "mcp", "check", "at", "default"):
    pass
else:
    out += ["", "(adrs is not installed: `cargo install adrs` adds the comparison)"]
text = "\n".join(out)
print("\n" + text)
if readme == "1":
    path = "README.md"
    src = open(path).read()
    block = f"<!-- bench:start (written by benches/run.sh --readme) -->\n{text}\n<!-- bench:end -->"
    new, k = re.subn(r"<!-- bench:start.*?<!-- bench:end -->", lambda _: block, src, flags=re.S)
    if k != 1:
        raise SystemExit("README.md has no bench:start/bench:end markers")
    open(path, "w").write(new)
    print("README.md updated", file=sys.stderr)
PY
