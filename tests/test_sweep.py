"""Sweeps: probabilities against closed forms, per-draw outcomes against the point analyses,
streaming statistics against numpy, the same draws on every executor (local, process pool,
a real Dask LocalCluster), files written atomically, and the CLI."""

from __future__ import annotations

import copy
import csv
import json
import math
from pathlib import Path

import numpy as np
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import optimize
from typer.testing import CliRunner

from accord.analysis import analyze
from accord.cli import app
from accord.io import load_scenario
from accord.space import compile_space
from accord.sweep import make_plan, run_sweep
from accord.sweep.executors import DaskExecutor, LocalExecutor
from accord.sweep.stats import BINS, Correlations, Summary, wilson_interval
from accord.uncertainty import apply_values, draw_values
from accord.validation import validate_scenario

from .test_games_coalition import coalition_scenarios

# Two parties split one good three ways; p gets x, q gets 1 - x. With both BATNAs uniform
# on [0.3, 0.7], a ZOPA exists exactly when both BATNAs are <= 0.5 (only the middle option
# can satisfy both): probability 1/4; each accepts `middle` with probability 1/2.
SPLIT = yaml.safe_load("""
accord: 1
id: split3
title: Three-way split
issues:
  - {id: share, options: [low, middle, high]}
actors:
  - id: p
    batna: {low: 0.3, high: 0.7}
    preferences: {share: {low: 0, middle: 50, high: 100}}
  - id: q
    batna: {low: 0.3, high: 0.7}
    preferences: {share: {low: 100, middle: 50, high: 0}}
proposals:
  - {id: mid, deal: {share: middle}}
""")

RICH = yaml.safe_load("""
accord: 1
id: rich
title: Several uncertain inputs
issues:
  - {id: a, options: [x, y, z]}
  - {id: n, range: [0, 100], step: 10}
actors:
  - id: p
    batna: {low: 0.2, high: 0.6}
    capability: {mode: 30, low: 20, high: 40}
    salience: {a: [1, 2, 3], n: 1}
    preferences:
      a: {x: {mode: 80, low: 50, high: 100}, y: 40, z: 0}
      n: {ideal: {mean: 40, sd: 10}}
  - id: q
    war: {win_probability: {low: 0.3, high: 0.7}, cost: 0.1}
    preferences: {a: {x: 0, y: 60, z: 100}, n: {ideal: 100}}
  - id: m
    role: mediator
    batna: {low: 0.1, high: 0.5}
    preferences: {a: {x: 50, y: 100, z: 50}, n: {ideal: 60}}
proposals:
  - {id: mid, deal: {a: y, n: 70}}
  - {id: left, deal: {a: x, n: 40}}
""")


def scenario(data: dict):
    return validate_scenario(copy.deepcopy(data), "test.yaml")


def strip_timing(d: dict) -> dict:
    d = copy.deepcopy(d)
    for k in ("seconds", "draws_per_second", "executor", "workers", "chunk", "out"):
        d["method"].pop(k, None)
    return d


def read_csv(path: Path) -> list[dict]:
    with open(path, newline="") as fh:
        return list(csv.DictReader(fh))


def test_probabilities_match_the_closed_form() -> None:
    r = run_sweep(scenario(SPLIT), 4000, seed=11).to_dict()
    n = 4000
    for value, truth in ((r["zopa"]["probability"], 0.25),
                         (r["proposals"][0]["accepts"]["p"]["probability"], 0.5),
                         (r["proposals"][0]["accepts"]["q"]["probability"], 0.5),
                         (r["proposals"][0]["agreement"]["probability"], 0.25)):
        assert abs(value - truth) < 4 * math.sqrt(truth * (1 - truth) / n)
    lo, hi = r["zopa"]["ci"]
    assert lo < 0.25 < hi
    # the Nash deal, when there is one, is the middle: p and q both get 1/2
    assert [d["deal"] for d in r["nash"]["deals"]] == [{"share": "middle"}]
    assert r["nash"]["utilities"]["p"]["mean"] == 0.5
    assert r["nash"]["exists"]["count"] == r["zopa"]["count"]


