"""The compromise baseline, the stakeholder-data importers and `accord forecast`."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from accord.cli import app
from accord.errors import InputError
from accord.forecast import StakeholderData, compromise, load_stakeholders
from accord.forecast.importers import read_bdm_csv, read_decide, read_ktab_csv
from accord.io import load_scenario

DATA = Path(__file__).parent / "data" / "forecast"
BDM = DATA / "bdm"
KTAB = DATA / "ktab"
DECIDE = DATA / "decide"
BAD = DATA / "bad"


def _run0_mean(path: Path) -> float:
    with path.open() as f:
        for row in csv.DictReader(f):
            if row["round"] == "0" and row["kind"] == "position":
                return float(row["weighted_mean_cs"])
    raise AssertionError(f"no round-0 row in {path}")


# --- reference values --------------------------------------------------------------------


def test_ec_emission_cs_weighted_mean_matches_scholz_replication():
    data = read_bdm_csv(BDM / "ec_emission_standards_bdm1994.csv")
    ref = _run0_mean(BDM / "ec_emission_standards_scholz_replication_run.csv")
    assert ref == 7.389956
    (value,) = compromise(data).forecast.values()
    assert value == pytest.approx(7.389956, abs=5e-7)
    assert data.scales == ((4.0, 10.0),)


@pytest.mark.parametrize(("data_file", "run_file"), [
    ("iran_2013_election_preana.csv", "jmckib_regression_run_iran2013.csv"),
    ("china_1989_leadership_dmasad.csv", "jmckib_regression_run_china.csv"),
    ("honduras_nicaragua_crisis.csv", "jmckib_regression_run_honduras.csv"),
    ("saudi_oil_sultan_bdm.csv", "jmckib_regression_run_sultan.csv"),
    ("ww1_july1914_bdm.csv", "jmckib_regression_run_ww1_bdm.csv"),
])
def test_bdm_round0_weighted_mean_of_other_cases(data_file, run_file):
    (value,) = compromise(load_stakeholders(BDM / data_file)).forecast.values()
    assert value == pytest.approx(_run0_mean(BDM / run_file), abs=5e-7)


def _decide_ref() -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    with (DECIDE / "ref_mds_by_round.csv").open() as f:
        for row in csv.DictReader(f):
            if row["round"] == "0":
                issue = row["issue"].rsplit(" [", 1)[0]  # "tol-hoogte [0.5 - 7]"
                out.setdefault(row["dataset"], {})[issue] = float(row["preference_mds"])
    return out


@pytest.mark.parametrize(("dataset", "file"), [
    ("sample_data", "sample_data.txt"), ("cop21", "cop21.csv"),
    ("copenhagen", "copenhagen.csv")])
def test_decide_preference_mds_round0_is_the_compromise(dataset, file):
    ref = _decide_ref()[dataset]
    result = compromise(read_decide(DECIDE / file))
    assert set(result.forecast) == set(ref)
    for issue, mds in ref.items():
        # the MDS is in the issue's own units (tol-hoogte on 0.5..7), as is `forecast`
        assert result.forecast[issue] == pytest.approx(mds, abs=5e-7), issue


def test_decide_spot_values_and_scale():
    r = compromise(read_decide(DECIDE / "sample_data.txt"))
    assert r.forecast["tol-hoogte"] == pytest.approx(2.270992, abs=5e-7)
    assert r.internal["tol-hoogte"] == pytest.approx(100 * (2.270992 - 0.5) / 6.5, abs=1e-5)
    assert r.forecast["tolheffing-binnenstad"] == pytest.approx(49.353234, abs=5e-7)
    assert r.data.scales[1] == (0.5, 7.0)


# --- property ----------------------------------------------------------------------------


@st.composite
def _stakeholders(draw):
    n = draw(st.integers(1, 8))
    d = draw(st.integers(1, 3))
    fl = st.floats(0, 100, allow_nan=False)
    cap = draw(st.lists(st.floats(0.01, 1000), min_size=n, max_size=n))
    pos = draw(st.lists(st.lists(fl, min_size=d, max_size=d), min_size=n, max_size=n))
    sal = draw(st.lists(st.lists(st.floats(0.01, 1), min_size=d, max_size=d),
                        min_size=n, max_size=n))
    return StakeholderData(actors=tuple(f"a{i}" for i in range(n)),
                           issues=tuple(f"p{k}" for k in range(d)), capability=np.array(cap),
                           position=np.array(pos), salience=np.array(sal),
                           scales=tuple((0.0, 100.0) for _ in range(d)), source="generated")


@settings(max_examples=200, deadline=None)
@given(_stakeholders(), st.floats(1e-3, 1e3))
def test_compromise_within_positions_and_invariant_to_capability_scale(data, factor):
    r = compromise(data)
    for k, issue in enumerate(data.issues):
        x = data.position[:, k]
        assert x.min() - 1e-9 <= r.internal[issue] <= x.max() + 1e-9
    scaled = StakeholderData(actors=data.actors, issues=data.issues,
                             capability=data.capability * factor, position=data.position,
                             salience=data.salience, scales=data.scales, source="scaled")
    r2 = compromise(scaled)
    for issue in data.issues:
        assert r2.internal[issue] == pytest.approx(r.internal[issue], abs=1e-9)


def test_zero_weight_issue_is_an_input_error():
    data = StakeholderData(actors=("a", "b"), issues=("p", "q"), capability=np.array([1, 0]),
                           position=np.array([[10, 20], [30, 40]]),
                           salience=np.array([[0.5, 0], [0.5, 1]]),
                           scales=((0, 100), (0, 100)), source="t")
    with pytest.raises(InputError, match="issue q: zero total weight"):
        compromise(data)


# --- importers ---------------------------------------------------------------------------


def test_bdm_reader_ec_values():
    d = read_bdm_csv(BDM / "ec_emission_standards_bdm1994.csv")
    assert d.actors[:3] == ("Netherlands", "Belgium", "Luxembourg")
    assert d.capability[0] == 0.08
    assert d.salience[0, 0] == 0.80  # the 0..1 column, not salience_0_100
    assert d.original_positions()[:3, 0].tolist() == pytest.approx([4, 7, 4])
    assert d.position[:3, 0].tolist() == pytest.approx([0, 50, 0])


def test_bdm_reader_column_variants():
    china = load_stakeholders(BDM / "china_1989_leadership_dmasad.csv")
    assert china.n_actors == 24 and china.actors[0] == "Zeming"
    assert china.capability[0] == 80 and china.salience[0, 0] == pytest.approx(0.5)  # /100
    ukr = load_stakeholders(BDM / "ukraine_2014_user_estimates.csv")
    assert ukr.actors[0] == "Bosnia" and ukr.capability[0] == pytest.approx(0.0018)
    lit = load_stakeholders(BDM / "litigation_case_study.csv")
    assert lit.n_actors == 46
    assert {"Attorney", "Attorney #2", "Attorney #3"} <= set(lit.actors)


def test_ktab_reader_both_comma_variants_agree():
    a = read_ktab_csv(KTAB / "dummyData_3Dim.csv")
    b = read_ktab_csv(KTAB / "dummyData_3Dim-no-final-comma.csv")
    assert a.actors == b.actors and a.n_actors == 7 and a.issues == ("Pstn1", "Pstn2", "Pstn3")
    assert np.array_equal(a.position, b.position) and np.array_equal(a.salience, b.salience)
    assert a.capability[0] == pytest.approx(102.543)
    assert a.position[0].tolist() == pytest.approx([75.79, 6.37, 70.45])
    assert a.salience[0].tolist() == pytest.approx([0.4953, 0.0591, 0.2815])


def test_ktab_reader_soe_and_6dim():
    soe = load_stakeholders(KTAB / "SOE-Pol-Comp.csv")
    assert soe.issues == ("Policy", "Competitive") and soe.n_actors == 13
    assert soe.actors[0] == "XJ" and soe.capability[0] == 100.0
    assert soe.position[0].tolist() == [30, 20]
    assert soe.salience[0].tolist() == pytest.approx([0.24, 0.48])
    six = load_stakeholders(KTAB / "dummyData_6Dim.csv")
    assert six.n_actors == 27 and six.n_issues == 6 and six.issues[0] == "Dim0"


def test_decide_reader():
    d = load_stakeholders(DECIDE / "sample_data.txt")
    assert d.n_actors == 10 and d.n_issues == 6 and d.actors[0] == "Willems"
    assert d.capability[d.actors.index("GL")] == 0.6
    k = d.issues.index("tol-hoogte")
    assert d.original_positions()[d.actors.index("GL"), k] == pytest.approx(5.0)
    assert (d.salience > 0).all()  # every actor has a row on every issue
    cop21 = load_stakeholders(DECIDE / "cop21.csv")
    assert cop21.n_actors == 15 and cop21.n_issues == 13
    # 181 #D rows for 15 x 13 cells: the missing cells have salience 0 and no position
    assert int((cop21.salience > 0).sum()) == 181
    assert np.isnan(cop21.position[cop21.salience == 0]).all()
    assert load_stakeholders(DECIDE / "copenhagen.csv").n_issues == 7


def test_scenario_positions():
    s = load_scenario("ukraine-2023")
    d = load_stakeholders(s)
    assert d.source == "scenario ukraine-2023"
    assert d.actors == tuple(a.id for a in s.actors)
    assert np.all((d.position[d.salience > 0] >= 0) & (d.position[d.salience > 0] <= 100))
    sums = d.salience.sum(axis=1)
    assert np.all((np.abs(sums - 1) < 1e-9) | (sums == 0))


def test_scenario_best_option_and_numeric_ideal():
    s = load_scenario("logrolling")
    d = load_stakeholders(s)
    for i, actor in enumerate(s.actors):
        for k, issue in enumerate(s.issues):
            pref = actor.preferences[issue.id]
            if issue.options is not None:
                ids = [o.id for o in issue.options]
                best = max(pref, key=pref.get)
                if list(pref.values()).count(pref[best]) == 1:
                    assert d.position[i, k] == pytest.approx(
                        100 * ids.index(best) / (len(ids) - 1))
            else:
                lo, hi = issue.range
                assert d.position[i, k] == pytest.approx(100 * (pref.ideal - lo) / (hi - lo))


# --- CLI ---------------------------------------------------------------------------------

runner = CliRunner()


def test_cli_forecast_ukraine_json():
    res = runner.invoke(app, ["forecast", "ukraine-2023", "--model", "compromise", "--json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert doc["model"] == "compromise"
    assert doc["source"] == "scenario ukraine-2023"
    assert set(doc["forecast"]) == set(doc["issues"]) == set(doc["baseline"])
    assert doc["forecast"] == doc["baseline"]
    assert len(doc["actors"]) == 7
    assert all(0 <= v <= 100 for v in doc["forecast"].values())


def test_cli_forecast_ec_json_and_table():
    path = str(BDM / "ec_emission_standards_bdm1994.csv")
    res = runner.invoke(app, ["forecast", path, "--json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert doc["forecast"]["ec_emission_standards_bdm1994"] == pytest.approx(7.389956, abs=5e-7)
    res = runner.invoke(app, ["forecast", path])
    assert res.exit_code == 0 and "7.39" in res.stdout


def test_cli_every_forecast_reports_the_compromise_baseline_beside_it():
    import json

    base = json.loads(runner.invoke(app, ["forecast", "ukraine-2023", "--json"]).stdout)
    res = runner.invoke(app, ["forecast", "ukraine-2023", "--model", "eu", "--json"])
    assert res.exit_code == 0, res.stderr
    out = json.loads(res.stdout)
    assert out["baseline"] == base["forecast"]
    assert out["rounds"][0]["round"] == 0
    bad = runner.invoke(app, ["forecast", "ukraine-2023", "--variant", "clean"])
    assert bad.exit_code == 2 and "only the eu model has variants" in bad.stderr


def test_cli_unknown_model():
    res = runner.invoke(app, ["forecast", "ukraine-2023", "--model", "oracle"])
    assert res.exit_code == 2 and "unknown model 'oracle'" in res.stderr


@pytest.mark.parametrize(("file", "message"), [
    ("bdm_negative_capability.csv", "line 3, capability: -2 is negative"),
    ("bdm_non_numeric.csv", "line 3, position: 'sixty' is not a number"),
    ("bdm_missing_column.csv", "line 1: missing column 'position'"),
    ("empty.csv", "is empty"),
    ("bdm_zero_weight.csv", "issue bdm_zero_weight: zero total weight"),
    ("ktab_short_row.csv", "line 4: 5 fields, expected 7"),
    ("decide_out_of_scale.txt", "line 5, position: 12 is outside the issue's scale 0..10"),
    ("decide_unknown_actor.txt", "line 3: unknown actor 'Y' (no #A row)"),
    ("unknown_format.csv", "line 1: unrecognised format"),
])
def test_cli_bad_files(file, message):
    path = str(BAD / file)
    res = runner.invoke(app, ["forecast", path, "--json"])
    assert res.exit_code == 2
    assert res.stdout == ""
    assert f"{path}: {message}" in res.stderr


def test_cli_missing_file():
    res = runner.invoke(app, ["forecast", "no-such-file.csv"])
    assert res.exit_code == 2 and "no-such-file.csv: no such file" in res.stderr
