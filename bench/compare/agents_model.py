#!/usr/bin/env python3
"""talentsim's weekly tick written the way a Mesa model is written: one Agent
object per researcher with a step() method, a Model that holds the agents and the
firms, a scheduler that activates every agent once per tick in a fresh random
order (Mesa's RandomActivation), and a DataCollector of model-level metrics.

Mesa itself cannot be installed here (it is not packaged in Debian 12 and there is
no PyPI access), so the few pieces of Mesa 2.x that a model like this uses --
Agent(unique_id, model), Model (with a seeded `self.random`), RandomActivation
(add / step: shuffle the agents, call each one's step(), advance steps and time)
and DataCollector(model_reporters=...).collect(model) -- are reproduced below
with the same names and behaviour. Swapping them for `import mesa` should need
no change to the model code.

The market is `talentsim bench`'s (sim/perf/perf.cpp `synthetic_market`, 12
firms) with params.hpp defaults; the phases are docs/MODEL.md's "One tick, in
order".
bench/compare/README.md lists where this differs from the C++ engine (the main
one: agents act one after another, Mesa-style, so a move is visible at once to
the agents activated after it).

    python3 agents_model.py --researchers 20000 --ticks 10 --seed 1 [--json]
"""
import bisect
import math
import random
import sys

import common

DT = 1.0 / 52.0
NONE, TOP, PUBLISHED = 0, 1, 2


# ---------------------------------------------------------------------------
# The Mesa 2.x API this model uses (Agent, Model, RandomActivation, DataCollector)
# ---------------------------------------------------------------------------

class Agent:
    """mesa.Agent: a unique id and the model it belongs to."""

    def __init__(self, unique_id, model):
        self.unique_id = unique_id
        self.model = model

    def step(self):
        pass


class Model:
    """mesa.Model: a seeded random generator, `running`, and a schedule."""

    def __init__(self, seed=None):
        self._seed = seed
        self.random = random.Random(seed)
        self.running = True
        self.schedule = None


class RandomActivation:
    """mesa.time.RandomActivation: each step activates every agent once, in an
    order shuffled afresh with the model's random generator."""

    def __init__(self, model):
        self.model = model
        self.steps = 0
        self.time = 0
        self._agents = {}

    def add(self, agent):
        self._agents[agent.unique_id] = agent

    def remove(self, agent):
        del self._agents[agent.unique_id]

    @property
    def agents(self):
        return list(self._agents.values())

    def get_agent_count(self):
        return len(self._agents)

    def agent_buffer(self, shuffled=False):
        keys = list(self._agents.keys())
        if shuffled:
            self.model.random.shuffle(keys)
        for key in keys:
            if key in self._agents:
                yield self._agents[key]

    def step(self):
        for agent in self.agent_buffer(shuffled=True):
            agent.step()
        self.steps += 1
        self.time += 1


class DataCollector:
    """mesa.DataCollector with model reporters only."""

    def __init__(self, model_reporters=None):
        self.model_reporters = dict(model_reporters or {})
        self.model_vars = {name: [] for name in self.model_reporters}

    def collect(self, model):
        for name, reporter in self.model_reporters.items():
            self.model_vars[name].append(reporter(model))


# ---------------------------------------------------------------------------
# Parameters: params.hpp defaults and perf.cpp synthetic_market
# ---------------------------------------------------------------------------

P = dict(
    between_jobs_share=0.03, skill_sigma=0.6, top_share=0.05, published_share=0.10, team_size=8,
    money_median=1.0, money_sigma=0.2, appeal_mean=0.5, appeal_sd=0.2, drive_mean=-1.0, drive_sd=0.5,
    noise=0.15, burnout_weight=1.0, faith_weight=1.0, switching_cost=0.5,
    burnout_fill=1.5, burnout_recovery=1.0, faith_drift=1.0, contagion=0.6, fresh_start_relief=0.5,
    separation_rate=0.03, offer_rate_employed=1.0, offer_rate_between_jobs=5.0, between_jobs_income=0.0,
    founding_rate=0.05, funding_climate=0.0, sector_share=0.05, startup_theta=1.0, team_offer_rate=3.0,
    team_recruit_weeks=26, pay_fraction=0.7, equity_value=0.4, founder_pay_fraction=0.4,
    appeal_base=0.5, appeal_per_log_skill=0.2, startup_prestige=0.0, startup_workload=0.8,
    startup_faith=0.8, failure_rate=0.2, small_size=5.0, teams_per_startup=4,
    consider_rate=0.05, independent_income=150000.0, independent_value=0.0, independent_workload=0.1,
)


