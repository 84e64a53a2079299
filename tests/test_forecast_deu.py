"""The DEU III reader (`accord.forecast.deu`) and the DEU III benchmark's scoring."""

from __future__ import annotations

import csv
import importlib.util
import math
import statistics
import sys
import types
from pathlib import Path

import numpy as np
import pytest

from accord.errors import InputError
from accord.forecast import compromise
from accord.forecast.deu import DeuIssue, group_proposals, read_deu
from accord.forecast.result import ForecastResult, ForecastRound

DEU = Path(__file__).parent / "data" / "forecast" / "deu" / "deu3_blksv.tsv"
BENCH = Path(__file__).parent.parent / "benchmarks" / "forecast_deu.py"


@pytest.fixture(scope="module")
def issues() -> list[DeuIssue]:
    return read_deu(DEU)


def _by_id(issues: list[DeuIssue]) -> dict[str, DeuIssue]:
    return {i.id: i for i in issues}


def _actor(issue: DeuIssue, code: str) -> tuple[float, float, float]:
    """(capability, position, salience) of one actor on a one-issue DeuIssue."""
    j = issue.data.actors.index(code)
    d = issue.data
    return float(d.capability[j]), float(d.position[j, 0]), float(d.salience[j, 0])


# --- the real file, values checked by hand against the file --------------------------------


def test_counts(issues):
    # 364 issue rows (lines 3..366), 11 with an empty `out`
    assert len(issues) == 353
    assert len({i.id for i in issues}) == 353
    everything = read_deu(DEU, require_outcome=False)
    assert len(everything) == 364
    assert sum(i.outcome is None for i in everything) == 11
    assert len({i.proposal for i in everything}) == 141
    assert len({i.proposal for i in issues}) == 137


def test_first_issue_by_hand(issues):
    first = issues[0]
    assert (first.id, first.proposal, first.line) == ("d00032i1", "d00032", 3)
    assert first.outcome == 100.0
    assert first.reference_point == 0.0
    assert first.meta["prname"] == "documents" and first.meta["counvte"] == "QMV"
    assert first.data.issues == ("d00032i1",)
    assert first.data.scales == ((0.0, 100.0),)
    # pcom 100, scom 50; pde 0, sde 80; pfr 40, sfr 20; capability from line 2
    assert _actor(first, "com") == (4.1, 100.0, 0.5)
    assert _actor(first, "ep") == (4.1, 100.0, 0.5)
    assert _actor(first, "de") == (4.1, 0.0, 0.8)
    assert _actor(first, "fr") == (2.8, 40.0, 0.2)
    assert _actor(first, "lu") == (0.08, 40.0, 0.2)
    # absent: pbu empty and sbu 0; pcr and scr empty; phu empty and shu 0
    for code in ("bu", "cr", "hu", "pl", "ro"):
        assert code not in first.data.actors
    assert first.data.actors == ("com", "ep", "at", "be", "dk", "fi", "fr", "de", "el", "ie",
                                 "it", "lu", "nl", "pt", "es", "se", "uk")
    assert first.no_salience == ()


def test_other_rows_by_hand(issues):
    by_id = _by_id(issues)
    second = by_id["d00032i2"]
    assert second.reference_point is None and second.outcome == 0.0
    last = issues[-1]
    assert (last.id, last.proposal, last.line) == ("d180104i2", "d180104", 366)
    assert last.outcome == 50.0 and last.reference_point is None
    assert last.data.n_actors == 30
    assert _actor(last, "com") == (4.1, 70.0, 0.5)
    assert _actor(last, "at") == (0.48, 70.0, 0.0)  # a position, salience 0: present
    assert _actor(last, "cr") == (0.08, 70.0, 0.0)
    assert _actor(last, "fi") == (0.28, 100.0, 1.0)
    # d07249i1 (line 326): 22 positions without salience, kept with salience 0
    mark = by_id["d07249i1"]
    assert mark.line == 326 and len(mark.no_salience) == 22
    assert _actor(mark, "at") == (0.48, 0.0, 0.0)
    assert _actor(mark, "com")[1:] == (100.0, 0.8)  # pcom 100, scom 80
    assert _actor(mark, "ep")[1:] == (40.0, 0.1)
    assert mark.outcome == 0.0 and mark.reference_point == 0.0
    # empty outcome (line 193): skipped, unless asked for
    assert "d05127i1" not in by_id
    kept = _by_id(read_deu(DEU, require_outcome=False))["d05127i1"]
    assert kept.line == 193 and kept.outcome is None and kept.reference_point == 0.0


