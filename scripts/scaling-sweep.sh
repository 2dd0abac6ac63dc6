#!/usr/bin/env bash
# Strong scaling of the engine on a many-core machine: `talentsim bench --threads-sweep`
# at 1M and 10M researchers, plus the phase micro benchmarks at 1M.
# Usage: scripts/scaling-sweep.sh BIN_DIR OUT_DIR
#   BIN_DIR holds talentsim, talentsim_phases_bench and the shared libraries they need
#   (copied from a Release build: see README, "Performance").
set -uo pipefail
bin=$1 out=$2
export LD_LIBRARY_PATH=$bin${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
nproc > "$out/nproc.txt"
lscpu > "$out/lscpu.txt" 2>&1 || true
"$bin/talentsim" --version
"$bin/talentsim" bench --researchers 1000000 --threads-sweep --json > "$out/sweep_1m.json"
"$bin/talentsim" bench --researchers 10000000 --threads-sweep --json > "$out/sweep_10m.json"
"$bin/talentsim_phases_bench" --benchmark_filter='(Tick|Wellbeing|Decisions|Moves|Metrics)/researchers:1000000/' \
  --benchmark_min_time=0.2 --benchmark_format=json > "$out/phases_1m.json" 2> "$out/phases_1m.err"
python3 - "$out" <<'PY'
import json, sys
out = sys.argv[1]
for name in ("sweep_1m", "sweep_10m"):
    j = json.load(open(f"{out}/{name}.json"))
    print(f"{name}: {j['researchers']:,} researchers, peak {j['peak_bytes_per_researcher']:.1f} B/researcher, hashes identical: {j['state_hash_identical']}")
    phases = list(j["runs"][0]["phase_ns_per_agent_tick"])
    print("  threads  agent-ticks/s  speedup  efficiency  roofline  serial  fork/join  busy  ns/agent-tick: " + " ".join(p[:5] for p in phases))
    for r in j["runs"]:
        per = " ".join(f"{r['phase_ns_per_agent_tick'][p]:5.2f}" for p in phases)
        tick = r["seconds"] / j["ticks"]
        joins = r["passes_per_tick"] * r["empty_pass_seconds"] / tick
        print(f"  {r['threads']:7d}  {r['agent_ticks_per_second']:13.3e}  {r['speedup']:7.2f}  {r['parallel_efficiency']:10.2f}  {r['roofline_ratio']:8.2f}  {100 * r['serial_share']:5.1f}%  {100 * joins:8.1f}%  {100 * r['pass_utilisation']:4.0f}%  {per}")
    print(f"  Amdahl's bound from the 1-thread serial share: {j['amdahl_efficiency_bound']}")
b = json.load(open(f"{out}/phases_1m.json"))
for x in b["benchmarks"]:
    print(f"  {x['name']:55s} {x['real_time']:8.2f} ms")
PY
