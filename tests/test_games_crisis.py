"""Crises under private information: Fearon's range and risk-return trade-off, the Kydd-type
mediator ([R] reconstruction), Crawford-Sobel cheap talk, scenarios' war lotteries, and the
`accord crisis` command.

Expected numbers are those of the bargaining-and-mediation reference (sections 5, 6.1, 7),
recomputed here by independent means where possible (exact fractions, a direct check of
each boundary type's indifference, the scenario's own utilities, numerical integration).
"""

from __future__ import annotations

import json
import math
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from accord.cli import app
from accord.errors import InputError
from accord.games.crisis import (
    bargaining_range,
    cheap_talk,
    crisis_report,
    load_crisis,
    max_messages,
    mediator_credibility,
    partition,
    risk_return,
    scenario_crisis,
    scenario_wars,
)
from accord.io import load_scenario, scenario_from_text
from accord.space import compile_space

DATA = Path(__file__).parent / "data" / "games" / "crisis"
runner = CliRunner()

FEARON = {"p": 0.5, "c_a": 0.1, "c_low": 0.05, "c_high": 0.3, "q": 0.3}


def F(x: float) -> Fraction:
    return Fraction(repr(x))


# --- Fearon's bargaining range ---------------------------------------------------------------


def test_bargaining_range_reference_example():
    r = bargaining_range(0.6, 0.1, 0.15)
    assert (r.low, r.high, r.width) == (0.50, 0.75, 0.25)
    assert (r.war_payoff_a, r.war_payoff_b) == (0.5, 0.25)
    assert (r.feasible_low, r.feasible_high) == (0.5, 0.75)
    assert r.to_dict()["low"] == 0.5


def test_bargaining_range_clipped_to_the_issue():
    r = bargaining_range(0.95, 0.1, 0.2)
    assert (r.low, r.high) == (0.85, 1.15)
    assert (r.feasible_low, r.feasible_high) == (0.85, 1.0)


@pytest.mark.parametrize("args,path", [((1.2, 0.1, 0.1), "p"), ((0.5, -0.1, 0.1), "c_a"),
                                       ((0.5, 0.1, float("nan")), "c_b"),
                                       ((True, 0.1, 0.1), "p")])
def test_bargaining_range_refuses_bad_parameters(args, path):
    with pytest.raises(InputError) as e:
        bargaining_range(*args)
    assert [p.path for p in e.value.problems] == [path]


def test_parameters_are_read_by_the_one_rule_of_exact_numbers():
    """Numbers as `accord.numeric.exact_number` reads them: text such as "1/4" exactly,
    numpy scalars as the numbers they are; a huge integer is named, not printed."""
    r = bargaining_range("1/2", np.float64(0.1), np.int64(0))
    assert (r.low, r.high, r.width) == (0.4, 0.5, 0.1)
    assert cheap_talk("1/10").cuts == cheap_talk(0.1).cuts == (0.3,)
    with pytest.raises(InputError) as e:
        bargaining_range(10**400, 0.1, 0.1)
    [p] = e.value.problems
    assert p.path == "p" and p.message.startswith("expected a finite number") \
        and len(p.message) < 80


@settings(max_examples=200, deadline=None)
@given(st.floats(0, 1), st.floats(0, 5), st.floats(0, 5))
def test_range_has_width_ca_plus_cb(p, c_a, c_b):
    r = bargaining_range(p, c_a, c_b)
    assert r.width == float(F(c_a) + F(c_b))
    assert r.high - r.low == pytest.approx(c_a + c_b, abs=1e-12)
    assert r.low <= p <= r.high
    # A accepts exactly the shares worth at least its war payoff, B likewise
    assert r.low == pytest.approx(r.war_payoff_a, abs=1e-12)
    assert 1 - r.high == pytest.approx(r.war_payoff_b, abs=1e-12)


# --- the risk-return trade-off ---------------------------------------------------------------


def test_risk_return_reference_example():
    r = risk_return(**FEARON)
    assert (r.safe_demand, r.expected_safe) == (0.55, 0.55)
    assert (r.risky_demand, r.expected_risky) == (0.80, 0.68)
    assert (r.choice, r.demand, r.expected) == ("risky", 0.80, 0.68)
    assert r.war_probability == 0.3
    assert r.cutoff == 0.625
    assert r.war_payoff_a == 0.4
    # the reference's check: (1 - q) c_H - c_L = 0.16 > q c_A = 0.03
    assert (1 - F(0.3)) * F(0.3) - F(0.05) == Fraction(16, 100)
    assert F(0.3) * F(0.1) == Fraction(3, 100)


