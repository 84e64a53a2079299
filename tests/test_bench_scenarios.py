"""The data files of the multi-party scale benchmarks (benchmarks/data/*.yaml): they load and
validate, their outcome spaces have the sizes the benchmarks rely on, every number has a
basis, and each reproduces the acceptance pattern it was calibrated to.

Acceptance is decided on exact utilities of single deals (`Space.utility_units` on
`Space.deal_index`, then `Space.accepts`), cross-checked against the independent calculator
of test_library_scenarios; nothing here enumerates an outcome space, so the module runs in
well under a second.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from accord.io import load_scenario, safe_load
from accord.space import compile_space

from . import test_library_scenarios as library

BENCH_DATA = Path(__file__).parent.parent / "benchmarks" / "data"

SIZES = {
    # 10 discrete issues (4*4*3*5*5*5*5*8*5*5 = 6,000,000 combinations) x centrifuge grid
    "iran-2015": 6_000_000 * 1001,
    "iran-2015-coarse": 6_000_000 * 41,
    "iran-2015-sweep": 6_000_000 * 1001,
    "black-sea-grain-2022": 3 * 4 * 3 * 4 * 4 * 4 * 3,
}
IRAN = ("iran-2015", "iran-2015-coarse", "iran-2015-sweep")
IRAN_PARTIES = ("iran", "usa", "e3", "russia-china")


def path(name: str) -> Path:
    return BENCH_DATA / f"{name}.yaml"


_loaded: dict[str, tuple] = {}


def loaded(name: str):
    """The scenario and its compiled space, loaded once per test session."""
    if name not in _loaded:
        s = load_scenario(path(name))
        _loaded[name] = (s, compile_space(s))
    return _loaded[name]


@pytest.fixture(params=sorted(SIZES))
def bench(request):
    return (request.param, *loaded(request.param))


def acceptance(space, deal) -> dict[str, bool]:
    """Who accepts `deal`, decided on exact units."""
    units = space.utility_units(np.array([space.deal_index(deal)]))
    return dict(zip(space.actor_ids, (bool(x) for x in space.accepts(units)[0]), strict=True))


# ---------------------------------------------------------------------------------------
# Every file


def test_every_data_file_is_covered():
    assert {p.stem for p in BENCH_DATA.glob("*.yaml")} == set(SIZES)


def test_loads_and_validates(bench):
    name, s, _ = bench
    assert s.id == name
    assert s.sources and s.proposals
    assert s.disclaimer and "not a historical finding" in s.disclaimer


def test_outcome_space_size(bench):
    name, s, space = bench
    assert space.outcomes == SIZES[name]
    assert space.outcomes == math.prod(len(library.option_values(i)) for i in s.issues)


def test_every_actor_number_has_a_basis(bench):
    name, s, _ = bench
    # the provenance checks of the built-ins, applied to these files
    library.test_every_actor_number_has_a_basis(str(path(name)))
    library.test_proposal_bases_cite_known_sources(str(path(name)))
    for actor in s.actors:
        assert set(actor.sources) <= set(s.sources), actor.id
        assert actor.sources or all(b.assumption for b in actor.basis.values()), actor.id


def test_engine_utilities_match_the_independent_calculator(bench):
    """The exact units the acceptance tests use equal U = sum w * s / 100 computed from the
    raw numbers, for every proposal and actor."""
    _, s, space = bench
    tables = library.issue_tables(s)
    for p in s.proposals:
        units = space.utility_units(np.array([space.deal_index(p.deal)]))
        ours = space.to_utility(units)[0]
        for k, actor in enumerate(s.actors):
            assert ours[k] == pytest.approx(library.utility(s, tables, actor.id, p.deal),
                                            abs=1e-12), (p.id, actor.id)


def test_data_readme_documents_every_file():
    readme = (BENCH_DATA / "README.md").read_text(encoding="utf-8")
    for name in SIZES:
        assert f"{name}.yaml" in readme
    assert "licence" in readme.lower() and "MIT" in readme


# ---------------------------------------------------------------------------------------
# iran-2015, its coarse twin and its copy with uncertain inputs


@pytest.mark.parametrize("name", IRAN)
def test_iran_actors_and_issues(name):
    s, space = loaded(name)
    assert {a.id: a.role for a in s.actors} == {
        "iran": "party", "usa": "party", "e3": "party", "russia-china": "party",
        "eu": "mediator", "israel": "stakeholder", "iaea": "stakeholder"}
    assert tuple(a.id for a in s.veto_actors) == IRAN_PARTIES
    discrete = [i for i in s.issues if not i.is_numeric]
    numeric = [i for i in s.issues if i.is_numeric]
    assert len(discrete) == 10 and all(3 <= len(i.options) <= 8 for i in discrete)
    assert math.prod(len(i.options) for i in discrete) == 6_000_000
    (centrifuges,) = numeric
    assert centrifuges.range == (0, 20000)
    assert centrifuges.step == {"iran-2015": 20, "iran-2015-coarse": 500,
                                "iran-2015-sweep": 20}[name]
    assert space.n_options[s.issues.index(centrifuges)] == {"iran-2015": 1001,
                                                             "iran-2015-coarse": 41,
                                                             "iran-2015-sweep": 1001}[name]
    assert {p.id for p in s.proposals} == {"jcpoa-2015", "us-opening", "iran-opening",
                                           "lausanne-2015"}


@pytest.mark.parametrize("name", IRAN)
def test_iran_jcpoa_is_accepted_by_all_four_parties(name):
    s, space = loaded(name)
    accepts = acceptance(space, s.proposal("jcpoa-2015").deal)
    assert all(accepts[p] for p in IRAN_PARTIES), accepts


IRAN_PATTERN = [
    ("jcpoa-2015", {"iran": True, "usa": True, "e3": True, "russia-china": True,
                    "eu": True, "israel": False, "iaea": True}),
    ("lausanne-2015", {"iran": True, "usa": True, "e3": True, "russia-china": True,
                       "eu": True, "israel": False, "iaea": True}),
    # each side's opening position is rejected by the other side
    ("us-opening", {"iran": False, "usa": True, "e3": True, "russia-china": False,
                    "eu": True, "israel": True, "iaea": True}),
    ("iran-opening", {"iran": True, "usa": False, "e3": False, "russia-china": False,
                      "eu": False, "israel": False, "iaea": False}),
]


@pytest.mark.parametrize("name", IRAN)
@pytest.mark.parametrize(("proposal", "expected"), IRAN_PATTERN)
def test_iran_acceptance_pattern(name, proposal, expected):
    s, space = loaded(name)
    assert acceptance(space, s.proposal(proposal).deal) == expected


def test_iran_jcpoa_numbers():
    s, _ = loaded("iran-2015")
    deal = s.proposal("jcpoa-2015").deal
    assert deal["centrifuges"] == 5060
    assert (deal["enrichment-level"], deal["stockpile"], deal["access"], deal["arms-embargo"]) \
        == ("pct-3.67", "kg-300", "managed-24-day", "y5")


def test_iran_coarse_is_the_same_model_on_a_coarser_grid():
    fine = safe_load(path("iran-2015").read_text(encoding="utf-8"))
    coarse = safe_load(path("iran-2015-coarse").read_text(encoding="utf-8"))
    for key in ("sources", "actors", "disclaimer"):
        assert coarse[key] == fine[key], key
    for a, b in zip(fine["issues"], coarse["issues"], strict=True):
        if a["id"] == "centrifuges":
            assert (a["step"], b["step"]) == (20, 500)
            a, b = {**a, "step": None}, {**b, "step": None}
        assert a == b
    for a, b in zip(fine["proposals"], coarse["proposals"], strict=True):
        rounded = 500 * round(a["deal"]["centrifuges"] / 500)
        assert b["deal"] == {**a["deal"], "centrifuges": rounded}
        assert {k: v for k, v in a.items() if k not in ("deal", "basis")} \
            == {k: v for k, v in b.items() if k not in ("deal", "basis")}


# the uncertain inputs of iran-2015-sweep, (low, high) around iran-2015's point values
IRAN_SWEEP_RANGES = {
    "iran.batna": (0.40, 0.60), "usa.batna": (0.55, 0.75), "e3.batna": (0.60, 0.80),
    "russia-china.batna": (0.60, 0.80), "iran.salience.sanctions": (0.18, 0.32),
    "usa.salience.centrifuges": (0.10, 0.20), "russia-china.salience.arms-embargo": (0.09, 0.19),
}


def test_iran_sweep_is_iran_2015_with_ranges():
    """The same model as iran-2015 at its nominal values (so every point analysis agrees),
    with triangular ranges peaked at iran-2015's numbers on the four parties' BATNAs and
    three salience weights, each range marked as the modeller's assumption."""
    fine, _ = loaded("iran-2015")
    s, _ = loaded("iran-2015-sweep")
    for a, b in zip(fine.actors, s.actors, strict=True):
        assert a.model_dump(exclude={"basis"}) == b.model_dump(exclude={"basis"}), a.id
    assert (s.issues, s.proposals, s.sources, s.disclaimer) \
        == (fine.issues, fine.proposals, fine.sources, fine.disclaimer)
    assert not fine.is_uncertain
    found = {u.name: u.distribution for u in s.uncertain_inputs}
    assert set(found) == set(IRAN_SWEEP_RANGES)
    for name, (low, high) in IRAN_SWEEP_RANGES.items():
        actor_id, field, *issue = name.split(".")
        actor = fine.actor(actor_id)
        point = actor.batna if field == "batna" else actor.salience[issue[0]]
        d = found[name]
        assert (d.kind, d.params) == ("triangular", (low, point, high)), name
        assumption = s.actor(actor_id).basis[field].assumption
        assert assumption and "range" in assumption and "assumption" in assumption, name
    assert any(n.startswith("Uncertainty:") and "assumptions" in n for n in s.notes)


# ---------------------------------------------------------------------------------------
# black-sea-grain-2022


def test_black_sea_actors():
    s, _ = loaded("black-sea-grain-2022")
    assert {a.id: (a.role, a.has_veto) for a in s.actors} == {
        "russia": ("party", True), "ukraine": ("party", True), "turkey": ("party", True),
        "un": ("mediator", False)}
    assert 6 <= len(s.issues) <= 8 and not any(i.is_numeric for i in s.issues)


@pytest.mark.parametrize(("proposal", "expected"), [
    ("istanbul-2022", {"russia": True, "ukraine": True, "turkey": True, "un": True}),
    ("russia-2023-conditions", {"russia": True, "ukraine": False, "turkey": True, "un": True}),
    ("ukraine-2023-request", {"russia": False, "ukraine": True, "turkey": True, "un": True}),
])
def test_black_sea_acceptance_pattern(proposal, expected):
    s, space = loaded("black-sea-grain-2022")
    assert acceptance(space, s.proposal(proposal).deal) == expected
