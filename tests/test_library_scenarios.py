"""The built-in scenarios: they load, every number has a basis, and each reproduces the facts
it was calibrated to.

These tests use only `accord.io.load_scenario` and plain Python/numpy enumeration of the
outcome space (utilities computed here from the raw numbers of the scenario models), so they
check the scenario files independently of the engine.
"""

from __future__ import annotations

import csv
import itertools
from importlib import resources
from pathlib import Path

import numpy as np
import pytest

from accord.io import load_scenario

DATA = Path(__file__).parent / "data"
EXPECTED = {"ukraine-2023", "england-zimbabwe", "logrolling", "camp-david-1978"}


def library_ids() -> list[str]:
    root = resources.files("accord.library")
    return sorted(p.name[: -len(".yaml")] for p in root.iterdir() if p.name.endswith(".yaml"))


# ---------------------------------------------------------------------------------------
# A small independent utility calculator: U = sum_i w_i * s_i(option_i) / 100.


def option_values(issue) -> list:
    """Option ids of a discrete issue, or the grid lo, lo + step, ..., hi of a numeric one."""
    if issue.options is not None:
        return [o.id for o in issue.options]
    lo, hi = issue.range
    step = issue.step if issue.step is not None else (hi - lo) / 10
    n = round((hi - lo) / step)
    return [lo + k * (hi - lo) / n for k in range(n + 1)]


def weights(scenario, actor) -> dict[str, float]:
    sal = actor.salience if actor.salience is not None else {i.id: 1.0 for i in scenario.issues}
    total = sum(sal.get(i.id, 0.0) for i in scenario.issues)
    return {i.id: sal.get(i.id, 0.0) / total for i in scenario.issues}


def issue_tables(scenario) -> dict[str, list[np.ndarray]]:
    """Per actor, per issue: weighted utility contribution of each option (or grid value)."""
    out = {}
    for actor in scenario.actors:
        w = weights(scenario, actor)
        per_issue = []
        for issue in scenario.issues:
            values = option_values(issue)
            if w[issue.id] == 0:
                per_issue.append(np.zeros(len(values)))
                continue
            pref = actor.preferences[issue.id]
            if issue.options is not None:
                scores = np.array([pref[v] for v in values], dtype=float)
            else:
                lo, hi = issue.range
                scores = np.array([100 * (1 - abs(x - pref.ideal) / (hi - lo)) for x in values])
            per_issue.append(w[issue.id] * scores / 100)
        out[actor.id] = per_issue
    return out


def full_grid(tables: list[np.ndarray]) -> np.ndarray:
    """Utility of every deal, as an array indexed by option positions (one axis per issue)."""
    shape = [len(t) for t in tables]
    grid = np.zeros(shape)
    for k, t in enumerate(tables):
        s = [1] * len(shape)
        s[k] = len(t)
        grid = grid + t.reshape(s)
    return grid


def deal_index(scenario, deal: dict) -> tuple[int, ...]:
    idx = []
    for issue in scenario.issues:
        value = deal[issue.id]
        if issue.options is not None:
            idx.append([o.id for o in issue.options].index(str(value)))
        else:
            grid = option_values(issue)
            idx.append(int(np.argmin([abs(g - float(value)) for g in grid])))
    return tuple(idx)


def utility(scenario, tables, actor_id: str, deal: dict) -> float:
    idx = deal_index(scenario, deal)
    return float(sum(t[j] for t, j in zip(tables[actor_id], idx, strict=True)))


def accepts(scenario, tables, actor_id: str, proposal_id: str) -> bool:
    u = utility(scenario, tables, actor_id, scenario.proposal(proposal_id).deal)
    return u >= scenario.actor(actor_id).batna


@pytest.fixture(scope="module", params=library_ids())
def builtin(request):
    return load_scenario(request.param)


# ---------------------------------------------------------------------------------------
# Every built-in


def test_all_expected_builtins_are_present():
    assert set(library_ids()) >= EXPECTED