def test_tornado_is_exact_on_the_split() -> None:
    r = run_sweep(scenario(SPLIT), 200, seed=1).to_dict()
    zopa_table = r["sensitivity"][0]
    assert zopa_table["outcome"] == "zopa_margin" and zopa_table["nominal"] == 0.0
    # p's BATNA at its 5% / 95% quantiles (0.32 / 0.68), q's at 0.5: the best smallest gain
    # is 0 (middle) and then -0.18 (middle falls short of p's BATNA by 0.18)
    row = next(x for x in zopa_table["ranking"] if x["input"] == "p.batna")
    assert (row["low"], row["high"]) == (0.32, 0.68)
    assert row["outcome_low"] == 0.0 and row["outcome_high"] == pytest.approx(-0.18)
    assert row["swing"] == pytest.approx(0.18)
    assert row["correlation"] < -0.5  # a higher BATNA shrinks the margin


def test_each_draw_equals_the_point_analysis_of_that_draw(tmp_path: Path) -> None:
    s = scenario(RICH)
    out = tmp_path / "draws.csv"
    run_sweep(s, 40, seed=5, out=str(out), sensitivity=False)
    rows = read_csv(out)
    assert len(rows) == 40
    values = draw_values(s.uncertain_inputs, 5, 0, 40)
    for k in (0, 7, 19, 33):
        # an independent route: the drawn values written into the file's data, validated in
        # full and analysed like any scenario
        point = validate_scenario(apply_values(s.nominal_data, s.uncertain_inputs, values[k]),
                                  "draw")
        a = analyze(compile_space(point)).to_dict()
        row = rows[k]
        assert int(row["draw"]) == k
        for j, u in enumerate(s.uncertain_inputs):
            assert float(row[f"in:{u.name}"]) == values[k, j]
        assert (row["zopa"] == "true") == a["zopa"]["exists"]
        nash = a["solutions"]["nash"]
        label = "" if nash is None else ";".join(f"{i}={o}" for i, o in nash["deal"].items())
        assert row["nash_deal"] == label
        for e in a["proposals"]:
            for actor in ("p", "q", "m"):
                ok = actor in e["accepted_by"]
                assert (row[f"accept:{e['id']}:{actor}"] == "true") == ok
            assert (row[f"agree:{e['id']}"] == "true") == e["agreement"]


def test_results_do_not_depend_on_workers_or_chunks(tmp_path: Path) -> None:
    s = scenario(RICH)
    one = run_sweep(s, 60, seed=9, out=str(tmp_path / "a.csv"), chunk_size=7)
    with LocalExecutor(2) as pool:
        two = run_sweep(s, 60, seed=9, out=str(tmp_path / "b.csv"), executor=pool)
    assert two.method["workers"] == 2
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()
    assert strip_timing(one.to_dict()) == strip_timing(two.to_dict())
    other = run_sweep(s, 60, seed=10, sensitivity=False)
    assert strip_timing(other.to_dict())["zopa"] != strip_timing(one.to_dict())["zopa"] or \
        other.to_dict()["inputs"] != one.to_dict()["inputs"]


