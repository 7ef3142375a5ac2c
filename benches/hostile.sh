#!/usr/bin/env bash
# Hostile sizes, end to end: each class of input that once went quadratic or used memory out of
# proportion, at two sizes N and 2N, read by one or two adrgraph binaries (this build, and an
# older one to compare with), each run on a fresh store. Prints wall time, peak memory (max RSS)
# and the 2N/N ratio of each: about 2x when linear, 4x and more when quadratic.
#
#   bash benches/hostile.sh                      # this checkout's release build
#   bash benches/hostile.sh OLD_BINARY           # and an older build beside it
#
# Classes (the promises issue's): many considered options in one record; many links and bare
# ids in one record; one Links-section line of many links and ids; many bare ids on one line linted; one 8 MiB file of emphasis (`*a* `) and of list items
# (`- a`), whose markup once cost 100x its size in memory.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q --bin adrgraph
NEW="$PWD/target/release/adrgraph"
OLD="${1:-}"
command -v /usr/bin/time >/dev/null || { echo "needs /usr/bin/time (apt-get install -y time)" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# make CLASS N DIR: one decision folder holding the hostile record.
make() {
  local class=$1 n=$2 dir=$3
  mkdir -p "$dir"
  python3 - "$class" "$n" "$dir/0001-hostile.md" <<'EOF'
import sys
cls, n, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
with open(path, "w") as f:
    f.write("# 1. Hostile\n\nDate: 2024-01-01\n\n## Status\n\nAccepted\n\n")
    if cls == "options":
        f.write("## Considered Options\n\n")
        f.writelines(f"* Option number {i}\n" for i in range(n))
    elif cls == "links":
        f.write("## Context\n\n")
        f.writelines(f"See [l{i}](0{i:05}-x.md) and ADR-{i}.\n" for i in range(n))
    elif cls == "links-line":
        f.write("## Links\n\n")
        f.write(" ".join(f"[ADR-{i}](0{i:05}-x.md) ADR-{i}" for i in range(n // 2)))
        f.write("\n")
    elif cls == "bare-ids":
        f.write("## Context\n\n")
        f.writelines(f"ADR-{i} " for i in range(n))
        f.write("\n")
    elif cls == "emphasis":
        f.write("## Context\n\n")
        f.write("*a* " * (n // 4))
    elif cls == "list-items":
        f.write("## Context\n\n")
        f.write("- a\n" * (n // 4))
EOF
}

# run BIN COMMAND DIR: "seconds max_rss_kib" of one run on a fresh store; a run past
# $LIMIT seconds (default 300) is stopped and shown as such.
LIMIT=${LIMIT:-300}
run() {
  local bin=$1 cmd=$2 dir=$3 store rc=0
  store=$(mktemp -d -p "$work")
  timeout "$LIMIT" /usr/bin/time -f "%e %M" -o "$work/t" "$bin" --root "$dir" --store "$store" -q "$cmd" \
    >/dev/null 2>&1 || rc=$?
  if [ "$rc" = 124 ]; then
    echo ">$LIMIT 0"
  elif [ -s "$work/t" ]; then
    tail -n 1 "$work/t"
  else
    echo "failed($rc) 0"
  fi
  rm -rf "$store" "$work/t"
}

printf "%-11s %-8s %9s  %-22s" "class" "size" "command" "this build (s, MiB)"
[ -n "$OLD" ] && printf "  %-22s" "older build (s, MiB)"
printf "\n"
row() {
  local class=$1 n=$2 cmd=$3 dir="$work/$1-$2"
  make "$class" "$n" "$dir"
  read -r s m < <(run "$NEW" "$cmd" "$dir")
  printf "%-11s %-8s %9s  %8s s %8s MiB " "$class" "$n" "$cmd" "$s" "$((m / 1024))"
  if [ -n "$OLD" ]; then
    read -r s m < <(run "$OLD" "$cmd" "$dir")
    printf "  %8s s %8s MiB" "$s" "$((m / 1024))"
  fi
  printf "\n"
}
# CLASSES picks some: CLASSES="bare-ids emphasis" bash benches/hostile.sh
for class in ${CLASSES:-options links links-line bare-ids emphasis list-items}; do
  case $class in
    options | links) sizes="10000 20000" cmd=list ;;
    links-line) sizes="40000 80000" cmd=list ;;
    bare-ids) sizes="50000 100000" cmd=lint ;;
    emphasis | list-items) sizes="4194304 8388000" cmd=list ;;
    *) echo "unknown class $class" >&2; exit 2 ;;
  esac
  for n in $sizes; do row "$class" "$n" "$cmd"; done
done