def test_every_issue_is_well_formed(issues):
    for i in issues:
        d = i.data
        assert d.n_issues == 1 and d.n_actors >= 1
        assert np.all((d.position >= 0) & (d.position <= 100))
        assert np.all((d.salience >= 0) & (d.salience <= 1))
        assert np.all(d.capability > 0)
        assert 0 <= i.outcome <= 100
        assert i.id.startswith(i.proposal + "i") or i.proposal == "a04163"


def test_erdf_proposal_split_over_two_codes(issues):
    # a quirk of the file: the four ERDF issues (`issues` = 4, same dates) carry two proposal
    # codes, prnr a04163 (prnrnmc 70; isnr d04167i1, d04167i2) and d04167 (71; i3, i4). The
    # reader keeps the file's codes, so grouping by proposal gives two proposals of 2 issues.
    by_id = _by_id(issues)
    assert [by_id[f"d04167i{k}"].proposal for k in (1, 2, 3, 4)] == [
        "a04163", "a04163", "d04167", "d04167"]
    assert by_id["d04167i1"].meta["prname"] == by_id["d04167i3"].meta["prname"] == "ERDF"
    sizes = {p.id: len(p.issues) for p in group_proposals(issues)}
    assert sizes["a04163"] == sizes["d04167"] == 2


# --- the compromise MAE, against an independent plain-Python computation -----------------------


def _plain_python_errors(path: Path) -> list[float]:
    """|sum c s x / sum c s - out| per issue with an outcome: csv module and floats only."""
    with path.open(newline="") as f:
        rows = list(csv.reader(f, delimiter="\t"))
    header, gdp, body = rows[0], rows[1], rows[2:]
    col = {h: k for k, h in enumerate(header)}
    codes = [h[1:] for h in header[13:43]]
    assert codes[:3] == ["com", "ep", "at"] and len(codes) == 30
    errors = []
    for row in body:
        if row[col["out"]] == "":
            continue
        num = den = 0.0
        for a in codes:
            x, s = row[col["p" + a]], row[col["s" + a]]
            if x == "" or s == "":
                continue
            w = float(gdp[col["p" + a]]) * float(s) / 100.0
            num += w * float(x)
            den += w
        errors.append(abs(num / den - float(row[col["out"]])))
    return errors


def test_compromise_mae_matches_plain_python(issues):
    errors = [abs(compromise(i.data).internal[i.id] - i.outcome) for i in issues]
    reference = _plain_python_errors(DEU)
    assert len(errors) == len(reference) == 353
    for mine, theirs in zip(errors, reference, strict=True):
        assert mine == pytest.approx(theirs, abs=1e-9)
    mae = sum(errors) / len(errors)
    assert mae == pytest.approx(sum(reference) / len(reference), abs=1e-12)
    assert mae == pytest.approx(23.2237, abs=5e-5)
    assert statistics.median(errors) == pytest.approx(18.7979, abs=5e-5)


# --- grouping by proposal ------------------------------------------------------------------


def test_group_by_proposal(issues):
    proposals = read_deu(DEU, group_by_proposal=True)
    assert len(proposals) == 137
    assert [p.id for p in proposals] == [p.id for p in group_proposals(issues)]
    multi = [p for p in proposals if len(p.issues) > 1]
    assert len(multi) == 108 and sum(len(p.issues) for p in multi) == 324
    first = proposals[0]
    assert first.id == "d00032" and first.data.issues == ("d00032i1", "d00032i2",
                                                          "d00032i3", "d00032i4")
    assert first.outcome == (100.0, 0.0, 100.0, 50.0)
    assert first.reference_point == (0.0, None, 100.0, 0.0)
    assert first.data.position[first.data.actors.index("de")].tolist() == [0, 100, 100, 100]
    by_id = _by_id(issues)
    for p in proposals:
        d = p.data
        # the actors of every issue, in the file's column order
        assert set(d.actors) == set().union(*(m.data.actors for m in p.issues))
        assert len(set(d.actors)) == d.n_actors
        assert np.all(np.isnan(d.position) <= (d.salience == 0))  # absent: NaN, salience 0
        together = compromise(d).internal
        for issue in d.issues:
            alone = compromise(by_id[issue].data).internal[issue]
            assert together[issue] == pytest.approx(alone, abs=1e-9)
    # an actor absent from one issue of the proposal: NaN position, salience 0 there
    gaps = [(p, a) for p in multi for a in p.data.actors
            if np.isnan(p.data.position[p.data.actors.index(a)]).any()]
    assert gaps, "some actor is absent from one issue of a proposal"