def test_risk_return_at_and_above_the_cutoff_plays_safe():
    at = risk_return(**{**FEARON, "q": 0.625})
    assert at.expected_risky == at.expected_safe == 0.55  # indifferent: ties keep the peace
    assert (at.choice, at.war_probability, at.demand) == ("safe", 0.0, 0.55)
    above = risk_return(**{**FEARON, "q": 0.7})
    assert (above.choice, above.war_probability) == ("safe", 0.0)


def test_risk_return_caps_demands_at_the_whole_issue():
    r = risk_return(p=0.8, c_a=0.1, c_low=0.1, c_high=0.5, q=0.2)
    assert (r.safe_demand, r.risky_demand) == (0.9, 1.0)
    assert r.cutoff == pytest.approx(0.1 / 0.3)  # (1 - 0.9) / (1 - (0.8 - 0.1))


def test_risk_return_refuses_swapped_types():
    with pytest.raises(InputError, match=r"c_high: the weak type's cost \(0.05\) must be at "
                                         r"least the resolved type's c_low \(0.3\)"):
        risk_return(p=0.5, c_a=0.1, c_low=0.3, c_high=0.05, q=0.3)


costs = st.floats(0, 2)


@settings(max_examples=300, deadline=None)
@given(st.floats(0, 1), costs, costs, costs, st.floats(0, 1))
def test_cutoff_in_unit_interval_and_decides_the_gamble(p, c_a, c1, c2, q):
    c_low, c_high = min(c1, c2), max(c1, c2)
    r = risk_return(p, c_a, c_low, c_high, q)
    assert 0 <= r.cutoff <= 1
    assert r.war_probability in (0.0, r.q)
    assert r.expected == max(r.expected_safe, r.expected_risky)
    # exact: A gambles iff q < q*; where p + c_high <= 1 iff Fearon's inequality holds
    pp, ca, cl, ch, qq = map(F, (p, c_a, c_low, c_high, q))
    x_l, x_h = min(Fraction(1), pp + cl), min(Fraction(1), pp + ch)
    denom = x_h - pp + ca
    q_star = (x_h - x_l) / denom if denom else Fraction(0)
    assert r.cutoff == float(q_star)
    assert (r.choice == "risky") == (qq < q_star)
    if pp + ch <= 1:
        assert (r.choice == "risky") == ((1 - qq) * ch - cl > qq * ca)
        if ch + ca > 0:
            assert q_star == (ch - cl) / (ch + ca)


# --- the mediator ([R] reconstruction) --------------------------------------------------------


@pytest.mark.parametrize("m,credible", [(0.5, False), (0.6, False), (0.675, True), (0.7, True),
                                        (0.8, True), (1.0, True)])
def test_mediator_thresholds_of_the_reference(m, credible):
    r = mediator_credibility(**FEARON, m=m)
    assert r.c_m == 0.1  # the reference's assumption, the default
    assert r.threshold == 0.675 and r.midpoint == 0.675
    assert (r.demand_if_resolved, r.demand_if_weak) == (0.55, 0.80)
    assert r.credible is credible
    assert r.weak.holds is credible
    assert r.resolved.holds  # "holds for every m tested"
    assert r.war_probability_without == 0.3
    assert r.war_probability_with == (0.0 if credible else 0.3)
    assert r.value == (0.3 if credible else 0.0)
    assert r.expected_a_without == 0.68
    assert r.expected_a_with == (0.725 if credible else 0.68)  # 0.3 * 0.55 + 0.7 * 0.8


def test_mediator_state_utilities():
    r = mediator_credibility(**FEARON, m=0.7)
    assert (r.weak.truthful, r.weak.lie) == (-0.1, -0.15)  # -|0.8 - 0.7|, -|0.55 - 0.7|
    # war: 0.5 * -|1 - 0.7| + 0.5 * -|0 - 0.7| - 0.1 = -0.6
    assert (r.resolved.truthful, r.resolved.lie) == (-0.15, -0.6)
    d = r.to_dict()
    assert d["weak"] == {"state": "weak", "truthful": -0.1, "lie": -0.15, "holds": True}
    json.dumps(d)


