"""Proposal repair (MILP) and the inverse questions against brute force, hand-computed cases
and the built-in scenarios."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from accord.bargaining import zopa
from accord.bargaining.inverse import (
    batna_drop_for_zopa,
    batna_to_accept,
    inverse_report,
    weight_to_accept,
)
from accord.bargaining.repair import repair
from accord.cli import app
from accord.errors import InputError
from accord.io import load_scenario
from accord.space import compile_space
from accord.validation import validate_scenario

from . import oracle
from .conftest import scenario_from_tables

runner = CliRunner()


def dec(x) -> Fraction:
    return Fraction(repr(float(x)))


# ---------------------------------------------------------------------------------------
# Brute force


def brute_repair(scenario, base, cap, parties):
    """(deal, changes, smallest gain) of the repair by enumeration in exact arithmetic, with
    the documented tie rule (exact ties); (None, needed, None) when none exists within `cap`
    changes, needed being the changes a repair needs without the cap (None: no acceptable
    deal)."""
    us = oracle.utilities(scenario)
    batna = [dec(a.batna) for a in scenario.actors]
    ok = sorted(d for d, u in us.items() if all(u[p] >= batna[p] for p in parties))

    def changes(d):
        return sum(a != b for a, b in zip(d, base, strict=True))

    def gains(d):
        return [us[d][p] - batna[p] for p in parties]

    within = [d for d in ok if changes(d) <= cap]
    if not within:
        return None, (min(map(changes, ok)) if ok else None), None
    k = min(map(changes, within))
    cand = [d for d in within if changes(d) == k]
    g = max(min(gains(d)) for d in cand)
    cand = [d for d in cand if min(gains(d)) == g]
    s = max(sum(gains(d)) for d in cand)
    cand = [d for d in cand if sum(gains(d)) == s]
    best = min(cand)  # lowest option indices, issue by issue
    return best, k, min(gains(best))


@st.composite
def scenarios(draw, interactions: bool = True):
    """Small scenarios: 2-4 actors (the first two parties, the rest of any role), 1-4
    issues of 2-4 options, scores in tens (many ties), some interaction terms."""
    n_issues = draw(st.integers(1, 4))
    opts = [draw(st.integers(2, 4)) for _ in range(n_issues)]
    issues = [{"id": f"i{i}", "options": [f"o{o}" for o in range(n)]}
              for i, n in enumerate(opts)]
    actors = []
    for a in range(draw(st.integers(2, 4))):
        terms = []
        if interactions and n_issues >= 2:
            for _ in range(draw(st.integers(0, 1))):
                i, j = draw(st.lists(st.integers(0, n_issues - 1), min_size=2, max_size=2,
                                     unique=True))
                terms.append({"issues": [f"i{i}", f"i{j}"], "weight": draw(st.integers(1, 2)),
                              "scores": {f"o{x}": {f"o{y}": 10 * draw(st.integers(0, 10))
                                                   for y in range(opts[j])}
                                         for x in range(opts[i])}})
        actors.append({
            "id": f"a{a}",
            "role": "party" if a < 2 else draw(st.sampled_from(["party", "mediator",
                                                                "stakeholder"])),
            "batna": draw(st.integers(4, 16)) / 20,
            "salience": {f"i{i}": draw(st.integers(0, 4)) + (1 if i == 0 else 0)
                         for i in range(n_issues)},
            "preferences": {f"i{i}": {f"o{o}": 10 * draw(st.integers(0, 10)) for o in range(n)}
                            for i, n in enumerate(opts)},
            "interactions": terms,
        })
    return validate_scenario({"accord": 1, "id": "h", "title": "h", "issues": issues,
                              "actors": actors}, "<hypothesis>")


@given(scenarios(), st.data())
@settings(max_examples=300, deadline=None)
def test_repair_is_optimal_against_brute_force(scenario, data):
    space = compile_space(scenario)
    base = tuple(data.draw(st.integers(0, n - 1)) for n in space.n_options)
    cap = data.draw(st.one_of(st.none(), st.integers(0, space.n_issues)))
    extra = data.draw(st.sampled_from([None, [space.actor_ids[-1]]]))
    parties = sorted(set(space.veto_indices) | ({space.n_actors - 1} if extra else set()))
    method = data.draw(st.sampled_from(["search", "milp"]))
    r = repair(space, base, cap, extra, method=method)
    assert r.parties == tuple(space.actor_ids[p] for p in parties)
    deal, k, g = brute_repair(scenario, base, space.n_issues if cap is None else cap,
                              parties)
    if deal is None:
        assert not r.found and r.status == "infeasible" and r.repaired is None
        assert r.needed_changes == k
        assert r.zopa.exists == (k is not None)
        return
    assert r.found and r.status == "optimal"
    assert r.changes == k == len(r.changed)
    assert r.smallest_gain == g  # exact
    assert r.repaired.point.index == deal  # the documented tie-breaking
    assert r.repaired.agreement or not set(parties) >= set(space.veto_indices)
    assert {c.issue for c in r.changed} == {space.issue_ids[i] for i in range(space.n_issues)
                                            if deal[i] != base[i]}
    assert r.needed_changes == k


def test_hand_computed_repair():
    # A: x and y equally, more is better; B: likes o0 on both. Proposal (o2, o2):
    # A = 1, B = 0 < 0.4. One change: (o2, o1) gives A 0.75, B 0.5: gains 0.25, 0.1;
    # (o0, o2) and (o2, o0) give 0.5, 0.5: gains 0, 0.1; (o1, o2) leaves B at 0.25.
    s = scenario_from_tables({"A": {"x": [0, 50, 100], "y": [0, 50, 100]},
                              "B": {"x": [100, 50, 0], "y": [100, 100, 0]}},
                             batna={"A": 0.5, "B": 0.4},
                             proposals=[{"id": "p", "deal": {"x": "o2", "y": "o2"}}])
    space = compile_space(s)
    r = repair(space, "p")
    assert r.found and r.changes == 1
    assert [c.to_dict() for c in r.changed] == [{"issue": "y", "from": "o2", "to": "o1"}]
    assert r.smallest_gain == Fraction(1, 10) and r.sum_of_gains == Fraction(35, 100)
    assert r.repaired.point.utilities == {"A": 0.75, "B": 0.5}
    none = repair(space, "p", max_changes=0)
    assert not none.found and none.needed_changes == 1 and none.zopa.exists
    assert "at most 0 of the 2 issues" in none.proof
    assert [b.to_dict()["drop_exact"] for b in none.proposal_batna] == ["0", "2/5"]
    already = repair(space, {"x": "o2", "y": "o1"})
    assert already.found and already.changes == 0 and already.solves == 0


def test_ties_are_broken_by_the_sum_of_gains_then_the_lowest_option_indices():
    # changing x or y to o0 or o3 gives the same utilities: the rule picks x = o0
    s = scenario_from_tables({"A": {"x": [100, 0, 0, 100], "y": [100, 0, 0, 100],
                                    "z": [0, 100, 100, 0]},
                              "B": {"x": [50, 50, 50, 50], "y": [50, 50, 50, 50],
                                    "z": [100, 0, 0, 100]}},
                             batna={"A": 0.5, "B": 0.3},
                             proposals=[{"id": "p", "deal": {"x": "o2", "y": "o2", "z": "o2"}}])
    r = repair(compile_space(s), "p")
    assert r.repaired.point.deal == {"x": "o0", "y": "o2", "z": "o2"}
    assert (r.changes, r.smallest_gain, r.sum_of_gains) == (1, Fraction(1, 30), Fraction(1, 5))
    # o1 and o2 give A the same gain 0.1; B gains 0.2 from o1, 0.3 from o2: the sum decides
    s = scenario_from_tables({"A": {"x": [0, 60, 60]}, "B": {"x": [0, 70, 80]}},
                             batna={"A": 0.5, "B": 0.5})
    r = repair(compile_space(s), [0])
    assert r.repaired.point.index == (2,) and r.sum_of_gains == Fraction(4, 10)


def test_camp_david_split_is_fixed_with_two_changes():
    scenario = load_scenario("camp-david-1978")
    space = compile_space(scenario)
    r = repair(space, "split")
    base = space.deal_index(scenario.proposal("split").deal)
    deal, k, g = brute_repair(scenario, base, space.n_issues, list(space.veto_indices))
    assert r.found and r.changes == k == 2 and r.smallest_gain == g == Fraction(7, 100)
    assert r.repaired.point.index == deal
    assert r.repaired.point.deal == {"sovereignty": "full", "security": "demilitarised",
                                     "settlements": "phased-out", "relations": "peace-treaty",
                                     "palestinian": "autonomy-talks"}
    assert r.repaired.agreement and not r.proposal.agreement
    one = repair(space, "split", max_changes=1)
    assert not one.found and one.needed_changes == 2
    assert "the smallest repair changes 2" in one.proof
    # begin's Ismailia plan needs only the settlements
    assert [c.issue for c in repair(space, "begin-ismailia-1977").changed] == ["settlements"]


def test_ukraine_china_paper_cannot_be_repaired():
    scenario = load_scenario("ukraine-2023")
    space = compile_space(scenario)
    r = repair(space, "china-12-points")
    assert not r.found and r.status == "infeasible" and r.needed_changes is None
    assert "no deal at all is accepted by russia and ukraine" in r.proof
    assert not r.zopa.exists
    # by how much the BATNAs would have to move, against brute force
    us = oracle.utilities(scenario)
    batna = [dec(a.batna) for a in scenario.actors]
    best = max(min(u[p] - batna[p] for p in (0, 1)) for u in us.values())
    assert r.zopa_drop.uniform == -best == Fraction(43, 500)
    assert r.zopa.shortfall == pytest.approx(0.086)
    base = space.deal_index(scenario.proposal("china-12-points").deal)
    drop = {b.actor: b.drop for b in r.proposal_batna}
    assert drop == {"russia": 0, "ukraine": batna[1] - us[base][1]}
    assert drop["ukraine"] == Fraction(883, 2000)
    assert len(r.nearest) == 3 and not any(n.in_zopa for n in r.nearest)
    d = r.to_dict()
    assert d["batna"]["zopa"]["uniform_drop_exact"] == "43/500"
    json.dumps(d)


def test_nearest_frontier_deals_are_nearest():
    space = compile_space(load_scenario("camp-david-1978"))
    r = repair(space, "split", nearest=100)
    from accord.bargaining import pareto_frontier

    f = pareto_frontier(space)
    assert len(r.nearest) == len(f)
    dist = [n.distance for n in r.nearest]
    assert dist == sorted(dist)
    assert repair(space, "split", nearest=0).nearest == ()


def test_non_additive_scenario_is_repaired_exactly():
    data = {"accord": 1, "id": "pkg", "title": "pkg",
            "issues": [{"id": "a", "options": ["no", "yes"]},
                       {"id": "b", "options": ["no", "yes"]}],
            "actors": [
                {"id": "p", "batna": 0.6, "salience": {"a": 1, "b": 1},
                 "preferences": {"a": {"no": 0, "yes": 50}, "b": {"no": 0, "yes": 50}},
                 "interactions": [{"issues": ["a", "b"], "weight": 2,
                                   "scores": {"yes": {"yes": 100, "no": 0},
                                              "no": {"yes": 0, "no": 0}}}]},
                {"id": "q", "batna": 0.2, "preferences": {"a": {"no": 100, "yes": 40},
                                                          "b": {"no": 100, "yes": 40}}}],
            "proposals": [{"id": "half", "deal": {"a": "yes", "b": "no"}}]}
    space = compile_space(validate_scenario(data, "<test>"))
    assert not space.additive
    for method in ("search", "milp"):
        r = repair(space, "half", method=method)
        # p gets 0.125 from (yes, no) and 0.75 only from the package (yes, yes)
        assert r.found and r.changes == 1
        assert r.repaired.point.deal == {"a": "yes", "b": "yes"}
        assert r.smallest_gain == Fraction(3, 20)
        assert ("interaction terms linearised" in r.method) == (method == "milp")
    assert repair(space, "half").method.startswith("exact branch and bound")


def test_highs_presolve_false_infeasibility_is_avoided():
    # HiGHS 1.12's presolve declared this program infeasible; (o1, o0) is acceptable:
    # a0 = (90 + 20) / 200 = 0.55, a1 = (80 + 80) / 300
    pair = {"o0": {"o0": 0, "o1": 0, "o2": 0, "o3": 0},
            "o1": {"o0": 20, "o1": 0, "o2": 0, "o3": 20}}
    data = {"accord": 1, "id": "h", "title": "h",
            "issues": [{"id": "i0", "options": ["o0", "o1"]},
                       {"id": "i1", "options": ["o0", "o1", "o2", "o3"]}],
            "actors": [
                {"id": "a0", "batna": 0.55, "salience": {"i0": 1, "i1": 0},
                 "preferences": {"i0": {"o0": 70, "o1": 90},
                                 "i1": {"o0": 0, "o1": 0, "o2": 0, "o3": 0}},
                 "interactions": [{"issues": ["i0", "i1"], "weight": 1, "scores": pair}]},
                {"id": "a1", "batna": 0.45, "salience": {"i0": 2, "i1": 1},
                 "preferences": {"i0": {"o0": 0, "o1": 40},
                                 "i1": {"o0": 80, "o1": 10, "o2": 30, "o3": 30}}}]}
    scenario = validate_scenario(data, "<test>")
    r = repair(compile_space(scenario), (0, 0))
    deal, k, g = brute_repair(scenario, (0, 0), 2, [0, 1])
    assert r.found and r.repaired.point.index == deal == (1, 0) and r.smallest_gain == g == 0


def test_solver_slips_are_caught(monkeypatch):
    """A deal the solver wrongly returns is cut off; a HiGHS solve error is retried with
    presolve; a solver that never answers is an internal error, not a wrong answer."""
    import accord.bargaining.repair as mod

    space = compile_space(load_scenario("camp-david-1978"))
    expected = repair(space, "split", method="milp")
    real = mod.milp
    calls = {"n": 0}

    def slipping(c, **kw):
        calls["n"] += 1
        res = real(c, **kw)
        if calls["n"] == 1:  # first answer: the rejected proposal itself
            prog = mod._Program(space, space.veto_indices, expected.proposal.point.index)
            res.x = prog.vector(expected.proposal.point.index)
        return res

    monkeypatch.setattr(mod, "milp", slipping)
    r = repair(space, "split", method="milp")
    assert r.repaired.point.index == expected.repaired.point.index
    assert r.solves == expected.solves + 1

    def erring(c, **kw):  # a solve error on the first attempt of every solve
        res = real(c, **kw)
        if kw["options"].get("presolve") is False:
            res.status, res.x = 4, None
        return res

    monkeypatch.setattr(mod, "milp", erring)
    r = repair(space, "split", method="milp")
    assert r.repaired.point.index == expected.repaired.point.index

    def failing(c, **kw):
        res = real(c, **kw)
        res.status, res.x, res.message = 4, None, "Solve error"
        return res

    monkeypatch.setattr(mod, "milp", failing)
    with pytest.raises(RuntimeError, match="HiGHS stopped without a solution"):
        repair(space, "split", method="milp")


def test_bad_input():
    space = compile_space(load_scenario("camp-david-1978"))
    with pytest.raises(InputError, match="unknown proposal 'nope'"):
        repair(space, "nope")
    with pytest.raises(InputError, match="must be at least 0, got -1"):
        repair(space, "split", max_changes=-1)
    with pytest.raises(InputError, match="unknown method 'lp'"):
        repair(space, "split", method="lp")
    with pytest.raises(InputError, match="unknown actor 'nobody'"):
        repair(space, "split", parties=["nobody"])
    with pytest.raises(InputError, match="one option index per issue"):
        repair(space, [0, 0])
    with pytest.raises(InputError, match="unknown issue 'zz'"):
        weight_to_accept(space, [0] * 5, "egypt", "zz")


# ---------------------------------------------------------------------------------------
# Inverse questions


def test_hand_computed_inverse():
    # A weighs x and y equally, batna 0.75; deal (o1, o0) gives U = (100 + 0) / 200 = 0.5.
    s = scenario_from_tables({"A": {"x": [0, 100], "y": [0, 100]},
                              "B": {"x": [100, 0], "y": [100, 0]}},
                             batna={"A": 0.75, "B": 0.0})
    space = compile_space(s)
    b = batna_to_accept(space, {"x": "o1", "y": "o0"}, "A")
    assert b.drop == Fraction(1, 4) and not b.accepted and b.new_batna == Fraction(1, 2)
    assert batna_to_accept(space, [1, 0], "B").drop == 0
    # raise x: (w + 0) / (w + 1) >= 3/4  <=>  w >= 3: weight 1 -> 3
    wx = weight_to_accept(space, [1, 0], "A", "x")
    assert (wx.weight, wx.new_weight, wx.change) == (1, 3, 2)
    assert wx.new_utility == Fraction(3, 4) and wx.new_share == Fraction(3, 4)
    # lower y: 1 / (1 + w) >= 3/4  <=>  w <= 1/3: weight 1 -> 1/3
    wy = weight_to_accept(space, [1, 0], "A", "y")
    assert wy.new_weight == Fraction(1, 3) and wy.change == Fraction(-2, 3)
    assert wy.to_dict()["change_exact"] == "-2/3"
    # deal (o0, o0): U = 0 whatever the weights
    assert weight_to_accept(space, [0, 0], "A", "x") is None
    assert weight_to_accept(space, [0, 0], "B", "x").change == 0  # already accepts


def exact_u(scenario, deal, a, issue, w):
    """U of actor a for `deal` with issue `issue`'s raw weight set to w, from raw numbers."""
    actor = scenario.actors[a]
    issues = scenario.issues
    ws = [w if k == issue else dec((actor.salience or {}).get(i.id, 0 if actor.salience
                                                                 else 1))
          for k, i in enumerate(issues)]
    s = [dec(actor.preferences[i.id][i.labels()[deal[k]]]) if i.id in actor.preferences
         else Fraction(0) for k, i in enumerate(issues)]
    num = sum(x * y for x, y in zip(ws, s, strict=True))
    total = sum(ws)
    for t in actor.interactions:
        x, y = (next(k for k, i in enumerate(issues) if i.id == v) for v in t.issues)
        num += dec(t.weight) * dec(t.scores[issues[x].labels()[deal[x]]]
                                   [issues[y].labels()[deal[y]]])
        total += dec(t.weight)
    return num / (100 * total) if total else None


