#!/usr/bin/env bash
# One command from a fresh Debian 12 machine: install what is missing, build a
# Release binary, run the embedded default scenario and print its summary.
#
# stdout carries only the run's results. Installation and build progress go to
# stderr in one line each; the build's own output is kept in a log and printed (to
# stderr) only when the build fails.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh >&2
echo "talentsim: building (Release) ..." >&2
mkdir -p build
build_log=build/quickstart-build.log
if ! cmake --workflow --preset release >"$build_log" 2>&1; then
  cat "$build_log" >&2
  echo "talentsim: the build failed; its output is above (and in $build_log)" >&2
  exit 1
fi
# A second quickstart replaces its own earlier run of the same scenario (see "Outputs" in
# README.md), unless the arguments choose the folder.
case " $* " in
  *" --out"* | *" --force "*) ;;
  *) set -- "$@" --force ;;
esac
exec build/release/talentsim run "$@"