def test_mediator_worthless_when_a_would_not_gamble():
    r = mediator_credibility(**{**FEARON, "q": 0.7}, m=0.9)
    assert r.credible and r.war_probability_without == 0.0 and r.value == 0.0
    assert r.expected_a_with > r.expected_a_without  # A still gains from the information


@settings(max_examples=300, deadline=None)
@given(st.floats(0, 1), costs, costs, costs, st.floats(0, 1), st.floats(0, 1), costs)
def test_credible_iff_ideal_point_at_or_beyond_the_threshold(p, c_a, c1, c2, q, m, c_m):
    c_low, c_high = min(c1, c2), max(c1, c2)
    r = mediator_credibility(p, c_a, c_low, c_high, q, m, c_m)
    assume(r.threshold is None or abs(m - r.threshold) > 1e-12)
    assert r.credible == (r.threshold is not None and m >= r.threshold)
    if r.demand_if_weak > r.demand_if_resolved:
        # the resolved-state condition never binds in this reconstruction: the verdict is
        # the midpoint rule, whatever the mediator's cost of war
        assert r.threshold == r.midpoint
        assert r.credible == r.weak.holds
    assert 0 <= r.value <= r.war_probability_without


# --- cheap talk -------------------------------------------------------------------------------


def test_cheap_talk_reference_examples():
    c = cheap_talk(0.1)
    assert (c.messages, c.cuts, c.boundaries) == (2, (0.3,), (0.0, 0.3, 1.0))
    assert c.actions == (0.15, 0.65)
    assert c.informative
    c = cheap_talk(0.05)
    assert c.messages == 3 and c.cuts == (float(Fraction(2, 15)), float(Fraction(7, 15)))
    assert [round(x, 4) for x in c.cuts] == [0.1333, 0.4667]
    assert cheap_talk(0.01).messages == 7
    for b in (0.25, 0.3, 1.0, 10.0):
        c = cheap_talk(b)
        assert (c.messages, c.cuts, c.informative) == (1, (), False)
        assert c.receiver_utility == float(Fraction(-1, 12))


def test_messages_formula_and_exact_boundaries():
    def formula(b: float) -> int:
        return math.ceil(-0.5 + 0.5 * math.sqrt(1 + 2 / b))

    for b in (0.1, 0.05, 0.01, 0.3, 0.2, 0.001, 0.0333):
        assert max_messages(b) == formula(b)
    # where 1 + 2/b is a perfect square the N-partition degenerates (a_1 = 0)
    assert max_messages(Fraction(1, 4)) == 1
    assert max_messages(Fraction(1, 12)) == 2
    assert max_messages(Fraction(1, 12) - Fraction(1, 10**9)) == 3
    assert max_messages(-0.1) == 2


def test_utilities_closed_form_and_numerical_integration():
    c = cheap_talk(0.1)
    assert c.receiver_utility == pytest.approx(-1 / 48 - 0.01)  # -1/(12N^2) - b^2 (N^2-1)/3
    assert c.sender_utility == pytest.approx(c.receiver_utility - 0.01)
    theta = (np.arange(200_000) + 0.5) / 200_000
    bounds = np.array(c.boundaries)
    y = np.array(c.actions)[np.searchsorted(bounds, theta, side="right") - 1]
    assert -np.mean((y - theta) ** 2) == pytest.approx(c.receiver_utility, abs=1e-8)
    assert -np.mean((y - theta - 0.1) ** 2) == pytest.approx(c.sender_utility, abs=1e-8)
    # more messages are better for both
    recv = [e.receiver_utility for e in cheap_talk(0.01).equilibria]
    assert recv == sorted(recv) and len(recv) == 7


def _indifferent(b: Fraction, bounds: list[Fraction]) -> bool:
    actions = [(lo + hi) / 2 for lo, hi in zip(bounds, bounds[1:], strict=False)]
    return all(abs(bounds[i] + b - actions[i - 1]) == abs(actions[i] - bounds[i] - b)
               for i in range(1, len(bounds) - 1))


@pytest.mark.parametrize("b", [Fraction(1, 10), Fraction(1, 20), Fraction(1, 100),
                               Fraction(-1, 30), Fraction(3, 1000)])