@given(scenarios(), st.data())
@settings(max_examples=200, deadline=None)
def test_inverse_against_exact_arithmetic(scenario, data):
    space = compile_space(scenario)
    deal = tuple(data.draw(st.integers(0, n - 1)) for n in space.n_options)
    a = data.draw(st.integers(0, space.n_actors - 1))
    i = data.draw(st.integers(0, space.n_issues - 1))
    us = oracle.utilities(scenario)
    b = dec(scenario.actors[a].batna)
    bc = batna_to_accept(space, deal, a)
    assert bc.utility == us[deal][a] and bc.drop == max(0, b - us[deal][a])
    w = weight_to_accept(space, deal, a, i)
    actor = scenario.actors[a]
    w0 = dec((actor.salience or {}).get(scenario.issues[i].id, 0 if actor.salience else 1))
    assert exact_u(scenario, deal, a, i, w0) == us[deal][a]
    s = exact_u(scenario, deal, a, i, Fraction(10**12))  # ~ the limit as w grows
    at_zero = exact_u(scenario, deal, a, i, Fraction(0))
    if w is None:
        # U is monotone in w: neither end reaches the BATNA
        assert us[deal][a] < b and (at_zero is None or at_zero < b) and s < b
        return
    assert w.new_weight >= 0 and exact_u(scenario, deal, a, i, w.new_weight) >= b
    assert w.new_utility == exact_u(scenario, deal, a, i, w.new_weight)
    if w.change:
        assert us[deal][a] < b
        assert w.new_utility == b  # on the boundary: nothing smaller works
        mid = (w.weight + w.new_weight) / 2
        assert exact_u(scenario, deal, a, i, mid) < b
    else:
        assert us[deal][a] >= b