def test_dask_local_cluster_gives_the_local_results(tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    pq = pytest.importorskip("pyarrow.parquet")
    s = scenario(RICH)
    local = run_sweep(s, 50, seed=4, out=str(tmp_path / "local.parquet"))
    with DaskExecutor("local", workers=2) as dask:
        assert dask.workers == 2
        remote = run_sweep(s, 50, seed=4, out=str(tmp_path / "dask.parquet"), executor=dask)
    assert strip_timing(local.to_dict()) == strip_timing(remote.to_dict())
    a = pq.read_table(tmp_path / "local.parquet")
    b = pq.read_table(tmp_path / "dask.parquet")
    assert a.num_rows == 50 and a.schema.equals(b.schema)
    for name in a.column_names:  # NaN (no Nash deal) compares equal to itself here
        x, y = a.column(name).to_pylist(), b.column(name).to_pylist()
        assert [v if v == v else "nan" for v in x] == [v if v == v else "nan" for v in y]
    assert a.column("draw").to_pylist() == list(range(50))


def test_forecast_and_mediation_outcomes_are_summarised() -> None:
    r = run_sweep(scenario(RICH), 30, seed=2, forecast="compromise", mediation="alternating",
                  sensitivity=False).to_dict()
    f = r["forecast"]["issues"]
    assert set(f) == {"a", "n"}
    assert 0 <= f["n"]["min"] <= f["n"]["max"] <= 100
    assert r["mediation"]["agreement"]["n"] == 30
    for stats in r["mediation"]["utilities"].values():
        assert stats["n"] + stats["missing"] == 30
    # the same draws forecast and mediated one by one, through the public functions
    from accord.forecast import StakeholderData, compromise
    from accord.mediation.alternating import alternating_offers
    from accord.sweep.plan import _derived_seed

    s = scenario(RICH)
    values = draw_values(s.uncertain_inputs, 2, 0, 30)
    forecasts, agreements = [], 0
    for k in range(30):
        point = validate_scenario(apply_values(s.nominal_data, s.uncertain_inputs, values[k]),
                                  "draw")
        forecasts.append(compromise(StakeholderData.from_scenario(point)).forecast["n"])
        agreements += alternating_offers(compile_space(point), ["boulware"], 100, 1.0, None,
                                         _derived_seed(2, k)).agreement
    assert f["n"]["mean"] == pytest.approx(np.mean(forecasts), abs=1e-6)
    assert r["mediation"]["agreement"]["count"] == agreements


def test_a_failed_sweep_leaves_no_file_and_never_overwrites(tmp_path: Path,
                                                            monkeypatch) -> None:
    s = scenario(SPLIT)
    out = tmp_path / "draws.csv"
    out.write_text("mine")
    from accord.errors import InputError

    with pytest.raises(InputError):
        run_sweep(s, 10, out=str(out))
    assert out.read_text() == "mine"
    import accord.sweep.run as run_module

    calls = {"n": 0}
    real = run_module.evaluate_chunk

    def failing(plan, a, b):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("worker died")
        return real(plan, a, b)

    monkeypatch.setattr(run_module, "evaluate_chunk", failing)
    with pytest.raises(RuntimeError):
        run_sweep(s, 100, out=str(out), force=True, chunk_size=10)
    assert out.read_text() == "mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["draws.csv"]


def test_wilson_interval_is_the_score_test_inversion() -> None:
    z = 1.959963984540054
    for k, n in ((0, 10), (3, 10), (10, 10), (37, 120), (500, 1000)):
        lo, hi = wilson_interval(k, n)
        p = k / n

        def score(x: float, p: float = p, n: int = n) -> float:
            return abs(p - x) - z * math.sqrt(x * (1 - x) / n)

        if k > 0:
            assert lo == pytest.approx(optimize.brentq(score, 1e-12, p - 1e-9), abs=1e-9)
        else:
            assert lo == pytest.approx(0.0, abs=1e-12)
        if k < n:
            assert hi == pytest.approx(optimize.brentq(score, p + 1e-9, 1 - 1e-12), abs=1e-9)
        else:
            assert hi == pytest.approx(1.0, abs=1e-12)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(st.floats(-1, 1, allow_nan=False), min_size=1, max_size=60),
                min_size=1, max_size=5))
def test_streaming_summary_matches_numpy(chunks) -> None:
    s = Summary(-1.0, 1.0)
    for c in chunks:
        s.add(np.asarray(c))
    x = np.concatenate([np.asarray(c) for c in chunks])
    assert s.n == len(x)
    assert s.mean == pytest.approx(x.mean(), abs=1e-9)
    if len(x) > 1:
        assert s.sd == pytest.approx(x.std(ddof=1), abs=1e-7)
    width = 2.0 / BINS
    for q in (0.05, 0.5, 0.95):
        # within one bin of an order statistic around the q-quantile
        order = np.sort(x)
        k = q * len(x)
        near = order[max(0, math.ceil(k) - 2):min(len(x), math.ceil(k) + 1)]
        assert near.min() - width - 1e-12 <= s.quantile(q) <= near.max() + width + 1e-12


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10_000), st.integers(2, 4), st.integers(1, 3))
def test_streaming_correlations_match_corrcoef(seed, n_chunks, q) -> None:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(40 * n_chunks, 3))
    y = x @ rng.normal(size=(3, q)) + rng.normal(size=(40 * n_chunks, q))
    c = Correlations(3, q)
    for part in range(n_chunks):
        sl = slice(40 * part, 40 * (part + 1))
        c.add(x[sl], y[sl])
    full = np.corrcoef(np.hstack([x, y]).T)[:3, 3:]
    assert np.allclose(c.matrix(), full, atol=1e-9)


