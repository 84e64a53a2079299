"""End to end in a real browser: the web app served by uvicorn on a free loopback port (temp
database), driven by headless Chromium through Playwright; and the HTML report opened from
a file. Every test fails on any console error or uncaught exception of the page (which
includes Content Security Policy violations). Skipped, with the reason, when Playwright or
Chromium is missing (see tests/browser.py)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser import PageErrors, chromium, require_chromium
from tests.conftest import free_port

SCENARIO = "camp-david-1978"
TIMEOUT_MS = 30_000



@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as b:
        yield b


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app on uvicorn in a thread; yields its base URL."""
    require_chromium()  # no server to start when the browser tests are skipped
    import uvicorn

    from accord.web import create_app

    port = free_port()
    app = create_app(tmp_path_factory.mktemp("e2e") / "e2e.db",
                     allowed_hosts=["127.0.0.1", "localhost"])
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                        lifespan="off"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


def _plot_ready(page: Any) -> None:
    page.wait_for_function(
        "() => { const p = document.getElementById('plot');"
        " return p && p.data && p.data.some(t => t.meta === 'frontier' && t.x.length > 0)"
        " && p.querySelector('.scatterlayer .trace') !== null; }", timeout=TIMEOUT_MS)


def _frontier_point_on_screen(page: Any, k: int) -> dict[str, Any]:
    """Page coordinates of the k-th frontier point as plotly drew it."""
    return page.evaluate("""(k) => {
        const gd = document.getElementById('plot');
        const trace = gd.data.find(t => t.meta === 'frontier');
        const box = gd.getBoundingClientRect();
        const L = gd._fullLayout;
        return {x: box.left + L._size.l + L.xaxis.l2p(trace.x[k]),
                y: box.top + L._size.t + L.yaxis.l2p(trace.y[k]),
                n: trace.x.length};
    }""", k)


def _open(browser: Any, server: str, scenario: str, height: int = 1600
          ) -> tuple[Any, PageErrors]:
    """A new page on the app with the built-in `scenario` loaded and its plot drawn, and the
    collector of its errors."""
    page = browser.new_page(viewport={"width": 1400, "height": height})
    page.set_default_timeout(TIMEOUT_MS)
    errors = PageErrors(page)
    page.goto(server + "/")
    page.wait_for_selector(f"#builtin-select option[value='{scenario}']", state="attached")
    page.select_option("#builtin-select", scenario)
    _plot_ready(page)
    return page, errors


def test_page_end_to_end(server: str, browser: Any) -> None:
    from accord.bargaining.proposals import evaluate
    from accord.io import load_scenario
    from accord.space import compile_space

    # load a built-in scenario: the editor fills, the plot draws
    page, errors = _open(browser, server, SCENARIO)
    assert page.input_value("#editor").startswith("accord: 1")
    cloud = page.evaluate("() => document.getElementById('plot').data"
                          ".find(t => t.meta === 'cloud').x.length")
    space = compile_space(load_scenario(SCENARIO))
    assert cloud == space.outcomes

    # click a frontier point: its deal is shown
    analysis = page.evaluate("() => state.frontier")
    k = len(analysis) // 2
    where = _frontier_point_on_screen(page, k)
    page.mouse.move(where["x"], where["y"])
    page.wait_for_timeout(300)
    page.mouse.click(where["x"], where["y"])
    page.wait_for_selector("#selected-deal tr[data-issue]")
    shown = {row.get_attribute("data-issue"): row.query_selector_all("td")[1].inner_text()
             for row in page.query_selector_all("#selected-deal tr[data-issue]")}
    assert shown == {i: str(v) for i, v in analysis[k]["deal"].items()}
    assert "Pareto-optimal" in page.inner_text("#selected-hint")

    # build a proposal with the selects: who accepts is what the library says
    deal = {"sovereignty": "partial", "security": "none", "settlements": "kept",
            "relations": "full", "palestinian": "none"}
    for i, issue in enumerate(space.issue_ids):
        page.select_option(f"#issue-{i}", label=deal[issue])
    expected = evaluate(space, space.deal_index(deal))
    page.wait_for_function(
        "(want) => { const rows = [...document.querySelectorAll('#proposal-table tr[data-actor]')];"
        " const got = rows.filter(r => r.querySelector('td.accepts').textContent === 'yes')"
        ".map(r => r.dataset.actor); return JSON.stringify(got) === JSON.stringify(want); }",
        arg=list(expected.accepted_by))
    verdict = page.inner_text("#proposal-verdict")
    assert ("Agreement" in verdict) == expected.agreement
    assert not expected.agreement and "vetoed by" in verdict

    # run a mediation and see its trace
    page.select_option("#run-kind", "mediation")
    page.fill("#rounds", "60")
    page.click("#run")
    page.wait_for_function("() => { const p = document.getElementById('trace-plot');"
                           " return p.data && p.data.length === 2 && p.data[0].x.length > 1; }")
    assert "single-text" in page.inner_text("#run-summary")
    page.click("#save-run")
    page.wait_for_selector("#saved-runs li[data-run]")

    # save the scenario, reload, and find it again
    page.click("#save-scenario")
    page.wait_for_selector(f"#saved-scenarios li[data-name='{SCENARIO}']")
    page.reload()
    page.wait_for_selector(f"#saved-scenarios li[data-name='{SCENARIO}'] button")
    page.wait_for_selector("#saved-runs li[data-run]")
    page.click(f"#saved-scenarios li[data-name='{SCENARIO}'] button")
    _plot_ready(page)
    assert page.inner_text("#scenario-source") == f"saved {SCENARIO}, version 1"
    assert page.input_value("#editor") == load_text(SCENARIO)

    # an edit with a mistake is reported beside the editor, field by field
    page.fill("#editor", load_text(SCENARIO).replace("batna: 0.55", "batna: 5.5", 1))
    page.wait_for_selector("#problems li")
    problem = page.inner_text("#problems li")
    assert "batna" in problem and "line" in problem
    assert errors.messages == []
    page.close()


