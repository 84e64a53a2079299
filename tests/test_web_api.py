"""The web API through FastAPI's TestClient: every endpoint with good input gives what the
library gives, bad input is a 4xx naming the field, and a stored run reproduces."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest
import yaml

pytest.importorskip("fastapi")
pytest.importorskip("httpx")
with warnings.catch_warnings():  # starlette prefers httpx2 to the httpx this project pins
    warnings.filterwarnings("ignore", message="Using `httpx` with")
    from fastapi.testclient import TestClient  # noqa: E402

import accord  # noqa: E402
from accord import ops  # noqa: E402
from accord.bargaining.proposals import evaluate, evaluate_proposal  # noqa: E402
from accord.errors import InputError  # noqa: E402
from accord.forecast import load_stakeholders  # noqa: E402
from accord.forecast.models import run_forecast  # noqa: E402
from accord.io import builtin_ids, builtin_path, load_scenario  # noqa: E402
from accord.mediation import alternating_offers, mediate_with_interests, single_text  # noqa: E402
from accord.space import compile_space  # noqa: E402
from accord.sweep import run_sweep  # noqa: E402
from accord.validation import validate_scenario  # noqa: E402
from accord.web import create_app  # noqa: E402
from accord.web.compute import comparable  # noqa: E402
from accord.web.limits import MAX_BODY_BYTES, MAX_SWEEP_SAMPLES  # noqa: E402

LOGROLLING = {"builtin": "logrolling"}


@pytest.fixture
def client(tmp_path: Path) -> TestClient:
    return TestClient(create_app(tmp_path / "web.db"))


def builtin_text(sid: str) -> str:
    return builtin_path(sid).read_text(encoding="utf-8")


def without_timing(d):
    if isinstance(d, dict):
        return {k: without_timing(v) for k, v in d.items() if k != "seconds"}
    if isinstance(d, list):
        return [without_timing(v) for v in d]
    return d


def roundtrip(d):
    """What a dict looks like after JSON (tuples become lists)."""
    return json.loads(json.dumps(d))


def error_paths(response) -> list[str]:
    body = response.json()
    assert set(body) == {"errors"}, body
    assert all(e["message"] for e in body["errors"]), body
    return [e["path"] for e in body["errors"]]


# -- scenarios ---------------------------------------------------------------------------


def test_info_and_openapi(client: TestClient) -> None:
    info = client.get("/api/info").json()
    assert info["accord_version"] == accord.__version__
    assert info["limits"]["max_body_bytes"] == MAX_BODY_BYTES
    schema = client.get("/openapi.json").json()
    for path in ("/api/scenarios", "/api/scenarios/{scenario_id}", "/api/validate",
                 "/api/analyze", "/api/evaluate", "/api/repair", "/api/inverse",
                 "/api/deals", "/api/mediate", "/api/tournament", "/api/forecast",
                 "/api/sweep", "/api/game", "/api/trust", "/api/crisis", "/api/coalition",
                 "/api/game/classics",
                 "/api/saved/scenarios",
                 "/api/saved/scenarios/{name}", "/api/runs", "/api/runs/{run_id}",
                 "/api/runs/{run_id}/replay"):
        assert path in schema["paths"], path
    assert "/" not in schema["paths"]


def test_list_and_get_builtin(client: TestClient) -> None:
    listing = client.get("/api/scenarios").json()
    assert [s["id"] for s in listing["builtin"]] == builtin_ids()
    assert listing["saved"] == []
    ukraine = next(s for s in listing["builtin"] if s["id"] == "ukraine-2023")
    assert ukraine["actors"] == len(load_scenario("ukraine-2023").actors)
    r = client.get("/api/scenarios/camp-david-1978")
    assert r.status_code == 200
    body = r.json()
    assert body["text"] == builtin_text("camp-david-1978")
    s = load_scenario("camp-david-1978")
    assert body["scenario"]["parties"] == [a.id for a in s.veto_actors]
    assert [i["labels"] for i in body["scenario"]["issues"]] == [i.labels() for i in s.issues]
    assert body["scenario"]["outcomes"] == compile_space(s).outcomes


def test_validate_reports_problems_with_fields_and_lines(client: TestClient) -> None:
    good = client.post("/api/validate", json={"text": builtin_text("logrolling")}).json()
    assert good["valid"] and good["errors"] == []
    assert good["scenario"]["id"] == "logrolling"
    text = builtin_text("logrolling").replace("    batna: 0\n    salience: {equipment: 0.2",
                                              "    batna: 7\n    salience: {equipment: 0.2")
    bad = client.post("/api/validate", json={"text": text}).json()
    assert not bad["valid"]
    [e] = bad["errors"]
    assert e["path"] == "actors[1].batna" and "at most 1" in e["message"]
    assert text.splitlines()[e["line"] - 1].strip() == "batna: 7"
    syntax = client.post("/api/validate", json={"text": "accord: 1\nid: [x\n"}).json()
    assert not syntax["valid"] and syntax["errors"][0]["line"] >= 2
    assert "YAML syntax error" in syntax["errors"][0]["message"]
    as_json = json.dumps(yaml.safe_load(builtin_text("logrolling")))
    assert client.post("/api/validate", json={"text": as_json, "format": "json"}).json()["valid"]


# -- analysis, evaluation, the plot's deals -------------------------------------------------


@pytest.mark.parametrize("sid", ["logrolling", "camp-david-1978"])
def test_analyze_is_the_library_analysis(client: TestClient, sid: str) -> None:
    r = client.post("/api/analyze", json={"scenario": {"builtin": sid}})
    assert r.status_code == 200, r.text
    expected = accord.analyze(compile_space(load_scenario(sid))).to_dict()
    assert without_timing(r.json()) == without_timing(roundtrip(expected))


def test_analyze_text_and_chosen_parties(client: TestClient) -> None:
    text = builtin_text("ukraine-2023")
    r = client.post("/api/analyze", json={"scenario": {"text": text},
                                          "parties": ["russia", "china"]})
    assert r.status_code == 200, r.text
    space = compile_space(load_scenario("ukraine-2023"))
    expected = accord.analyze(space, ["russia", "china"]).to_dict()
    assert without_timing(r.json()) == without_timing(roundtrip(expected))


def test_evaluate_is_the_library_evaluation(client: TestClient) -> None:
    space = compile_space(load_scenario("camp-david-1978"))
    deal = dict(load_scenario("camp-david-1978").proposals[0].deal)
    r = client.post("/api/evaluate", json={"scenario": {"builtin": "camp-david-1978"},
                                           "deal": deal})
    assert r.status_code == 200, r.text
    body = r.json()
    e = evaluate(space, space.deal_index(deal))
    assert body["accepted_by"] == list(e.accepted_by)
    assert body["vetoed_by"] == list(e.vetoed_by)
    assert body["agreement"] == e.agreement
    assert body["utilities"] == e.point.utilities
    for row in body["actors"]:
        k = space.actor_ids.index(row["id"])
        assert row["accepts"] == (row["id"] in e.accepted_by)
        assert row["gain"] == pytest.approx(e.point.utilities[row["id"]] - space.batna[k])
    by_id = client.post("/api/evaluate", json={"scenario": LOGROLLING, "proposal": "logroll"})
    expected = evaluate_proposal(compile_space(load_scenario("logrolling")), "logroll")
    assert by_id.json()["accepted_by"] == list(expected.accepted_by) == ["dept-a", "dept-b"]
    assert by_id.json()["pareto_optimal"] is True


def test_deals_cloud_enumerates_or_samples(client: TestClient) -> None:
    space = compile_space(load_scenario("logrolling"))
    body = client.post("/api/deals", json={"scenario": LOGROLLING}).json()
    assert body["parties"] == ["dept-a", "dept-b"] and not body["sampled"]
    assert body["count"] == body["total"] == 121
    import numpy as np

    deals = np.array(body["columns"]).T
    assert len({tuple(d) for d in deals}) == 121
    u = space.utilities(deals)
    assert np.allclose(body["x"], u[:, 0], atol=1e-6)
    assert np.allclose(body["y"], u[:, 1], atol=1e-6)
    sample = client.post("/api/deals", json={"scenario": {"builtin": "ukraine-2023"},
                                             "parties": ["china", "usa"], "limit": 500,
                                             "seed": 3}).json()
    assert sample["sampled"] and sample["count"] == 500 and sample["total"] == 19440
    again = client.post("/api/deals", json={"scenario": {"builtin": "ukraine-2023"},
                                            "parties": ["china", "usa"], "limit": 500,
                                            "seed": 3}).json()
    assert again == sample


# -- mediation and forecast ----------------------------------------------------------------


def test_mediate_single_text_is_the_library_run(client: TestClient) -> None:
    r = client.post("/api/mediate", json={"scenario": {"builtin": "camp-david-1978"},
                                          "rounds": 200, "seed": 4})
    assert r.status_code == 200, r.text
    space = compile_space(load_scenario("camp-david-1978"))
    expected = single_text(space, "hill-climber", "annealing", 200, "middle", seed=4)
    assert r.json() == roundtrip(expected.to_dict())


def test_mediate_alternating_and_mediator(client: TestClient) -> None:
    space = compile_space(load_scenario("logrolling"))
    r = client.post("/api/mediate", json={"scenario": LOGROLLING, "protocol": "alternating",
                                          "strategies": ["boulware", "conceder"],
                                          "discount": [0.95], "rounds": 60, "seed": 1})
    assert r.status_code == 200, r.text
    expected = alternating_offers(space, ["boulware", "conceder"], 60, 0.95, None, 1)
    assert r.json() == roundtrip(expected.to_dict())
    assert r.json()["trace"], "the trace is returned"
    m = client.post("/api/mediate", json={"scenario": LOGROLLING, "protocol": "mediator",
                                          "bias": {"dept-a": 0.5}, "seed": 2})
    assert m.status_code == 200, m.text
    expected = mediate_with_interests(space, None, 0.0, 1.0, {"dept-a": 0.5}, 0.05, 20,
                                      None, 2)
    assert m.json() == roundtrip(expected.to_dict())


@pytest.mark.parametrize("model", ["compromise", "eu"])
def test_forecast_is_the_library_forecast(client: TestClient, model: str) -> None:
    r = client.post("/api/forecast", json={"scenario": {"builtin": "ukraine-2023"},
                                           "model": model, "seed": 0})
    assert r.status_code == 200, r.text
    expected = run_forecast(load_stakeholders("ukraine-2023"), model, None, 0).to_dict()
    assert r.json() == roundtrip(expected)


# -- repair, inverse questions, tournament -----------------------------------------------


@pytest.mark.parametrize(("sid", "request_", "call"), [
    ("camp-david-1978", {"proposal": "split"}, {"proposal": "split"}),
    ("camp-david-1978", {"proposal": "split", "max_changes": 1, "nearest": 0,
                         "method": "milp", "parties": ["usa"]},
     {"proposal": "split", "max_changes": 1, "nearest": 0, "method": "milp",
      "parties": ["usa"]}),
    ("logrolling", {"deal": {"equipment": 0, "staff": 100}},
     {"deal": {"equipment": 0, "staff": 100}}),
])
def test_repair_is_the_ops_repair(client: TestClient, sid: str, request_: dict,
                                  call: dict) -> None:
    r = client.post("/api/repair", json={"scenario": {"builtin": sid}, **request_})
    assert r.status_code == 200, r.text
    assert r.json() == roundtrip(ops.repair(sid, **call).to_dict())


def test_repair_changes_and_who_accepts(client: TestClient) -> None:
    body = client.post("/api/repair", json={"scenario": {"builtin": "camp-david-1978"},
                                            "proposal": "split"}).json()
    assert body["found"] is True and body["changes"] == 2
    assert body["changed"] == [{"issue": "sovereignty", "from": "partial", "to": "full"},
                               {"issue": "security", "from": "limited-forces",
                                "to": "demilitarised"}]
    assert body["proposal"]["accepted_by"] == ["usa"]
    assert body["repaired"]["accepted_by"] == ["egypt", "israel", "usa"]
    capped = client.post("/api/repair", json={"scenario": {"builtin": "camp-david-1978"},
                                              "proposal": "split", "max_changes": 1}).json()
    assert capped["found"] is False and capped["needed_changes"] == 2
    assert capped["repaired"] is None


def test_inverse_is_the_ops_inverse(client: TestClient) -> None:
    r = client.post("/api/inverse", json={"scenario": {"builtin": "camp-david-1978"},
                                          "proposal": "begin-ismailia-1977",
                                          "actors": ["egypt"]})
    assert r.status_code == 200, r.text
    expected = ops.inverse("camp-david-1978", proposal="begin-ismailia-1977",
                           actors=["egypt"]).to_dict()
    assert r.json() == roundtrip(expected)
    [egypt] = r.json()["actors"]
    assert egypt["accepted"] is False and egypt["drop_exact"] == "7/200"  # 0.6 - 0.565
    assert egypt["weights"]["sovereignty"]["new_weight_exact"] == "7/16"
    deal = dict(load_scenario("logrolling").proposals[2].deal)
    r = client.post("/api/inverse", json={"scenario": LOGROLLING, "deal": deal})
    assert r.json() == roundtrip(ops.inverse("logrolling", deal=deal).to_dict())
    assert [a["actor"] for a in r.json()["actors"]] == ["dept-a", "dept-b"]


def test_tournament_is_the_ops_tournament(client: TestClient) -> None:
    r = client.post("/api/tournament", json={
        "scenario": {"builtin": "camp-david-1978"}, "strategies": ["boulware", "linear",
                                                                    "time:2"],
        "repetitions": 2, "rounds": 60, "discount": [0.95], "seed": 3})
    assert r.status_code == 200, r.text
    expected = ops.tournament("camp-david-1978", strategies=["boulware", "linear", "time:2"],
                              repetitions=2, rounds=60, discount=0.95, seed=3).to_dict()
    assert r.json() == roundtrip(expected)
    assert [row["rank"] for row in r.json()["ranking"]] == [1, 2, 3]
    assert len(r.json()["pairings"]) == 9  # 3 strategies, 2 parties
    each = client.post("/api/tournament", json={"scenario": LOGROLLING,
                                                "strategies": ["conceder"],
                                                "discount": [0.9, 0.8]}).json()
    assert each == roundtrip(ops.tournament("logrolling", strategies=["conceder"],
                                            discount=[0.9, 0.8]).to_dict())


def test_tournament_bounded_for_the_scenarios_parties(client: TestClient) -> None:
    """|strategies|^parties x repetitions x rounds offers: two strategies of 1,000 rounds
    pass the request's check (2,000 offers for one party) but not the scenario's with all
    seven parties of ukraine-2023 (2^7 x 1,000); ten strategies x 100 repetitions x 100
    rounds fail on the request."""
    every = list(load_scenario("ukraine-2023").actors)
    body = {"scenario": {"builtin": "ukraine-2023"}, "strategies": ["linear", "boulware"],
            "parties": [a.id for a in every], "rounds": 1000}
    r = client.post("/api/tournament", json=body)
    assert r.status_code == 422 and error_paths(r) == ["strategies"], r.text
    assert f"{2 ** 7 * 1000:,} offers" in r.json()["errors"][0]["message"]
    r = client.post("/api/tournament", json={**body, "strategies": ["linear"] * 10,
                                             "repetitions": 100})
    assert r.status_code == 422 and error_paths(r) == ["rounds"], r.text


def test_unsearchable_repair_and_inverse_read_the_web_frontier() -> None:
    """With interaction blocks too large for the direct search, the web app passes the
    frontier it computed within its limits: over the veto actors and the named parties, as
    the repair counts them. The answers are the operations' own."""
    from unittest import mock

    import accord.space as space_module
    from accord.generate import random_scenario_data
    from accord.web.compute import run_inverse, run_repair
    from accord.web.models import InverseParams, RepairParams

    data = random_scenario_data(3, 4, 3, seed=4, batna=0.3)
    table = {f"o{x}": {f"o{y}": 100 if x == y == 0 else 20 * y for y in range(3)}
             for x in range(3)}  # issues i0, i2, i3 interact: a block of 27 joint options
    data["actors"][0]["interactions"] = [{"issues": ["i2", "i0"], "weight": 1,
                                          "scores": table}]
    data["actors"][1]["interactions"] = [{"issues": ["i3", "i0"], "weight": 2,
                                          "scores": table}]
    data["actors"][2]["veto"] = False
    space = compile_space(validate_scenario(data, "<test>"))
    deal = space.deal_mapping([0] * space.n_issues)
    with mock.patch.object(space_module, "BLOCK_LIMIT", 20):
        assert not space.searchable
        for parties in (None, [space.actor_ids[2]]):
            got = run_repair(space, RepairParams(deal=deal, parties=parties))
            want = ops.repair(space, deal=deal, parties=parties).to_dict()
            assert got == roundtrip(want)
            got = run_inverse(space, InverseParams(deal=deal, parties=parties))
            assert got == roundtrip(ops.inverse(space, deal=deal, parties=parties).to_dict())
        with pytest.raises(InputError) as exc:
            run_repair(space, RepairParams(deal=deal, method="search"))
        assert [p.path for p in exc.value.problems] == ["method"]