@pytest.mark.parametrize("scenario_id", library_ids())
def test_builtin_loads(scenario_id):
    s = load_scenario(scenario_id)
    assert s.id == scenario_id
    assert s.sources, "a built-in cites its sources"


def _basis_ok(scenario, entry) -> bool:
    if entry.assumption and entry.assumption.strip():
        return True
    return entry.source is not None and entry.source in scenario.sources


@pytest.mark.parametrize("scenario_id", library_ids())
def test_every_actor_number_has_a_basis(scenario_id):
    s = load_scenario(scenario_id)
    missing = []
    for actor in s.actors:
        basis = actor.basis
        for field in ("batna", "capability", "salience"):
            if field not in basis:
                missing.append(f"{actor.id}.{field}")
        w = weights(s, actor)
        for issue in s.issues:
            if w[issue.id] > 0 and "preferences" not in basis \
                    and f"preferences.{issue.id}" not in basis:
                missing.append(f"{actor.id}.preferences.{issue.id}")
        if actor.position:
            for iid in actor.position:
                if "position" not in basis and f"position.{iid}" not in basis:
                    missing.append(f"{actor.id}.position.{iid}")
        for key, entry in basis.items():
            assert _basis_ok(s, entry), f"{actor.id}.basis.{key}: unknown source, no assumption"
    assert not missing, f"numbers without a basis: {missing}"


@pytest.mark.parametrize("scenario_id", library_ids())
def test_proposal_bases_cite_known_sources(scenario_id):
    s = load_scenario(scenario_id)
    for p in s.proposals:
        for src in p.sources:
            assert src in s.sources
        for key, entry in p.basis.items():
            assert _basis_ok(s, entry), f"{p.id}.basis.{key}"


def test_outcome_spaces_are_enumerable(builtin):
    size = int(np.prod([len(option_values(i)) for i in builtin.issues]))
    assert size <= 1_000_000


# ---------------------------------------------------------------------------------------
# ukraine-2023: the acceptance pattern the sources report, and an empty but close ZOPA


@pytest.fixture(scope="module")
def ukraine():
    s = load_scenario("ukraine-2023")
    return s, issue_tables(s)


def test_ukraine_actors_and_roles(ukraine):
    s, _ = ukraine
    roles = {a.id: a.role for a in s.actors}
    assert roles == {"russia": "party", "ukraine": "party", "china": "mediator",
                     "usa": "stakeholder", "eu": "stakeholder", "france": "stakeholder",
                     "global-south": "stakeholder"}
    assert {a.id for a in s.veto_actors} == {"russia", "ukraine"}
    assert len(s.issues) >= 6
    assert all(o.title for i in s.issues for o in (i.options or []))
    assert s.disclaimer and "not a forecast" in s.disclaimer


@pytest.mark.parametrize(("proposal", "actor", "accepted"), [
    ("china-12-points", "russia", True),
    ("china-12-points", "ukraine", False),
    ("china-12-points", "usa", False),
    ("china-12-points", "china", True),
    ("freeze", "russia", True),
    ("freeze", "ukraine", False),
    ("freeze", "usa", False),
    ("peace-formula", "ukraine", True),
    ("peace-formula", "russia", False),
    ("peace-formula", "usa", True),
    # the other outside actors, as their stated positions suggest
    ("china-12-points", "eu", False),
    ("china-12-points", "france", False),
    ("china-12-points", "global-south", True),
    ("freeze", "china", True),
    ("freeze", "eu", False),
    ("peace-formula", "eu", True),
    ("peace-formula", "france", True),
    ("peace-formula", "china", False),
])
def test_ukraine_acceptance_pattern(ukraine, proposal, actor, accepted):
    s, tables = ukraine
    assert accepts(s, tables, actor, proposal) is accepted


def test_ukraine_china_paper_is_silent_on_territory(ukraine):
    s, _ = ukraine
    p = s.proposal("china-12-points")
    assert p.deal["territory"] == "current-line"
    assert p.deal["accountability"] == "unaddressed"
    assert "silen" in (p.note or "")
    assert "field.territory" in p.basis