class Team:
    __slots__ = ("size", "left_tick", "left_count", "size_before", "prev_tick", "prev_count",
                 "prev_size_before", "recruiter", "recruiter_serial", "recruit_until")

    def __init__(self):
        self.size = 0
        self.left_tick = self.prev_tick = -10
        self.left_count = self.prev_count = 0
        self.size_before = self.prev_size_before = 0
        self.recruiter = None
        self.recruiter_serial = 0
        self.recruit_until = -1

    def note_departure(self, t):
        if self.left_tick != t:
            # Keep last week's record: agents activated later this week still read it.
            self.prev_tick, self.prev_count, self.prev_size_before = \
                self.left_tick, self.left_count, self.size_before
            self.left_tick, self.left_count, self.size_before = t, 0, self.size
        self.left_count += 1

    def left_share(self, week):
        if self.left_tick == week and self.size_before > 0:
            return self.left_count / self.size_before
        if self.prev_tick == week and self.prev_size_before > 0:
            return self.prev_count / self.prev_size_before
        return 0.0


class Firm:
    """A named firm or a startup slot (startups reuse slots, told apart by serial)."""

    def __init__(self, index, name, startup=False):
        self.index = index
        self.name = name
        self.is_startup = startup
        self.alive = not startup
        self.serial = 0
        self.founded_tick = -1
        self.founder = None
        self.headcount = 0
        self.initial_headcount = 0
        self.cap = math.inf
        self.teams = []
        self.members = set()           # startups only: who works there
        self.reactive = False
        self.ring = [0] * 8            # covered voluntary departures, trailing 8 weeks
        self.cooldown_until = -1
        self.hires = self.departures = self.counters = self.counters_won = 0

    def policy_pay(self, skill):
        return self.pay_base * skill ** self.elasticity