@given(scenarios(), st.data())
@settings(max_examples=150, deadline=None)
def test_batna_drop_for_zopa_against_brute_force(scenario, data):
    space = compile_space(scenario)
    parties = list(space.veto_indices)
    us = oracle.utilities(scenario)
    batna = [dec(a.batna) for a in scenario.actors]
    z = batna_drop_for_zopa(space)
    best = max(min(u[p] - batna[p] for p in parties) for u in us.values())
    assert z.best_min_gain == best and z.uniform == max(0, -best)
    assert z.exists == zopa(space).exists == (best >= 0)
    for k, p in enumerate(parties):
        others = [q for q in parties if q != p]
        g = [u[p] - batna[p] for u in us.values() if all(u[q] >= batna[q] for q in others)]
        expected = max(0, -max(g)) if g else None
        assert z.alone[space.actor_ids[p]] == expected, k


def test_inverse_report_and_ukraine_drops():
    space = compile_space(load_scenario("ukraine-2023"))
    rep = inverse_report(space, "china-12-points")
    assert [a.batna.actor for a in rep.actors] == ["russia", "ukraine"]
    assert rep.zopa.uniform == Fraction(43, 500)
    assert rep.zopa.alone == {"russia": Fraction(17, 100), "ukraine": Fraction(77, 500)}
    ukr = rep.actors[1]
    assert ukr.batna.drop == Fraction(883, 2000)
    assert ukr.weights["ceasefire"] is None and ukr.weights["grain"] is not None
    json.dumps(rep.to_dict())
    with pytest.raises(InputError, match="unknown proposal"):
        inverse_report(space, "nope")


