"""`accord forecast` end to end on the shipped input formats, against reference outputs."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord.cli import app

DATA = Path(__file__).parent / "data" / "forecast"
runner = CliRunner()


def _csv(path: Path) -> list[dict]:
    with open(path, newline="") as fh:
        return list(csv.DictReader(fh))


def forecast(*args: str) -> dict:
    r = runner.invoke(app, ["forecast", *args, "--json"])
    assert r.exit_code == 0, r.stderr
    return json.loads(r.stdout)


def test_eu_on_the_ec_table_matches_the_replication_mean_by_round():
    out = forecast(str(DATA / "bdm" / "ec_emission_standards_bdm1994.csv"), "--model", "eu")
    rows = _csv(DATA / "bdm" / "ec_emission_standards_scholz_replication_run.csv")
    means = {int(r["round"]): float(r["weighted_mean_cs"]) for r in rows
             if r["kind"] == "position"}
    issue = out["issues"][0]
    for r in out["rounds"]:
        assert r["outcome"][issue] == pytest.approx(means[r["round"]], abs=5e-6)
    assert out["baseline"][issue] == pytest.approx(7.389956, abs=5e-7)


def test_smp_from_ktab_xml_reaches_the_reference_outcome():
    out = forecast(str(DATA / "ktab" / "dummyData_3Dim.xml"), "--model", "smp")
    ref = _csv(DATA / "ktab" / "ref_dummyData_3Dim_positions_by_turn.csv")
    assert len(out["rounds"]) == len({r["turn"] for r in ref})  # the same 11 states
    last = max(int(r["turn"]) for r in ref)
    for r in ref:
        if int(r["turn"]) == last:
            got = out["rounds"][-1]["positions"][r["actor"]][r["dimension"]]
            assert got == pytest.approx(float(r["position"]), abs=0.05)
    assert [round(v, 1) for v in out["forecast"].values()] == [78.1, 35.6, 72.2]


def test_ktab_xml_with_an_empty_coordinate_is_refused_clearly():
    r = runner.invoke(app, ["forecast", str(DATA / "ktab" / "smpExample.xml"), "--model",
                            "smp"])
    assert r.exit_code == 2
    assert "Actor Alice/Position/dCoord[1]: is empty or missing" in r.stderr


@pytest.mark.parametrize("model", ["eu", "smp"])
def test_forecast_models_poll_their_budget(model):
    import time

    from accord.budget import Budget, BudgetExceeded
    from accord.forecast import load_stakeholders
    from accord.forecast.models import run_forecast

    with pytest.raises(BudgetExceeded, match="--rounds"):
        run_forecast(load_stakeholders("ukraine-2023"), model,
                     budget=Budget(1.0, started=time.perf_counter() - 3600))
