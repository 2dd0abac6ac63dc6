#!/usr/bin/env bash
# One command from a fresh Debian 12 machine: install what is missing, build the
# optimised-with-checks configuration and run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake --preset ci >/dev/null
cmake --build --preset ci
ctest --preset ci -j "$(nproc)"
