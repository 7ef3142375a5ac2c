#!/usr/bin/env bash
# The whole test suite, as CI runs it: installs what the tests need when it is missing
# (Graphviz, Chromium and ChromeDriver, zstd's library, the MCP Python SDK, jsonschema, pre-commit), then formatting, lints, every test, the API docs, and every example on data/.
set -euo pipefail
cd "$(dirname "$0")/.."

# What the tests need, installed when missing: Graphviz (dot) for drawings, Debian's Chromium
# and ChromeDriver for the browser tests of the web view.
need=()
command -v dot >/dev/null 2>&1 || need+=(graphviz)
# zstd's C library and pkg-config, which finds it: see ZSTD_SYS_USE_PKG_CONFIG below.
pkg-config --exists libzstd 2>/dev/null || need+=(libzstd-dev pkg-config)
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -x /usr/bin/chromedriver ] || need+=(chromium-driver)
if [ ${#need[@]} -gt 0 ]; then
  echo "== installing ${need[*]} (missing)"
  if [ "$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi

# The official MCP Python SDK, the client of the `adrgraph mcp` tests.
if ! python3 -c "import mcp" >/dev/null 2>&1; then
  echo "== installing the MCP Python SDK (pip install mcp; missing)"
  python3 -m pip install -q mcp
fi

# jsonschema, which checks SARIF output against the official 2.1.0 schema (the MCP SDK brings
# it; installed on its own when missing all the same).
if ! python3 -c "import jsonschema" >/dev/null 2>&1; then
  echo "== installing jsonschema (pip install jsonschema; missing)"
  python3 -m pip install -q jsonschema
fi

# pre-commit, which runs the hooks of .pre-commit-hooks.yaml in the hook tests.
if ! python3 -c "import pre_commit" >/dev/null 2>&1; then
  echo "== installing pre-commit (pip install pre-commit; missing)"
  python3 -m pip install -q pre-commit
fi

# One build from nothing: incremental compilation only costs time and space here (4 GB of
# the build folder), so it is off unless asked for.
export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"

# tantivy's column store links zstd (zstd-sys), whose build script compiles the C library from
# its sources unless told to link the system's: on a fresh clone the lints took 150 s with that
# compile (on both cores), 124 s without. The system's libzstd (Debian's 1.5.4; zstd's format is
# stable) is linked instead; release builds, which users make, still compile their own.
export ZSTD_SYS_USE_PKG_CONFIG=1

# Each step prints what it cost (seconds), and the build folder's size at the end.
started=$SECONDS
last=$SECONDS
took() { echo "   ($(( SECONDS - last )) s)"; last=$SECONDS; }

echo "== cargo fmt --check"
cargo fmt --all -- --check
took

echo "== cargo clippy --all-targets -- -D warnings"
cargo clippy --all-targets --locked -- -D warnings
took

echo "== cargo test"
cargo test --all-targets --locked
took

echo "== doc tests"
cargo test --doc --locked
took

echo "== cargo doc (broken or private intra-doc links fail)"
# The library and the examples: documenting an example takes the dev-dependencies, so the
# dependencies' features are those the lints above checked them with, and rustdoc reuses that
# check (the library alone re-checked some 30 of them with other features: 20 s, now 12 s).
RUSTDOCFLAGS="-D warnings" cargo doc --no-deps --locked --quiet --lib --examples
took

echo "== the library alone, linted (cargo clippy --no-default-features --lib: no clap, indicatif, anyhow, mimalloc, anstream, no web server)"
cargo clippy --no-default-features --lib --locked --quiet -- -D warnings
took

echo "== examples on data/"
# Built in one cargo call, then each run as a program: `cargo run` for each looked over the
# whole build graph again (20 s for the 13 examples, now about 8).
cargo build --quiet --locked --examples
for ex in examples/*.rs; do
  name=$(basename "$ex" .rs)
  echo "-- example $name"
  "${CARGO_TARGET_DIR:-target}/debug/examples/$name" >/dev/null
done
took
size=$(du -sh "${CARGO_TARGET_DIR:-target}" 2>/dev/null | cut -f1)
echo "== all checks passed in $(( SECONDS - started )) s (build folder ${size:-?})"