def test_partition_formula_against_direct_indifference(b):
    n = max_messages(b)
    bounds = partition(b, n)
    assert bounds == [Fraction(i, n) + 2 * b * i * (i - n) for i in range(n + 1)]
    assert _indifferent(b, bounds)
    # independent construction: a_{i+1} - a_i = a_i - a_{i-1} + 4b, a_N = 1
    a1 = (1 - 2 * b * n * (n - 1)) / n
    direct = [Fraction(0), a1]
    while len(direct) <= n:
        direct.append(2 * direct[-1] - direct[-2] + 4 * b)
    assert direct == bounds
    assert all(lo < hi for lo, hi in zip(bounds, bounds[1:], strict=False))
    with pytest.raises(InputError):
        partition(b, n + 1)  # one more message: no equilibrium


@settings(max_examples=300, deadline=None)
@given(st.floats(1e-4, 2))
def test_partitions_increase_from_0_to_1(b):
    c = cheap_talk(b)
    assert c.boundaries[0] == 0 and c.boundaries[-1] == 1
    assert all(lo < hi for lo, hi in zip(c.boundaries, c.boundaries[1:], strict=False))
    assert len(c.boundaries) == c.messages + 1 == len(c.actions) + 1
    assert (c.messages == 1) == (b >= 0.25)
    assert 2 * F(b) * c.messages * (c.messages - 1) < 1 <= 2 * F(b) * (c.messages + 1) * c.messages
    assert _indifferent(F(b), partition(F(b), c.messages))
    assert c.sender_utility <= c.receiver_utility < 0


def test_cheap_talk_refuses_zero_and_tiny_bias():
    with pytest.raises(InputError, match="a bias of 0 means no conflict of interest"):
        cheap_talk(0)
    with pytest.raises(InputError, match="needs .* messages"):
        cheap_talk(1e-12)


# --- scenarios: war lotteries -----------------------------------------------------------------


def test_border_war_scenario_batnas_and_range():
    s = load_scenario(DATA / "border-war.yaml")
    wars = scenario_wars(s)
    assert [(a.actor, a.batna, a.value) for a in wars.actors] == [("a", 0.5, 0.5),
                                                                   ("b", 0.25, 0.25)]
    (pair,) = wars.pairs
    r = bargaining_range(0.6, 0.1, 0.15)
    assert (pair.a, pair.b, pair.p) == ("a", "b", 0.6)
    assert (pair.low, pair.high, pair.width, pair.exists) == (r.low, r.high, r.width, True)
    (line,) = pair.issues
    assert (line.issue, line.kind, line.low, line.high) == ("line", "numeric", 50.0, 75.0)


def test_issue_range_matches_the_scenarios_own_acceptance():
    s = load_scenario(DATA / "border-war.yaml")
    space = compile_space(s)
    grid = s.issue("line").grid()
    deals = np.arange(len(grid))[:, None]
    both = space.accepts(space.utility_units(deals)).all(axis=1)
    (line,) = scenario_wars(s).pairs[0].issues
    assert [x for x, ok in zip(grid, both, strict=True) if ok] == \
        [x for x in grid if line.low <= x <= line.high]


SCENARIO = """
accord: 1
id: w
title: w
issues:
  - {id: x, range: [0, 10]}
  - {id: d, options: [lo, mid, hi]}
actors:
  - {id: a, war: {win_probability: 0.7, cost: 0.1, win: 0.9, loss: 0.2},
     preferences: {x: {ideal: 8}, d: {lo: 0, mid: 70, hi: 100}}}
  - {id: b, war: {win_probability: 0.3, cost: 0.05},
     preferences: {x: {ideal: 2}, d: {lo: 100, mid: 80, hi: 0}}}
  - {id: c, war: {win_probability: 0.5, cost: 0.2}, salience: {x: 1},
     preferences: {x: {ideal: 5}}}
  - {id: m, role: mediator, war: {win_probability: 0.5, cost: 0.3}, salience: {x: 1},
     preferences: {x: {ideal: 5}}}
"""


def test_general_war_lotteries_and_discrete_issues():
    s = scenario_from_text(SCENARIO, "w.yaml")
    wars = scenario_wars(s)
    # a: 0.7 * 0.9 + 0.3 * 0.2 - 0.1 = 0.59; b: 0.3 - 0.05 = 0.25; m is listed, not paired
    assert [(w.actor, w.value) for w in wars.actors] == [("a", 0.59), ("b", 0.25),
                                                         ("c", 0.3), ("m", 0.2)]
    (pair,) = wars.pairs  # only a and b have win probabilities adding up to 1
    assert (pair.a, pair.b, pair.low, pair.high) == ("a", "b", 0.59, 0.75)
    x, d = pair.issues
    # a: |x - 8| <= 0.41 * 10; b: |x - 2| <= 0.75 * 10
    assert (x.low, x.high) == (3.9, 9.5)
    assert d.options == ("mid",)  # scores >= 59 for a and >= 25 for b


