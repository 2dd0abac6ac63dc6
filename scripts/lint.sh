#!/usr/bin/env bash
# The lint gates CI runs (scripts/test.sh calls this after the build):
#   format  clang-format-14 (.clang-format) over the C++ files of sim/ include/ tests/
#           bench/: fails on any difference and names the files.
#   tidy    clang-tidy-14 (.clang-tidy) over the .cpp files of sim/ with the ci
#           preset's compile_commands.json; the headers of include/ and sim/ are
#           checked through HeaderFilterRegex. Fails on any warning.
# Usage: scripts/lint.sh [format|tidy|all]    (default: all)
# Environment: LINT_JOBS (parallel clang-tidy processes, at most nproc; default nproc).
# To fix a format failure: clang-format-14 -i <files>.
set -euo pipefail
cd "$(dirname "$0")/.."

gate=${1:-all}
case "$gate" in
  format | tidy | all) ;;
  *) echo "usage: scripts/lint.sh [format|tidy|all]" >&2; exit 2 ;;
esac

# One version only: another clang-format release formats differently.
clang_format=clang-format-14
clang_tidy=clang-tidy-14
build=build/ci
cores=$(nproc)
jobs=${LINT_JOBS:-$cores}
if ! [[ "$jobs" =~ ^[1-9][0-9]*$ ]] || [ "$jobs" -gt "$cores" ]; then jobs=$cores; fi

started=$SECONDS
failed=0
summary=()
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

need() {
  command -v "$1" >/dev/null || { echo "lint: $1 not found; run scripts/install-deps.sh" >&2; exit 2; }
}

# Sorted, NUL-separated list of the files under the given folders with the given suffixes.
list_files() {
  local -a dirs=() names=()
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do dirs+=("$1"); shift; done
  shift
  for suffix in "$@"; do names+=(-o -name "*.$suffix"); done
  find "${dirs[@]}" -type f \( "${names[@]:1}" \) -print0 | LC_ALL=C sort -z
}

# ---------------------------------------------------------------------------
# (a) format
# ---------------------------------------------------------------------------
if [ "$gate" != tidy ]; then
  need "$clang_format"
  mapfile -d '' format_files < <(list_files sim include tests bench -- cpp hpp h)
  # One process for all files: it reports each violation as FILE:LINE:COL: error: ...
  bad=()
  if ! "$clang_format" --dry-run --Werror "${format_files[@]}" >"$work/format.log" 2>&1; then
    mapfile -t bad < <(sed -n 's/^\(.*\):[0-9]*:[0-9]*: error: .*clang-format-violations.*$/\1/p' \
                         "$work/format.log" | LC_ALL=C sort -u)
    if [ ${#bad[@]} -eq 0 ]; then
      # It failed without naming a file (a bad .clang-format, a crash): say what it said.
      failed=1
      cat "$work/format.log" >&2
      summary+=("format: $clang_format failed")
    fi
  fi
  if [ ${#bad[@]} -gt 0 ]; then
    failed=1
    # The start of each file's diff (60 lines), then the list.
    for f in "${bad[@]}"; do
      "$clang_format" "$f" | diff -u --label "$f" --label "$f (formatted)" "$f" - | head -n 60 >&2 || true
    done
    echo "lint: not formatted as .clang-format says (fix: $clang_format -i FILE...):" >&2
    printf '  %s\n' "${bad[@]}" >&2
    summary+=("format: ${#bad[@]} of ${#format_files[@]} files differ")
  elif [ "$failed" -eq 0 ]; then
    summary+=("format: ok (${#format_files[@]} files)")
  fi
fi

# ---------------------------------------------------------------------------
# (b) tidy
# ---------------------------------------------------------------------------
if [ "$gate" != format ]; then
  need "$clang_tidy"
  # From a clean checkout: configure the ci preset for its compile_commands.json
  # (configuring also writes the generated version.cpp).
  if [ ! -f "$build/compile_commands.json" ]; then
    echo "lint: $build/compile_commands.json is missing: cmake --preset ci" >&2
    cmake --preset ci >/dev/null
  fi
  mapfile -d '' tidy_files < <(list_files sim -- cpp)
  for f in "${tidy_files[@]}"; do
    grep -qF "\"file\": \"$PWD/$f\"" "$build/compile_commands.json" ||
      echo "lint: note: $f is not in $build/compile_commands.json (not built?); clang-tidy guesses its flags" >&2
  done
  out=$work/tidy
  mkdir "$out"
  # Each file's output and exit status go to their own files; the run goes on past
  # failures so that one pass reports everything.
  printf '%s\0' "${tidy_files[@]}" |
    xargs -0 -n 1 -P "$jobs" sh -c '
      tidy=$1 build=$2 out=$3 file=$4
      name=$(printf "%s" "$file" | tr / _)
      "$tidy" -p "$build" --quiet "$file" >"$out/$name.log" 2>&1
      echo $? >"$out/$name.rc"' sh "$clang_tidy" "$build" "$out" || true
  # Header diagnostics repeat once per file that includes the header: keep the first
  # of each (a diagnostic is its "FILE:LINE:COL: warning|error: ..." line and the
  # source excerpt and notes after it). Compiler errors count too.
  cat "$out"/*.log | awk '
    /^([^ ].*:[0-9]+:[0-9]+: )?(warning|error): / { keep = !seen[$0]++; if (keep) n++ }
    /^[0-9]+ (warning|error)s? generated/ { next }
    /^([0-9]+ warnings? treated as errors|Error while processing|Suppressed [0-9]+ warnings|Use -header-filter)/ { next }
    keep { print }
    END { exit n > 0 }' >"$out/unique.txt" || true
  mapfile -t diags < <(grep -E '^([^ ].*:[0-9]+:[0-9]+: )?(warning|error): ' "$out/unique.txt" || true)
  crashed=0
  for rc in "$out"/*.rc; do [ "$(cat "$rc")" = 0 ] || crashed=$((crashed + 1)); done
  if [ ${#diags[@]} -gt 0 ] || [ "$crashed" -gt 0 ]; then
    failed=1
    cat "$out/unique.txt" >&2
    echo "lint: clang-tidy warnings by check:" >&2
    printf '%s\n' "${diags[@]}" | sed -n 's/.*\[\([^],]*\).*\]$/\1/p' | sort | uniq -c | sort -rn >&2
    if [ ${#diags[@]} -eq 0 ]; then
      # A non-zero status with nothing reported: show what clang-tidy said.
      for rc in "$out"/*.rc; do
        [ "$(cat "$rc")" = 0 ] || { echo "--- ${rc%.rc}.log" >&2; cat "${rc%.rc}.log" >&2; }
      done
    fi
    files_hit=$(printf '%s\n' "${diags[@]}" | sed 's/:[0-9]*:[0-9]*: .*//' | sort -u | grep -c . || true)
    summary+=("tidy: ${#diags[@]} warnings in $files_hit files ($crashed of ${#tidy_files[@]} clang-tidy runs exited non-zero)")
  else
    summary+=("tidy: ok (${#tidy_files[@]} files, $jobs jobs)")
  fi
fi

status=ok
[ "$failed" -eq 0 ] || status=FAILED
line=$(printf '%s; ' "${summary[@]}")
echo "lint: $status: $line$((SECONDS - started)) s"
exit "$failed"