def test_sweep_in_the_page(server: str, browser: Any) -> None:
    """An uncertainty sweep run from the page shows the library's probabilities."""
    from accord.io import load_scenario
    from accord.sweep import run_sweep

    page, errors = _open(browser, server, "ukraine-2023")
    page.select_option("#run-kind", "sweep")
    page.fill("#samples", "40")
    page.fill("#seed", "3")
    page.click("#run")
    page.wait_for_selector("#sweep-result table")
    expected = run_sweep(load_scenario("ukraine-2023"), 40, 3).to_dict()
    text = page.inner_text("#sweep-result")
    assert f"{100 * expected['zopa']['probability']:.1f}%" in text
    for p in expected["proposals"]:
        assert p["id"] in text
    assert expected["sensitivity"][0]["ranking"][0]["input"] in text
    assert errors.messages == []
    page.close()


def test_panels_in_the_page(server: str, browser: Any) -> None:
    """Every capability's panel, run from the page, shows what its operation returns:
    weighted Nash, the four forecast models, the interested mediator, repair, the inverse
    questions and the tournament."""
    from accord import ops

    page, errors = _open(browser, server, SCENARIO, height=2400)

    # the weighted Nash solution of the analysis
    weighted = ops.analyze(SCENARIO, nash_weights={"israel": 10}).to_dict()["solutions"]["nash"]
    assert weighted["deal"] != ops.analyze(SCENARIO).to_dict()["solutions"]["nash"]["deal"]
    page.fill("#nash-weights", "israel=10")
    page.dispatch_event("#nash-weights", "change")
    page.wait_for_function("(want) => JSON.stringify(state.analysis.solutions.nash.deal)"
                           " === JSON.stringify(want)", arg=weighted["deal"])
    page.fill("#nash-weights", "")
    page.dispatch_event("#nash-weights", "change")

    # repair: the changes, and who accepts before and after
    expected = ops.repair(SCENARIO, proposal="split").to_dict()
    page.select_option("#repair-target", "split")
    page.click("#repair-run")
    page.wait_for_selector("#repair-result tr[data-key='sovereignty']")
    changes = {row.get_attribute("data-key"): [td.inner_text() for td in
                                               row.query_selector_all("td")][1:]
               for row in page.query_selector_all("#repair-result table:first-child "
                                                  "tr[data-key]")}
    assert changes == {c["issue"]: [c["from"], c["to"]] for c in expected["changed"]}
    egypt = [td.inner_text() for td in page.query_selector_all(
        "#repair-result tr[data-key='egypt'] td")]
    before = next(a for a in expected["proposal"]["actors"] if a["id"] == "egypt")
    after = next(a for a in expected["repaired"]["actors"] if a["id"] == "egypt")
    assert egypt[2:6] == [f"{before['utility']:.3f}", "no", f"{after['utility']:.3f}", "yes"]
    assert "change 2 issues" in page.inner_text("#repair-summary")

    # inverse questions for one actor: its BATNA drop and the weights
    expected = ops.inverse(SCENARIO, proposal="begin-ismailia-1977",
                           actors=["egypt"]).to_dict()
    page.select_option("#inverse-target", "begin-ismailia-1977")
    page.check("#inverse-actors input[data-actor='egypt']")
    page.click("#inverse-run")
    page.wait_for_selector("#inverse-result tr[data-key='egypt']")
    row = [td.inner_text() for td in page.query_selector_all(
        "#inverse-result tr[data-key='egypt'] td")]
    assert row[3:5] == ["no", f"{expected['actors'][0]['drop']:.4f}"] == ["no", "0.0350"]
    assert len(page.query_selector_all("#inverse-result tr[data-key]")) == 1 + 5  # + issues
    sovereignty = page.inner_text("#inverse-result tr[data-key='sovereignty'] td.num")
    assert sovereignty == "0.3500 → 0.4375"

    # the tournament's ranking
    page.fill("#tournament-rounds", "60")
    page.fill("#repetitions", "2")
    page.click("#tournament-run")
    page.wait_for_selector("#tournament-result tr[data-key]")
    expected = ops.tournament(SCENARIO, strategies=["boulware", "linear", "conceder"],
                              repetitions=2, rounds=60).to_dict()
    shown = [(row.get_attribute("data-key"), row.query_selector_all("td")[2].inner_text())
             for row in page.query_selector_all("#tournament-result tr[data-key]")]
    assert shown == [(r["strategy"], f"{r['mean_gain']:.3f}") for r in expected["ranking"]]

    # every forecast model, and the interested mediator
    page.select_option("#run-kind", "forecast")
    for model in ("compromise", "eu", "smp", "exchange"):
        page.select_option("#model", model)
        page.click("#run")
        page.wait_for_function("(m) => document.getElementById('run-summary').textContent"
                               ".startsWith(m + ' forecast')", arg=model)
    page.select_option("#run-kind", "mediation")
    page.select_option("#protocol", "mediator")
    page.select_option("#mediator", "usa")
    page.fill("#interest", "0.5")
    page.fill("#rounds", "")
    page.click("#run")
    page.wait_for_function("() => document.getElementById('run-summary').textContent"
                           ".startsWith('mediator')")
    mediated = ops.mediate(SCENARIO, protocol="mediator", mediator="usa",
                           interest=0.5).to_dict()
    assert f"after {mediated['rounds']} rounds on sovereignty=" in page.inner_text(
        "#run-summary")
    assert errors.messages == []
    page.close()


