#!/usr/bin/env bash
# The steps of action.yml, as a GitHub runner runs them:
#   action.sh install   build adrgraph at the action's own ref with `cargo install --locked`
#                       (skipped when the cached build is there) and put it on the PATH;
#   action.sh check     run `adrgraph check` against the pull request's base: annotations on
#                       stdout, the markdown report in the job summary, `errors` as an output,
#                       and one pull-request comment posted or updated when INPUT_TOKEN is set.
# tests/pr.rs runs both with the variables a runner sets (GITHUB_EVENT_PATH, GITHUB_STEP_SUMMARY,
# GITHUB_OUTPUT, GITHUB_PATH, GITHUB_API_URL, GITHUB_REPOSITORY).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
home="${ADRGRAPH_ACTION_HOME:-$HOME/.adrgraph-action}"

case "${1:-}" in
install)
  if [ -x "$home/bin/adrgraph" ]; then
    echo "adrgraph from the cache: $("$home/bin/adrgraph" --version)"
  else
    cargo install --locked --path "$here" --root "$home" --bin adrgraph
  fi
  echo "$home/bin" >> "$GITHUB_PATH"
  ;;
check)
  bin="${ADRGRAPH:-adrgraph}"
  base="${INPUT_BASE:-}"
  if [ -z "$base" ] && [ -n "${GITHUB_EVENT_PATH:-}" ] && [ -f "$GITHUB_EVENT_PATH" ]; then
    base="$(python3 -c 'import json,sys
e = json.load(open(sys.argv[1]))
print((e.get("pull_request") or {}).get("base", {}).get("sha") or e.get("before") or "")' "$GITHUB_EVENT_PATH")"
  fi
  if [ -z "$base" ]; then
    echo "::error title=adrgraph check::no base revision: run on pull_request (or push), or give the action a base"
    exit 2
  fi
  # The extra arguments, split as a shell would (quotes kept together), never evaluated.
  extra=()
  if [ -n "${INPUT_ARGS:-}" ]; then
    while IFS= read -r -d '' a; do extra+=("$a"); done < <(python3 -c 'import shlex,sys
sys.stdout.write("".join(a + "\0" for a in shlex.split(sys.argv[1])))' "$INPUT_ARGS")
  fi
  report="$(mktemp)"
  trap 'rm -f "$report"' EXIT
  status=0
  "$bin" check --diff "$base" --format github "${extra[@]}" || status=$?
  if [ "$status" -ge 2 ]; then
    exit "$status"
  fi
  "$bin" -q check --diff "$base" --format markdown "${extra[@]}" > "$report" || true
  json="$("$bin" -q check --diff "$base" --json "${extra[@]}")" || true
  errors="$(printf '%s' "$json" | python3 -c 'import json,sys; print(json.load(sys.stdin)["errors"])')"
  if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
    cat "$report" >> "$GITHUB_STEP_SUMMARY"
  fi
  if [ -n "${GITHUB_OUTPUT:-}" ]; then
    echo "errors=$errors" >> "$GITHUB_OUTPUT"
  fi
  if [ -n "${INPUT_TOKEN:-}" ]; then
    python3 "$here/scripts/action_comment.py" "$report"
  fi
  exit "$status"
  ;;
*)
  echo "usage: action.sh install|check" >&2
  exit 2
  ;;
esac