def test_ukraine_sweep_reproduces_the_point_conclusions_as_likely() -> None:
    r = run_sweep(load_scenario("ukraine-2023"), 300, seed=1).to_dict()
    props = {p["id"]: p for p in r["proposals"]}
    # the point analysis: Russia accepts China's paper, Ukraine and the USA reject it
    assert props["china-12-points"]["accepts"]["russia"]["probability"] > 0.9
    assert props["china-12-points"]["accepts"]["ukraine"]["probability"] < 0.1
    assert props["china-12-points"]["agreement"]["probability"] < 0.1
    # the ZOPA is empty at the point values (shortfall 0.086) and rarely opens
    assert r["zopa"]["probability"] < 0.1
    assert r["zopa"]["margin"]["p50"] < 0
    top = r["sensitivity"][0]
    assert top["outcome"] == "zopa_margin" and top["nominal"] == pytest.approx(-0.086)
    # only the parties' own numbers move the ZOPA between them
    movers = {row["input"] for row in top["ranking"] if row["swing"] > 0}
    assert movers <= {"russia.batna", "ukraine.batna", "russia.salience.territory",
                      "ukraine.salience.territory"}
    assert top["ranking"][0]["input"] in ("russia.batna", "ukraine.batna")


def test_cli_sweep_json_and_errors(tmp_path: Path) -> None:
    runner = CliRunner()
    path = tmp_path / "split.yaml"
    path.write_text(yaml.safe_dump(SPLIT))
    ok = runner.invoke(app, ["sweep", str(path), "-n", "50", "--seed", "3", "--json"])
    assert ok.exit_code == 0, ok.stderr
    d = json.loads(ok.stdout)
    assert d["samples"] == 50 and d["seed"] == 3 and d["zopa"]["n"] == 50
    same = runner.invoke(app, ["sweep", str(path), "-n", "50", "--seed", "3", "--json"])
    assert strip_timing(json.loads(same.stdout)) == strip_timing(d)
    table = runner.invoke(app, ["sweep", str(path), "-n", "20"])
    assert table.exit_code == 0 and "ZOPA exists" in table.stdout
    for args, message in (
        (["-n", "0"], "--samples: must be 1 or more"),
        (["--forecast", "tea-leaves"], "--forecast: unknown model 'tea-leaves'"),
        (["--mediation", "x"], "--mediation: unknown protocol 'x'"),
        (["--out", str(tmp_path / "x.xlsx")], "unknown format '.xlsx'"),
        (["--out", str(tmp_path / "nowhere" / "x.csv")], "does not exist"),
        (["--workers", "0"], "--workers: must be 1 or more"),
        (["--parties", "p,zz"], "zz"),
    ):
        bad = runner.invoke(app, ["sweep", str(path), *args])
        assert bad.exit_code == 2, (args, bad.stderr)
        assert message in bad.stderr and "Traceback" not in bad.stderr
    plain = runner.invoke(app, ["sweep", "logrolling"])
    assert plain.exit_code == 2 and "has no uncertain inputs" in plain.stderr


def test_parquet_row_groups_are_large_and_missing_values_are_null(tmp_path: Path,
                                                                    monkeypatch) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    import accord.sweep.sinks as sinks

    out = tmp_path / "d.parquet"
    ncols = len(make_plan(scenario(SPLIT)).columns)
    monkeypatch.setattr(sinks, "MIN_GROUP_ROWS", 1)
    monkeypatch.setattr(sinks, "ROW_GROUP_BYTES", 8 * ncols * 64)  # groups of >= 64 rows
    run_sweep(scenario(SPLIT), 300, seed=2, out=str(out), chunk_size=10, sensitivity=False)
    meta = pq.ParquetFile(out).metadata
    # chunks of 10 are buffered until 64 rows are waiting: groups of 70, the rest at the end
    assert [meta.row_group(k).num_rows for k in range(meta.num_row_groups)] == [70] * 4 + [20]
    t = pq.read_table(out)
    nash = t.column("nash:p").to_pylist()
    deals = t.column("nash_deal").to_pylist()
    assert all((x is None) == (d == "") for x, d in zip(nash, deals, strict=True))
    assert None in nash and 0.5 in nash


