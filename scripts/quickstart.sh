#!/usr/bin/env bash
# One command from a fresh Debian 12 machine: install what is missing, build a
# Release binary, run the embedded default scenario and print its summary.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake --workflow --preset release >/dev/null
exec build/release/talentsim run "$@"
