"""The HTML report: self-contained, and every number in its figures and tables is the one the
library computes (read back from the page itself)."""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord import analyze, compile_space, load_scenario
from accord.errors import InputError
from accord.report import build_report, collect, render
from accord.report.uncertainty import sweep_section
from accord.validation import validate_scenario
from tests.conftest import scenario_from_tables

SCENARIOS = ("ukraine-2023", "logrolling", "camp-david-1978")
FIGURE = re.compile(r'<script type="application/json" class="accord-figure" '
                    r'data-target="[^"]*" data-key="([^"]*)">(.*?)</script>', re.S)


@cache
def page_of(sid: str, parties: tuple[str, ...] | None = None) -> str:
    return build_report(sid, parties=parties)


@cache
def analysis_of(sid: str, parties: tuple[str, ...] | None = None):
    return analyze(compile_space(load_scenario(sid)), parties)


def figures(page: str) -> dict[str, dict]:
    """Every embedded figure's JSON, by key."""
    return {html.unescape(k): json.loads(spec) for k, spec in FIGURE.findall(page)}


def trace(fig: dict, meta: str) -> dict:
    found = [t for t in fig["data"] if t.get("meta") == meta]
    assert len(found) == 1, (meta, [t.get("meta") for t in fig["data"]])
    return found[0]


def has_trace(fig: dict, meta: str) -> bool:
    return any(t.get("meta") == meta for t in fig["data"])