class Researcher(Agent):
    """One researcher: employer, salary, skill, burnout, faith, team, tastes, history."""

    def __init__(self, unique_id, model, firm, skill, rnd):
        super().__init__(unique_id, model)
        self.employer = firm
        self.initial_employer = firm
        self.skill = skill
        self.log_skill = math.log(skill)
        self.money = P["money_median"] * math.exp(P["money_sigma"] * rnd.gauss(0.0, 1.0))
        self.appeal = max(0.0, P["appeal_mean"] + P["appeal_sd"] * rnd.gauss(0.0, 1.0))
        self.drive = P["drive_mean"] + P["drive_sd"] * rnd.gauss(0.0, 1.0)
        self.top = self.published = self.independent = False
        self.team = None
        self.salary = 0.0
        self.burnout = 0.0
        self.faith = 0.5
        self.moves = 0
        self.hired_tick = 0
        self.pending = None            # (firm, serial, salary, due) of an accepted offer
        self.team_offer_from = None
        self.powers = [skill ** th for th in model.theta]
        self.r_offer = self.r_total = self.p_fire = 0.0

    # ----- rates ------------------------------------------------------------
    def targeted(self):
        c = self.model.campaign
        return c is not None and c["active"] and self.employer is self.model.firms[c["target"]] \
            and self.skill >= c["cut"]

    def update_rates(self):
        m = self.model
        e = self.employer
        if e is None:
            rate = P["offer_rate_between_jobs"]
        else:
            row = m.W[min(e.index, m.J)]
            rate = sum(w * p for w, p in zip(row, self.powers))
            if self.targeted():
                c = m.campaign
                rate += row[c["firm"]] * self.powers[c["firm"]] * (c["multiplier"] - 1.0)
            rate *= P["offer_rate_employed"]
        total = rate + P["founding_rate"] + (0.0 if self.independent else P["consider_rate"]) \
            + (P["separation_rate"] if e is not None else 0.0)
        self.r_offer, self.r_total = rate, total
        self.p_fire = -math.expm1(-total * DT)

    # ----- the agent's week ---------------------------------------------------
    def step(self):
        m = self.model
        t = m.tick
        rnd = m.random
        e = self.employer
        # Phase 1: wellbeing.
        w = e.workload if e is not None else (P["independent_workload"] if self.independent else 0.0)
        b = self.burnout
        b += m.kappa_dt * w * (1.0 - b) - m.rho_dt * b
        self.burnout = 0.0 if b < 0.0 else (1.0 if b > 1.0 else b)
        team_offer = None
        if e is not None:
            f = self.faith + m.drift_dt * (e.faith_baseline - self.faith)
            team = self.team
            f -= P["contagion"] * team.left_share(t - 1)
            self.faith = 0.0 if f < 0.0 else (1.0 if f > 1.0 else f)
            r = team.recruiter
            if r is not None and r is not e and t <= team.recruit_until and r.alive \
                    and r.serial == team.recruiter_serial and rnd.random() < m.p_team_offer:
                team_offer = r
        # Phase 3: this week's events (offers, ideas, separation): Poisson at the summed rate.
        fired = rnd.random() < self.p_fire
        if not fired and team_offer is None:
            if self.pending is not None and self.pending[3] == t:
                self.start_pending_if_due()     # phase 7: an accepted offer starts
                if self.owes_separation:
                    self.separate_if_employed()
            return
        n_offers = 0
        found_idea = indep_idea = separation = False
        if fired:
            for _ in range(m.zero_truncated_poisson(self.r_total * DT)):
                x = rnd.random() * self.r_total
                if x < self.r_offer:
                    n_offers += 1
                elif x < self.r_offer + P["founding_rate"]:
                    found_idea = True
                elif not self.independent and x < self.r_offer + P["founding_rate"] + P["consider_rate"]:
                    indep_idea = True
                else:
                    separation = True
        self.decide(n_offers, team_offer, found_idea, indep_idea)
        if self.pending is not None and self.pending[3] == t:
            self.start_pending_if_due()         # phase 7: an accepted offer starts
        if separation or self.owes_separation:
            self.separate_if_employed()

    owes_separation = False

    def separate_if_employed(self):
        """Phase 9: exogenous job loss (the founder of a startup is not laid off by it)."""
        self.owes_separation = False
        e = self.employer
        if e is not None and not (e.is_startup and e.founder is self):
            self.model.move(self, None, P["between_jobs_income"], independent=False, voluntary=False)

    def job_value(self, firm, wage, boost):
        equity = P["equity_value"] if firm.is_startup else 0.0
        return self.money * math.log(max(wage * (1.0 + equity), 1.0)) + self.appeal * (firm.appeal + boost) \
            + firm.prestige

    def decide(self, n_offers, team_offer, found_idea, indep_idea):
        """Phases 3b-7 for this researcher: options, logit choice, counter-offer, move."""
        m = self.model
        t = m.tick
        rnd = m.random
        e = self.employer
        employed = e is not None
        alpha = self.money
        s = self.salary
        leave = P["switching_cost"] if (employed or self.independent) else 0.0
        # options: [kind, firm, serial, wage, value]
        if employed:
            stay_v = self.job_value(e, s, 0.0) - P["burnout_weight"] * self.burnout + P["faith_weight"] * self.faith
        elif self.independent:
            stay_v = alpha * math.log(P["independent_income"]) + P["independent_value"]
        else:
            stay_v = alpha * math.log(max(P["between_jobs_income"], 1.0))
        opts = [["stay", e, 0, s, stay_v]]
        pend = self.pending
        if pend is not None:
            pf, pser, psal, pdue = pend
            if pf.alive and pf.serial == pser:
                opts.append(["pending", pf, pser, psal, self.job_value(pf, psal, 0.0) - leave])
        kept = len(opts)
        camp = m.campaign
        targeted = employed and self.targeted()
        if n_offers:
            # Recruiter weights: by recruiting share and skill targeting, never the employer.
            if employed:
                row = m.W[min(e.index, m.J)]
                weights = [w * p for w, p in zip(row, self.powers)]
                if targeted:
                    weights[camp["firm"]] *= camp["multiplier"]
            else:
                weights = m.share
            total = sum(weights)
            for _ in range(n_offers):
                x = rnd.random() * total
                j = 0
                while j < m.J and x >= weights[j]:
                    x -= weights[j]
                    j += 1
                if j == m.J:
                    # The startup sector: a live startup other than the researcher's own.
                    others = [f for f in m.alive_startups if f is not e]
                    if not others:
                        continue
                    firm = others[min(int(rnd.random() * len(others)), len(others) - 1)]
                else:
                    firm = m.firms[j]
                pol = firm.policy_pay(self.skill)
                wage = pol * math.exp(firm.dispersion * rnd.gauss(0.0, 1.0))
                if employed and not firm.is_startup:
                    wage = max(wage, s * (1.0 + firm.premium))
                wage = min(wage, firm.ceiling * pol)
                boost = camp["boost"] if targeted and firm.index == camp["firm"] else 0.0
                opts.append(["offer", firm, firm.serial, min(wage, 1e9), self.job_value(firm, wage, boost) - leave])
        if team_offer is not None:
            f = team_offer
            pol = f.policy_pay(self.skill)
            wage = min(pol * math.exp(f.dispersion * rnd.gauss(0.0, 1.0)), f.ceiling * pol)
            opts.append(["offer", f, f.serial, wage, self.job_value(f, wage, 0.0) - leave])
        if found_idea and m.free_slots:
            wage = P["founder_pay_fraction"] * m.market_base * math.sqrt(self.skill)
            opts.append(["found", None, 0, wage, alpha * math.log(wage * (1.0 + P["equity_value"]))
                         + self.drive + P["funding_climate"] - leave])
        if indep_idea and not self.independent:
            opts.append(["independent", None, 0, P["independent_income"],
                         alpha * math.log(P["independent_income"]) + P["independent_value"] - leave])
        if len(opts) == kept:
            return
        # Phase 4: logit choice -- Gumbel taste shocks with scale tau, the best option wins.
        tau = P["noise"]
        best, best_v = 0, -math.inf
        for k, o in enumerate(opts):
            o[4] += tau * -math.log(-math.log(rnd.random() or 1e-300))
            if o[4] > best_v:
                best, best_v = k, o[4]
        chosen = opts[best]
        # Phase 5: counter-offer (Postel-Vinay & Robin): the employer bids up to its ceiling.
        if chosen[0] == "offer" and employed and not e.is_startup and alpha > 0.0:
            rival = chosen[1]
            who = e.counter_who
            covered = (who == TOP and self.top) or (who == PUBLISHED and self.published)
            if not rival.interview_free and covered and rnd.random() < e.counter_p:
                e.counters += 1
                s_now = max(s, 1.0)
                cap_e = max(s_now, min(s_now * (1.0 + e.max_raise), e.ceiling * e.policy_pay(self.skill)))
                w = chosen[3]
                cap_j = max(w, rival.ceiling * rival.policy_pay(self.skill))
                base_stay = opts[0][4] - alpha * math.log(s_now)
                base_rival = chosen[4] - alpha * math.log(max(w, 1.0))
                best_e = base_stay + alpha * math.log(cap_e)
                best_j = base_rival + alpha * math.log(cap_j)
                alt = None
                for k in range(1, len(opts)):
                    if k != best and (alt is None or opts[k][4] > opts[alt][4]):
                        alt = k
                v_alt = opts[alt][4] if alt is not None else -math.inf
                if max(best_e, best_j) < v_alt:
                    chosen = opts[alt]
                elif best_e >= best_j:
                    need = (max(best_j, v_alt) - base_stay) / alpha
                    self.set_salary(max(math.exp(min(need, math.log(cap_e))), s))
                    e.counters_won += 1
                    chosen = opts[0]
                else:
                    need = (max(best_e, v_alt) - base_rival) / alpha
                    chosen[3] = math.exp(min(max(need, math.log(w)), math.log(cap_j)))
        kind = chosen[0]
        if kind == "pending":
            return
        self.pending = None
        if kind == "stay":
            return
        if kind == "offer":
            firm = chosen[1]
            if not firm.interview_free and firm.lag > 0:
                self.pending = (firm, chosen[2], chosen[3], t + firm.lag)
            elif firm.alive and firm.serial == chosen[2] and firm.has_room():
                m.move(self, firm, chosen[3], independent=False, voluntary=True)
        elif kind == "found":
            m.found_startup(self)
        else:
            m.move(self, None, chosen[3], independent=True, voluntary=True)

    def start_pending_if_due(self):
        pf, pser, psal, pdue = self.pending
        if pdue != self.model.tick:
            return
        self.pending = None
        if pf.alive and pf.serial == pser and pf.has_room():
            self.model.move(self, pf, psal, independent=False, voluntary=True)

    def set_salary(self, salary):
        self.salary = min(max(salary, 0.0), 1e9)