# --- malformed files -------------------------------------------------------------------------


def _lines() -> list[list[str]]:
    return [line.split("\t") for line in DEU.read_text().splitlines()]


def _write(tmp_path: Path, lines: list[list[str]], name: str = "bad.tsv") -> Path:
    p = tmp_path / name
    p.write_text("\n".join("\t".join(f) for f in lines) + "\n")
    return p


def _set(lines: list[list[str]], line: int, column: str, value: str) -> None:
    header = [h.strip('"') for h in lines[0]]
    lines[line - 1][header.index(column)] = value


def _error(path: Path) -> str:
    with pytest.raises(InputError) as exc:
        read_deu(path)
    return str(exc.value)


def test_quoted_values_read_like_plain_ones(tmp_path):
    lines = _lines()
    _set(lines, 3, "pat", '"40"')
    _set(lines, 3, "out", '"100"')
    _set(lines, 2, "pfr", "2.8")  # unquoted on the capability line
    first = read_deu(_write(tmp_path, lines))[0]
    assert first.outcome == 100.0 and _actor(first, "at") == (0.48, 40.0, 0.4)
    assert _actor(first, "fr")[0] == 2.8


@pytest.mark.parametrize(("line", "column", "value", "message"), [
    (3, "pat", "forty", "line 3, column 16 (pat): 'forty' is not a number"),
    (4, "sde", "120", "line 4, column 56 (sde): 120 is outside 0..100"),
    (5, "out", "-5", "line 5, column 75 (out): -5 is outside 0..100"),
    (6, "rp", "nan", "line 6, column 74 (rp): 'nan' is not a number"),
    (3, "sbu", "30", "line 3, column 48 (sbu): salience 30 but no position (column pbu is empty)"),
    (4, "isnr", "d00032i1", "line 4, column 5 (isnr): issue 'd00032i1' already on line 3"),
    (2, "pat", "", "line 2, column 16 (pat): no capability"),
    (2, "pde", "-1", "line 2, column 26 (pde): -1 is below 0"),
    (2, "pmt", "0", "line 2, column 34 (pmt): capability 0"),
])
def test_bad_cell(tmp_path, line, column, value, message):
    lines = _lines()
    _set(lines, line, column, value)
    path = _write(tmp_path, lines)
    assert f"{path}: {message}" in _error(path)


def test_short_row_and_several_problems_at_once(tmp_path):
    lines = _lines()
    del lines[4][20]  # line 5
    _set(lines, 7, "pit", "x")
    path = _write(tmp_path, lines)
    msg = _error(path)
    assert f"{path}: line 5: 74 fields, the header has 75" in msg
    assert f"{path}: line 7, column 30 (pit): 'x' is not a number" in msg


def test_bad_row_without_outcome_is_still_reported(tmp_path):
    lines = _lines()
    _set(lines, 193, "pat", "?")  # out is empty on line 193
    path = _write(tmp_path, lines)
    assert "line 193, column 16 (pat): '?' is not a number" in _error(path)


def test_missing_column(tmp_path):
    lines = _lines()
    lines[0][-1] = '"outcome"'
    path = _write(tmp_path, lines)
    assert f"{path}: line 1: missing column 'out'" in _error(path)


def test_no_capability_line(tmp_path):
    lines = _lines()
    del lines[1]
    path = _write(tmp_path, lines)
    assert f"{path}: line 2: expected the capability (GDP) line" in _error(path)


def test_institutions_without_capability_get_the_largest(tmp_path):
    lines = _lines()
    _set(lines, 2, "pcom", "")
    _set(lines, 2, "pep", "")
    _set(lines, 2, "pde", "5")
    first = read_deu(_write(tmp_path, lines))[0]
    assert _actor(first, "com")[0] == 5.0 and _actor(first, "ep")[0] == 5.0
    assert _actor(first, "de")[0] == 5.0 and _actor(first, "fr")[0] == 2.8


@pytest.mark.parametrize(("text", "message"), [
    ("", "is empty"),
    ("\n \n", "is empty"),
])
def test_empty_file(tmp_path, text, message):
    path = tmp_path / "empty.tsv"
    path.write_text(text)
    assert f"{path}: {message}" in _error(path)