# ---------------------------------------------------------------------------------------
# Command line


def run(*args):
    return runner.invoke(app, list(args))


def test_cli_repair_json():
    r = run("repair", "camp-david-1978", "--proposal", "split", "--json")
    assert r.exit_code == 0, r.stderr
    d = json.loads(r.stdout)
    assert d["found"] and d["changes"] == 2 and d["status"] == "optimal"
    assert d["changed"] == [{"issue": "sovereignty", "from": "partial", "to": "full"},
                            {"issue": "security", "from": "limited-forces",
                             "to": "demilitarised"}]
    assert d["smallest_gain"] == 0.07 and d["smallest_gain_exact"] == "7/100"
    assert d["repaired"]["agreement"] and set(d["repaired"]["accepted_by"]) >= {"egypt",
                                                                                 "israel"}
    assert d["proposal"]["id"] == "split" and len(d["nearest"]) == 3
    u = run("repair", "ukraine-2023", "--proposal", "china-12-points", "--json")
    assert u.exit_code == 0, u.stderr
    d = json.loads(u.stdout)
    assert not d["found"] and d["status"] == "infeasible" and not d["zopa"]["exists"]
    assert d["batna"]["zopa"]["uniform_drop"] == 0.086
    capped = json.loads(run("repair", "camp-david-1978", "--proposal", "split",
                            "--max-changes", "1", "--json").stdout)
    assert not capped["found"] and capped["needed_changes"] == 2


