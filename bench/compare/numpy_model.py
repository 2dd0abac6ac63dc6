#!/usr/bin/env python3
"""talentsim's weekly tick written with NumPy: one array per researcher attribute,
every phase a vectorised pass (no Python loop over researchers).

It runs the market of `talentsim bench` (sim/perf/perf.cpp `synthetic_market`):
12 firms with headcount shares proportional to 1/(j+1), pay medians, workloads,
faith baselines, founder appeal, prestige, skill targeting, interview-free offers
or a hiring lag, two headcount caps, counter-offers with probability 0.5, two
reactive-raise firms, one recruiting campaign (firm_2 at firm_1's top 10%, week 4),
startups and independent research, with every other parameter at its default in
include/talentsim/model/params.hpp. The phases are docs/MODEL.md's "One tick,
in order"; bench/compare/README.md lists where this differs from the C++ engine.

    python3 numpy_model.py --researchers 1000000 --ticks 52 --seed 1 [--json]

prints the agent-ticks per second of the tick loop (setup excluded) and a few
outcome figures (yearly turnover, share employed) that show the model did its work.
"""
import math
import sys

import numpy as np

import common

DT = 1.0 / 52.0
NONE, TOP, PUBLISHED = 0, 1, 2          # eligibility of counter-offers / reactive raises
# Decision actions.
A_NOTHING, A_STAY, A_MOVE, A_LATER, A_FOUND, A_INDEP = range(6)


# ---------------------------------------------------------------------------
# Parameters: params.hpp defaults and perf.cpp synthetic_market
# ---------------------------------------------------------------------------

class Params:
    between_jobs_share = 0.03
    skill_sigma = 0.6
    top_share = 0.05
    published_share = 0.10
    team_size = 8
    money_median, money_sigma = 1.0, 0.2
    appeal_mean, appeal_sd = 0.5, 0.2
    drive_mean, drive_sd = -1.0, 0.5
    noise = 0.15
    burnout_weight = 1.0
    faith_weight = 1.0
    switching_cost = 0.5
    burnout_fill = 1.5
    burnout_recovery = 1.0
    faith_drift = 1.0
    contagion = 0.6
    fresh_start_relief = 0.5
    separation_rate = 0.03
    offer_rate_employed = 1.0
    offer_rate_between_jobs = 5.0
    between_jobs_income = 0.0
    # startups
    founding_rate = 0.05
    funding_climate = 0.0
    sector_share = 0.05
    startup_theta = 1.0
    team_offer_rate = 3.0
    team_recruit_weeks = 26
    pay_fraction = 0.7
    equity_value = 0.4
    founder_pay_fraction = 0.4
    appeal_base = 0.5
    appeal_per_log_skill = 0.2
    startup_prestige = 0.0
    startup_workload = 0.8
    startup_faith = 0.8
    failure_rate = 0.2
    small_size = 5.0
    teams_per_startup = 4
    # independent research
    consider_rate = 0.05
    independent_income = 150000.0
    independent_value = 0.0
    independent_workload = 0.1


def synthetic_firms(n_firms=12, sector=Params.sector_share):
    """perf.cpp synthetic_market, firm by firm (defaults from params.hpp)."""
    total = sum(1.0 / (j + 1) for j in range(n_firms))
    firms = []
    for j in range(n_firms):
        share = (1.0 / (j + 1)) / total
        firms.append(dict(
            id=f"firm_{j + 1}", headcount_share=share, recruit_share=share * (1.0 - sector),
            skill_shift=0.05 * (j % 5), median=200000.0 + 50000.0 * (j % 12),
            elasticity=0.5, dispersion=0.2, ceiling=2.0,
            workload=0.4 + 0.05 * (j % 10), faith=0.5 + 0.03 * (j % 10),
            appeal=0.3 + 0.05 * (j % 10), prestige=0.02 * (j % 10),
            theta=0.5 + 0.25 * (j % 4), premium=0.1,
            interview_free=(j % 4 == 1), lag=2 + j % 6,
            cap=1.05 if j % 5 == 2 else None,
            counter=TOP if j % 3 == 0 else PUBLISHED, counter_p=0.5, max_raise=0.25,
            reactive=(j % 6 == 4), rr_trigger=3, rr_window=8, rr_raise=0.10, rr_cooldown=26))
    firms[0]["headcount_share"] += 1.0 - sum(f["headcount_share"] for f in firms)
    firms[0]["recruit_share"] += 1.0 - sector - sum(f["recruit_share"] for f in firms)
    return firms


def campaign_for(ticks):
    """The synthetic market's one event: firm_2 recruits firm_1's best 10%."""
    if ticks < 4:
        return None
    return dict(week=4, firm=1, target=0, top_share=0.1, multiplier=5.0, boost=0.2,
                weeks=min(12, ticks - 3))


# ---------------------------------------------------------------------------
# The model
# ---------------------------------------------------------------------------