def test_header_only_and_no_issues(tmp_path):
    lines = _lines()
    path = _write(tmp_path, lines[:1], "header.tsv")
    assert "line 1: no capability line after the header" in _error(path)
    path = _write(tmp_path, lines[:2], "gdp.tsv")
    assert f"{path}: no issues with an outcome" in _error(path)


def test_missing_file(tmp_path):
    path = tmp_path / "nope.tsv"
    assert f"{path}: no such file" in _error(path)


# --- the benchmark's scoring, with stand-in models -----------------------------------------


@pytest.fixture
def bench(monkeypatch):
    monkeypatch.syspath_prepend(str(BENCH.parent))  # as when run from benchmarks/
    spec = importlib.util.spec_from_file_location("forecast_deu_bench", BENCH)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "forecast_deu_bench", module)
    spec.loader.exec_module(module)
    return module


def _fake(monkeypatch, module: str, func: str, forecast):
    def run(data, rounds=10, seed=0, **params):
        out = np.asarray(forecast(data), dtype=float)
        return ForecastResult(func, data, {"rounds": rounds}, [ForecastRound(0, data.position,
                                                                              out)], seed)
    fake = types.ModuleType(module)
    setattr(fake, func, run)
    monkeypatch.setitem(sys.modules, module, fake)


def test_benchmark_scores(bench, monkeypatch, issues):
    # stand-ins: eu forecasts 50 everywhere; exchange forecasts the compromise; smp fails
    # on issues with more than 25 actors
    _fake(monkeypatch, "accord.forecast.eu", "run_eu", lambda d: np.full(d.n_issues, 50.0))
    _fake(monkeypatch, "accord.forecast.exchange", "run_exchange",
          lambda d: [compromise(d).internal[i] for i in d.issues])

    def smp(d):
        if d.n_actors > 25:
            raise ValueError("too many actors")
        return np.full(d.n_issues, 50.0)
    _fake(monkeypatch, "accord.forecast.smp", "run_smp", smp)

    _, scores, missing = bench.run_benchmark(DEU)
    assert missing == {}
    s = {x.name: x for x in scores}
    reference = _plain_python_errors(DEU)
    assert s["compromise"].n == 353
    assert s["compromise"].mae == pytest.approx(sum(reference) / 353, abs=1e-9)
    assert s["compromise"].median == pytest.approx(statistics.median(reference), abs=1e-9)
    flat = [abs(50.0 - i.outcome) for i in issues]
    assert s["eu"].mae == pytest.approx(sum(flat) / 353, abs=1e-9)
    better, tie, worse = s["eu"].versus_baseline()
    assert better + tie + worse == 353
    assert better == sum(f < r - 1e-9 for f, r in zip(flat, reference, strict=True))
    assert s["exchange"].n == 324 and s["exchange"].calls == 108
    assert s["exchange"].versus_baseline() == (0, 324, 0)
    assert s["exchange"].mae == pytest.approx(s["exchange"].baseline_mae, abs=1e-9)
    # the benchmark gives the SMP only the actors that care (positive salience)
    big = [i for i in issues if int((i.data.salience.sum(axis=1) > 0).sum()) > 25]
    assert len(s["smp"].failures) == len(big) and s["smp"].n == 353 - len(big)
    text = bench.verdict(scores, missing)
    assert text.startswith("No model beats the compromise baseline")


def test_benchmark_without_models(bench, monkeypatch, tmp_path):
    for name in ("eu", "smp", "exchange"):
        monkeypatch.setitem(sys.modules, f"accord.forecast.{name}", None)  # -> ImportError
    out = tmp_path / "deu.md"
    assert bench.main(["--write", str(out)]) == 0
    text = out.read_text()
    assert "**353 issues**" in text
    assert "| compromise | 353 | 23.22 | 18.80 | 23.22 | 18.80 |" in text
    assert "Only the compromise model could be run" in text


def test_sign_test(bench):
    assert bench.sign_test(0, 0) == 1.0
    assert bench.sign_test(5, 5) == 1.0
    assert bench.sign_test(10, 0) == pytest.approx(2 / 2**10)
    assert bench.sign_test(3, 7) == pytest.approx(2 * sum(math.comb(10, i)
                                                          for i in range(4)) / 2**10)
