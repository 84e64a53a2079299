"""Distributions in a scenario: parsing, nominal values, draws and quantiles checked against
scipy.stats, the JSON Schema, and backwards compatibility."""

from __future__ import annotations

import copy
import json

import jsonschema
import numpy as np
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from accord.errors import InputError
from accord.io import builtin_ids, builtin_path, json_schema, load_scenario
from accord.uncertainty import (
    Distribution,
    draw_values,
    extract_uncertain,
    parse_distribution,
)
from accord.validation import validate_scenario

SCENARIO = yaml.safe_load("""
accord: 1
id: unc
title: Uncertain
issues:
  - {id: a, options: [x, y, z]}
  - {id: n, range: [0, 50], step: 5}
actors:
  - id: p
    batna: {low: 0.2, high: 0.6}
    capability: [10, 20, 40]
    salience: {a: {mean: 2, sd: 0.5}, n: 1}
    preferences:
      a: {x: {mode: 80, low: 50, high: 100}, y: 40, z: 0}
      n: {ideal: {low: 10, high: 30}}
  - id: q
    war: {win_probability: {low: 0.3, high: 0.7}, cost: 0.1}
    preferences: {a: {x: 0, y: 60, z: 100}, n: {ideal: 50}}
    position: {a: {low: 60, high: 90}}
""")


def test_nominal_values_replace_distributions_and_inputs_are_named() -> None:
    s = validate_scenario(copy.deepcopy(SCENARIO), "unc.yaml")
    names = [u.name for u in s.uncertain_inputs]
    assert names == ["p.batna", "p.capability", "p.salience.a", "p.preferences.a.x",
                     "p.preferences.n.ideal", "q.war.win_probability", "q.position.a"]
    p, q = s.actors
    assert p.batna == 0.4  # midpoint
    assert p.capability == 20  # median of the list
    assert p.salience == {"a": 2.0, "n": 1}  # mean
    assert p.preferences["a"]["x"] == 80  # mode
    assert p.preferences["n"].ideal == 20
    assert q.batna == pytest.approx(0.5 * 1 + 0.5 * 0 - 0.1)  # war lottery at p = 0.5
    assert q.position == {"a": 75}
    assert s.is_uncertain and not load_scenario("logrolling").is_uncertain


def test_plain_files_are_unchanged_and_uncertain_builtin_keeps_its_point_values() -> None:
    for ref in builtin_ids():
        data = yaml.safe_load(builtin_path(ref).read_text())
        nominal, inputs, problems = extract_uncertain(data)
        assert not problems
        if not inputs:
            assert nominal is data
    s = load_scenario("ukraine-2023")
    assert {a.id: a.batna for a in s.actors} == {
        "russia": 0.6, "ukraine": 0.74, "china": 0.45, "usa": 0.6, "eu": 0.6, "france": 0.6,
        "global-south": 0.45}
    assert s.actor("russia").salience["territory"] == 0.4


def test_schema_admits_distributions_and_rejects_malformed_ones() -> None:
    schema = json_schema()
    jsonschema.validate(json.loads(json.dumps(SCENARIO)), schema)
    for bad in ({"low": 0.1}, {"mean": 0.5, "sd": -1}, {"low": 0.1, "high": 0.2, "x": 1}, []):
        data = copy.deepcopy(SCENARIO)
        data["actors"][0]["batna"] = bad
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(data, schema)


@pytest.mark.parametrize("value,message", [
    ({"low": 0.5, "high": 0.4}, ".low: must not be above high"),
    ({"mean": 1.5, "sd": 0.1}, ".mean: must be within [0, 1]"),
    ({"mode": 0.9, "low": 0.1, "high": 0.5}, ".mode: must be between low and high"),
    ([0.2, 2], "[1]: must be within [0, 1]"),
    ({"low": 0.1, "hi": 0.2}, ": a distribution is written"),
])
def test_bad_distribution_names_the_field(value, message) -> None:
    data = copy.deepcopy(SCENARIO)
    data["actors"][0]["batna"] = value
    with pytest.raises(InputError) as exc:
        validate_scenario(data, "unc.yaml")
    lines = [str(p) for p in exc.value.problems]
    assert any(line.startswith(f"unc.yaml: actors[0].batna{message}") for line in lines), lines
    assert not any("valid number" in line for line in lines)  # reported once