def test_cli_repair_methods_agree():
    """`--method search` (the default) and `--method milp` give the same repair; only the
    method, the proof's wording and the solve count differ."""
    out = {}
    for m in ("search", "milp"):
        r = run("repair", "camp-david-1978", "--proposal", "split", "--method", m, "--json")
        assert r.exit_code == 0, r.stderr
        out[m] = json.loads(r.stdout)
    assert out["search"]["method"].startswith("exact branch and bound")
    assert out["milp"]["method"].startswith("MILP")
    for d in out.values():
        for k in ("method", "proof", "solves"):
            d.pop(k)
    assert out["search"] == out["milp"]
    bad = run("repair", "camp-david-1978", "--proposal", "split", "--method", "lp")
    assert bad.exit_code == 2 and "unknown method 'lp'" in bad.stderr


def test_cli_repair_and_inverse_text():
    r = run("repair", "ukraine-2023", "--proposal", "china-12-points")
    assert r.exit_code == 0, r.stderr
    assert "No repair" in r.stdout and "0.086" in r.stdout
    r = run("repair", "camp-david-1978", "--deal", "sovereignty=partial,security=none,"
            "settlements=kept,relations=full,palestinian=none", "--max-changes", "3")
    assert r.exit_code == 0, r.stderr
    r = run("inverse", "camp-david-1978", "--proposal", "split")
    assert r.exit_code == 0, r.stderr
    assert "0.1225" in r.stdout and "impossible" in r.stdout
    r = run("inverse", "ukraine-2023", "--proposal", "china-12-points", "--actor", "ukraine",
            "--json")
    assert r.exit_code == 0, r.stderr
    d = json.loads(r.stdout)
    assert [a["actor"] for a in d["actors"]] == ["ukraine"]
    assert d["actors"][0]["drop_exact"] == "883/2000"
    assert d["actors"][0]["weights"]["ceasefire"] == {"possible": False}