def test_cli_runs_on_an_existing_dask_scheduler(tmp_path: Path, monkeypatch) -> None:
    distributed = pytest.importorskip("distributed")
    import accord.sweep.executors as executors

    monkeypatch.setattr(executors, "CONNECT_TIMEOUT", 2)
    path = tmp_path / "rich.yaml"
    path.write_text(yaml.safe_dump(RICH))
    runner = CliRunner()
    local = runner.invoke(app, ["sweep", str(path), "-n", "40", "--seed", "6", "--json"])
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                  dashboard_address=None) as cluster:
        remote = runner.invoke(app, ["sweep", str(path), "-n", "40", "--seed", "6", "--json",
                                     "--scheduler", cluster.scheduler_address])
    assert remote.exit_code == 0, remote.stderr
    d = json.loads(remote.stdout)
    assert d["method"]["executor"] == f"dask {cluster.scheduler_address}"
    assert strip_timing(d) == strip_timing(json.loads(local.stdout))
    bad = runner.invoke(app, ["sweep", str(path), "-n", "5", "--scheduler",
                              "tcp://127.0.0.1:9"])
    assert bad.exit_code == 2 and "cannot reach a Dask scheduler" in bad.stderr


def test_an_invalid_draw_is_named_with_its_problem(tmp_path: Path) -> None:
    data = {"accord": 1, "id": "z", "title": "z",
            "issues": [{"id": "a", "options": ["x", "y"]}],
            "actors": [{"id": "p", "salience": {"a": [0, 1]},
                        "preferences": {"a": {"x": 100, "y": 0}}},
                       {"id": "q", "preferences": {"a": {"x": 0, "y": 100}}}]}
    path = tmp_path / "z.yaml"
    path.write_text(yaml.safe_dump(data))
    out = tmp_path / "z.csv"
    r = CliRunner().invoke(app, ["sweep", str(path), "-n", "20", "--out", str(out)])
    assert r.exit_code == 2 and "Traceback" not in r.stderr
    # draw k is invalid exactly when its weight is drawn as 0
    values = draw_values(scenario(data).uncertain_inputs, 0, 0, 20)[:, 0]
    first = int(np.flatnonzero(values == 0)[0])
    assert r.stderr.strip() == (f"z (draw {first}, seed 0): actors[0].salience: weights are "
                                "all zero: at least one issue must matter to the actor")
    assert not out.exists()


def test_drawn_input_summaries_match_the_draws() -> None:
    s = scenario(RICH)
    r = run_sweep(s, 2000, seed=8, sensitivity=False).to_dict()
    values = draw_values(s.uncertain_inputs, 8, 0, 2000)
    for j, u in enumerate(r["inputs"]):
        x = values[:, j]
        d = u["drawn"]
        assert d["mean"] == pytest.approx(x.mean(), abs=1e-6)
        assert (d["min"], d["max"]) == (pytest.approx(x.min()), pytest.approx(x.max()))
        spread = x.max() - x.min()
        for q in (5, 50, 95):
            # the histogram quantile lies within a bin (or a gap between two draws) of numpy's
            lo, hi = np.quantile(x, [max(0, q / 100 - 0.001), min(1, q / 100 + 0.001)])
            assert lo - spread / 1000 <= d[f"p{q}"] <= hi + spread / 1000


BATNAS_ONLY = yaml.safe_load("""
accord: 1
id: batnas
title: Only the alternatives are uncertain
issues:
  - {id: a, options: [x, y, z]}
  - {id: n, range: [0, 100], step: 10}
actors:
  - id: p
    batna: {mode: 0.45, low: 0.2, high: 0.7}
    capability: {low: 10, high: 30}
    preferences: {a: {x: 100, y: 40, z: 0}, n: {ideal: 20}}
  - id: q
    war: {win_probability: {low: 0.2, high: 0.8}, cost: [0.05, 0.1, 0.2]}
    position: {a: {low: 60, high: 90}}
    preferences: {a: {x: 0, y: 60, z: 100}, n: {ideal: 100}}
  - id: m
    role: mediator
    batna: [0.3, 0.5, 0.9]
    preferences: {a: {x: 50, y: 100, z: 50}, n: {ideal: 60}}
proposals:
  - {id: mid, deal: {a: y, n: 60}}
  - {id: left, deal: {a: x, n: 30}}
""")


def fast_equals_slow(plan, n: int) -> dict:
    """Draws 0..n-1 by the fast paths equal the same draws compiled in full and searched
    from the plan's hints only; returns the fast ones."""
    from accord.sweep.plan import evaluate_chunk

    fast = evaluate_chunk(plan, 0, n)
    slow = evaluate_chunk(plan, 0, n, fast=False)
    for c in plan.columns:
        a, b = fast[c.name], slow[c.name]
        if c.kind in ("float", "input"):
            assert np.array_equal(a, b, equal_nan=True), c.name
        else:
            assert a.tolist() == b.tolist(), c.name
    return fast


