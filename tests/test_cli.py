"""The `accord` command: JSON contracts, exit codes, and the built-in scenarios end to end."""

from __future__ import annotations

import json
from fractions import Fraction

import jsonschema
import pytest
import yaml
from typer.testing import CliRunner

from accord.cli import app
from accord.io import builtin_ids, builtin_path, load_scenario

from . import oracle

runner = CliRunner()
BUILTINS = ["camp-david-1978", "england-zimbabwe", "logrolling", "ukraine-2023"]


def run_json(*args: str):
    r = runner.invoke(app, [*args, "--json"])
    assert r.exit_code == 0, r.stderr
    return json.loads(r.stdout)  # exactly one document, nothing else on stdout


def test_builtins_are_listed():
    assert builtin_ids() == BUILTINS
    rows = run_json("scenarios")
    assert [r["id"] for r in rows] == BUILTINS


@pytest.mark.parametrize("sid", BUILTINS)
def test_analyze_json_contract_and_values_against_brute_force(sid):
    out = run_json("analyze", sid)
    scenario = load_scenario(sid)
    actors = [a.id for a in scenario.actors]
    parties = [k for k, a in enumerate(scenario.actors) if a.has_veto]
    assert out["scenario"] == sid and out["parties"] == [actors[k] for k in parties]
    assert set(out["batna"]) == set(actors)
    us = oracle.utilities(scenario)
    assert out["outcomes"] == len(us)
    batna = [Fraction(repr(a.batna)) for a in scenario.actors]
    inside = oracle.zopa(us, parties, batna)
    assert out["zopa"]["exists"] == bool(inside)
    assert out["zopa"]["count"] == len(inside)
    front = oracle.frontier(us, parties)
    assert out["pareto"]["size"] == len(front) == len(out["pareto"]["deals"])
    for d in out["pareto"]["deals"]:
        assert set(d["utilities"]) == set(actors)
    for name, sol in out["solutions"].items():
        assert (sol is None) == (not inside), name
        if sol:
            for k in parties:
                assert sol["utilities"][actors[k]] >= out["batna"][actors[k]] - 1e-9
    for p in out["proposals"]:
        one = run_json("evaluate", sid, "--proposal", p["id"])
        assert one == p
        assert not (set(p["accepted_by"]) & set(p["rejected_by"]))
        assert (p["improvement"] is None) == p["pareto_optimal"]


def test_ukraine_2023_reproduces_the_article():
    out = run_json("analyze", "ukraine-2023")
    assert out["parties"] == ["russia", "ukraine"]
    assert out["zopa"]["exists"] is False  # "no prospects for a political settlement"
    assert 0 < out["zopa"]["shortfall"] < 0.2  # but a costlier stalemate could open one
    plan = next(p for p in out["proposals"] if p["id"] == "china-12-points")
    assert "russia" in plan["accepted_by"]
    assert {"ukraine", "usa"} <= set(plan["rejected_by"])
    assert plan["agreement"] is False and plan["vetoed_by"] == ["ukraine"]


def test_logrolling_split_is_dominated_by_the_logroll():
    out = run_json("evaluate", "logrolling", "--proposal", "split-the-difference")
    assert out["pareto_optimal"] is False
    assert all(g > 0 for g in out["improvement"]["gains"].values()) or out["improvement"]


def test_evaluate_a_deal_given_on_the_command_line():
    out = run_json("evaluate", "logrolling", "--deal", _deal_arg("logrolling", "logroll"))
    ref = run_json("evaluate", "logrolling", "--proposal", "logroll")
    assert out["utilities"] == ref["utilities"] and out["id"] is None


def _deal_arg(sid: str, pid: str) -> str:
    deal = load_scenario(sid).proposal(pid).deal
    return ",".join(f"{k}={v:g}" if isinstance(v, float) else f"{k}={v}" for k, v in deal.items())


@pytest.mark.parametrize("args, message", [
    (["evaluate", "logrolling"], "--deal: give exactly one of a deal and a proposal id"),
    (["evaluate", "logrolling", "--proposal", "nope"], "unknown proposal 'nope'"),
    (["evaluate", "logrolling", "--deal", "garbage"], "--deal: 'garbage' is not issue=option"),
    (["evaluate", "ukraine-2023", "--deal", "ceasefire=maybe"], "--deal.ceasefire: option "
                                                                "'maybe' is not an option"),
    (["analyze", "ukraine-2023", "--parties", "russia,atlantis"], "--parties: unknown actor "
                                                                  "'atlantis'"),
])
def test_bad_arguments_exit_2_with_a_message(args, message):
    r = runner.invoke(app, args)
    assert r.exit_code == 2
    assert message in r.stderr
    assert "Traceback" not in r.stderr and r.stdout == ""


def test_internal_error_exits_1_without_traceback(monkeypatch):
    import accord.analysis

    def boom(*a, **k):
        raise RuntimeError("kaboom")

    monkeypatch.setattr(accord.analysis, "analyze", boom)
    r = runner.invoke(app, ["analyze", "logrolling"])
    assert r.exit_code == 1
    assert "internal error: RuntimeError: kaboom" in r.stderr and "Traceback" not in r.stderr


def test_parties_option_changes_whose_frontier_it_is():
    out = run_json("analyze", "ukraine-2023", "--parties", "ukraine,usa")
    assert out["parties"] == ["ukraine", "usa"]
    for d in out["pareto"]["deals"]:
        assert set(d["gains"]) == {"ukraine", "usa"}


def test_schema_accepts_every_builtin_and_rejects_bad_input():
    r = runner.invoke(app, ["schema"])
    assert r.exit_code == 0
    schema = json.loads(r.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    for sid in BUILTINS:
        data = json.loads(json.dumps(yaml.safe_load(builtin_path(sid).read_text()),
                                     default=str))
        assert not list(validator.iter_errors(data)), sid
    bad = {"accord": 1, "id": "x", "title": "x", "issues": [], "actors": [{"id": "a",
                                                                          "batna": 2}]}
    assert list(validator.iter_errors(bad))


@pytest.mark.parametrize("sid", BUILTINS)
def test_human_readable_commands_run(sid):
    for args in (["show", sid], ["analyze", sid], ["validate", str(builtin_path(sid))]):
        r = runner.invoke(app, args)
        assert r.exit_code == 0, (args, r.stderr)
        assert r.stdout.strip()


def test_weighted_nash_from_the_command_line_moves_towards_the_heavier_party():
    plain = run_json("analyze", "logrolling")["solutions"]["nash"]
    heavy = run_json("analyze", "logrolling", "--nash-weights", "dept-a=3")
    nash = heavy["solutions"]["nash"]
    assert nash["utilities"]["dept-a"] > plain["utilities"]["dept-a"]
    # on the grid, maximise 3 log u1 + log u2 by brute force over the 121 deals
    best = max(((x, y) for x in range(0, 101, 10) for y in range(0, 101, 10)),
               key=lambda d: 3 * _log(0.7 * d[0] / 100 + 0.3 * d[1] / 100)
               + _log(0.2 * (1 - d[0] / 100) + 0.8 * (1 - d[1] / 100)))
    assert (nash["deal"]["equipment"], nash["deal"]["staff"]) == best
    assert heavy["method"]["nash_weights"] == {"dept-a": 3.0, "dept-b": 1.0}


def _log(x: float) -> float:
    import math

    return math.log(x) if x > 0 else float("-inf")


def test_version():
    r = runner.invoke(app, ["--version"])
    assert r.exit_code == 0 and r.stdout.startswith("accord ")