@pytest.mark.parametrize("args, message", [
    (["repair", "camp-david-1978", "--proposal", "nope"], "unknown proposal 'nope'"),
    (["repair", "camp-david-1978", "--proposal", "split", "--max-changes", "-1"],
     "--max-changes: must be at least 0, got -1"),
    (["repair", "camp-david-1978"], "--deal: give exactly one of a deal and a proposal id"),
    (["repair", "camp-david-1978", "--proposal", "split", "--parties", "nobody"],
     "unknown actor 'nobody'"),
    (["repair", "camp-david-1978", "--deal", "sovereignty=maybe"], "--deal"),
    (["inverse", "camp-david-1978", "--proposal", "nope"], "unknown proposal 'nope'"),
    (["inverse", "camp-david-1978", "--proposal", "split", "--actor", "nobody"],
     "unknown actor 'nobody'"),
    (["inverse", "camp-david-1978", "--proposal", "split", "--deal", "x=y"],
     "--deal: give exactly one of a deal and a proposal id"),
])
def test_cli_bad_input_exits_2(args, message):
    r = runner.invoke(app, args)
    assert r.exit_code == 2, (r.stdout, r.stderr)
    assert message in r.stderr
    assert "Traceback" not in r.stderr and r.stdout == ""


# ---------------------------------------------------------------------------------------
# Direct answers (no frontier) against the frontier path