def test_fast_path_equals_compiling_every_draw() -> None:
    from accord.sweep.plan import utilities_fixed

    plan = make_plan(scenario(BATNAS_ONLY), seed=12)
    assert utilities_fixed(plan) and not utilities_fixed(make_plan(scenario(RICH)))
    fast = fast_equals_slow(plan, 300)
    # the draws really vary what the fast path must get right
    assert 0 < fast["zopa"].mean() < 1 and len(set(fast["nash_deal"].tolist())) > 2


# ---------------------------------------------------------------------------------------
# The per-draw answers by exact search against the frontier method they replace


def frontier_answer(space, parties=None) -> tuple:
    """What a draw computed before the direct searches: the ZOPA and the Nash deal read off
    the Pareto frontier (the oracle)."""
    from accord.bargaining.pareto import pareto_frontier
    from accord.bargaining.solutions import nash_solution
    from accord.bargaining.zopa import zopa

    f = pareto_frontier(space, parties)
    z = zopa(space, frontier=f, count_limit=0)
    nash = nash_solution(space, frontier=f)
    return z.exists, z.best_min_gain, None if nash is None else nash.deal


def direct_answer(space, parties, hints=()) -> tuple:
    from accord.sweep.plan import _bargain

    a = _bargain(space, parties, hints)
    return a.exists, a.margin, a.nash


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_direct_draw_answers_equal_the_frontier_method(data) -> None:
    # the random scenarios of the coalition tests: 2-5 actors, ties everywhere (scores in
    # steps of 25, BATNAs on a grid of 0.1), numeric issues, the fallback grid
    space = compile_space(data.draw(coalition_scenarios()))
    parties = list(space.actor_ids) if not space.veto.any() else None
    want = frontier_answer(space, parties)
    # the margin is the frontier method's float to the last bit, not only to rounding
    assert direct_answer(space, parties) == want
    # the warm starts change nothing: random deals, and the answer's own deals
    rng = np.random.default_rng(data.draw(st.integers(0, 2**16)))
    hints = [tuple(int(rng.integers(k)) for k in space.n_options) for _ in range(3)]
    assert direct_answer(space, parties, hints) == want
    if want[2] is not None:
        assert direct_answer(space, parties, [want[2]]) == want


def test_margin_ties_between_parties_are_read_as_the_frontier_reads_them() -> None:
    # p gains 0.55 - 0.5 and q gains 0.75 - 0.7 at the best deal: both exactly 0.05, in
    # floats 0.050000000000000044 and 0.04999999999999993 (the frontier method takes the
    # smaller); a deal where only p is tight would raise the float, none exists here
    data = {"accord": 1, "id": "t", "title": "t",
            "issues": [{"id": "a", "options": ["x", "y", "z"]}],
            "actors": [{"id": "p", "veto": True, "batna": 0.5,
                        "preferences": {"a": {"x": 0, "y": 55, "z": 100}}},
                       {"id": "q", "veto": True, "batna": 0.7,
                        "preferences": {"a": {"x": 100, "y": 75, "z": 0}}}]}
    space = compile_space(validate_scenario(data, "t"))
    want = frontier_answer(space)
    assert want[1] == min(0.55 - 0.5, 0.75 - 0.7) and want[1] != 0.05
    assert direct_answer(space, None) == want


SALIENCE = yaml.safe_load("""
accord: 1
id: weights
title: Uncertain weights and alternatives
issues:
  - {id: a, options: [x, y, z]}
  - {id: b, options: [u, v]}
  - {id: n, range: [0, 100], step: 5}
actors:
  - id: p
    veto: true
    batna: {low: 0.4, high: 0.8}
    salience: {a: {low: 0.5, high: 2}, b: 1, n: {mode: 1, low: 0.5, high: 1.5}}
    preferences: {a: {x: 100, y: 40, z: 0}, b: {u: 30, v: 80}, n: {ideal: 20}}
  - id: q
    veto: true
    batna: {low: 0.4, high: 0.8}
    salience: {a: 1, b: [0, 0.5, 1], n: 2}
    preferences: {a: {x: 0, y: 60, z: 100}, b: {u: 90, v: 10}, n: {ideal: 100}}
  - id: r
    veto: true
    batna: [0.3, 0.6]
    preferences: {a: {x: 50, y: 100, z: 50}, b: {u: 50, v: 60}, n: {ideal: 60}}
proposals:
  - {id: mid, deal: {a: y, b: u, n: 60}}
""")