@pytest.mark.parametrize(("model", "operation", "different"), [
    ("AnalyzeParams", ops.analyze, set()),
    ("RepairParams", ops.repair, set()),
    ("InverseParams", ops.inverse, set()),
    ("TournamentParams", ops.tournament, set()),
    ("GameRequest", ops.game, set()),
    ("TrustRequest", ops.trust, set()),
    ("CoalitionRequest", ops.coalition, set()),
    ("ForecastParams", ops.forecast, set()),
    ("SweepParams", ops.sweep, {"samples"}),  # the web app draws at most MAX_SWEEP_SAMPLES
])
def test_request_defaults_are_the_operations(model: str, operation, different: set
                                             ) -> None:
    import inspect

    from accord.web import models
    from accord.web.compute import one_or_each

    fields = getattr(models, model).model_fields
    signature = inspect.signature(operation).parameters
    shared = [name for name in fields if name in signature
              and signature[name].default is not inspect.Parameter.empty]
    assert shared
    for name in shared:
        value = fields[name].get_default(call_default_factory=True)
        if isinstance(value, list) and name == "discount":
            value = one_or_each(value)
        assert (value == signature[name].default) == (name not in different), name


# -- games ---------------------------------------------------------------------------------

GAMES = Path(__file__).parent / "data" / "games"