def _random_cases():
    cases = []
    for n in (3, 4, 5):
        for seed in range(4):
            for batna in (None, 0.45, 0.6):
                cases.append((n, seed, batna))
    return cases


@pytest.mark.parametrize(("n", "seed", "batna"), _random_cases())
def test_direct_zopa_drop_and_repair_match_the_frontier(n, seed, batna):
    from accord.bargaining.pareto import pareto_frontier
    from accord.generate import random_scenario

    space = compile_space(random_scenario(n, 5, 3 + seed % 2, seed=seed, batna=batna))
    assert space.additive
    f = pareto_frontier(space)
    direct = batna_drop_for_zopa(space)
    assert direct == batna_drop_for_zopa(space, frontier=f)
    base = tuple((seed + i) % space.n_options[i] for i in range(space.n_issues))
    for cap in (None, 1):
        d = repair(space, base, cap)
        assert d.nearest_note == ""
        assert d.to_dict() == repair(space, base, cap, frontier=f).to_dict()
    assert inverse_report(space, base) == inverse_report(space, base, frontier=f)


def test_direct_matches_the_frontier_on_builtins():
    from accord.bargaining.pareto import pareto_frontier
    from accord.io import builtin_ids

    for sid in builtin_ids():
        space = compile_space(load_scenario(sid))
        if not space.additive:
            continue
        f = pareto_frontier(space)
        assert batna_drop_for_zopa(space) == batna_drop_for_zopa(space, frontier=f), sid
        for p in space.scenario.proposals:
            d = repair(space, p.id).to_dict()
            assert d == repair(space, p.id, frontier=f).to_dict(), (sid, p.id)
            assert (inverse_report(space, p.id)
                    == inverse_report(space, p.id, frontier=f)), (sid, p.id)


