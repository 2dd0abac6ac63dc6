#!/usr/bin/env bash
# One command from a fresh Debian 12 machine: install what is missing, build the
# optimised-with-checks configuration, run the lint gates and the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake --preset ci >/dev/null
cmake --build --preset ci
# Format and clang-tidy gates (.clang-format, .clang-tidy): any diff or warning fails.
scripts/lint.sh
ctest --preset ci -j "$(nproc)"