@pytest.fixture
def written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Write a text as a file of that name in the working directory, as the web app hands a
    text to a game operation (see `accord.web.compute.game_source`); returns the name."""
    monkeypatch.chdir(tmp_path)

    def write(name: str, text: str) -> str:
        (tmp_path / name).write_text(text, encoding="utf-8")
        return name

    return write


def posted(client: TestClient, url: str, body: dict) -> dict:
    """The JSON of a request that must succeed."""
    r = client.post(url, json=body)
    assert r.status_code == 200, r.text
    return r.json()


def test_game_is_the_ops_game(client: TestClient, written) -> None:
    pd = posted(client, "/api/game", {"classic": "prisoners-dilemma"})
    assert pd == roundtrip(ops.game("prisoners-dilemma").to_dict())
    [eq] = pd["equilibria"]["equilibria"]
    assert eq["profile"] == {"Row": "defect", "Column": "defect"}
    nfg = (GAMES / "strategic" / "diplomacy_outcomes.nfg").read_text()
    got = posted(client, "/api/game", {"file": {"text": nfg, "format": "nfg"},
                                       "method": "support", "seed": 2})
    assert got == roundtrip(ops.game(written("game.nfg", nfg), method="support",
                                     seed=2).to_dict())
    text = (GAMES / "strategic" / "scenario_with_game.yaml").read_text()
    got = posted(client, "/api/game", {"scenario": {"text": text}})
    assert got == roundtrip(ops.game(written("border-talks.yaml", text)).to_dict())


def test_classic_games_are_listed(client: TestClient) -> None:
    from accord.games.strategic import list_classics

    listed = client.get("/api/game/classics").json()
    assert listed == roundtrip([c.summary() for c in list_classics()])
    assert listed[0]["id"] == "prisoners-dilemma"
    assert listed[0]["actions"] == [["cooperate", "defect"], ["cooperate", "defect"]]


def test_trust_is_the_ops_trust(client: TestClient, written) -> None:
    textbook = posted(client, "/api/trust", {})
    assert textbook == roundtrip(ops.trust().to_dict())
    assert textbook["thresholds"]["grim"]["fraction"] == "1/2"  # (T-R)/(T-P), 5,3,1,0
    assert textbook["tournament"]["ranking"][0]["strategy"] == "grim"
    text = (GAMES / "trust" / "border.yaml").read_text()
    changed = {"strategies": ["tft", "alld", "gtft:0.25"], "turns": 50,
               "payoffs": [4, 3, 1, 0], "population": 20, "track2": True}
    got = posted(client, "/api/trust", {"file": {"text": text}, **changed})
    assert got == roundtrip(ops.trust(written("trust.yaml", text), **changed).to_dict())
    assert got["thresholds"]["grim"]["fraction"] == "1/3"  # (4-3)/(4-1)


def test_crisis_is_the_ops_crisis(client: TestClient, written) -> None:
    text = (GAMES / "crisis" / "fearon.yaml").read_text()
    got = posted(client, "/api/crisis", {"file": {"text": text}})
    assert got == roundtrip(ops.crisis(written("crisis.yaml", text)).to_dict())
    [fearon] = got["bargaining_range"]
    assert (fearon["low"], fearon["high"]) == (0.5, 0.75)  # p - c_a, p + c_b
    credible = [m["label"] for m in got["mediator_credibility"] if m["credible"]]
    assert credible == ["midpoint", "on A's side"]  # m at or above the threshold 0.675
    war = (GAMES / "crisis" / "border-war.yaml").read_text()
    got = posted(client, "/api/crisis", {"scenario": {"text": war}})
    assert got == roundtrip(ops.crisis(written("border-war.yaml", war)).to_dict())


def test_coalition_is_the_ops_coalition(client: TestClient, written) -> None:
    camp = posted(client, "/api/coalition", {"scenario": {"builtin": "camp-david-1978"}})
    assert camp == roundtrip(ops.coalition("camp-david-1978").to_dict())
    assert camp["shapley"]["exact"] == {"egypt": "2207/6000", "israel": "2207/6000",
                                        "usa": "193/1200"}
    three = {"actors": ["russia", "ukraine", "china"], "no_veto": True}
    got = posted(client, "/api/coalition", {"scenario": {"builtin": "ukraine-2023"}, **three})
    assert got == roundtrip(ops.coalition("ukraine-2023", **three).to_dict())
    glove = (GAMES / "coalition" / "glove.yaml").read_text()
    got = posted(client, "/api/coalition", {"file": {"text": glove}, "show": 3})
    assert got == roundtrip(ops.coalition(written("coalition.yaml", glove), show=3).to_dict())


def test_coalition_players_are_bounded(client: TestClient) -> None:
    import yaml as pyyaml

    from accord.generate import random_scenario_data
    from accord.web.limits import MAX_COALITION_PLAYERS

    n = MAX_COALITION_PLAYERS + 1
    text = pyyaml.safe_dump(random_scenario_data(n, 2, 2, seed=1))
    r = client.post("/api/coalition", json={"scenario": {"text": text}})
    assert r.status_code == 422 and error_paths(r) == ["actors"], r.text
    assert f"{2 ** n - 1:,} coalitions" in r.json()["errors"][0]["message"]
    few = client.post("/api/coalition", json={"scenario": {"text": text},
                                              "actors": ["p0", "p1", "p2"]})
    assert few.status_code == 200 and few.json()["players"] == ["p0", "p1", "p2"]


def test_game_files_are_checked_like_scenarios(client: TestClient) -> None:
    """A model's file is refused, before its operation reads it, when YAML aliases would
    make it cost far more than its text (an alias bomb)."""
    bomb = "a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n" + "".join(
        f"{c}: &{c} [{', '.join(['*' + p] * 10)}]\n" for p, c in zip("abcdefgh", "bcdefghi",
                                                                      strict=True))
    for url in ("/api/trust", "/api/crisis", "/api/coalition", "/api/game"):
        r = client.post(url, json={"file": {"text": bomb}})
        assert r.status_code == 422, r.text
        [error] = r.json()["errors"]
        assert error["path"] == "file" and error["file"] == "file"
        assert "alias" in error["message"]


@pytest.mark.parametrize(("url", "body", "path", "file"), [
    ("/api/game", {}, "scenario", None),
    ("/api/game", {"classic": "prisoners-dilemma", "scenario": LOGROLLING}, "classic", None),
    ("/api/game", {"classic": "tennis"}, "classic", None),
    ("/api/game", {"classic": "chicken", "method": "guess"}, "method", None),
    ("/api/game", {"classic": "chicken", "tol": 0}, "tol", None),
    ("/api/game", {"classic": "chicken", "starts": 0}, "starts", None),
    ("/api/game", {"scenario": LOGROLLING}, "games.strategic", "scenario"),
    ("/api/game", {"file": {"text": "players: {K: [a]}\n"}}, "players", "file"),
    ("/api/game", {"file": {"text": "a: [1,\n"}}, "line 2, column 1", "file"),
    ("/api/trust", {"strategies": ["nope"]}, "strategies", None),
    ("/api/trust", {"strategies": []}, "strategies", None),
    ("/api/trust", {"turns": 5, "continuation": 0.5}, "turns", None),
    ("/api/trust", {"noise": 0.6}, "noise", None),
    ("/api/trust", {"payoffs": [1, 2, 3]}, "payoffs", None),
    ("/api/trust", {"payoffs": [1, 3, 5, 0]}, "payoffs", None),
    ("/api/trust", {"population": 1}, "population", None),
    ("/api/trust", {"scenario": LOGROLLING}, "games.trust", "scenario"),
    ("/api/crisis", {}, "scenario", None),
    ("/api/crisis", {"scenario": LOGROLLING}, "games.crisis", "scenario"),
    ("/api/crisis", {"file": {"text": "title: x\n"}}, "(top level)", "file"),
    ("/api/crisis", {"file": {"text": "title: x\n", "format": "nfg"}}, "file.format", None),
    ("/api/crisis", {"file": {"text": "x", "format": "xml"}}, "file.format", None),
    ("/api/coalition", {"scenario": LOGROLLING, "actors": ["nobody"]}, "actors", None),
    ("/api/coalition", {"file": {"text": "players: [a, b]\nvalues: {a: 1}\n"},
                        "actors": ["a"]}, "actors", None),
    ("/api/coalition", {"scenario": LOGROLLING, "show": -1}, "show", None),
])
def test_bad_game_input_names_the_field(client: TestClient, url: str, body: dict, path: str,
                                        file: str | None) -> None:
    r = client.post(url, json=body)
    assert r.status_code == 422, r.text
    assert path in error_paths(r)
    assert {e.get("file") for e in r.json()["errors"] if e["path"] == path} == {file}


# -- uncertainty sweep --------------------------------------------------------------------


def test_sweep_is_the_library_sweep(client: TestClient) -> None:
    r = client.post("/api/sweep", json={"scenario": {"builtin": "ukraine-2023"},
                                        "samples": 50, "seed": 4})
    assert r.status_code == 200, r.text
    expected = run_sweep(load_scenario("ukraine-2023"), 50, 4).to_dict()
    assert comparable(r.json()) == comparable(roundtrip(expected))
    assert "draws_per_second" not in comparable(r.json())["method"]
    assert r.json()["method"]["workers"] == 1 and r.json()["method"]["out"] is None
    assert len(r.json()["inputs"]) == 16
    assert r.json()["sensitivity"][0]["outcome"] == "zopa_margin"


def test_sweep_needs_uncertain_inputs(client: TestClient) -> None:
    r = client.post("/api/sweep", json={"scenario": LOGROLLING, "samples": 5})
    assert r.status_code == 422 and error_paths(r) == ["scenario"]
    assert "logrolling" in r.json()["errors"][0]["message"]
    assert "uncertain inputs" in r.json()["errors"][0]["message"]


@pytest.mark.parametrize("samples", [0, -1, MAX_SWEEP_SAMPLES + 1])
def test_sweep_samples_are_bounded(client: TestClient, samples: int) -> None:
    for url, extra in (("/api/sweep", {}), ("/api/runs", {"kind": "sweep"})):
        r = client.post(url, json={"scenario": {"builtin": "ukraine-2023"},
                                   "samples": samples, **extra})
        assert r.status_code == 422 and error_paths(r) == ["samples"], r.text
    assert client.get("/api/runs").json() == []


def test_sweep_run_is_stored_and_replays(client: TestClient) -> None:
    created = client.post("/api/runs", json={"kind": "sweep", "label": "ten draws",
                                             "scenario": {"builtin": "ukraine-2023"},
                                             "samples": 10, "seed": 2,
                                             "parties": ["russia", "ukraine"]})
    assert created.status_code == 201, created.text
    run = created.json()
    assert run["kind"] == "sweep" and run["seed"] == 2
    assert run["parameters"] == {"samples": 10, "seed": 2, "parties": ["russia", "ukraine"]}
    expected = run_sweep(load_scenario("ukraine-2023"), 10, 2,
                         parties=["russia", "ukraine"]).to_dict()
    assert comparable(run["result"]) == comparable(roundtrip(expected))
    replay = client.post(f"/api/runs/{run['id']}/replay").json()
    assert replay["identical"] is True and replay["scenario_changed"] is False
    assert comparable(replay["result"]) == comparable(run["result"])
    assert [r["kind"] for r in client.get("/api/runs").json()] == ["sweep"]


# -- saved scenarios and runs -------------------------------------------------------------


def test_save_scenario_versions(client: TestClient) -> None:
    text = builtin_text("logrolling")
    first = client.post("/api/saved/scenarios", json={"text": text})
    assert first.status_code == 201, first.text
    assert first.json()["name"] == "logrolling" and first.json()["version"] == 1
    same = client.post("/api/saved/scenarios", json={"text": text})
    assert same.status_code == 200 and same.json()["created"] is False
    changed = text.replace("title: Department A", "title: Department A (edited)")
    second = client.post("/api/saved/scenarios", json={"text": changed})
    assert second.status_code == 201 and second.json()["version"] == 2
    listing = client.get("/api/saved/scenarios").json()
    assert [(s["name"], s["latest_version"]) for s in listing] == [("logrolling", 2)]
    assert client.get("/api/scenarios").json()["saved"] == listing
    latest = client.get("/api/saved/scenarios/logrolling").json()
    assert latest["version"] == 2 and latest["text"] == changed
    assert [v["version"] for v in latest["versions"]] == [1, 2]
    old = client.get("/api/saved/scenarios/logrolling", params={"version": 1}).json()
    assert old["text"] == text
    analysed = client.post("/api/analyze", json={"scenario": {"saved": "logrolling",
                                                              "version": 1}})
    assert analysed.status_code == 200 and analysed.json()["scenario"] == "logrolling"


def test_invalid_scenario_is_not_saved(client: TestClient) -> None:
    text = builtin_text("logrolling").replace("range: [0, 100]\n    step: 10\n    unit: \"% "
                                              "of the staff", "range: [0, 100]\n    step: -1\n"
                                              "    unit: \"% of the staff")
    r = client.post("/api/saved/scenarios", json={"text": text})
    assert r.status_code == 422
    assert "issues[1].step" in error_paths(r)
    assert client.get("/api/saved/scenarios").json() == []


def test_run_is_stored_and_reproduces(client: TestClient) -> None:
    request = {"kind": "mediation", "scenario": {"builtin": "camp-david-1978"},
               "protocol": "alternating", "strategies": ["linear"], "rounds": 80, "seed": 7,
               "label": "linear vs linear"}
    created = client.post("/api/runs", json=request)
    assert created.status_code == 201, created.text
    run = created.json()
    assert run["kind"] == "mediation" and run["seed"] == 7 and run["label"] == request["label"]
    assert run["scenario"]["source"] == "builtin" and run["scenario"]["version"] is None
    assert run["accord_version"] == accord.__version__
    assert run["parameters"]["strategies"] == ["linear"] and run["parameters"]["rounds"] == 80
    stored = client.get(f"/api/runs/{run['id']}").json()
    assert stored["result"] == run["result"]
    # the stored parameters, given to the library, give the stored result
    p = stored["parameters"]
    space = compile_space(load_scenario("camp-david-1978"))
    again = alternating_offers(space, p["strategies"], p["rounds"], p["discount"][0],
                               p["parties"], stored["seed"])
    assert roundtrip(again.to_dict()) == stored["result"]
    replay = client.post(f"/api/runs/{run['id']}/replay").json()
    assert replay["identical"] is True and replay["scenario_changed"] is False
    assert [r["id"] for r in client.get("/api/runs").json()] == [run["id"]]
    assert "result" not in client.get("/api/runs").json()[0]


def test_run_on_text_saves_the_scenario_first(client: TestClient) -> None:
    text = builtin_text("logrolling")
    for kind, extra in (("analysis", {"parties": ["dept-a", "dept-b"]}),
                        ("forecast", {"model": "eu", "rounds": 5})):
        r = client.post("/api/runs", json={"kind": kind, "scenario": {"text": text}, **extra})
        assert r.status_code == 201, r.text
        assert r.json()["scenario"] == {"source": "saved", "name": "logrolling", "version": 1,
                                        "sha256": r.json()["scenario"]["sha256"]}
        replay = client.post(f"/api/runs/{r.json()['id']}/replay").json()
        assert replay["identical"] is True
    assert [s["latest_version"] for s in client.get("/api/saved/scenarios").json()] == [1]
    runs = client.get("/api/runs", params={"scenario": "logrolling"}).json()
    assert [r["kind"] for r in runs] == ["forecast", "analysis"]
    assert client.get("/api/runs", params={"scenario": "other"}).json() == []


def test_failed_run_stores_nothing(client: TestClient) -> None:
    r = client.post("/api/runs", json={"kind": "analysis", "parties": ["nobody"],
                                       "scenario": {"text": builtin_text("logrolling")}})
    assert r.status_code == 422 and error_paths(r) == ["parties"]
    assert client.get("/api/saved/scenarios").json() == []
    assert client.get("/api/runs").json() == []


# -- bad input ----------------------------------------------------------------------------


@pytest.mark.parametrize(("url", "body", "status", "path"), [
    ("/api/analyze", {"scenario": {"builtin": "no-such"}}, 422, "scenario.builtin"),
    ("/api/analyze", {"scenario": {"saved": "no-such"}}, 404, "scenario.saved"),
    ("/api/analyze", {"scenario": {"text": "accord: 1\nid: [x\n"}}, 422, "line 3, column 1"),
    ("/api/analyze", {"scenario": {"text": 5}}, 422, "scenario.text"),
    ("/api/analyze", {"scenario": {"text": "x", "format": "xml"}}, 422, "scenario.format"),
    ("/api/analyze", {"scenario": {}}, 422, "scenario"),
    ("/api/analyze", {"scenario": LOGROLLING, "parties": ["nobody"]}, 422, "parties"),
    ("/api/analyze", {"scenario": LOGROLLING, "parties": "dept-a"}, 422, "parties"),
    ("/api/analyze", {"scenario": LOGROLLING, "extra": 1}, 422, "extra"),
    ("/api/analyze", {}, 422, "scenario"),
    ("/api/evaluate", {"scenario": LOGROLLING, "deal": {"equipment": 55, "staff": 0}}, 422,
     "deal.equipment"),
    ("/api/evaluate", {"scenario": {"builtin": "camp-david-1978"},
                       "deal": {"sinai": "nowhere"}}, 422, "deal.sinai"),
    ("/api/evaluate", {"scenario": LOGROLLING, "deal": {"equipment": 50}}, 422, "deal"),
    ("/api/evaluate", {"scenario": LOGROLLING, "proposal": "nope"}, 422, "proposal"),
    ("/api/evaluate", {"scenario": LOGROLLING}, 422, "deal"),
    ("/api/deals", {"scenario": LOGROLLING, "parties": ["dept-a"]}, 422, "parties"),
    ("/api/deals", {"scenario": LOGROLLING, "limit": 10**6}, 422, "limit"),
    ("/api/mediate", {"scenario": LOGROLLING, "protocol": "shouting"}, 422, "protocol"),
    ("/api/mediate", {"scenario": LOGROLLING, "rounds": 10**6}, 422, "rounds"),
    ("/api/mediate", {"scenario": LOGROLLING, "rounds": "many"}, 422, "rounds"),
    ("/api/mediate", {"scenario": LOGROLLING, "start": "nowhere"}, 422, "start"),
    ("/api/mediate", {"scenario": LOGROLLING, "protocol": "alternating",
                      "strategies": ["a", "b", "c"]}, 422, "strategies[0]"),
    ("/api/mediate", {"scenario": LOGROLLING, "protocol": "alternating",
                      "strategies": ["linear"] * 3}, 422, "strategies"),
    ("/api/mediate", {"scenario": LOGROLLING, "protocol": "mediator", "bias": {"x": 1}},
     422, "bias"),
    ("/api/mediate", {"scenario": LOGROLLING, "protocol": "mediator", "interest": 1},
     422, "mediator"),
    ("/api/mediate", {"scenario": LOGROLLING, "protocol": "mediator", "mediator": "nobody"},
     422, "mediator"),
    ("/api/forecast", {"scenario": LOGROLLING, "model": "astrology"}, 422, "model"),
    ("/api/forecast", {"scenario": LOGROLLING, "variant": "clean"}, 422, "variant"),
    ("/api/forecast", {"scenario": LOGROLLING, "model": "eu", "rounds": 10**5}, 422,
     "rounds"),
    ("/api/sweep", {"scenario": {"builtin": "ukraine-2023"}, "parties": ["nobody"]}, 422,
     "parties"),
    ("/api/sweep", {"scenario": {"builtin": "ukraine-2023"}, "samples": "many"}, 422,
     "samples"),
    ("/api/sweep", {"scenario": LOGROLLING}, 422, "scenario"),
    ("/api/runs", {"kind": "sweep", "scenario": LOGROLLING}, 422, "scenario"),
    ("/api/runs", {"kind": "poetry", "scenario": LOGROLLING}, 422, "kind"),
    ("/api/runs", {"kind": "mediation", "scenario": LOGROLLING, "rounds": 0}, 422,
     "rounds"),
    ("/api/repair", {"scenario": LOGROLLING}, 422, "deal"),
    ("/api/repair", {"scenario": LOGROLLING, "proposal": "logroll",
                     "deal": {"equipment": 50, "staff": 50}}, 422, "deal"),
    ("/api/repair", {"scenario": LOGROLLING, "proposal": "nope"}, 422, "proposal"),
    ("/api/repair", {"scenario": LOGROLLING, "deal": {"equipment": 55, "staff": 0}}, 422,
     "deal.equipment"),
    ("/api/repair", {"scenario": LOGROLLING, "proposal": "logroll", "max_changes": -1}, 422,
     "max_changes"),
    ("/api/repair", {"scenario": LOGROLLING, "proposal": "logroll", "nearest": 10**6}, 422,
     "nearest"),
    ("/api/repair", {"scenario": LOGROLLING, "proposal": "logroll", "method": "guess"}, 422,
     "method"),
    ("/api/repair", {"scenario": LOGROLLING, "proposal": "logroll", "parties": ["nobody"]},
     422, "parties"),
    ("/api/inverse", {"scenario": LOGROLLING}, 422, "deal"),
    ("/api/inverse", {"scenario": LOGROLLING, "proposal": "nope"}, 422, "proposal"),
    ("/api/inverse", {"scenario": LOGROLLING, "proposal": "logroll", "actors": []}, 422,
     "actors"),
    ("/api/inverse", {"scenario": LOGROLLING, "proposal": "logroll", "actors": ["nobody"]},
     422, "actors"),
    ("/api/inverse", {"scenario": LOGROLLING, "proposal": "logroll", "parties": ["nobody"]},
     422, "parties"),
    ("/api/tournament", {"scenario": LOGROLLING}, 422, "strategies"),
    ("/api/tournament", {"scenario": LOGROLLING, "strategies": []}, 422, "strategies"),
    ("/api/tournament", {"scenario": LOGROLLING, "strategies": ["shouting"]}, 422,
     "strategies[0]"),
    ("/api/tournament", {"scenario": LOGROLLING, "strategies": ["time:0"]}, 422,
     "strategies[0]"),
    ("/api/tournament", {"scenario": LOGROLLING, "strategies": ["linear"],
                         "repetitions": 0}, 422, "repetitions"),
    ("/api/tournament", {"scenario": LOGROLLING, "strategies": ["linear"],
                         "rounds": 10**6}, 422, "rounds"),
    ("/api/tournament", {"scenario": LOGROLLING, "strategies": ["linear"],
                         "discount": [1.5]}, 422, "discount[0]"),
    ("/api/tournament", {"scenario": LOGROLLING, "strategies": ["linear"],
                         "discount": [0.9] * 3}, 422, "discount"),
    ("/api/tournament", {"scenario": LOGROLLING, "strategies": ["linear"],
                         "parties": ["nobody"]}, 422, "parties"),
    ("/api/tournament", {"scenario": LOGROLLING, "strategies": ["linear"], "seed": -1},
     422, "seed"),
    ("/api/saved/scenarios", {"text": "accord: 2\n"}, 422, "accord"),
    ("/api/validate", {"text": ["not", "text"]}, 422, "text"),
])
def test_bad_input_names_the_field(client: TestClient, url: str, body: dict, status: int,
                                   path: str) -> None:
    r = client.post(url, json=body)
    assert r.status_code == status, r.text
    assert path in error_paths(r)


@pytest.mark.parametrize(("url", "path"), [
    ("/api/scenarios/no-such", "scenario_id"),
    ("/api/saved/scenarios/no-such", "name"),
    ("/api/runs/999", "run_id"),
])
def test_unknown_ids_are_404(client: TestClient, url: str, path: str) -> None:
    r = client.get(url)
    assert r.status_code == 404
    assert error_paths(r) == [path]
    assert client.post("/api/runs/999/replay").status_code == 404


def test_wrong_types_in_query_and_path(client: TestClient) -> None:
    assert error_paths(client.get("/api/runs/abc")) == ["run_id"]
    assert error_paths(client.get("/api/runs", params={"limit": -1})) == ["limit"]
    r = client.get("/api/saved/scenarios/logrolling", params={"version": "x"})
    assert r.status_code == 422 and error_paths(r) == ["version"]


def test_broken_json_and_wrong_content_type(client: TestClient) -> None:
    r = client.post("/api/analyze", content=b'{"scenario": ',
                    headers={"Content-Type": "application/json"})
    assert r.status_code == 422 and error_paths(r) == ["body"]
    r = client.post("/api/analyze", content=b'{"scenario": {"builtin": "logrolling"}}',
                    headers={"Content-Type": "text/plain"})
    assert r.status_code == 422


def test_too_large_bodies_are_413(client: TestClient) -> None:
    big = json.dumps({"text": "#" * (MAX_BODY_BYTES + 10)})
    r = client.post("/api/validate", content=big, headers={"Content-Type": "application/json"})
    assert r.status_code == 413 and error_paths(r) == ["body"]

    def chunks():  # no Content-Length: the bytes themselves are counted
        yield b'{"text": "'
        for _ in range(MAX_BODY_BYTES // 100_000 + 1):
            yield b"#" * 100_000
        yield b'"}'

    r = client.post("/api/validate", content=chunks(),
                    headers={"Content-Type": "application/json"})
    assert r.status_code == 413 and error_paths(r) == ["body"]
    r = client.post("/api/validate", content=b"{}", headers={"Content-Length": "lots"})
    assert r.status_code == 400
    # just under the body limit but over the text limit: 422 naming the field
    r = client.post("/api/validate", json={"text": "#" * 1_000_001})
    assert r.status_code == 422 and error_paths(r) == ["text"]


def test_scenario_size_limits(client: TestClient) -> None:
    issues = [{"id": f"i{k}", "range": [0, 1], "step": 0.001} for k in range(10)]
    actors = [{"id": f"a{j}", "preferences": {f"i{k}": {"ideal": 0.5} for k in range(10)}}
              for j in range(10)]
    big = json.dumps({"accord": 1, "id": "big", "title": "big", "issues": issues,
                      "actors": actors})
    r = client.post("/api/analyze", json={"scenario": {"text": big, "format": "json"}})
    assert r.status_code == 422 and "issues" in error_paths(r)
    bomb = "a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n" + "".join(
        f"{c}: &{c} [{', '.join(['*' + p] * 10)}]\n" for p, c in zip("abcdefgh", "bcdefghi",
                                                                      strict=True))
    r = client.post("/api/validate", json={"text": bomb})
    assert r.status_code == 200 and not r.json()["valid"]
    assert "alias" in r.json()["errors"][0]["message"]


# -- the page and its files -----------------------------------------------------------------


def test_page_and_static_files(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "default-src 'none'" in csp
    assert page.headers["x-content-type-options"] == "nosniff"
    assert '<script src="/static/app.js"' in page.text
    assert "http://" not in page.text.replace('href="/openapi.json"', "")
    for name in ("app.js", "app.css"):
        assert client.get(f"/static/{name}").status_code == 200
    plotly = client.get("/static/plotly.min.js")
    assert plotly.status_code == 200 and len(plotly.content) > 1_000_000
    assert "max-age" in plotly.headers["cache-control"]
    cached = client.get("/static/plotly.min.js",
                        headers={"If-None-Match": plotly.headers["etag"]})
    assert cached.status_code == 304
    assert client.get("/api/scenarios").headers["cache-control"] == "no-store"


def test_page_inserts_no_html() -> None:
    """The page's script sets text, never markup (user data cannot become HTML)."""
    from accord.web.app import STATIC

    script = (STATIC / "app.js").read_text()
    for unsafe in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert unsafe not in script, unsafe


def test_host_check_on_loopback(tmp_path: Path) -> None:
    app = create_app(tmp_path / "h.db", allowed_hosts=["127.0.0.1", "localhost"])
    ok = TestClient(app, base_url="http://127.0.0.1:8000")
    assert ok.get("/api/info").status_code == 200
    rebound = TestClient(app, base_url="http://evil.example:8000")
    assert rebound.get("/api/info").status_code == 400


def test_serve_command_is_registered() -> None:
    from typer.testing import CliRunner

    from accord.cli import app

    result = CliRunner().invoke(app, ["serve", "--help"])
    assert result.exit_code == 0
    assert "--host" in result.output and "--db" in result.output
    assert "127.0.0.1" in result.output


def test_serve_refuses_a_foreign_database(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from accord.cli import app

    bad = tmp_path / "not.db"
    bad.write_text("not a database" * 100)
    result = CliRunner().invoke(app, ["serve", "--db", str(bad), "--port", "1"])
    assert result.exit_code == 2
    assert "--db" in result.stderr