def test_scenario_without_crisis_material_is_bad_input():
    with pytest.raises(InputError, match="nothing to analyse"):
        scenario_crisis(load_scenario("logrolling"), "logrolling (built-in)")


# --- the crisis file --------------------------------------------------------------------------


def test_crisis_file_report():
    from accord.io import read_data

    data, name = read_data(DATA / "fearon.yaml")
    rep = crisis_report(data, name).to_dict()
    assert rep["bargaining_range"][0]["low"] == 0.5
    assert [c["label"] for c in rep["mediator_credibility"]] == ["centrist", "leaning",
                                                                 "midpoint", "on A's side"]
    # mediator cases take p, c_a, c_low, c_high, q from the risk_return case
    assert [c["credible"] for c in rep["mediator_credibility"]] == [False, False, True, True]
    assert [c["messages"] for c in rep["cheap_talk"]] == [2, 3, 1]
    assert rep["war_lotteries"] == [] and rep["fearon_pairs"] == []


def test_load_crisis_is_what_the_command_prints():
    """`accord crisis --json` prints `load_crisis(FILE).to_dict()` (file or scenario)."""
    for path in (DATA / "fearon.yaml", DATA / "border-war.yaml"):
        r = runner.invoke(app, ["crisis", str(path), "--json"])
        assert r.exit_code == 0, r.stderr
        assert json.loads(r.stdout) == json.loads(json.dumps(load_crisis(str(path)).to_dict()))


def test_crisis_file_problems_are_all_reported_with_paths():
    data = {"risk_return": [{"p": 2, "c_a": 0.1, "c_low": 0.1, "c_high": 0.2, "q": 0.5},
                            {"p": 0.5, "c_a": 0.1, "c_low": 0.1, "c_high": 0.2, "qq": 0.5}],
            "mediator_credibility": {"m": "far"}, "cheap_talk": 0.1}
    with pytest.raises(InputError) as e:
        crisis_report(data, "f.yaml", prefix="games.crisis")
    got = {(p.path, p.message.split(":")[0].split(",")[0]) for p in e.value.problems}
    assert ("games.crisis.risk_return[0].p", "A's probability of winning must lie in [0") in got
    assert ("games.crisis.risk_return[1].qq", "unknown field (did you mean 'q'?); expected "
                                              "one of") in got
    assert ("games.crisis.risk_return[1].q", "required field is missing") in got
    # two risk_return cases: the mediator cannot inherit from them
    assert ("games.crisis.mediator_credibility.p", "required field is missing") in got
    assert ("games.crisis.mediator_credibility.m", "expected a number") in got
    assert ("games.crisis.cheap_talk", "expected a mapping of parameters or a non-empty list "
                                       "of them") in got
    assert all(p.file == "f.yaml" for p in e.value.problems)


# --- the command ------------------------------------------------------------------------------


def run_json(*args: str) -> dict:
    r = runner.invoke(app, ["crisis", *args, "--json"])
    assert r.exit_code == 0, r.stderr
    return json.loads(r.stdout)


def test_cli_json_on_the_example_file():
    out = run_json(str(DATA / "fearon.yaml"))
    assert out["scenario"] is None
    br, rr = out["bargaining_range"][0], out["risk_return"][0]
    assert (br["low"], br["high"], br["width"]) == (0.5, 0.75, 0.25)
    assert (rr["demand"], rr["expected_risky"], rr["expected_safe"]) == (0.8, 0.68, 0.55)
    assert (rr["war_probability"], rr["cutoff"]) == (0.3, 0.625)
    med = out["mediator_credibility"]
    assert [(c["m"], c["credible"], c["value"]) for c in med] == [
        (0.5, False, 0.0), (0.6, False, 0.0), (0.675, True, 0.3), (0.8, True, 0.3)]
    assert {c["threshold"] for c in med} == {0.675}
    ct = out["cheap_talk"]
    assert [(c["b"], c["messages"], c["cuts"]) for c in ct][0] == (0.1, 2, [0.3])
    assert ct[2]["messages"] == 1 and ct[2]["cuts"] == []