class _Tables(HTMLParser):
    """Tables of a page as (caption, rows of cell texts)."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[tuple[str, list[list[str]]]] = []
        self._cell: list[str] | None = None
        self._caption: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append(("", []))
        elif tag == "caption":
            self._caption = []
        elif tag == "tr" and self.tables:
            self.tables[-1][1].append([])
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "br" and self._cell is not None:
            self._cell.append("\n")

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1][1][-1].append("".join(self._cell).strip())
            self._cell = None
        elif tag == "caption" and self._caption is not None:
            self.tables[-1] = ("".join(self._caption), self.tables[-1][1])
            self._caption = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)
        if self._caption is not None:
            self._caption.append(data)


def table_by_caption(page: str, start: str) -> list[list[str]]:
    parser = _Tables()
    parser.feed(page)
    found = [rows for cap, rows in parser.tables if cap.startswith(start)]
    assert len(found) == 1, [cap for cap, _ in parser.tables]
    return found[0]


def plotly_banner() -> str:
    from plotly.offline import get_plotlyjs

    return re.search(r"plotly\.js v[\d.]+", get_plotlyjs()[:500]).group(0)


# --- the page is one offline file -------------------------------------------------------


@pytest.mark.parametrize("sid", SCENARIOS)
def test_page_is_self_contained(sid: str) -> None:
    page = page_of(sid)
    assert page.startswith("<!DOCTYPE html>")
    assert '<nav><ul><li><a href="#summary">What the model says</a></li>' in page
    for key in ("summary", "scenario", "actors", "utility-space", "proposals", "forecast",
                "mediation", "sweep", "assumptions"):
        assert f'<section id="{key}">' in page
    assert page.count(plotly_banner()) == 1  # plotly.js inlined exactly once
    assert not re.search(r"<script[^>]*\bsrc\s*=", page, re.I)
    assert not re.search(r"<link[^>]*href\s*=\s*[\"']?https?:", page, re.I)
    # every figure's JSON parses and is drawn by the loader
    figs = figures(page)
    assert "utility-space" in figs and "mediation-single-text" in figs
    assert all(f["data"] for f in figs.values())


@pytest.mark.parametrize("sid", SCENARIOS)
def test_every_proposal_listed(sid: str) -> None:
    page = page_of(sid)
    scenario = load_scenario(sid)
    assert scenario.proposals
    rows = table_by_caption(page, "The proposals on the table")
    assert [r[0] for r in rows[1:]] == [p.id for p in scenario.proposals]
    assert [r[1] for r in rows[1:]] == [p.title for p in scenario.proposals]
    for p in scenario.proposals:
        assert html.escape(p.title) in page


@pytest.mark.parametrize("sid", SCENARIOS)
def test_summary_disclaimer_and_sources(sid: str) -> None:
    scenario = load_scenario(sid)
    page = page_of(sid)
    assert html.escape(scenario.summary) in page
    assert f'<p class="disclaimer">{html.escape(scenario.disclaimer)}</p>' in page
    assert scenario.sources
    for key, src in scenario.sources.items():
        assert f"<b>[{key}]</b> {html.escape(src.title)}" in page
        if src.date:
            assert f", {src.date}" in page
        if src.url:
            assert f'<a href="{html.escape(src.url)}" rel="noopener noreferrer">' in page


@pytest.mark.parametrize("sid", SCENARIOS)
def test_actors_and_issues_tables(sid: str) -> None:
    scenario = load_scenario(sid)
    space = compile_space(scenario)
    rows = table_by_caption(page_of(sid), "Actors:")
    assert rows[0][6:] == list(space.issue_ids)
    for k, (a, row) in enumerate(zip(scenario.actors, rows[1:], strict=True)):
        assert row[0] == a.id and row[2] == a.role
        assert row[3] == ("yes" if a.has_veto else "no")
        assert (row[4], row[5]) == (f"{a.batna:.3f}", f"{a.capability:g}")
        assert row[6:] == [f"{100 * w:.0f}%" for w in space.weights[k]]
    issues = table_by_caption(page_of(sid), "Issues")
    assert [r[0] for r in issues[1:]] == list(space.issue_ids)
    for issue, r in zip(scenario.issues, issues[1:], strict=True):
        if issue.options is not None:
            assert [line.split(":")[0] for line in r[2].split("\n")] == [
                o.id for o in issue.options]
        else:
            assert r[2].startswith(f"{issue.range[0]:g} to {issue.range[1]:g}")


@pytest.mark.parametrize("sid", SCENARIOS)
def test_utility_space_holds_the_analysis(sid: str) -> None:
    a = analysis_of(sid)
    x, y = a.parties
    fig = figures(page_of(sid))["utility-space"]
    f = trace(fig, "frontier")
    assert list(zip(f["x"], f["y"], strict=True)) == [(p.utilities[x], p.utilities[y])
                                                      for p in a.frontier]
    scenario = load_scenario(sid)
    bx, by = scenario.actor(x).batna, scenario.actor(y).batna
    assert trace(fig, f"batna:{x}")["x"] == [bx, bx]
    assert trace(fig, f"batna:{y}")["y"] == [by, by]
    zopa = trace(fig, "zopa")
    assert min(zopa["x"]) == bx and min(zopa["y"]) == by
    for name, point in a.solutions.items():
        if point is None:
            assert not has_trace(fig, f"solution:{name}")
        else:
            s = trace(fig, f"solution:{name}")
            assert (s["x"], s["y"]) == ([point.utilities[x]], [point.utilities[y]])
    for e in a.proposals:
        p = trace(fig, f"proposal:{e.id}")
        assert (p["x"], p["y"]) == ([e.point.utilities[x]], [e.point.utilities[y]])


def test_nash_point_is_the_nash_solution() -> None:
    for sid in ("logrolling", "camp-david-1978"):
        a = analysis_of(sid)
        x, y = a.parties
        nash = trace(figures(page_of(sid))["utility-space"], "solution:nash")
        assert nash["x"] == [a.solutions["nash"].utilities[x]]
        assert nash["y"] == [a.solutions["nash"].utilities[y]]
    # the textbook logroll: Nash at (0.7, 0.8), Kalai-Smorodinsky at the grid's (0.73, 0.72)
    fig = figures(page_of("logrolling"))["utility-space"]
    assert (trace(fig, "solution:nash")["x"], trace(fig, "solution:nash")["y"]) == ([0.7], [0.8])
    ks = trace(fig, "solution:kalai_smorodinsky")
    assert (ks["x"], ks["y"]) == ([0.73], [0.72])


def test_cloud_is_every_deal_when_small() -> None:
    fig = figures(page_of("logrolling"))["utility-space"]
    cloud = trace(fig, "cloud")
    points = set(zip(cloud["x"], cloud["y"], strict=True))
    assert len(points) == len(cloud["x"])  # one point per distinct utility pair
    assert "all 121 deals" in cloud["name"]
    frontier = trace(fig, "frontier")
    assert set(zip(frontier["x"], frontier["y"], strict=True)) <= points
    # u_A = 0.7x + 0.3y, u_B = 0.2(1-x) + 0.8(1-y): the largest sum is the logroll's 1.5
    assert max(round(a + b, 9) for a, b in points) == 1.5


def test_large_cloud_is_compact_with_its_labels() -> None:
    fig = figures(page_of("ukraine-2023"))["utility-space"]
    cloud = trace(fig, "cloud")
    labels = fig["layout"]["meta"]["deal_labels"]
    space = compile_space(load_scenario("ukraine-2023"))
    assert labels["issues"] == list(space.issue_ids)
    assert sum(row[0] for row in cloud["customdata"]) == space.outcomes == 19_440
    # a point's indices name a deal whose utilities are the point's
    row = cloud["customdata"][0]
    u = space.utilities([row[1:]])[0]
    ix, iy = (space.actor_ids.index(p) for p in ("russia", "ukraine"))
    assert (round(u[ix], 6), round(u[iy], 6)) == (cloud["x"][0], cloud["y"][0])


def test_cloud_is_a_seeded_sample_when_large() -> None:
    from accord.report import CLOUD_LIMIT, deal_cloud, utility_space_figure

    scores = [100 * k / 29 for k in range(30)]
    scenario = scenario_from_tables({"a": {i: scores for i in "xyz"},
                                     "b": {i: scores[::-1] for i in "xyz"}})
    space = compile_space(scenario)
    assert space.outcomes == 27_000 > CLOUD_LIMIT
    cloud = deal_cloud(space, seed=5)
    assert cloud.sampled and len(cloud.deals) <= CLOUD_LIMIT
    assert (cloud.utilities == space.utilities(cloud.deals)).all()
    assert (deal_cloud(space, seed=5).deals == cloud.deals).all()
    assert not (deal_cloud(space, seed=6).deals[:50] == cloud.deals[:50]).all()
    fig = utility_space_figure(space, analyze(space), cloud=cloud).to_plotly_json()
    assert f"a sample of {len(cloud.deals):,} of 27,000 deals (seed 5)" in trace(fig, "cloud")[
        "name"]
    page = render(collect(scenario, seed=5))
    assert "seeded random sample of" in page


@pytest.mark.parametrize("sid", SCENARIOS)
def test_zopa_statement_matches_the_analysis(sid: str) -> None:
    a = analysis_of(sid)
    page = page_of(sid)
    yes = "There is a zone of possible agreement"
    no = "There is no zone of possible agreement"
    assert (yes in page, no in page) == (a.zopa.exists, not a.zopa.exists)
    if a.zopa.exists:
        assert f"{a.zopa.count:,} of the {a.outcomes:,} deals" in page
        assert f"is {', '.join(f'{k}={v}' for k, v in a.solutions['nash'].deal.items())}" in page
    else:
        assert f"BATNA fell by {a.zopa.shortfall:.3f}" in page
        closest = trace(figures(page)["utility-space"], "closest")
        x, y = a.parties
        assert (closest["x"], closest["y"]) == ([a.closest.utilities[x]],
                                                [a.closest.utilities[y]])
        assert "Nash bargaining solution does not exist" in page


def test_ukraine_numbers_in_words() -> None:
    page = page_of("ukraine-2023")
    assert html.escape("A ZOPA would open if every party's BATNA fell by 0.086") in page
    assert "china-12-points (vetoed by ukraine)" in page
    assert "peace-formula (vetoed by russia)" in page
    assert "No proposal on the table is accepted by every actor with a veto" in page


@pytest.mark.parametrize("sid", SCENARIOS)
def test_proposal_table(sid: str) -> None:
    a = analysis_of(sid)
    rows = table_by_caption(page_of(sid), "Every actor's utility")
    head = rows[0]
    assert head[1 : 1 + len(a.actors)] == list(a.actors)
    for e, row in zip(a.proposals, rows[1:], strict=True):
        d = e.to_dict()
        assert row[0] == e.id
        for k, actor in enumerate(a.actors):
            cell = row[1 + k]
            assert cell.split()[0] == f"{d['utilities'][actor]:.3f}"
            assert cell.endswith("\u2713") == (actor in d["accepted_by"])
        status = row[1 + len(a.actors) + len(a.parties)]
        if e.agreement:
            assert status == "agreement"
        else:
            assert status == "vetoed by " + ", ".join(d["vetoed_by"])


def test_logrolling_proposals_in_numbers() -> None:
    rows = {r[0]: r for r in table_by_caption(page_of("logrolling"), "Every actor's utility")}
    assert rows["logroll"][1:3] == ["0.700 \u2713", "0.800 \u2713"]
    assert rows["split-the-difference"][1:3] == ["0.500 \u2713", "0.500 \u2713"]
    assert rows["wrong-trade"][1:3] == ["0.300 \u2713", "0.200 \u2713"]
    better = {r[0]: r for r in table_by_caption(page_of("logrolling"), "Proposals that are not")}
    assert set(better) == {"proposal", "split-the-difference", "wrong-trade"}


def test_solutions_table_logrolling() -> None:
    rows = {r[0]: r for r in table_by_caption(page_of("logrolling"), "Solutions over pure")}
    assert rows["Nash"][2:4] == ["0.700", "0.800"]
    assert rows["Nash"][4] == "equipment=100\nstaff=0"
    assert rows["egalitarian"][2:4] == ["0.730", "0.720"]


# --- forecasts and mediation ------------------------------------------------------------


def test_forecast_section_matches_the_models() -> None:
    from accord.forecast import load_stakeholders
    from accord.forecast.models import run_forecast

    scenario = load_scenario("camp-david-1978")
    eu = run_forecast(load_stakeholders(scenario), "eu", None, 0).to_dict()
    base = run_forecast(load_stakeholders(scenario), "compromise", None, 0).to_dict()
    page = page_of("camp-david-1978")
    rows = {r[0]: r for r in table_by_caption(page, "Predicted outcome per issue")}
    for issue in eu["issues"]:
        assert rows[issue][1].split()[0] == f"{base['forecast'][issue]:.1f}"
        assert rows[issue][2].split()[0] == f"{eu['forecast'][issue]:.1f}"
    fig = figures(page)["forecast-eu"]
    for issue in eu["issues"]:
        t = trace(fig, f"issue:{issue}")
        assert t["y"] == [r["outcome"][issue] for r in eu["rounds"]]
    positions = figures(page)["positions-eu"]
    first = eu["issues"][0]
    t = trace(positions, f"position:{first}:egypt")
    assert t["y"] == [r["positions"]["egypt"][first] for r in eu["rounds"]]


def test_mediation_section_matches_the_runs() -> None:
    from accord.mediation.alternating import alternating_offers
    from accord.mediation.single_text import single_text

    space = compile_space(load_scenario("logrolling"))
    st = single_text(space, seed=0)
    ao = alternating_offers(space, ["boulware"], seed=0)
    page = page_of("logrolling")
    figs = figures(page)
    line = trace(figs["mediation-single-text"], "party:dept-a")
    assert line["y"][-1] == st.outcome.utilities["dept-a"]  # the final text
    own = trace(figs["mediation-alternating-offers"], "offers-by:dept-b")
    offers = [s for s in ao.trace if s.proposer == "dept-b" and "offer" in s.responses.values()]
    assert own["y"] == [s.utilities["dept-b"] for s in offers]
    rows = {r[0]: r for r in table_by_caption(page, "Where each simulated negotiation ends")}
    assert rows["single-text"][2] == str(st.rounds)
    assert rows["alternating-offers"][3:5] == [f"{ao.gains['dept-a']:+.3f}",
                                               f"{ao.gains['dept-b']:+.3f}"]
    end = trace(figs["utility-space"], "mediation:alternating-offers")
    assert (end["x"], end["y"]) == ([ao.outcome.utilities["dept-a"]],
                                    [ao.outcome.utilities["dept-b"]])


# --- three parties, escaping, library API -----------------------------------------------


def test_three_parties_get_pairwise_projections() -> None:
    parties = ("egypt", "israel", "usa")
    a = analysis_of("camp-david-1978", parties)
    figs = figures(page_of("camp-david-1978", parties))
    assert {"utility-space-egypt-israel", "utility-space-egypt-usa",
            "utility-space-israel-usa", "frontier-parallel"} <= set(figs)
    assert "utility-space" not in figs
    scenario = load_scenario("camp-david-1978")
    for x, y in (("egypt", "israel"), ("egypt", "usa"), ("israel", "usa")):
        fig = figs[f"utility-space-{x}-{y}"]
        f = trace(fig, "frontier")
        assert list(zip(f["x"], f["y"], strict=True)) == [(p.utilities[x], p.utilities[y])
                                                          for p in a.frontier]
        assert trace(fig, f"batna:{x}")["x"] == [scenario.actor(x).batna] * 2
        assert trace(fig, f"batna:{y}")["y"] == [scenario.actor(y).batna] * 2
        nash = a.solutions["nash"]
        s = trace(fig, "solution:nash")
        assert (s["x"], s["y"]) == ([nash.utilities[x]], [nash.utilities[y]])
    dims = trace(figs["frontier-parallel"], "frontier-parallel")["dimensions"]
    assert [d["label"] for d in dims] == list(parties)
    for d in dims:
        assert d["values"] == [p.utilities[d["label"]] for p in a.frontier]


def test_three_veto_parties_by_default() -> None:
    tables = {a: {"i": s, "j": list(reversed(s))}
              for a, s in (("p", [0, 50, 100]), ("q", [100, 50, 0]), ("r", [50, 100, 0]))}
    scenario = scenario_from_tables(tables, batna={"p": 0.2, "q": 0.2, "r": 0.3})
    data = collect(scenario)
    assert data.parties == ("p", "q", "r")
    figs = figures(render(data))
    assert {"utility-space-p-q", "utility-space-p-r", "utility-space-q-r",
            "frontier-parallel"} <= set(figs)
    cloud = trace(figs["utility-space-q-r"], "cloud")
    assert "all 9 deals" in cloud["name"]


def _hostile_scenario():
    data = scenario_from_tables({"a": {"i": [0, 100]}, "b": {"i": [100, 0]}},
                                proposals=[{"id": "p1", "title": "<img src=x onerror=alert(1)>",
                                            "deal": {"i": "o0"}}]).model_dump(
        mode="json", exclude_none=True)
    data["title"] = "<script>alert('title')</script>"
    data["summary"] = "Summary </script><script>alert(2)</script>"
    data["disclaimer"] = "<b>bold</b> & co"
    data["sources"] = {"s1": {"title": "<i>src</i>", "url": "javascript:alert(3)"},
                       "s2": {"title": "ok", "url": "https://example.org/?a=1&b=<2>"}}
    data["actors"][0]["title"] = "<svg onload=alert(4)>"
    return validate_scenario(data, "<hostile>")


def test_scenario_text_is_escaped() -> None:
    page = build_report(_hostile_scenario())
    body = page.split(plotly_banner())[1]  # plotly.js itself holds markup in strings
    for bad in ("<script>alert", "<img src=x", "<svg onload", "<b>bold", "<i>src",
                'href="javascript'):
        assert bad not in body, bad
    assert "&lt;script&gt;alert(&#x27;title&#x27;)&lt;/script&gt;" in page
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; co" in page
    assert 'href="https://example.org/?a=1&amp;b=&lt;2&gt;"' in page
    # only the two scripts of the page itself run: plotly.js and the loader
    assert len(re.findall(r"<script(?![^>]*application/json)", page)) == 2
    fig = figures(page)["utility-space"]
    hover = trace(fig, "proposal:p1")["hovertext"][0]
    assert "&lt;img src=x onerror=alert(1)&gt;" in hover


def test_library_accepts_scenario_id_and_path(tmp_path: Path) -> None:
    from accord.io import builtin_path

    path = tmp_path / "log.yaml"
    path.write_text(builtin_path("logrolling").read_text())
    assert build_report(str(path)) == page_of("logrolling")  # same inputs, same bytes
    assert build_report(load_scenario("logrolling"), seed=0) == page_of("logrolling")


def test_bad_parties_raise_input_error() -> None:
    with pytest.raises(InputError, match="at least two"):
        collect("logrolling", parties=["dept-a"])
    with pytest.raises(InputError, match="unknown actor 'nobody'"):
        collect("logrolling", parties=["dept-a", "nobody"])


def test_import_accord_does_not_load_plotly() -> None:
    code = ("import sys, accord, accord.cli, accord.report; "
            "assert 'plotly' not in sys.modules, 'plotly imported'")
    subprocess.run([sys.executable, "-c", code], check=True)


# --- the sweep section ------------------------------------------------------------------

SWEEP = {
    "samples": 400, "seed": 7,
    "inputs": [{"path": "russia.batna", "distribution": {"kind": "triangular", "low": 0.5,
                                                         "mode": 0.6, "high": 0.7},
                "nominal": 0.6},
               {"input": "<b>x</b>.batna", "distribution": "uniform", "nominal": 0.4}],
    "zopa": {"probability": 0.125, "ci": [0.095, 0.161]},
    "proposals": [{"id": "freeze", "agreement": {"probability": 0.05, "ci": [0.03, 0.08]},
                   "accepts": {"russia": {"probability": 0.9, "ci": [0.87, 0.93]},
                               "ukraine": {"probability": 0.055, "ci": [0.035, 0.08]}}}],
    "nash": {"exists": {"probability": 0.125, "ci": [0.095, 0.161]},
             "deals": [{"deal": {"ceasefire": "phased", "territory": "feb-2022"},
                        "probability": 0.1}],
             "utilities": {"russia": {"mean": 0.61, "sd": 0.02, "p5": 0.58, "p50": 0.61,
                                      "p95": 0.64}}},
    "sensitivity": [{"outcome": "zopa_margin", "ranking": [
        {"input": "ukraine.batna", "correlation": -0.82, "low": -0.04, "high": -0.12,
         "swing": 0.08},
        {"input": "russia.batna", "correlation": -0.51, "low": -0.05, "high": -0.11,
         "swing": 0.06}]}],
}


def test_sweep_section_renders_the_dict() -> None:
    out = sweep_section(SWEEP)
    assert "sampled 400 times (seed 7)" in out
    assert "exists in 12.5% (95% CI 9.5% to 16.1%) of the samples" in out
    assert "russia.batna" in out and "&lt;b&gt;x&lt;/b&gt;.batna" in out and "<b>x" not in out
    rows = table_by_caption(out, "How often each proposal")
    assert rows[0] == ["proposal", "P(agreement)", "margin", "P(russia accepts)",
                       "P(ukraine accepts)"]
    assert rows[1] == ["freeze", "5.0% (95% CI 3.0% to 8.0%)", "-",
                       "90.0% (95% CI 87.0% to 93.0%)", "5.5% (95% CI 3.5% to 8.0%)"]
    assert "ceasefire</span>=phased" in out
    spec = figures(out)["sensitivity-0-zopa_margin"]
    low = trace(spec, "sensitivity:low")
    assert low["y"] == ["russia.batna", "ukraine.batna"]  # largest swing drawn on top
    assert low["x"] == [-0.05, -0.04]


def test_sweep_section_reads_the_newer_shape() -> None:
    d = {"samples": 10, "sensitivity": [{"outcome": "zopa_margin", "nominal": -0.086,
                                         "ranking": [{"input": "ukraine.batna", "low": 0.65,
                                                      "high": 0.8, "outcome_low": -0.04,
                                                      "outcome_high": -0.12, "swing": 0.08,
                                                      "correlation": -0.8}]}]}
    out = sweep_section(d)
    assert "nominal value -0.086" in out
    spec = figures(out)["sensitivity-0-zopa_margin"]
    high = trace(spec, "sensitivity:high")
    assert high["base"] == -0.086 and high["customdata"] == [-0.12]


@pytest.mark.parametrize("junk", [None, {}, [], "text", {"samples": "many", "zopa": "?",
                                                        "inputs": [1, None, {"x": 1}],
                                                        "proposals": {"a": 1},
                                                        "nash": {"deals": [None, {"deal": 3}],
                                                                 "utilities": {"a": None}},
                                                        "sensitivity": [{"ranking": [
                                                            {"low": "a"}, None]}]}])
def test_sweep_section_never_fails(junk) -> None:
    assert isinstance(sweep_section(junk), str)


def test_precomputed_sweep_dict_goes_in_the_page() -> None:
    page = build_report("logrolling", sweep=SWEEP)
    assert "exists in 12.5% (95% CI 9.5% to 16.1%) of the samples" in page
    assert "sensitivity-0-zopa_margin" in page


# --- the command ------------------------------------------------------------------------


def _invoke(*args: str):
    from accord.cli import app

    return CliRunner().invoke(app, ["report", *args])


def test_cli_writes_refuses_and_forces(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    r = _invoke("logrolling", "-o", str(out))
    assert r.exit_code == 0, r.output
    first = out.read_bytes()
    assert first.decode().startswith("<!DOCTYPE html>")
    assert plotly_banner() in first.decode()
    out.write_text("kept")
    r = _invoke("logrolling", "-o", str(out))
    assert r.exit_code == 2
    assert "exists already" in r.stderr and "Traceback" not in r.output
    assert out.read_text() == "kept"
    r = _invoke("logrolling", "-o", str(out), "--force")
    assert r.exit_code == 0
    assert out.read_bytes() == first
    assert not list(tmp_path.glob(".*.tmp"))  # no temporary file left behind


@pytest.mark.parametrize("args, message", [
    (("no-such-scenario", "-o", "{tmp}/r.html"), "no such file"),
    (("logrolling", "-o", "{tmp}/missing/r.html"), "does not exist"),
    (("logrolling", "-o", "{tmp}/r.html", "--parties", "dept-a,nobody"), "unknown actor"),
    (("logrolling", "-o", "{tmp}/r.html", "--parties", "dept-a"), "at least two"),
    (("logrolling", "-o", "{tmp}"), "is a folder"),
])
def test_cli_bad_input_exits_2(tmp_path: Path, args: tuple, message: str) -> None:
    r = _invoke(*[a.replace("{tmp}", str(tmp_path)) for a in args])
    assert r.exit_code == 2
    assert message in r.stderr
    assert "Traceback" not in r.output + r.stderr
    assert not (tmp_path / "r.html").exists()


def _has_sweep() -> bool:
    try:
        import accord.sweep  # noqa: F401
    except ImportError:
        return False
    return True


@pytest.mark.skipif(not _has_sweep(), reason="accord.sweep is not available")
def test_cli_sweep(tmp_path: Path) -> None:
    from accord.report.uncertainty import prob
    from accord.sweep import run_sweep

    out = tmp_path / "r.html"
    r = _invoke("ukraine-2023", "-o", str(out), "--sweep", "20", "--seed", "3")
    assert r.exit_code == 0, r.stderr
    expected = run_sweep(load_scenario("ukraine-2023"), samples=20, seed=3).to_dict()
    page = out.read_text()
    assert "sampled 20 times (seed 3)" in page
    assert f"exists in {prob(expected['zopa'])} of the samples" in page
    assert any(k.startswith("sensitivity-") for k in figures(page))


def test_assumptions_say_when_numbers_are_ranges() -> None:
    from accord.report import collect
    from accord.report.summary import assumptions

    text = " ".join(assumptions(collect("ukraine-2023")))
    assert "16 numbers of the scenario are given as ranges" in text and "--sweep N" in text
    assert "given as ranges" not in " ".join(assumptions(collect("logrolling")))


def test_report_polls_its_budget_and_never_keeps_it_as_a_section_message():
    import time

    from accord.budget import Budget, BudgetExceeded
    from accord.report.data import _forecasts

    late = Budget(1.0, started=time.perf_counter() - 3600)
    with pytest.raises(BudgetExceeded, match="report sections"):
        collect("logrolling", budget=late)
    with pytest.raises(BudgetExceeded, match="eu forecast"):  # not swallowed like a refusal
        _forecasts(load_scenario("ukraine-2023"), 0, late)
