#!/usr/bin/env bash
# Build the fuzzers' seed corpora from data/ and ../shared/corpora (never committed: the
# corpora stay where they are), then run each target.
#
#   bash fuzz/seed.sh                 # seeds only
#   bash fuzz/seed.sh run 1800        # seeds, then each target for 1800 s (one after the other)
set -euo pipefail
cd "$(dirname "$0")"
work=${FUZZ_DIR:-/tmp/adrgraph-fuzz}
mkdir -p "$work/parse" "$work/links"
roots=(../data)
[ -d ../../shared/corpora ] && roots+=(../../shared/corpora)
# parse: every markdown file as it is.
find "${roots[@]}" -type f \( -name '*.md' -o -name '*.markdown' \) -size -200k -print0 |
  while IFS= read -r -d '' f; do cp "$f" "$work/parse/$(sha1sum "$f" | cut -c1-16)"; done
# links: the files of each folder, up to eight at a time, joined by NUL bytes.
find "${roots[@]}" -type f -name '*.md' -size -64k -printf '%h\n' | sort -u | while read -r d; do
  mapfile -t fs < <(find "$d" -maxdepth 1 -type f -name '*.md' -size -64k | sort | head -8)
  [ ${#fs[@]} -gt 0 ] || continue
  out="$work/links/$(echo "$d" | sha1sum | cut -c1-16)"
  : >"$out"
  for f in "${fs[@]}"; do cat "$f" >>"$out"; printf '\0' >>"$out"; done
done
echo "seeds: $(ls "$work/parse" | wc -l) for parse, $(ls "$work/links" | wc -l) for links" >&2
if [ "${1:-}" = run ]; then
  secs=${2:-1800}
  for t in parse links; do
    cargo +nightly fuzz run -O "$t" "$work/$t" -- -max_total_time="$secs" -max_len=262144 -timeout=10 \
      -rss_limit_mb=2048 2>&1 | tee "$work/$t.log" | grep -E '^(#[0-9]+.*(DONE|pulse)|==|SUMMARY|artifact)' || true
  done
fi