def test_cli_json_on_a_scenario():
    out = run_json(str(DATA / "border-war.yaml"))
    assert out["scenario"] == "border-war"
    assert [(a["actor"], a["batna"]) for a in out["war_lotteries"]] == [("a", 0.5), ("b", 0.25)]
    (pair,) = out["fearon_pairs"]
    assert (pair["low"], pair["high"]) == (0.5, 0.75)
    assert pair["issues"] == [{"issue": "line", "kind": "numeric", "low": 50.0, "high": 75.0}]
    assert out["mediator_credibility"][0]["credible"] is True


def test_cli_tables():
    r = runner.invoke(app, ["crisis", str(DATA / "fearon.yaml")])
    assert r.exit_code == 0, r.stderr
    for text in ("[0.5, 0.75]", "0.8 -> 0.68", "0.55 -> 0.55", "0.625", "0.675",
                 "0.1333, 0.4667", "(babbling)", "[R] reconstruction"):
        assert text in r.stdout, text
    r = runner.invoke(app, ["crisis", str(DATA / "border-war.yaml")])
    assert r.exit_code == 0, r.stderr
    assert "[50, 75]" in r.stdout and "BATNAs from war lotteries" in r.stdout


def test_cli_json_crisis_file(tmp_path):
    f = tmp_path / "c.json"
    f.write_text(json.dumps({"cheap_talk": {"b": 0.05}}))
    assert run_json(str(f))["cheap_talk"][0]["messages"] == 3


@pytest.mark.parametrize("name,messages", [
    ("bad/bad_values.yaml", [
        "bad_values.yaml: risk_return.c_hgih: unknown field (did you mean 'c_high'?)",
        "risk_return.c_high: required field is missing: the weak type's cost of war",
        "risk_return.p: A's probability of winning must lie in [0, 1], got 1.5",
        "risk_return.c_a: A's cost of war must be at least 0, got -0.1"]),
    ("bad/bad_order.yaml", [
        "risk_return.c_high: the weak type's cost (0.05) must be at least the resolved "
        "type's c_low (0.3)",
        "cheap_talk.b: a bias of 0 means no conflict of interest"]),
    ("bad/missing.yaml", [
        "bargaining_range.p: expected a number, got True",
        "mediator_credibility.p: required field is missing: A's probability of winning a "
        "war (or give exactly one risk_return case"]),
    ("bad/no_model.yaml", ["fearon: unknown field",
                           "(top level): no model to run: give at least one of"]),
    ("bad/not_a_mapping.yaml", ["(top level): expected a mapping with any of the sections"]),
    ("bad/syntax.yaml", ["syntax.yaml: line 2, column 1: YAML syntax error"]),
])
def test_cli_bad_input_exits_2_with_messages(name, messages):
    for extra in ([], ["--json"]):
        r = runner.invoke(app, ["crisis", str(DATA / name), *extra])
        assert r.exit_code == 2, (r.stdout, r.stderr)
        assert r.stdout == ""
        for m in messages:
            assert m in r.stderr, (m, r.stderr)
        assert "Traceback" not in r.stderr


def test_cli_bad_scenario_section_and_missing_files(tmp_path):
    text = (DATA / "border-war.yaml").read_text().replace("q: 0.3}", "q: 1.3}")
    f = tmp_path / "s.yaml"
    f.write_text(text)
    r = runner.invoke(app, ["crisis", str(f)])
    assert r.exit_code == 2
    assert "games.crisis.risk_return.q: the probability that B is resolved must lie in " \
           "[0, 1], got 1.3" in r.stderr
    r = runner.invoke(app, ["crisis", "ukraine-2023"])
    assert r.exit_code == 2
    assert "ukraine-2023 (built-in): games.crisis: nothing to analyse" in r.stderr
    r = runner.invoke(app, ["crisis", str(tmp_path / "none.yaml")])
    assert r.exit_code == 2 and "no such file" in r.stderr
    empty = tmp_path / "empty.yaml"
    empty.write_text("")
    r = runner.invoke(app, ["crisis", str(empty)])
    assert r.exit_code == 2 and "(top level): is empty" in r.stderr


def test_crisis_report_polls_its_budget():
    import time

    from accord.budget import Budget, BudgetExceeded
    from accord.io import read_data

    data, name = read_data(DATA / "fearon.yaml")
    with pytest.raises(BudgetExceeded, match="crisis cases"):
        crisis_report(data, name, budget=Budget(1.0, started=time.perf_counter() - 3600))