def _has_room(firm):
    return firm.headcount < firm.cap


Firm.has_room = _has_room


class TalentMarket(Model):
    """The market: researchers (scheduled agents), firms and startup slots."""

    def __init__(self, n, ticks, seed):
        super().__init__(seed)
        rnd = self.random
        self.n = n
        self.tick = 0
        self.kappa_dt = P["burnout_fill"] * DT
        self.rho_dt = P["burnout_recovery"] * DT
        self.drift_dt = P["faith_drift"] * DT
        self.p_team_offer = -math.expm1(-P["team_offer_rate"] * DT)
        self.schedule = RandomActivation(self)

        # Firms: perf.cpp synthetic_market with 12 firms.
        J = self.J = 12
        tot = sum(1.0 / (j + 1) for j in range(J))
        sector = P["sector_share"]
        hs = [(1.0 / (j + 1)) / tot for j in range(J)]
        rs = [h * (1.0 - sector) for h in hs]
        hs[0] += 1.0 - sum(hs)
        rs[0] += 1.0 - sector - sum(rs)
        self.firms = []
        for j in range(J):
            f = Firm(j, f"firm_{j + 1}")
            f.headcount_share, f.skill_shift = hs[j], 0.05 * (j % 5)
            f.median, f.elasticity, f.dispersion, f.ceiling = 200000.0 + 50000.0 * (j % 12), 0.5, 0.2, 2.0
            f.workload, f.faith_baseline = 0.4 + 0.05 * (j % 10), 0.5 + 0.03 * (j % 10)
            f.appeal, f.prestige = 0.3 + 0.05 * (j % 10), 0.02 * (j % 10)
            f.theta, f.premium = 0.5 + 0.25 * (j % 4), 0.1
            f.interview_free, f.lag = j % 4 == 1, 2 + j % 6
            f.cap_multiple = 1.05 if j % 5 == 2 else None
            f.counter_who, f.counter_p, f.max_raise = (TOP if j % 3 == 0 else PUBLISHED), 0.5, 0.25
            f.reactive = j % 6 == 4
            self.firms.append(f)
        self.S = max(16, n // 500)
        for k in range(self.S):
            self.firms.append(Firm(J + k, "startup", startup=True))
        self.free_slots = [self.firms[i] for i in range(J + self.S - 1, J - 1, -1)]
        self.alive_startups = []
        self.startup_serial = 0
        share = rs + [sector]
        theta = [f.theta for f in self.firms[:J]] + [P["startup_theta"]]
        self.share, self.theta = share, theta
        self.campaign = None
        if ticks >= 4:
            self.campaign = dict(week=4, firm=1, target=0, top_share=0.1, multiplier=5.0, boost=0.2,
                                 weeks=min(12, ticks - 3), active=False, cut=math.inf)

        # Researchers: blocks per firm (largest remainder), then between jobs.
        employed = int(round(n * (1.0 - P["between_jobs_share"])))
        exact = [employed * h for h in hs]
        count = [int(math.floor(x)) for x in exact]
        order = sorted(range(J), key=lambda j: -(exact[j] - count[j]))
        for j in order[: employed - sum(count)]:
            count[j] += 1
        # Offer-rate tables (skill targeting normalised by E[q^theta] over the population).
        sig2 = P["skill_sigma"] ** 2
        norm = []
        for r in range(J + 1):
            z = sum(count[g] / n * math.exp(theta[r] * self.firms[g].skill_shift + 0.5 * theta[r] ** 2 * sig2)
                    for g in range(J))
            z += (1.0 - employed / n) * math.exp(0.5 * theta[r] ** 2 * sig2)
            norm.append(1.0 / z)
        self.W = []
        for e in range(J + 1):
            renorm = 1.0 if e == J else 1.0 / (1.0 - share[e])
            self.W.append([0.0 if (e != J and r == e) else share[r] * renorm * norm[r] for r in range(J + 1)])

        agents = []
        uid = 0
        for j in range(J + 1):
            firm = self.firms[j] if j < J else None
            for _ in range(count[j] if j < J else n - employed):
                shift = firm.skill_shift if firm else 0.0
                a = Researcher(uid, self, firm, math.exp(shift + P["skill_sigma"] * rnd.gauss(0.0, 1.0)), rnd)
                agents.append(a)
                uid += 1
        ranked = sorted(agents, key=lambda a: -a.skill)
        for a in ranked[: max(1, math.ceil(P["top_share"] * n))]:
            a.top = True
        for a in ranked[: max(1, math.ceil(P["published_share"] * n))]:
            a.published = True
        # Pay: q^beta e^(sigma z), scaled so each firm's median is its target.
        raw = {}
        for a in agents:
            if a.employer is not None:
                f = a.employer
                raw[a] = a.skill ** f.elasticity * math.exp(f.dispersion * rnd.gauss(0.0, 1.0))
        for j, f in enumerate(self.firms[:J]):
            vals = sorted(raw[a] for a in agents if a.employer is f)
            k = len(vals)
            med = 0.5 * (vals[(k - 1) // 2] + vals[k // 2])
            f.pay_base = f.median / med
            f.initial_headcount = f.headcount = count[j]
            if f.cap_multiple:
                f.cap = math.floor(f.cap_multiple * count[j])
            f.teams = [Team() for _ in range(max(1, -(-count[j] // P["team_size"])))]
        self.market_base = math.exp(sum(hs[j] * math.log(self.firms[j].pay_base) for j in range(J)))
        for f in self.firms[J:]:
            f.pay_base, f.elasticity, f.dispersion, f.ceiling = self.market_base * P["pay_fraction"], 0.5, 0.2, 2.0
            f.workload, f.faith_baseline, f.prestige = P["startup_workload"], P["startup_faith"], P["startup_prestige"]
            f.interview_free, f.lag, f.counter_who, f.premium = True, 0, NONE, 0.0
            f.teams = [Team() for _ in range(P["teams_per_startup"])]
        row_in_firm = {}
        for a in agents:
            f = a.employer
            if f is not None:
                k = row_in_firm.get(f, 0)
                row_in_firm[f] = k + 1
                a.team = f.teams[k // P["team_size"]]
                a.team.size += 1
                a.salary = raw[a] * f.pay_base
                fill = P["burnout_fill"] * f.workload
                a.burnout = fill / (fill + P["burnout_recovery"])
                a.faith = f.faith_baseline
            else:
                a.salary = P["between_jobs_income"]
            a.update_rates()
            self.schedule.add(a)

        self.datacollector = DataCollector(model_reporters={"firms": TalentMarket.firm_metrics,
                                                            "market": TalentMarket.market_metrics})

    # ----- helpers ----------------------------------------------------------
    def zero_truncated_poisson(self, mean):
        p = math.exp(-mean)
        u = p + self.random.random() * (1.0 - p)
        k, pk, cdf = 1, p * mean, p + p * mean
        while cdf < u and k < 48:
            k += 1
            pk *= mean / k
            cdf += pk
        return k

    def move(self, a, firm, salary, independent, voluntary):
        """Phase 7: employer, salary, team, burnout relief, faith reset, and the books."""
        t = self.tick
        old = a.employer
        if voluntary:
            a.burnout *= 1.0 - P["fresh_start_relief"]
            a.moves += 1
        if old is not None:
            old.headcount -= 1
            old.departures += 1
            if voluntary:
                a.team.note_departure(t)
                if old.reactive and a.top:
                    old.ring[t % 8] += 1
            a.team.size -= 1
            if old.is_startup:
                old.members.discard(a)
        if firm is not None:
            team = firm.teams[min(int(self.random.random() * len(firm.teams)), len(firm.teams) - 1)]
            team.size += 1
            a.team = team
            a.faith = firm.faith_baseline
            firm.headcount += 1
            firm.hires += 1
            if firm.is_startup:
                firm.members.add(a)
            if old is None and self.random.random() < -math.expm1(-P["separation_rate"] * DT):
                a.owes_separation = True      # hired from outside employment: this week's draw
        else:
            a.team = None
        a.employer = firm
        a.independent = independent
        a.set_salary(salary)
        a.hired_tick = t
        a.update_rates()

    def found_startup(self, a):
        """Phase 8: a founder takes a startup slot; the former team is its recruiting ground."""
        if not self.free_slots:
            return
        s = self.free_slots.pop()
        self.startup_serial += 1
        s.alive, s.serial, s.founded_tick, s.founder = True, self.startup_serial, self.tick, a
        s.headcount = 0
        s.members = set()
        s.appeal = min(1.0, max(0.0, P["appeal_base"] + P["appeal_per_log_skill"] * a.log_skill))
        s.teams = [Team() for _ in range(P["teams_per_startup"])]
        bisect.insort(self.alive_startups, s, key=lambda f: f.index)
        if a.team is not None:
            a.team.recruiter, a.team.recruiter_serial = s, s.serial
            a.team.recruit_until = self.tick + P["team_recruit_weeks"]
        self.founded += 1
        self.move(a, s, P["founder_pay_fraction"] * self.market_base * math.sqrt(a.skill),
                  independent=False, voluntary=True)

    def fail_startups(self):
        for s in list(self.alive_startups):
            if s.founded_tick == self.tick:
                continue
            if s.headcount > 0:
                hazard = P["failure_rate"] * (1.0 + P["small_size"] / s.headcount)
                if self.random.random() >= -math.expm1(-hazard * DT):
                    continue
            for a in list(s.members):
                self.move(a, None, P["between_jobs_income"], independent=False, voluntary=False)
            s.alive = False
            self.alive_startups.remove(s)
            self.free_slots.append(s)
            self.failed += 1

    def events(self):
        """Phase 2: the recruiting campaign starts and ends."""
        c = self.campaign
        if c is None:
            return
        target = self.firms[c["target"]]
        if self.tick == c["week"]:
            staff = sorted((a for a in self.schedule.agents if a.employer is target), key=lambda a: -a.skill)
            k = min(len(staff), math.ceil(c["top_share"] * len(staff)))
            if k:
                c["cut"], c["active"] = staff[k - 1].skill, True
                for a in staff[:k]:
                    a.update_rates()
        elif c["active"] and self.tick > c["week"] + c["weeks"] - 1:
            c["active"] = False
            for a in self.schedule.agents:
                if a.employer is target and a.skill >= c["cut"]:
                    a.update_rates()

    def reactions(self):
        """Phase 10: reactive raises for top talent after three covered departures in 8 weeks."""
        t = self.tick
        for f in self.firms[: self.J]:
            if f.reactive and t > f.cooldown_until and sum(f.ring) >= 3:
                for a in self.schedule.agents:
                    if a.employer is f and a.top:
                        a.set_salary(a.salary * 1.10)
                f.cooldown_until = t + 26
                f.ring = [0] * 8
            f.ring[(t + 1) % 8] = 0

    # ----- metrics (DataCollector model reporters) -----------------------------
    @staticmethod
    def firm_metrics(model):
        J = model.J
        G = J + 1
        head = [0] * G
        top = [0] * G
        pub = [0] * G
        pay = [0.0] * G
        burn = [0.0] * G
        faith = [0.0] * G
        salaries = [[] for _ in range(G)]
        for a in model.schedule.agents:
            f = a.employer
            if f is None:
                continue
            g = f.index if f.index < J else J
            head[g] += 1
            top[g] += a.top
            pub[g] += a.published
            pay[g] += a.salary
            burn[g] += a.burnout
            faith[g] += a.faith
            salaries[g].append(a.salary)
        hires = [0] * G
        deps = [0] * G
        for f in model.firms:
            g = min(f.index, J)
            hires[g] += f.hires
            deps[g] += f.departures
        out = []
        for g in range(G):
            h = max(head[g], 1)
            sal = sorted(salaries[g])
            k = len(sal)
            med = 0.5 * (sal[(k - 1) // 2] + sal[k // 2]) if k else 0.0
            out.append(dict(headcount=head[g], top=top[g], published=pub[g], mean_salary=pay[g] / h,
                            median_salary=med, hires=hires[g], departures=deps[g],
                            mean_burnout=burn[g] / h, mean_faith=faith[g] / h))
        return out

    @staticmethod
    def market_metrics(model):
        tops = {}
        employed = independent = 0
        for a in model.schedule.agents:
            if a.employer is not None:
                employed += 1
                if a.top:
                    tops[a.employer] = tops.get(a.employer, 0) + 1
            independent += a.independent
        tt = sum(tops.values())
        return dict(employed=employed, independent=independent, startups_alive=len(model.alive_startups),
                    founded=model.founded, failed=model.failed,
                    counters=sum(f.counters for f in model.firms),
                    counters_won=sum(f.counters_won for f in model.firms),
                    hhi=sum((c / tt) ** 2 for c in tops.values()) if tt else 0.0)

    # ----- the tick -------------------------------------------------------------
    def step(self):
        self.tick += 1
        for f in self.firms:
            f.hires = f.departures = f.counters = f.counters_won = 0
        self.founded = self.failed = 0
        self.events()
        self.schedule.step()          # phases 1, 3-7 and 9, agent by agent in random order
        self.fail_startups()          # phase 8 (founding happens inside the agents' steps)
        self.reactions()              # phase 10
        self.datacollector.collect(self)   # phase 11


def summary(model, ticks, seconds):
    firms = model.datacollector.model_vars["firms"]
    market = model.datacollector.model_vars["market"]
    last, lastm = firms[-1], market[-1]
    return common.outcomes(
        "agents (Mesa-style)", model.n, ticks,
        seconds=seconds, agent_ticks_per_second=model.n * ticks / seconds,
        departures=sum(g["departures"] for week in firms for g in week),
        mean_employed=sum(w["employed"] for w in market) / len(market),
        employed_end=lastm["employed"],
        startups_alive=lastm["startups_alive"],
        startups_founded=sum(w["founded"] for w in market),
        independent=lastm["independent"],
        firm_1_headcount=last[0]["headcount"],
        firm_1_median_salary=last[0]["median_salary"],
        counteroffers=sum(w["counters"] for w in market),
        top_talent_hhi=lastm["hhi"])


def main(argv=None):
    return common.run(argv, __doc__.split("\n")[0], "agent model", TalentMarket, summary,
                      researchers=20000, ticks=10)


if __name__ == "__main__":
    sys.exit(main())
