#!/usr/bin/env bash
# Whole-process benchmark of adrgraph on generated ADR trees, printed as one table.
#
#   bash benches/run.sh                 # trees of 1,000 and 10,000 decisions
#   bash benches/run.sh 1000 10000 100000
#
# For each size it generates a deterministic tree (examples/gen_corpus.rs, seed 1) under
# $BENCH_DIR (default /tmp/adrgraph-bench), then measures, in this one run: the cold store build
# (parse + index), a refresh with nothing changed, a refresh after one file changed, search
# latency with --no-refresh and with the default freshness check, and `graph --format dot`;
# and beside them the references that bound them: a bare metadata walk of the tree (find),
# `rg -l` for the same queries, and the process start-up floor (`adrgraph --version`). Each
# adrgraph figure is printed with its ratio to its reference. Timings are medians of repeated
# runs (p99 for search, over every query and run). Installs ripgrep with apt-get if missing.
set -euo pipefail
cd "$(dirname "$0")/.."

sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000)
bench_dir=${BENCH_DIR:-/tmp/adrgraph-bench}
mkdir -p "$bench_dir"

if ! command -v rg >/dev/null 2>&1; then
  echo "== installing ripgrep (rg is the reference for search)" >&2
  if [ "$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq ripgrep >/dev/null
fi

echo "== building (release)" >&2
cargo build --release --quiet --bin adrgraph --example gen_corpus
bin=$PWD/target/release/adrgraph
gen=$PWD/target/release/examples/gen_corpus

python3 - "$bin" "$gen" "$bench_dir" "${sizes[@]}" <<'PY'
import os, shutil, statistics, subprocess, sys, time

bin_, gen, bench_dir = sys.argv[1:4]
sizes = [int(s) for s in sys.argv[4:]]
queries = ["kafka", "postgresql", "schema registry", "vault", "opentelemetry tracing",
           "kubernetes deployments", "rate limiting", "terraform"]

def run(cmd, **kw):
    t = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=kw.get("check", True))
    return time.perf_counter() - t

def median(xs):
    return statistics.median(xs)

def p99(xs):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(0.99 * (len(xs) - 1))))]

rows = []
machine = f"{os.cpu_count()} cores, {os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB"
for n in sizes:
    tree = os.path.join(bench_dir, f"tree-{n}")
    store = os.path.join(bench_dir, f"store-{n}")
    if not os.path.exists(os.path.join(tree, ".complete")):
        shutil.rmtree(tree, ignore_errors=True)
        print(f"== generating {n} decisions", file=sys.stderr)
        subprocess.run([gen, "--count", str(n), "--seed", "1", "--out", tree], check=True, stdout=subprocess.DEVNULL)
        open(os.path.join(tree, ".complete"), "w").close()
    files = sum(len(fs) for _, _, fs in os.walk(tree)) - 1
    mb = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(tree) for f in fs) / 1e6
    base = [bin_, "-q", "--root", tree, "--store", store]
    print(f"== measuring {n}", file=sys.stderr)
    floor = median([run([bin_, "--version"]) for _ in range(15)])
    walk = median([run(["find", tree, "-type", "f", "-printf", "%s %T@\n"]) for _ in range(5)])
    shutil.rmtree(store, ignore_errors=True)
    cold = run(base + ["index"])
    nochange = median([run(base + ["index"]) for _ in range(5)])
    # One file changed: a different file each time, appended to.
    changed = []
    victims = sorted(os.path.join(d, f) for d, _, fs in os.walk(tree) for f in fs if f.endswith(".md"))[:3]
    for v in victims:
        with open(v, "a") as fh:
            fh.write("\nAppended by the benchmark.\n")
        changed.append(run(base + ["index"]))
    nr, fresh, rg = [], [], []
    for q in queries:
        for _ in range(5):
            nr.append(run(base + ["--no-refresh", "search", q], check=False))
            fresh.append(run(base + ["search", q], check=False))
            rg.append(run(["rg", "-l", "-i", "-F", q, tree], check=False))
    dot = median([run(base + ["--no-refresh", "graph", "--format", "dot"]) for _ in range(3)])
    rows.append(dict(n=n, files=files, mb=mb, cold=cold, mbs=mb / cold, nochange=nochange, walk=walk,
                     changed=median(changed), nr=median(nr), nr99=p99(nr), fresh=median(fresh),
                     fresh99=p99(fresh), rg=median(rg), rg99=p99(rg), floor=floor, dot=dot))

def ms(s):
    return f"{s * 1000:.0f} ms" if s >= 0.01 else f"{s * 1000:.1f} ms"

print(f"\nadrgraph benchmark ({machine}); medians of repeated whole-process runs\n")
head = ["decisions", "files", "MB", "cold index", "MB/s", "no-change refresh", "vs find walk",
        "1 file changed", "vs no-change", "search --no-refresh (p50/p99)", "vs rg -l", "vs --version",
        "search (p50/p99)", "vs rg -l", "rg -l (p50/p99)", "graph dot", "--version"]
print("| " + " | ".join(head) + " |")
print("|" + "---|" * len(head))
for r in rows:
    cells = [f"{r['n']:,}", f"{r['files']:,}", f"{r['mb']:.1f}", f"{r['cold']:.2f} s", f"{r['mbs']:.1f}",
             ms(r["nochange"]), f"{r['nochange'] / r['walk']:.1f}x", ms(r["changed"]),
             f"{r['changed'] / r['nochange']:.1f}x", f"{ms(r['nr'])} / {ms(r['nr99'])}",
             f"{r['rg'] / r['nr']:.1f}x faster", f"{r['nr'] / r['floor']:.1f}x",
             f"{ms(r['fresh'])} / {ms(r['fresh99'])}", f"{r['rg'] / r['fresh']:.1f}x faster",
             f"{ms(r['rg'])} / {ms(r['rg99'])}", ms(r["dot"]), ms(r["floor"])]
    print("| " + " | ".join(cells) + " |")
PY
