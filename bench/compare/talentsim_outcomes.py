#!/usr/bin/env python3
"""Run talentsim on bench/compare/synthetic_market.yaml (the `talentsim bench`
market as a scenario file: same state hash as `talentsim bench` at the same size)
into a temporary folder and print the outcome figures the Python models print.

    python3 talentsim_outcomes.py [--bin build/release/talentsim] [--researchers N] [--ticks T] [--seed S]
"""
import argparse
import csv
import json
import os
import subprocess
import tempfile

import common

here = os.path.dirname(os.path.abspath(__file__))
ap = argparse.ArgumentParser()
ap.add_argument("--bin", default=os.path.join(here, "..", "..", "build", "release", "talentsim"))
ap.add_argument("--researchers", type=int, default=100000)
ap.add_argument("--ticks", type=int, default=52)
ap.add_argument("--seed", type=int, default=1)
a = ap.parse_args()
with tempfile.TemporaryDirectory() as out:
    subprocess.run([a.bin, "run", os.path.join(here, "synthetic_market.yaml"), "--out", out, "--quiet",
                    "--threads", "1", "--seed", str(a.seed), "--ticks", str(a.ticks),
                    "--set", f"population.researchers={a.researchers}"], check=True, stdout=subprocess.DEVNULL)
    s = json.load(open(os.path.join(out, "summary.json")))
    employed = [int(r["employed"]) for r in csv.DictReader(open(os.path.join(out, "market.csv")))]
firm1 = s["firms"][0]
print(json.dumps(common.outcomes(
    "talentsim run", s["researchers"], s["ticks"], state_hash=s["state_hash"],
    departures=sum(f["totals"]["departures"] for f in s["firms"]),
    mean_employed=sum(employed) / len(employed),
    employed_end=s["market"]["employed"],
    startups_alive=s["market"]["startups_alive"], startups_founded=s["market"]["startups_founded"],
    independent=s["market"]["independent"],
    firm_1_headcount=firm1["headcount"]["final"], firm_1_median_salary=firm1["median_salary"]["final"],
    counteroffers=sum(f["totals"]["counteroffers"] for f in s["firms"]),
    top_talent_hhi=s["market"]["top_talent_hhi"]), indent=2))