class Market:
    def __init__(self, n, ticks, seed):
        P = self.P = Params
        self.rng = rng = np.random.default_rng(seed)
        self.n = n
        self.t = 0
        fp = self.firm_params = synthetic_firms()
        J = self.J = len(fp)                       # named firms; recruiter J = startup sector
        S = self.S = max(16, n // 500)             # startup slots
        F = self.F = J + S
        self.campaign = campaign_for(ticks)
        self.camp_active = False

        # --- initial employment: blocks of rows per firm (largest remainder)
        employed = int(round(n * (1.0 - P.between_jobs_share)))
        exact = np.array([employed * f["headcount_share"] for f in fp])
        count = np.floor(exact).astype(np.int64)
        for j in np.argsort(-(exact - count), kind="stable")[: employed - count.sum()]:
            count[j] += 1
        first = np.concatenate([[0], np.cumsum(count)])
        emp = np.full(n, -1, np.int16)
        for j in range(J):
            emp[first[j]:first[j + 1]] = j
        self.employer = emp
        self.initial_headcount = count.copy()

        shift = np.array([f["skill_shift"] for f in fp] + [0.0])
        self.skill = np.exp(shift[emp] + P.skill_sigma * rng.standard_normal(n)).astype(np.float32)
        self.money = (P.money_median * np.exp(P.money_sigma * rng.standard_normal(n))).astype(np.float32)
        self.appeal = np.maximum(0.0, P.appeal_mean + P.appeal_sd * rng.standard_normal(n)).astype(np.float32)
        self.drive = (P.drive_mean + P.drive_sd * rng.standard_normal(n)).astype(np.float32)
        order = np.argsort(-self.skill, kind="stable")
        self.top = np.zeros(n, bool)
        self.top[order[: max(1, math.ceil(P.top_share * n))]] = True
        self.published = np.zeros(n, bool)
        self.published[order[: max(1, math.ceil(P.published_share * n))]] = True
        self.independent = np.zeros(n, bool)
        self.moves = np.zeros(n, np.int16)
        self.hired_tick = np.zeros(n, np.int32)
        self.initial_employer = emp.copy()

        # --- firms: named 0..J-1, startup slots J..F-1; index -1 (no firm) is the extra last entry
        def table(values, fill, dtype=np.float64):
            a = np.full(F + 1, fill, dtype)
            a[:J] = values
            return a
        self.workload = table([f["workload"] for f in fp], P.startup_workload)
        self.workload[F] = 0.0
        self.baseline = table([f["faith"] for f in fp], P.startup_faith)
        self.firm_appeal = table([f["appeal"] for f in fp], 0.0)
        self.prestige = table([f["prestige"] for f in fp], P.startup_prestige)
        self.elasticity = table([f["elasticity"] for f in fp], 0.5)
        self.dispersion = table([f["dispersion"] for f in fp], 0.2)
        self.ceiling = table([f["ceiling"] for f in fp], 2.0)
        self.premium = table([f["premium"] for f in fp], 0.0)
        self.equity = table([0.0] * J, P.equity_value)
        self.interview_free = table([f["interview_free"] for f in fp], True, bool)
        self.lag = table([f["lag"] for f in fp], 0, np.int64)
        self.counter_who = table([f["counter"] for f in fp], NONE, np.int64)
        self.counter_p = table([f["counter_p"] for f in fp], 0.0)
        self.max_raise = table([f["max_raise"] for f in fp], 0.0)
        self.alive = table([True] * J, False, bool)
        self.serial = np.zeros(F + 1, np.int64)
        self.founded_tick = np.full(F + 1, -1, np.int64)
        self.founder = np.full(F + 1, -1, np.int64)
        self.is_startup = np.zeros(F + 1, bool)
        self.is_startup[J:F] = True
        self.headcount = np.zeros(F + 1, np.int64)
        self.headcount[:J] = count
        self.places_cap = np.full(J, np.inf)
        for j, f in enumerate(fp):
            if f["cap"] is not None:
                self.places_cap[j] = math.floor(f["cap"] * count[j])
        self.free_slots = list(range(F - 1, J - 1, -1))     # a stack: pop() gives slot J first
        self.alive_startups = np.zeros(0, np.int64)
        self.startup_serial = 0
        self.rr = [j for j, f in enumerate(fp) if f["reactive"]]
        self.rr_ring = np.zeros((8, J), np.int64)
        self.rr_cooldown_until = np.full(J, -1)

        # --- pay: unscaled q^beta e^(sigma z), scaled so each firm's median is its target
        beta = self.elasticity[emp]
        raw = (self.skill.astype(np.float64) ** beta) * np.exp(self.dispersion[emp] * rng.standard_normal(n))
        self.pay_base = np.zeros(F + 1)
        for j in range(J):
            self.pay_base[j] = fp[j]["median"] / np.median(raw[first[j]:first[j + 1]])
        sal = raw * self.pay_base[emp]
        sal[emp < 0] = P.between_jobs_income
        self.salary = sal.astype(np.float32)
        h = np.array([f["headcount_share"] for f in fp])
        self.market_base = math.exp(float(np.sum(h * np.log(self.pay_base[:J]))))
        self.pay_base[J:F] = self.market_base * P.pay_fraction

        # --- wellbeing: each firm's burnout steady state, faith at the baseline
        fill = P.burnout_fill * self.workload[emp]
        b0 = np.where(emp >= 0, fill / (fill + P.burnout_recovery), 0.0)
        self.burnout = b0.astype(np.float32)
        self.faith = np.where(emp >= 0, self.baseline[emp], 0.5).astype(np.float32)

        # --- teams: initial staff fill their firm's teams in row order; startups get 4 each
        ts = P.team_size
        tcount = np.maximum(1, (count + ts - 1) // ts)
        self.team_begin = np.zeros(F + 1, np.int64)
        self.team_count = np.zeros(F + 1, np.int64)
        self.team_begin[:J] = np.concatenate([[0], np.cumsum(tcount)[:-1]])
        self.team_count[:J] = tcount
        named_teams = int(tcount.sum())
        self.team_begin[J:F] = named_teams + P.teams_per_startup * np.arange(S)
        self.team_count[J:F] = P.teams_per_startup
        T = named_teams + P.teams_per_startup * S
        team = np.full(n, -1, np.int32)
        rows = np.arange(n)
        ok = emp >= 0
        team[ok] = (self.team_begin[emp[ok]] + (rows[ok] - first[emp[ok]]) // ts).astype(np.int32)
        self.team = team
        # Team tables carry one extra entry (index -1: no team).
        self.team_size = np.bincount(team[ok], minlength=T + 1).astype(np.int64)
        self.team_left_tick = np.full(T + 1, -10, np.int64)
        self.team_left_count = np.zeros(T + 1, np.int64)
        self.team_recruiter = np.full(T + 1, -1, np.int64)
        self.team_recruiter_serial = np.zeros(T + 1, np.int64)
        self.team_recruit_until = np.full(T + 1, -1, np.int64)

        # --- offer-rate tables (recruiters 0..J-1 named, J the startup sector)
        share = np.array([f["recruit_share"] for f in fp] + [P.sector_share])
        theta = np.array([f["theta"] for f in fp] + [P.startup_theta])
        sig2 = P.skill_sigma ** 2
        w_init = count / n
        norm = np.empty(J + 1)
        for r in range(J + 1):
            z = np.sum(w_init * np.exp(theta[r] * shift[:J] + 0.5 * theta[r] ** 2 * sig2))
            z += (1.0 - w_init.sum()) * math.exp(0.5 * theta[r] ** 2 * sig2)
            norm[r] = 1.0 / z
        W = np.zeros((J + 1, J + 1))     # row e: employee of named firm e; row J: of a startup
        for e in range(J + 1):
            renorm = 1.0 if e == J else 1.0 / (1.0 - share[e])
            for r in range(J + 1):
                if e != J and r == e:
                    continue
                W[e, r] = share[r] * renorm * norm[r]
        self.W, self.theta, self.share = W, theta, share

        # Each researcher's event rates, kept up to date as they move (docs/MODEL.md phase 3).
        self.r_offer = np.zeros(n)
        self.r_total = np.zeros(n)
        self.p_fire = np.zeros(n, np.float32)
        self.campaign_cut = np.inf
        self.update_rates(np.arange(n))

        # --- pending hires (hiring lag)
        self.pend_firm = np.full(n, -1, np.int16)
        self.pend_serial = np.zeros(n, np.int64)
        self.pend_salary = np.zeros(n, np.float32)
        self.pend_due = np.zeros(n, np.int32)

        # --- metrics: one row per tick per group (12 firms + startups)
        self.G = J + 1
        self.group_of = np.minimum(np.arange(F + 1), J)
        self.group_of[F] = self.G                  # no firm: an extra, discarded group
        self.history = []
        self.flows = np.zeros((J + 3, J + 3), np.int64)   # firms, startup, independent, between jobs

    # ----- rates -------------------------------------------------------------

    def row_of(self, e):
        return np.where(e >= self.J, self.J, e)

    def targeted(self, idx):
        c = self.campaign
        if not self.camp_active:
            return np.zeros(len(idx), bool)
        return (self.employer[idx] == c["target"]) & (self.skill[idx] >= self.campaign_cut)

    def update_rates(self, idx):
        """Offer, founding, independence and separation rates of researchers idx."""
        P = self.P
        e = self.employer[idx]
        emp = e >= 0
        q = self.skill[idx].astype(np.float64)
        qp = q[:, None] ** self.theta[None, :]
        Wr = self.W[self.row_of(np.where(emp, e, 0))]
        rate = P.offer_rate_employed * np.sum(Wr * qp, axis=1)
        tg = self.targeted(idx)
        if tg.any():
            c = self.campaign
            rate += tg * P.offer_rate_employed * Wr[:, c["firm"]] * qp[:, c["firm"]] * (c["multiplier"] - 1.0)
        rate = np.where(emp, rate, P.offer_rate_between_jobs)
        total = rate + P.founding_rate + np.where(self.independent[idx], 0.0, P.consider_rate) \
            + np.where(emp, P.separation_rate, 0.0)
        self.r_offer[idx] = rate
        self.r_total[idx] = total
        self.p_fire[idx] = -np.expm1(-total * DT)

    # ----- the tick ----------------------------------------------------------

    def step(self):
        self.t += 1
        self.tick = dict(hires=np.zeros(self.F + 1, np.int64), departures=np.zeros(self.F + 1, np.int64),
                         counters=np.zeros(self.F + 1, np.int64), counters_won=np.zeros(self.F + 1, np.int64),
                         founded=0, failed=0, refused=0, raises=0)
        team_offer_ids, team_offer_from = self.wellbeing()
        self.events()
        d = self.decide(team_offer_ids, team_offer_from)
        self.moves_phase(d)
        self.reactions()
        self.metrics()

    # Phase 1 -----------------------------------------------------------------
    def wellbeing(self):
        P, t = self.P, self.t
        e = self.employer
        emp = e >= 0
        # Per-firm constants as float32 tables (index -1: no firm), like the C++ pass.
        wl = self.workload.astype(np.float32)
        wl[self.F] = 0.0
        w = wl[e]
        w[self.independent] = P.independent_workload
        b = self.burnout
        b += np.float32(P.burnout_fill * DT) * w * (1.0 - b) - np.float32(P.burnout_recovery * DT) * b
        np.clip(b, 0.0, 1.0, out=b)
        # As talentsim: leavers over (the team at last week's end + the leavers).
        tl = (self.team_left_tick == t - 1) & (self.team_left_count > 0)
        during = self.team_size + self.team_left_count
        loss = np.where(tl, P.contagion * self.team_left_count / np.maximum(during, 1),
                        0.0).astype(np.float32)
        f = self.faith
        nf = f + np.float32(P.faith_drift * DT) * (self.baseline.astype(np.float32)[e] - f)
        nf -= loss[self.team]
        np.clip(nf, 0.0, 1.0, out=nf)
        np.copyto(f, nf, where=emp)
        # Startup team recruiting: members of a founder's former team.
        active = (self.team_recruiter >= 0) & (t <= self.team_recruit_until)
        if not active.any():
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        rec = self.team_recruiter
        active &= self.alive[rec] & (self.serial[rec] == self.team_recruiter_serial)
        ids = np.flatnonzero(active[self.team] & emp)
        ids = ids[rec[self.team[ids]] != e[ids]]
        p = -math.expm1(-P.team_offer_rate * DT)
        ids = ids[self.rng.random(len(ids)) < p]
        return ids, rec[self.team[ids]]

    # Phase 2 -----------------------------------------------------------------
    def events(self):
        c, t = self.campaign, self.t
        if c is None:
            return
        if t == c["week"]:
            staff = np.flatnonzero(self.employer == c["target"])
            k = min(len(staff), math.ceil(c["top_share"] * len(staff)))
            if k > 0:
                self.campaign_cut = np.partition(self.skill[staff], len(staff) - k)[len(staff) - k]
                self.camp_active = True
                self.update_rates(staff[self.skill[staff] >= self.campaign_cut])
        elif self.camp_active and t > c["week"] + c["weeks"] - 1:
            staff = np.flatnonzero((self.employer == c["target"]) & (self.skill >= self.campaign_cut))
            self.camp_active = False
            self.update_rates(staff)

    # Phases 3-5 --------------------------------------------------------------
    def decide(self, team_ids, team_from):
        P, rng, J = self.P, self.rng, self.J
        fired = np.flatnonzero(rng.random(self.n, dtype=np.float32) < self.p_fire)
        ids = np.union1d(fired, team_ids)
        m = len(ids)
        is_fired = np.isin(ids, fired, assume_unique=True)
        # Phase 3a: how many events, and of which kind (each in proportion to its rate).
        R = self.r_total[ids]
        mean = R * DT
        p0 = np.exp(-mean)
        u = p0 + rng.random(m) * (1.0 - p0)
        k = np.zeros(m, np.int64)
        pk, cdf = p0.copy(), p0.copy()
        todo = is_fired.copy()
        kk = 0
        while todo.any() and kk < 48:
            kk += 1
            pk = pk * mean / kk
            cdf = cdf + pk
            k[todo] = kk
            todo &= cdf < u
        r_off = self.r_offer[ids]
        n_off = rng.binomial(k, np.clip(r_off / np.maximum(R, 1e-300), 0, 1))
        rest = k - n_off
        r_found = P.founding_rate
        r_ind = np.where(self.independent[ids], 0.0, P.consider_rate)
        den = np.maximum(R - r_off, 1e-300)
        n_found = rng.binomial(rest, np.clip(r_found / den, 0, 1))
        rest -= n_found
        den2 = np.maximum(R - r_off - r_found, 1e-300)
        n_ind = rng.binomial(rest, np.clip(r_ind / den2, 0, 1))
        separation = (rest - n_ind) > 0
        found_idea = n_found > 0
        indep_idea = n_ind > 0

        # Phase 3b-4: options. Columns: stay, pending, offers..., team offer, found, independent.
        e = self.employer[ids]
        emp = e >= 0
        indep = self.independent[ids]
        q = self.skill[ids].astype(np.float64)
        lq = np.log(q)
        s = self.salary[ids].astype(np.float64)
        alpha = self.money[ids].astype(np.float64)
        gamma = self.appeal[ids].astype(np.float64)
        leave = np.where(emp | indep, P.switching_cost, 0.0)
        K = int(n_off.max()) if m else 0
        C = 2 + K + 3
        V = np.full((m, C), -np.inf)
        wage = np.zeros((m, C))
        firm = np.full((m, C), -1, np.int64)
        ser = np.zeros((m, C), np.int64)

        def job_value(f, wg, boost, a, g):
            return a * np.log(np.maximum(wg * (1.0 + self.equity[f]), 1.0)) + g * (self.firm_appeal[f] + boost) \
                + self.prestige[f]

        def policy(f, lqv):
            return self.pay_base[f] * np.exp(self.elasticity[f] * lqv)

        stay = np.where(emp, job_value(e, s, 0.0, alpha, gamma)
                        - P.burnout_weight * self.burnout[ids] + P.faith_weight * self.faith[ids],
                        np.where(indep, alpha * math.log(P.independent_income) + P.independent_value,
                                 alpha * math.log(max(P.between_jobs_income, 1.0))))
        V[:, 0], wage[:, 0], firm[:, 0] = stay, s, e
        pf = self.pend_firm[ids].astype(np.int64)
        has_pend = (pf >= 0)
        valid_pend = has_pend & self.alive[pf] & (self.serial[pf] == self.pend_serial[ids])
        ps = self.pend_salary[ids].astype(np.float64)
        V[:, 1] = np.where(valid_pend, job_value(pf, ps, 0.0, alpha, gamma) - leave, -np.inf)
        wage[:, 1], firm[:, 1], ser[:, 1] = ps, pf, self.pend_serial[ids]

        # Offers: one row per offer, firm drawn by recruiting weight, never the employer.
        M = int(n_off.sum())
        if M:
            who = np.repeat(np.arange(m), n_off)
            slot = np.arange(M) - np.repeat(np.cumsum(n_off) - n_off, n_off)
            ew = e[who]
            empw = emp[who]
            qp = q[who, None] ** self.theta[None, :]
            wts = np.where(empw[:, None], self.W[self.row_of(np.where(empw, ew, 0))] * qp,
                           self.share[None, :])
            tg = self.targeted(ids[who])
            c = self.campaign
            if tg.any():
                wts[tg, c["firm"]] *= c["multiplier"]
            cum = np.cumsum(wts, axis=1)
            x = rng.random(M) * cum[:, -1]
            j = np.minimum((cum < x[:, None]).sum(axis=1), J)
            ok = cum[:, -1] > 0
            # The startup sector: a live startup other than the researcher's own, uniformly.
            sec = np.flatnonzero(j == J)
            if len(sec):
                alive = self.alive_startups
                own = ew[sec] >= J
                others = len(alive) - own
                kpick = np.minimum((rng.random(len(sec)) * others).astype(np.int64), np.maximum(others - 1, 0))
                if len(alive):
                    pos = np.searchsorted(alive, ew[sec])
                    kpick += own & (kpick >= pos)
                    j[sec] = alive[np.minimum(kpick, len(alive) - 1)]
                ok[sec] &= others > 0
            z = rng.standard_normal(M)
            pol = policy(j, lq[who])
            w = pol * np.exp(self.dispersion[j] * z)
            st = self.is_startup[j]
            w = np.where(st | ~empw, w, np.maximum(w, s[who] * (1.0 + self.premium[j])))
            w = np.minimum(w, self.ceiling[j] * pol)
            boost = np.where(tg & (j == (c["firm"] if c else -2)), c["boost"] if c else 0.0, 0.0)
            val = job_value(j, w, boost, alpha[who], gamma[who]) - leave[who]
            V[who, 2 + slot] = np.where(ok, val, -np.inf)
            wage[who, 2 + slot] = np.minimum(w, 1e9)
            firm[who, 2 + slot] = j
            ser[who, 2 + slot] = self.serial[j]
        # Team offer from a startup founded by a former teammate.
        if len(team_ids):
            row = np.searchsorted(ids, team_ids)
            tf = team_from
            pol = policy(tf, lq[row])
            w = np.minimum(pol * np.exp(self.dispersion[tf] * rng.standard_normal(len(row))),
                           self.ceiling[tf] * pol)
            V[row, 2 + K] = job_value(tf, w, 0.0, alpha[row], gamma[row]) - leave[row]
            wage[row, 2 + K], firm[row, 2 + K], ser[row, 2 + K] = w, tf, self.serial[tf]
        # Founding needs a free slot; independent research relieves burnout (low workload).
        if self.free_slots:
            fw = P.founder_pay_fraction * self.market_base * np.exp(0.5 * lq)
            V[:, 3 + K] = np.where(found_idea, alpha * np.log(fw * (1.0 + P.equity_value)) + self.drive[ids]
                                   + P.funding_climate - leave, -np.inf)
            wage[:, 3 + K] = fw
        V[:, 4 + K] = np.where(indep_idea & ~indep,
                               alpha * math.log(P.independent_income) + P.independent_value - leave, -np.inf)
        wage[:, 4 + K] = P.independent_income

        n_opts = np.isfinite(V).sum(axis=1)
        kept = 1 + valid_pend
        chooses = n_opts > kept
        # Phase 4: Gumbel taste shocks (logit with scale tau), best option wins.
        ci = np.flatnonzero(chooses)
        Vc = V[ci] + P.noise * rng.gumbel(size=(len(ci), C))
        chosen = np.argmax(Vc, axis=1)

        salary_out = s.copy()
        salary_out_c = salary_out[ci]
        counter_made = np.zeros(len(ci), bool)
        counter_won = np.zeros(len(ci), bool)
        # Phase 5: counter-offers (Postel-Vinay & Robin): the employer bids up to its ceiling.
        cf = firm[ci, chosen]
        ce = e[ci]
        is_offer = (chosen >= 2) & (chosen < 3 + K)
        flags_top, flags_pub = self.top[ids[ci]], self.published[ids[ci]]
        ce0 = np.where(ce >= 0, ce, 0)
        who_e = self.counter_who[ce0]
        covered = ((who_e == TOP) & flags_top) | ((who_e == PUBLISHED) & flags_pub)
        cand = is_offer & (ce >= 0) & (ce < J) & (alpha[ci] > 0) & ~self.interview_free[np.maximum(cf, 0)] & covered
        cand &= rng.random(len(ci)) < self.counter_p[ce0]
        r = np.flatnonzero(cand)
        if len(r):
            counter_made[r] = True
            a = alpha[ci][r]
            s_now = np.maximum(s[ci][r], 1.0)
            lqr = lq[ci][r]
            ef, rf = ce[r], cf[r]
            cap_e = np.maximum(s_now, np.minimum(s_now * (1.0 + self.max_raise[ef]), self.ceiling[ef] * policy(ef, lqr)))
            w = wage[ci[r], chosen[r]]
            cap_j = np.maximum(w, self.ceiling[rf] * policy(rf, lqr))
            base_stay = Vc[r, 0] - a * np.log(s_now)
            base_rival = Vc[r, chosen[r]] - a * np.log(np.maximum(w, 1.0))
            best_e = base_stay + a * np.log(cap_e)
            best_j = base_rival + a * np.log(cap_j)
            Vo = Vc[r].copy()
            Vo[:, 0] = -np.inf
            Vo[np.arange(len(r)), chosen[r]] = -np.inf
            alt = np.argmax(Vo, axis=1)
            v_alt = Vo[np.arange(len(r)), alt]
            lose = np.maximum(best_e, best_j) < v_alt
            emp_wins = ~lose & (best_e >= best_j)
            rival_wins = ~lose & ~emp_wins
            need_e = (np.maximum(best_j, v_alt) - base_stay) / a
            raised = np.maximum(np.exp(np.minimum(need_e, np.log(cap_e))), s[ci][r])
            need_j = (np.maximum(best_e, v_alt) - base_rival) / a
            new_w = np.exp(np.clip(need_j, np.log(w), np.log(cap_j)))
            ch = chosen[r]
            ch = np.where(lose, alt, np.where(emp_wins, 0, ch))
            chosen[r] = ch
            counter_won[r] = emp_wins
            salary_out_c[r] = np.where(emp_wins, raised, salary_out_c[r])
            rw = r[rival_wins]
            wage[ci[rw], chosen[rw]] = new_w[rival_wins]

        # The decisions, one per actor.
        action = np.full(m, A_NOTHING, np.int64)
        target = np.full(m, -1, np.int64)
        tser = np.zeros(m, np.int64)
        sal = s.copy()
        drop = np.zeros(m, bool)
        cf = firm[ci, chosen]
        cw = wage[ci, chosen]
        a_c = np.full(len(ci), A_STAY, np.int64)
        off = (chosen >= 2) & (chosen < 3 + K)
        later = off & ~self.interview_free[np.maximum(cf, 0)] & (self.lag[np.maximum(cf, 0)] > 0)
        a_c[off] = np.where(later[off], A_LATER, A_MOVE)
        a_c[chosen == 3 + K] = A_FOUND
        a_c[chosen == 4 + K] = A_INDEP
        action[ci] = a_c
        target[ci] = np.where(chosen >= 1, cf, -1)
        tser[ci] = ser[ci, chosen]
        sal[ci] = np.where(chosen == 0, salary_out_c, cw)
        drop[ci] = has_pend[ci] & (chosen != 1)
        ec = np.where(ce >= 0, ce, self.F)
        np.add.at(self.tick["counters"], ec, counter_made)
        np.add.at(self.tick["counters_won"], ec, counter_won)
        return dict(ids=ids, action=action, firm=target, serial=tser, salary=sal, drop=drop,
                    separation=separation, counter_won=np.isin(np.arange(m), ci[counter_won]))

    # Phases 6-9 --------------------------------------------------------------
    def relocate(self, ids, to, salary, to_indep, voluntary):
        """Move researchers ids (distinct) and book the moves into firms, teams, flows."""
        if len(ids) == 0:
            return np.zeros(0, np.int64)
        P, t, J = self.P, self.t, self.J
        frm = self.employer[ids].astype(np.int64)
        from_team = self.team[ids].astype(np.int64)
        from_indep = self.independent[ids].copy()
        if voluntary:
            self.burnout[ids] *= (1.0 - P.fresh_start_relief)
            self.moves[ids] += 1
        hired = to >= 0
        new_team = np.full(len(ids), -1, np.int64)
        tt = to[hired]
        new_team[hired] = self.team_begin[tt] + np.minimum(
            self.team_count[tt] - 1, (self.rng.random(len(tt)) * self.team_count[tt]).astype(np.int64))
        fa = self.faith[ids]
        fa[hired] = self.baseline[tt]
        self.faith[ids] = fa
        self.employer[ids] = to
        self.team[ids] = new_team
        self.salary[ids] = np.clip(salary, 0.0, 1e9)
        self.hired_tick[ids] = t
        self.independent[ids] = to_indep
        # Booking.
        left = frm >= 0
        np.subtract.at(self.headcount, frm[left], 1)
        np.add.at(self.tick["departures"], frm[left], 1)
        np.add.at(self.headcount, to[hired], 1)
        np.add.at(self.tick["hires"], to[hired], 1)
        place_from = np.where(frm >= 0, np.minimum(frm, J), np.where(from_indep, J + 1, J + 2))
        place_to = np.where(to >= 0, np.minimum(to, J), np.where(to_indep, J + 1, J + 2))
        np.add.at(self.flows, (place_from, place_to), 1)
        ft = from_team[left]
        if voluntary and len(ft):
            teams, cnt = np.unique(ft, return_counts=True)
            fresh = self.team_left_tick[teams] != t
            self.team_left_count[teams[fresh]] = 0
            self.team_left_tick[teams] = t
            self.team_left_count[teams] += cnt
            cov = frm[left] < J
            cov &= self.top[ids[left]]
            for j in self.rr:
                self.rr_ring[t % 8, j] += int(np.count_nonzero(cov & (frm[left] == j)))
        np.subtract.at(self.team_size, ft, 1)
        np.add.at(self.team_size, new_team[hired], 1)
        self.update_rates(ids)
        # Hired from outside employment: this week's separation draw is owed now.
        outside = np.flatnonzero(hired & (frm < 0))
        p = -math.expm1(-P.separation_rate * DT)
        return ids[outside[self.rng.random(len(outside)) < p]]

    def moves_phase(self, d):
        P, t = self.P, self.t
        ids, action = d["ids"], d["action"]
        # Pending hires: reneged ones go, due ones start (if their firm still exists).
        drop_ids = ids[d["drop"]]
        self.pend_firm[drop_ids] = -1
        pend = np.flatnonzero((self.pend_firm >= 0) & (self.pend_due == t))
        pf = self.pend_firm[pend].astype(np.int64)
        good = self.alive[pf] & (self.serial[pf] == self.pend_serial[pend])
        due = pend[good]
        self.pend_firm[pend[~good]] = -1
        mv = action == A_MOVE
        # Phase 6: hiring limits at capped firms; best skill first (ties by id).
        hire_ids = np.concatenate([ids[mv], due])
        hire_firm = np.concatenate([d["firm"][mv], self.pend_firm[due].astype(np.int64)])
        hire_sal = np.concatenate([d["salary"][mv], self.pend_salary[due]])
        keep = np.ones(len(hire_ids), bool)
        for j in np.flatnonzero(np.isfinite(self.places_cap)):
            sel = np.flatnonzero(hire_firm == j)
            if len(sel) == 0:
                continue
            places = self.places_cap[j] - self.headcount[j]
            order = sel[np.lexsort((hire_ids[sel], -self.skill[hire_ids[sel]]))]
            keep[order[int(max(places, 0)):]] = False
        self.pend_firm[due] = -1                       # started or refused: the hire is off
        # Moves that are still valid (a startup may have failed).
        hf = hire_firm
        keep &= self.alive[hf]
        # Phase 7: counter-offer raises, accepted-later offers, moves, independent research.
        cw = ids[d["counter_won"]]
        self.salary[cw] = d["salary"][d["counter_won"]]
        later = action == A_LATER
        li = ids[later]
        self.pend_firm[li] = d["firm"][later]
        self.pend_serial[li] = d["serial"][later]
        self.pend_salary[li] = d["salary"][later]
        self.pend_due[li] = t + self.lag[d["firm"][later]]
        ind = action == A_INDEP
        mids = np.concatenate([hire_ids[keep], ids[ind]])
        mto = np.concatenate([hire_firm[keep], np.full(int(ind.sum()), -1)])
        msal = np.concatenate([hire_sal[keep], d["salary"][ind]])
        mindep = np.concatenate([np.zeros(int(keep.sum()), bool), np.ones(int(ind.sum()), bool)])
        # A researcher can both start a due hire and take a new offer in one week: the last wins.
        mids_r = mids[::-1]
        _, first = np.unique(mids_r, return_index=True)
        sel = len(mids) - 1 - first
        owed = [self.relocate(mids[sel], mto[sel], msal[sel], mindep[sel], True)]
        # Phase 8: startups founded (from the slot pool), then failures.
        fids = ids[action == A_FOUND]
        nf = min(len(fids), len(self.free_slots))
        self.tick["refused"] = len(fids) - nf
        if nf:
            fids = fids[:nf]
            slots = np.array([self.free_slots.pop() for _ in range(nf)], np.int64)
            self.pend_firm[fids] = -1
            self.alive[slots] = True
            self.serial[slots] = self.startup_serial + 1 + np.arange(nf)
            self.startup_serial += nf
            self.founded_tick[slots] = t
            self.founder[slots] = fids
            self.headcount[slots] = 0
            self.firm_appeal[slots] = np.clip(P.appeal_base + P.appeal_per_log_skill * np.log(self.skill[fids]), 0, 1)
            for k in range(P.teams_per_startup):
                tb = self.team_begin[slots] + k
                self.team_size[tb] = 0
                self.team_left_tick[tb] = -10
                self.team_recruiter[tb] = -1
            old = self.team[fids].astype(np.int64)
            has = old >= 0
            self.team_recruiter[old[has]] = slots[has]
            self.team_recruiter_serial[old[has]] = self.serial[slots[has]]
            self.team_recruit_until[old[has]] = t + P.team_recruit_weeks
            self.alive_startups = np.sort(np.concatenate([self.alive_startups, slots]))
            fsal = P.founder_pay_fraction * self.market_base * np.sqrt(self.skill[fids].astype(np.float64))
            owed.append(self.relocate(fids, slots, fsal, np.zeros(nf, bool), True))
            self.tick["founded"] = nf
        self.fail_startups()
        # Phase 9: separations at rate delta (founders are not laid off by their own startup).
        leaving = np.unique(np.concatenate([ids[d["separation"]]] + owed))
        e = self.employer[leaving].astype(np.int64)
        ok = (e >= 0)
        ok &= ~(self.is_startup[np.maximum(e, 0)] & (self.founder[np.maximum(e, 0)] == leaving))
        self.separate(leaving[ok])

    def separate(self, ids):
        n = len(ids)
        self.relocate(ids, np.full(n, -1, np.int64), np.full(n, self.P.between_jobs_income),
                      np.zeros(n, bool), False)

    def fail_startups(self):
        P, t = self.P, self.t
        alive = self.alive_startups
        cand = alive[self.founded_tick[alive] != t]
        if len(cand) == 0:
            return
        h = self.headcount[cand]
        hazard = P.failure_rate * (1.0 + P.small_size / np.maximum(h, 1))
        fails = (h == 0) | (self.rng.random(len(cand)) < -np.expm1(-hazard * DT))
        dead = cand[fails]
        if len(dead) == 0:
            return
        mask = np.zeros(self.F + 1, bool)
        mask[dead] = True
        self.separate(np.flatnonzero(mask[self.employer]))
        self.alive[dead] = False
        self.free_slots.extend(int(x) for x in dead)
        self.alive_startups = alive[~np.isin(alive, dead)]
        self.tick["failed"] = len(dead)

    # Phase 10 ----------------------------------------------------------------
    def reactions(self):
        t = self.t
        for j in self.rr:
            if t <= self.rr_cooldown_until[j] or self.rr_ring[:, j].sum() < 3:
                continue
            sel = np.flatnonzero((self.employer == j) & self.top)
            self.salary[sel] = np.minimum(self.salary[sel] * 1.10, 1e9)
            self.tick["raises"] += len(sel)
            self.rr_cooldown_until[j] = t + 26
            self.rr_ring[:, j] = 0
        self.rr_ring[(t + 1) % 8, :] = 0

    # Phase 11 ----------------------------------------------------------------
    def metrics(self):
        G = self.G
        e = self.employer
        g = self.group_of[e]
        kinds = np.bincount(g.astype(np.int64) * 4 + self.top + 2 * self.published.view(np.int8),
                            minlength=4 * (G + 1)).reshape(G + 1, 4)[:G]
        head = kinds.sum(axis=1)
        top = kinds[:, 1] + kinds[:, 3]
        pub = kinds[:, 2] + kinds[:, 3]
        pay = np.bincount(g, weights=self.salary, minlength=G + 1)[:G]
        burn = np.bincount(g, weights=self.burnout, minlength=G + 1)[:G]
        faith = np.bincount(g, weights=self.faith, minlength=G + 1)[:G]
        # Exact medians: a histogram on the float's top bits finds each group's middle bin,
        # one more pass gathers the salaries in those bins.
        B = 4096
        bits = np.clip((self.salary.view(np.int32) >> 16) - 0x4400, 0, B - 1)
        key = g.astype(np.int64) * B + bits
        hist = np.bincount(key, minlength=(G + 1) * B)[: G * B].reshape(G, B)
        cum = np.cumsum(hist, axis=1)
        lo, hi = np.maximum(head - 1, 0) // 2, head // 2
        blo = np.array([np.searchsorted(cum[k], lo[k], side="right") for k in range(G)])
        bhi = np.array([np.searchsorted(cum[k], hi[k], side="right") for k in range(G)])
        wanted = np.zeros((G + 1) * B, bool)
        wanted[np.arange(G) * B + np.minimum(blo, B - 1)] = True
        wanted[np.arange(G) * B + np.minimum(bhi, B - 1)] = True
        sel = np.flatnonzero(wanted[key])
        gs, ss = g[sel], self.salary[sel]
        o = np.lexsort((ss, gs))
        gs, ss = gs[o], ss[o]
        starts = np.searchsorted(gs, np.arange(G))
        median = np.zeros(G)
        for k in range(G):
            if head[k] == 0:
                continue
            # Bins between blo and bhi are empty, so both ranks sit at rank - (count before blo).
            before = int(cum[k, blo[k] - 1]) if blo[k] > 0 else 0
            median[k] = 0.5 * (float(ss[starts[k] + lo[k] - before]) + float(ss[starts[k] + hi[k] - before]))
        tk = self.tick
        grp = self.group_of[: self.F + 1]
        hires = np.bincount(grp, weights=tk["hires"], minlength=G + 1)[:G]
        deps = np.bincount(grp, weights=tk["departures"], minlength=G + 1)[:G]
        top_by_firm = np.bincount(e[self.top & (e >= 0)], minlength=self.F)
        ts = top_by_firm.sum()
        hhi = float(np.sum((top_by_firm / ts) ** 2)) if ts else 0.0
        safe = np.maximum(head, 1)
        self.history.append(dict(
            headcount=head, top=top, published=pub, mean_salary=pay / safe, median_salary=median,
            hires=hires, departures=deps, mean_burnout=burn / safe, mean_faith=faith / safe,
            employed=int(head.sum()), independent=int(self.independent.sum()),
            startups_alive=len(self.alive_startups), founded=tk["founded"], failed=tk["failed"],
            hhi=hhi, counters=int(tk["counters"].sum()), counters_won=int(tk["counters_won"].sum())))


def summary(model, ticks, seconds):
    h = model.history
    last = h[-1]
    return common.outcomes(
        "numpy", model.n, ticks,
        seconds=seconds, agent_ticks_per_second=model.n * ticks / seconds,
        departures=sum(float(x["departures"].sum()) for x in h),
        mean_employed=sum(x["employed"] for x in h) / len(h),
        employed_end=last["employed"],
        startups_alive=last["startups_alive"],
        startups_founded=int(sum(x["founded"] for x in h)),
        independent=last["independent"],
        firm_1_headcount=int(last["headcount"][0]),
        firm_1_median_salary=float(last["median_salary"][0]),
        counteroffers=int(sum(x["counters"] for x in h)),
        top_talent_hhi=last["hhi"])


def main(argv=None):
    return common.run(argv, __doc__.split("\n")[0], "numpy model", Market, summary,
                      researchers=1000000, ticks=52)


if __name__ == "__main__":
    sys.exit(main())