def test_weight_draws_are_rescaled_exactly_as_compiled() -> None:
    fast = fast_equals_slow(make_plan(scenario(SALIENCE), seed=4), 120)
    assert 0 < fast["zopa"].mean() < 1 and len(set(fast["nash_deal"].tolist())) > 2


def same_space(a, b) -> None:
    for name in ("weights", "scale", "exact", "batna", "veto", "capability"):
        x, y = getattr(a, name), getattr(b, name)
        assert x.dtype == y.dtype and np.array_equal(x, y), name
    for name in ("units", "contributions", "scores"):
        for x, y in zip(getattr(a, name), getattr(b, name), strict=True):
            assert np.array_equal(x, y), name
    assert (a.scenario, a.roles, a.labels, a.pairs) == (b.scenario, b.roles, b.labels, b.pairs)


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_reweighted_space_equals_compile_space(data) -> None:
    from accord.scenario import Scenario
    from accord.sweep.plan import _reweighted

    s = data.draw(coalition_scenarios())
    base = compile_space(s)
    raw = copy.deepcopy(s.model_dump(mode="json", exclude_none=True))
    weights = st.one_of(st.integers(0, 3), st.decimals("0", "3", places=4).map(float),
                        st.sampled_from([0.12345678901317, 2.7182818284591]))
    for actor in raw["actors"]:
        if data.draw(st.booleans()):
            actor["salience"] = {i: data.draw(weights) for i in actor["salience"]}
        actor["batna"] = data.draw(st.integers(0, 10)) / 10
    try:
        drawn = Scenario.model_validate(raw)
    except ValueError:
        return  # every weight of an actor drawn as 0
    got = _reweighted(base, drawn)
    if got is not None:
        same_space(got, compile_space(drawn))


def test_reweighted_space_on_iran() -> None:
    from accord.scenario import Scenario
    from accord.sweep.plan import _reweighted

    path = Path(__file__).parent.parent / "benchmarks" / "data" / "iran-2015.yaml"
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    base = compile_space(validate_scenario(raw, str(path)))
    drawn = copy.deepcopy(raw)
    sal = [a["salience"] for a in drawn["actors"]]
    sal[0]["sanctions"], sal[0]["rnd"] = 0.2345, 0.0
    sal[1]["centrifuges"] = 0.1789
    sal[2]["access"] = 0.12345678901317  # a common denominator beyond EXACT_LIMIT
    drawn["actors"][3]["batna"] = 0.66
    s = Scenario.model_validate(drawn)
    got = _reweighted(base, s)
    want = compile_space(s)
    assert got is not None
    assert base.exact[2] and not want.exact[2]  # e3 falls back to the float grid
    same_space(got, want)
    assert not np.array_equal(got.units[0], base.units[0])


def test_interaction_terms_sweep_by_blocks() -> None:
    """Interacting issues are searched as one compound issue: the plan has the direct
    answers' deals as hints, and every draw agrees with a fresh analysis."""
    data = copy.deepcopy(SALIENCE)
    table = {o: {v: (100 if (o, v) == ("z", "v") else 0) for v in ("u", "v")}
             for o in ("x", "y", "z")}
    data["actors"][2]["interactions"] = [{"issues": ["a", "b"], "weight": 1,
                                          "scores": table}]
    s = scenario(data)
    plan = make_plan(s, seed=2)
    assert plan.hints and compile_space(s).blocks == ((0, 1), (2,))
    fast = fast_equals_slow(plan, 12)
    values = draw_values(s.uncertain_inputs, 2, 0, 12)
    for k in (0, 5, 11):
        point = validate_scenario(apply_values(s.nominal_data, s.uncertain_inputs, values[k]),
                                  "draw")
        a = analyze(compile_space(point)).to_dict()
        assert fast["zopa"][k] == a["zopa"]["exists"]
        nash = a["solutions"]["nash"]
        label = "" if nash is None else ";".join(f"{i}={o}" for i, o in nash["deal"].items())
        assert fast["nash_deal"][k] == label