def test_ukraine_zopa_is_empty_but_close(ukraine):
    s, tables = ukraine
    r, u = s.actor("russia"), s.actor("ukraine")
    ur, uu = full_grid(tables["russia"]), full_grid(tables["ukraine"])
    # Brute force over every deal: none is acceptable to both parties ...
    assert not np.any((ur >= r.batna) & (uu >= u.batna))
    # ... but the best compromise misses both BATNAs by a modest margin,
    best = float(np.max(np.minimum(ur - r.batna, uu - u.batna)))
    assert -0.15 <= best <= -0.05
    # so that lower BATNAs (a costly stalemate) open a zone of possible agreement.
    assert np.any((ur >= r.batna - 0.15) & (uu >= u.batna - 0.15))


def test_ukraine_zopa_by_explicit_enumeration(ukraine):
    """The same fact with itertools.product, deal by deal (no broadcasting)."""
    s, tables = ukraine
    br, bu = s.actor("russia").batna, s.actor("ukraine").batna
    tr, tu = tables["russia"], tables["ukraine"]
    ranges = [range(len(t)) for t in tr]
    both = 0
    for idx in itertools.product(*ranges):
        u_r = sum(t[j] for t, j in zip(tr, idx, strict=True))
        u_u = sum(t[j] for t, j in zip(tu, idx, strict=True))
        if u_r >= br and u_u >= bu:
            both += 1
    assert both == 0


def test_ukraine_china_has_interests(ukraine):
    s, _ = ukraine
    china = s.actor("china")
    ceasefire, sanctions = china.preferences["ceasefire"], china.preferences["sanctions"]
    assert max(ceasefire, key=ceasefire.get) != "none"
    assert ceasefire["none"] == min(ceasefire.values())
    assert sanctions["lifted"] > sanctions["maintained"]
    w = weights(s, china)
    assert w["ceasefire"] + w["sanctions"] >= 0.4


def test_ukraine_batnas_discriminate(ukraine):
    """Every actor's BATNA lies strictly between its worst and best proposal, except the
    Global South's, which welcomes any of the three (each ends the fighting)."""
    s, tables = ukraine
    for actor in s.actors:
        us = [utility(s, tables, actor.id, p.deal) for p in s.proposals]
        assert 0 < actor.batna < 1
        if actor.id == "global-south":
            assert min(us) >= actor.batna
        else:
            assert min(us) < actor.batna <= max(us), actor.id


# ---------------------------------------------------------------------------------------
# england-zimbabwe: reproduces the Genius utilities of all 576 packages


def genius_table():
    rows = list(csv.DictReader((DATA / "england_zimbabwe_genius.csv").open(encoding="utf-8")))
    issues: dict[int, dict] = {}
    for row in rows:
        k = int(row["issue_index"])
        d = issues.setdefault(k, {"name": row["issue"], "options": [],
                                  "england": [], "zimbabwe": [], "w": {}})
        d["options"].append(row["option"])
        for side in ("england", "zimbabwe"):
            d[side].append(float(row[f"{side}_eval"]))
            d["w"][side] = float(row[f"{side}_issue_weight"])
    return [issues[k] for k in sorted(issues)]


def test_england_zimbabwe_matches_genius_for_all_packages():
    table = genius_table()
    s = load_scenario("england-zimbabwe")
    assert [i.title for i in s.issues] == [d["name"] for d in table]
    for issue, d in zip(s.issues, table, strict=True):
        assert [o.title for o in issue.options] == d["options"]
    tables = issue_tables(s)
    packages = list(itertools.product(*[range(len(d["options"])) for d in table]))
    assert len(packages) == 576
    for side in ("england", "zimbabwe"):
        assert s.actor(side).batna == 0
        for pkg in packages:
            genius = sum(d["w"][side] * d[side][j] / max(d[side])
                         for d, j in zip(table, pkg, strict=True))
            ours = sum(t[j] for t, j in zip(tables[side], pkg, strict=True))
            assert abs(genius - ours) <= 1e-9, (side, pkg)


