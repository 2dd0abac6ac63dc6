"""What the comparison models share: the outcome figures every implementation
reports (so they are computed the same way for talentsim, NumPy and the agent
model) and the command-line driver that times the tick loop (so both Python
models are timed the same way: setup excluded, ticks only)."""
import argparse
import json
import time


def outcomes(implementation, researchers, ticks, departures, mean_employed, employed_end,
             startups_alive, startups_founded, independent, firm_1_headcount,
             firm_1_median_salary, counteroffers, top_talent_hhi, **extra):
    """The outcome record. Yearly turnover is all departures from employers over
    the mean number employed, annualised from `ticks` weeks."""
    record = {
        "implementation": implementation,
        "researchers": researchers,
        "ticks": ticks,
        **extra,
        "yearly_turnover_percent": 100.0 * departures / mean_employed * 52.0 / ticks,
        "share_employed": employed_end / researchers,
        "startups_alive": startups_alive,
        "startups_founded": startups_founded,
        "independent": independent,
        "firm_1_headcount": firm_1_headcount,
        "firm_1_median_salary": firm_1_median_salary,
        "counteroffers": counteroffers,
        "top_talent_hhi": top_talent_hhi,
    }
    return record


def run(argv, description, label, make_model, summarize, researchers, ticks):
    """`--researchers N --ticks T --seed S [--json]`: builds the model (not timed),
    times `ticks` calls of model.step(), prints the throughput and the outcomes."""
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--researchers", type=int, default=researchers)
    ap.add_argument("--ticks", type=int, default=ticks)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args(argv)
    model = make_model(a.researchers, a.ticks, a.seed)
    start = time.perf_counter()
    for _ in range(a.ticks):
        model.step()
    seconds = time.perf_counter() - start
    out = summarize(model, a.ticks, seconds)
    if a.json:
        print(json.dumps(out, indent=2))
    else:
        print(f"{label}: {a.researchers:,} researchers, {a.ticks} ticks in {seconds:.2f} s: "
              f"{out['agent_ticks_per_second']:.3g} agent-ticks/s")
        print(f"yearly turnover {out['yearly_turnover_percent']:.1f}%, employed {100 * out['share_employed']:.1f}%, "
              f"startups alive {out['startups_alive']} (founded {out['startups_founded']}), "
              f"firm_1 {out['firm_1_headcount']:,} at median ${out['firm_1_median_salary'] / 1000:.0f}k")
    return 0