def test_nearest_deals_are_left_out_when_the_frontier_is_too_large(monkeypatch):
    from accord.bargaining import repair as repair_module

    space = compile_space(load_scenario("camp-david-1978"))
    full = repair(space, "split")
    monkeypatch.setattr(repair_module, "NEAREST_CANDIDATES", 1)
    r = repair(space, "split")
    assert r.nearest == () and full.nearest
    assert "too large to list nearest deals" in r.nearest_note
    assert r.to_dict()["nearest_note"] == r.nearest_note
    d, e = r.to_dict(), full.to_dict()
    for x in (d, e):
        x.pop("nearest"), x.pop("nearest_note", None), x["zopa"].pop("frontier_count")
    assert d == e
    assert repair(space, "split", nearest=0).nearest_note == ""


def test_cli_time_limit_option():
    r = run("repair", "camp-david-1978", "--proposal", "split", "--time-limit", "60", "--json")
    assert r.exit_code == 0, r.stderr
    r = run("inverse", "ukraine-2023", "--proposal", "china-12-points", "--time-limit", "60",
            "--json")
    assert r.exit_code == 0, r.stderr


def test_a_cancelled_budget_stops_repair_and_inverse():
    from accord.budget import Budget, BudgetExceeded

    space = compile_space(load_scenario("camp-david-1978"))
    for call in (lambda b: repair(space, "split", budget=b),
                 lambda b: inverse_report(space, "split", budget=b)):
        b = Budget()
        b.cancel()
        with pytest.raises(BudgetExceeded):
            call(b)


def test_a_stopped_repair_says_what_it_found_in_its_own_terms():
    """Stopped at each check of its searches in turn, a repair reports, for the stage it
    was in, what it had found; for the fewest changes, the bracket it gives holds the true
    number of changes (from the unstopped repair)."""
    import re

    from accord.generate import random_scenario

    from .test_direct import _StopAfter, stop_messages, tiny_tree

    space = compile_space(random_scenario(5, 8, 4, seed=3, batna=0.55))
    base = tuple(0 for _ in range(space.n_issues))
    with tiny_tree():
        full = repair(space, base, method="search")
        assert full.found and full.changes > 1
        seen = set()
        for message in stop_messages(
                lambda b: repair(space, base, method="search", budget=b),
                (_StopAfter(calls) for calls in range(200))):
            m = re.search(r"the best repair found changes (\d+); no repair changes fewer "
                          r"than (\d+)", message)
            if m:
                assert int(m.group(2)) <= full.changes <= int(m.group(1)), message
                seen.add("changes")
            for stage in ("smallest gain", "sum of gains"):
                if f"the repair's {stage} not proven" in message:
                    seen.add(stage)
    assert "changes" in seen