def test_england_zimbabwe_status_quo_is_no_agreement_everywhere():
    s = load_scenario("england-zimbabwe")
    deal = s.proposal("status-quo").deal
    for issue in s.issues:
        title = next(o.title for o in issue.options if o.id == deal[issue.id])
        assert title in ("No agreement", "No")


def test_england_zimbabwe_data_copy_is_documented():
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    assert "england_zimbabwe_genius.csv" in readme
    assert "licence" in readme.lower()


# ---------------------------------------------------------------------------------------
# logrolling: the textbook E2 numbers


def test_logrolling_reproduces_textbook_example():
    s = load_scenario("logrolling")
    tables = issue_tables(s)
    a, b = (x.id for x in s.parties)
    ua, ub = full_grid(tables[a]), full_grid(tables[b])
    xs = option_values(s.issues[0])
    ys = option_values(s.issues[1])
    for i, x in enumerate(xs):
        for j, y in enumerate(ys):
            assert ua[i, j] == pytest.approx(0.7 * x / 100 + 0.3 * y / 100, abs=1e-12)
            assert ub[i, j] == pytest.approx(0.2 * (1 - x / 100) + 0.8 * (1 - y / 100), abs=1e-12)
    split = (utility(s, tables, a, s.proposal("split-the-difference").deal),
             utility(s, tables, b, s.proposal("split-the-difference").deal))
    logroll = (utility(s, tables, a, s.proposal("logroll").deal),
               utility(s, tables, b, s.proposal("logroll").deal))
    assert split == pytest.approx((0.5, 0.5))
    assert logroll == pytest.approx((0.7, 0.8))
    assert s.proposal("logroll").deal == {s.issues[0].id: 100, s.issues[1].id: 0}
    assert logroll[0] > split[0] and logroll[1] > split[1]  # the split is Pareto-dominated
    # (100, 0) is the Nash (and utilitarian) solution over the grid, d = (0, 0).
    nash = np.unravel_index(np.argmax(ua * ub), ua.shape)
    assert (xs[nash[0]], ys[nash[1]]) == (100, 0)
    assert float(np.max(ua + ub)) == pytest.approx(1.5)


# ---------------------------------------------------------------------------------------
# camp-david-1978: the accords' package is in the ZOPA, near Nash, and beats the split


@pytest.fixture(scope="module")
def camp_david():
    s = load_scenario("camp-david-1978")
    return s, issue_tables(s)


def test_camp_david_accords_acceptable_to_both_parties(camp_david):
    s, tables = camp_david
    assert {a.id for a in s.veto_actors} == {"egypt", "israel"}
    assert s.actor("usa").role == "mediator"
    for party in ("egypt", "israel"):
        assert accepts(s, tables, party, "accords-1978")


def test_camp_david_split_is_dominated_by_the_accords(camp_david):
    s, tables = camp_david
    for party in ("egypt", "israel"):
        assert utility(s, tables, party, s.proposal("accords-1978").deal) > \
            utility(s, tables, party, s.proposal("split").deal)


def test_camp_david_logroll_structure(camp_david):
    s, tables = camp_david
    we, wi = weights(s, s.actor("egypt")), weights(s, s.actor("israel"))
    assert we["sovereignty"] > we["security"] and wi["security"] > wi["sovereignty"]
    deal = s.proposal("accords-1978").deal
    assert deal["sovereignty"] == "full"
    assert deal["security"] == "demilitarised"


def test_camp_david_accords_near_nash(camp_david):
    s, tables = camp_david
    e, i = s.actor("egypt"), s.actor("israel")
    ge = full_grid(tables["egypt"]) - e.batna
    gi = full_grid(tables["israel"]) - i.batna
    in_zopa = (ge >= 0) & (gi >= 0)
    product = np.where(in_zopa, ge * gi, -np.inf)
    idx = deal_index(s, s.proposal("accords-1978").deal)
    assert in_zopa[idx]
    assert product[idx] >= 0.9 * float(np.max(product))
