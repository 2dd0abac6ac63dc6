#!/usr/bin/env bash
# Same-machine throughput of talentsim against the same model in NumPy and in a
# Mesa-style pure-Python agent model (bench/compare/, see its README.md).
#
#   scripts/compare-frameworks.sh [BIN]      BIN: the talentsim binary (default build/release/talentsim)
#
# Runs talentsim bench at 1,000,000 researchers x 52 ticks with 1 and 2 threads,
# the NumPy model at 1,000,000 x 52 (10 ticks if 52 would take over ~2 minutes),
# and the agent model at 20,000 x 10, then prints one table. Environment:
#   PYTHON      a python3 with NumPy (default: the first of python3, /usr/bin/python3 that has it)
#   SEED        seed for every run (default 1)
#   AGENT_N, AGENT_TICKS, NUMPY_N, NUMPY_TICKS, TALENTSIM_N, TALENTSIM_TICKS   override the sizes
# Nothing is written inside the repository; scratch files go to a temporary folder.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bin=${1:-$root/build/release/talentsim}
[[ -x $bin ]] || { echo "compare-frameworks: no talentsim binary at $bin (build it first)" >&2; exit 1; }

py=${PYTHON:-}
if [[ -z $py ]]; then
  for cand in python3 /usr/bin/python3; do
    if command -v "$cand" >/dev/null 2>&1 && "$cand" -c 'import numpy' 2>/dev/null; then py=$cand; break; fi
  done
fi
[[ -n $py ]] || { echo "compare-frameworks: no python3 with NumPy (apt-get install python3-numpy, or set PYTHON)" >&2; exit 1; }

seed=${SEED:-1}
ts_n=${TALENTSIM_N:-1000000}; ts_ticks=${TALENTSIM_TICKS:-52}
np_n=${NUMPY_N:-1000000};     np_ticks=${NUMPY_TICKS:-52}
ag_n=${AGENT_N:-20000};       ag_ticks=${AGENT_TICKS:-10}
compare="$root/bench/compare"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "machine: $(nproc) cores, $(uname -m); python: $("$py" --version 2>&1), numpy $("$py" -c 'import numpy; print(numpy.__version__)')" >&2
echo "talentsim bench: $ts_n researchers x $ts_ticks ticks, 1 thread ..." >&2
(cd "$tmp" && "$bin" bench --researchers "$ts_n" --ticks "$ts_ticks" --threads 1 --json) > "$tmp/ts1.json"
echo "talentsim bench: $ts_n researchers x $ts_ticks ticks, 2 threads ..." >&2
(cd "$tmp" && "$bin" bench --researchers "$ts_n" --ticks "$ts_ticks" --threads 2 --json) > "$tmp/ts2.json"

echo "numpy model: $np_n researchers x $np_ticks ticks ..." >&2
if ! (cd "$tmp" && timeout 150 "$py" "$compare/numpy_model.py" --researchers "$np_n" --ticks "$np_ticks" \
        --seed "$seed" --json) > "$tmp/numpy.json"; then
  np_ticks=10
  echo "numpy model: over ~2 minutes; again with $np_ticks ticks ..." >&2
  (cd "$tmp" && "$py" "$compare/numpy_model.py" --researchers "$np_n" --ticks "$np_ticks" \
     --seed "$seed" --json) > "$tmp/numpy.json"
fi

echo "agent model (Mesa-style): $ag_n researchers x $ag_ticks ticks ..." >&2
(cd "$tmp" && "$py" "$compare/agents_model.py" --researchers "$ag_n" --ticks "$ag_ticks" \
   --seed "$seed" --json) > "$tmp/agents.json"

"$py" - "$tmp" <<'PY'
import json, os, sys
tmp = sys.argv[1]
def load(name):
    with open(os.path.join(tmp, name)) as f:
        return json.load(f)
rows = []
for name, label in (("ts1.json", "talentsim, 1 thread"), ("ts2.json", "talentsim, 2 threads")):
    d = load(name)
    rows.append((label, d["researchers"], d["ticks"], d["runs"][0]["agent_ticks_per_second"], ""))
for name, label in (("numpy.json", "NumPy (vectorised)"), ("agents.json", "Python agents (Mesa-style)")):
    d = load(name)
    note = f"turnover {d['yearly_turnover_percent']:.1f}%/y, employed {100 * d['share_employed']:.1f}%"
    rows.append((label, d["researchers"], d["ticks"], d["agent_ticks_per_second"], note))
base = rows[0][3]
print(f"{'implementation':<28} {'researchers':>11} {'ticks':>5} {'agent-ticks/s':>14} {'vs talentsim 1T':>16}  outcomes")
for label, n, ticks, rate, note in rows:
    ratio = rate / base
    r = f"{ratio:.2f}x" if ratio >= 0.1 else f"{ratio:.4f}x (1/{1 / ratio:.0f})"
    print(f"{label:<28} {n:>11,} {ticks:>5} {rate:>14.3e} {r:>16}  {note}")
PY
