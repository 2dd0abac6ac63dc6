#!/usr/bin/env bash
# Installs the Debian 12 packages talentsim builds against, if any is missing.
# Runs apt-get as root, or through sudo for an ordinary user. Prints nothing on
# stdout: one line on stderr when it installs, and apt's output (on stderr) only
# when apt fails.
# gnuplot-nox draws the charts of `talentsim report`; libxml2-dev lets its tests check
# the HTML and SVG it writes. libnlopt-cxx-dev gives `talentsim calibrate` its local
# optimiser (BOBYQA).
# With --fuzz it also installs what the `fuzz` preset (the libFuzzer target of tests/fuzz/)
# builds with: clang-14 and libFuzzer. CI does not need them: it replays the fuzz corpus
# with the ordinary compiler.
set -euo pipefail
case "${1:-}" in
  "" | --fuzz) ;;
  *) echo "usage: scripts/install-deps.sh [--fuzz]" >&2; exit 2 ;;
esac
packages=(
  build-essential cmake ninja-build pkg-config
  libeigen3-dev libboost-dev libboost-random-dev libtbb-dev libyaml-cpp-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  librandom123-dev libcli11-dev nlohmann-json3-dev libnlopt-cxx-dev
  clang-format-14 clang-tidy-14
  gnuplot-nox libxml2-dev
)
if [ "${1:-}" = --fuzz ]; then packages+=(clang-14 libfuzzer-14-dev libclang-rt-14-dev); fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "talentsim: installing ${missing[*]}" >&2
if [ "$(id -u)" -eq 0 ]; then sudo=(); else sudo=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! { "${sudo[@]}" apt-get update -qq && \
       "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"; } \
     >"$log" 2>&1; then
  cat "$log" >&2
  echo "talentsim: installing packages failed; apt's output is above" >&2
  exit 1
fi