def test_games_in_the_page(server: str, browser: Any) -> None:
    """The games panel shows what `accord.ops.games` returns: a classic game's equilibria,
    the textbook trust model, a crisis file pasted in, the coalitions of the scenario."""
    from accord import ops

    games = Path(__file__).parent / "data" / "games"
    page, errors = _open(browser, server, SCENARIO, height=2400)

    def cells(key: str) -> list[str]:
        return [td.inner_text() for td in page.query_selector_all(
            f"#game-result tr[data-key=\"{key}\"] td")]

    page.wait_for_selector("#game-source option[value='classic:chicken']", state="attached")
    page.select_option("#game-source", "classic:chicken")
    page.click("#game-run")
    page.wait_for_selector("#game-result tr[data-key='3']")
    expected = ops.game("chicken").to_dict()["equilibria"]
    assert len(page.query_selector_all("#game-result table:first-child tr[data-key]")) == \
        expected["count"] == 3
    assert cells("3")[1:4] == ["mixed", "swerve 0.500, straight 0.500",
                               "swerve 0.500, straight 0.500"]

    page.select_option("#game-kind", "trust")
    page.click("#game-run")
    page.wait_for_selector("#game-result tr[data-key='tft']")
    ranking = ops.trust().to_dict()["tournament"]["ranking"]
    for row in ranking:
        assert cells(row["strategy"])[:3] == [str(row["rank"]), row["strategy"],
                                              f"{row['score']:.3f}"]
    assert "w ≥ 1/2" in page.inner_text("#game-summary")

    page.select_option("#game-kind", "crisis")
    page.select_option("#game-source", "file")
    page.set_input_files("#game-upload", str(games / "crisis" / "fearon.yaml"))
    page.wait_for_function("() => document.getElementById('game-file').value.length > 0")
    assert page.input_value("#game-file") == (games / "crisis" / "fearon.yaml").read_text()
    page.click("#game-run")
    page.wait_for_selector("#game-result tr[data-key='centrist']")
    assert cells("centrist")[3] == "no" and cells("midpoint")[3] == "yes"

    page.select_option("#game-kind", "coalition")
    page.select_option("#game-source", "scenario")
    page.click("#game-run")
    page.wait_for_selector("#game-result tr[data-key='usa']")
    shapley = ops.coalition(SCENARIO).to_dict()["shapley"]["values"]
    assert [cells(p)[1] for p in ("egypt", "israel", "usa")] == \
        [f"{shapley[p]:.3f}" for p in ("egypt", "israel", "usa")]
    assert errors.messages == []
    page.close()


def load_text(sid: str) -> str:
    from accord.io import builtin_path

    return builtin_path(sid).read_text(encoding="utf-8")


def test_report_renders_in_chromium(browser: Any, tmp_path: Path) -> None:
    """The HTML report (accord.report) draws its plots offline, without script errors."""
    report = pytest.importorskip("accord.report", reason="accord.report is not available yet")
    from accord.io import load_scenario

    html = report.build_report(load_scenario("ukraine-2023"))
    path = tmp_path / "report.html"
    path.write_text(html, encoding="utf-8")
    page = browser.new_page(viewport={"width": 1300, "height": 1000})
    page.set_default_timeout(TIMEOUT_MS)
    errors = PageErrors(page)
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(path.as_uri())
    page.wait_for_function("() => document.querySelectorAll('.js-plotly-plot').length > 0")
    page.wait_for_load_state("load")
    drawn = page.evaluate("() => [...document.querySelectorAll('.js-plotly-plot')]"
                          ".map(p => (p.data || []).length)")
    assert drawn and all(n > 0 for n in drawn)
    assert [u for u in requests if not u.startswith(("file:", "data:", "blob:"))] == []
    assert errors.messages == []
    page.close()