@pytest.mark.parametrize("dist,frozen", [
    (Distribution("uniform", (0.2, 0.6), 0, 1, 6), stats.uniform(0.2, 0.4)),
    (Distribution("triangular", (10, 25, 70), 0, 100, 6), stats.triang(0.25, 10, 60)),
    (Distribution("normal", (0.5, 0.1), 0, 1, 6), stats.norm(0.5, 0.1)),
])
def test_quantiles_and_draws_match_scipy(dist, frozen) -> None:
    for q in (0.05, 0.25, 0.5, 0.9, 0.95):
        assert dist.quantile(q) == pytest.approx(frozen.ppf(q), abs=1e-6)
    draws = dist.sample(np.random.default_rng(7), 20_000)
    assert stats.kstest(draws, frozen.cdf).pvalue > 1e-3


def test_normal_is_clipped_to_the_valid_range() -> None:
    d = Distribution("normal", (0.95, 0.2), 0.0, 1.0, 4)
    x = d.sample(np.random.default_rng(0), 10_000)
    assert x.max() == 1.0 and x.min() >= 0.0
    assert (x == 1.0).mean() == pytest.approx(stats.norm(0.95, 0.2).sf(1.0), abs=0.02)


def test_choice_draws_each_value_equally_often() -> None:
    d, _ = parse_distribution([1, 2, 4], 0, float("inf"), 4)
    x = d.sample(np.random.default_rng(3), 30_000)
    counts = np.array([(x == v).sum() for v in (1, 2, 4)])
    assert counts.sum() == 30_000
    assert stats.chisquare(counts).pvalue > 1e-3


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**31), start=st.integers(0, 50), cut=st.integers(1, 30))
def test_draws_do_not_depend_on_how_they_are_split(seed, start, cut) -> None:
    s = validate_scenario(copy.deepcopy(SCENARIO), "unc.yaml")
    inputs = s.uncertain_inputs
    whole = draw_values(inputs, seed, start, start + 40)
    parts = np.vstack([draw_values(inputs, seed, start, start + cut),
                       draw_values(inputs, seed, start + cut, start + 40)])
    assert np.array_equal(whole, parts)
    for j, u in enumerate(inputs):
        assert (whole[:, j] >= u.distribution.lower).all()
        assert (whole[:, j] <= u.distribution.upper).all()


def test_show_lists_the_uncertain_inputs() -> None:
    from typer.testing import CliRunner

    from accord.cli import app

    r = CliRunner().invoke(app, ["show", "ukraine-2023", "--json"])
    d = json.loads(r.stdout)
    first = d["uncertain"][0]
    assert first == {"input": "russia.batna", "nominal": 0.6,
                     "distribution": {"kind": "triangular", "mode": 0.6, "low": 0.5,
                                      "high": 0.7}}
    assert len(d["uncertain"]) == 16 and d["actors"][0]["batna"] == 0.6
    assert "Uncertain inputs" in CliRunner().invoke(app, ["show", "ukraine-2023"]).stdout


def test_compiles_in_threads_agree_with_one_thread(monkeypatch) -> None:
    """The web app compiles in several threads; the shared units cache must not mix them."""
    import threading

    import accord.space as space_module
    from accord.scenario import Scenario
    from accord.uncertainty import apply_values

    monkeypatch.setattr(space_module, "_UNITS_CACHE_SIZE", 3)
    s = load_scenario("ukraine-2023")
    values = draw_values(s.uncertain_inputs, 2, 0, 64)

    def units(k: int) -> list:
        data = apply_values(s.nominal_data, s.uncertain_inputs, values[k])
        sp = space_module.compile_space(Scenario.model_validate(data))
        return [u.tolist() for u in sp.units] + [sp.scale.tolist()]

    expected = [units(k) for k in range(64)]
    got: dict[int, list] = {}

    def work(start: int) -> None:
        for k in range(start, 64, 4):
            got[k] = units(k)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [got[k] for k in range(64)] == expected
