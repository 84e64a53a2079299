"""Strategic-form games: the classics' textbook equilibria, random games against pygambit
(a GPL test oracle, never imported from src/: its answers are recorded in
tests/data/games/gambit/, and checked live where it is installed), brute force for pure
equilibria, Pareto and win-win outcomes, dominance, the YAML and .nfg readers, and
`accord game` end to end."""

from __future__ import annotations

import functools
import hashlib
import itertools
import json
import math
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from accord.cli import app
from accord.errors import InputError
from accord.games.strategic import (
    StrategicGame,
    analyze_game,
    classics,
    dominated_actions,
    expected_payoffs,
    game_from_data,
    load_game,
    nash_equilibria,
    pareto_outcomes,
    pure_equilibria,
    verify,
    win_win_outcomes,
)
from accord.games.strategic.nfg import parse_nfg, read_nfg, to_nfg

ROOT = Path(__file__).parent.parent
DATA = Path(__file__).parent / "data" / "games" / "strategic"
runner = CliRunner()


def key(strategies) -> tuple:
    """An equilibrium as a hashable, rounded probability vector."""
    return tuple(round(float(p), 6) + 0.0 for s in strategies for p in s)


def keys(result) -> set:
    return {key(e.strategies) for e in result}


def keys_of(equilibria) -> set:
    """The keys of equilibria given as one probability list per player (pygambit's)."""
    return {key(e) for e in equilibria}


def flat(strategies) -> tuple:
    return tuple(x for s in strategies for x in s)


def random_game(rng, shape, hi) -> StrategicGame:
    arrays = [rng.integers(0, hi, shape).tolist() for _ in shape]
    return StrategicGame.from_matrices(*arrays)


def assert_all_verified(game, result, tol=1e-8):
    for e in result:
        check = verify(game, e.strategies, tol)
        assert check.ok, check.problems
        assert e.regret <= tol * game.scale
        for s in e.strategies:
            assert min(s) >= 0 and sum(s) == pytest.approx(1, abs=1e-12)
        assert np.allclose(expected_payoffs(game, e.strategies), e.payoffs)


def regret(game: StrategicGame, strategies) -> float:
    """The most any player gains by a pure deviation, computed here (not by accord's
    verify): each player's payoff of each action against the others' mixtures."""
    worst = 0.0
    for i in range(game.n_players):
        u = game.payoffs[..., i]
        for j in reversed(range(game.n_players)):      # last axis first: the others stay put
            if j != i:
                u = np.tensordot(u, np.asarray(strategies[j], dtype=float), axes=([j], [0]))
        worst = max(worst, float(u.max() - u @ np.asarray(strategies[i], dtype=float)))
    return worst


# ---------------------------------------------------------------------------------------
# pygambit, the oracle: its recorded answers, and the live library where it is installed
#
# Every question these tests put to pygambit (GPL-2+; a test oracle only, never imported from
# src/) is a case below: the game as the test builds it, the pygambit function and its
# options. tests/data/games/gambit/<fixture>.json holds pygambit's answer to each case, written
# by regenerate.py beside it, so every comparison runs without pygambit (`recorded`); where
# pygambit imports, each comparison runs again against the library itself (`live`), and
# test_recorded_answers_match_live_pygambit checks that the recorded answers are its answers.
# test_recorded_games_are_the_games_the_tests_build fails when a game here changes and the
# fixtures were not regenerated.

GAMBIT = Path(__file__).parent / "data" / "games" / "gambit"
REGENERATE = "run tests/data/games/gambit/regenerate.py (needs pygambit: make test-gambit)"
NO_PYGAMBIT = ("pygambit is not installed (make test-gambit installs it); the comparisons ran "
               "against its answers recorded in tests/data/games/gambit/")

SMALL = [(1, 1), (1, 3), (3, 1), (2, 2), (2, 3), (2, 5), (3, 3), (4, 2), (3, 5), (4, 4),
         (5, 5), (6, 4), (6, 6)]
SMALL_HI = [2, 3, 10, 1000]
LARGER = [8, 10]
PURE_SHAPES = [(2, 2, 2), (2, 3, 2), (3, 3, 3), (2, 2, 2, 2), (3, 2, 2, 3), (2, 2, 2, 2, 2)]
PURE_HI = [2, 4, 100]
DOMINANCE_SEEDS = range(6)
COMMITTED_NFG = ("diplomacy_outcomes.nfg", "payoff_version.nfg", "written_by_pygambit.nfg")
# The game test_reads_a_file_pygambit_wrote has pygambit write: its title and labels as set
# on the pygambit game (None: pygambit's default labels), its payoffs as given to from_arrays.
WRITTEN = {"title": "Written by pygambit", "players": ["Kyiv", "Moscow"],
           "strategies": [None, ["talk", "fight", "wait"]],
           "payoffs": [[[3, 0, Fraction(1, 2)], [5, 1, -2]],
                       [[3, 5, 0], [0, 1, Fraction(7, 3)]]]}


def shape_id(shape) -> str:
    return "x".join(map(str, shape))


def small_id(shape, hi, k: int) -> str:
    return f"random-{shape_id(shape)}-payoffs0-{hi - 1}-{k + 1}"


def pure_id(shape, hi, k: int) -> str:
    return f"random-{shape_id(shape)}-payoffs0-{hi - 1}-{k + 1}"


def dominance_id(seed: int, strict: bool) -> str:
    return f"random-4x3-seed{seed}-{'strict' if strict else 'weak'}"


@functools.cache
def small_random_games(shape, hi) -> tuple[StrategicGame, ...]:
    rng = np.random.default_rng(1000 * shape[0] + 10 * shape[1] + hi)
    return tuple(random_game(rng, shape, hi) for _ in range(3))


@functools.cache
def larger_random_game(n: int) -> StrategicGame:
    rng = np.random.default_rng(n)
    return StrategicGame.from_matrices(rng.random((n, n)), rng.random((n, n)))


@functools.cache
def lemke_howson_games() -> dict[int, StrategicGame]:
    rng = np.random.default_rng(3)
    return {n: StrategicGame.from_matrices(rng.random((n, n)), rng.random((n, n)))
            for n in (20, 40)}


@functools.cache
def pure_random_games(shape, hi) -> tuple[StrategicGame, ...]:
    rng = np.random.default_rng(sum(shape) * hi)
    return tuple(random_game(rng, shape, hi) for _ in range(3))


@functools.cache
def dominance_game(seed: int) -> StrategicGame:
    return random_game(np.random.default_rng(seed), (4, 3), 4 if seed % 2 else 50)


def continuum_game() -> StrategicGame:
    # Column's two actions pay Column the same: a continuum of equilibria.
    return StrategicGame.from_matrices([[3, 0], [0, 2], [1, 1]], [[1, 1], [1, 1], [1, 1]])


def written_game() -> StrategicGame:
    return StrategicGame.from_matrices(*WRITTEN["payoffs"])


def written_by_accord() -> dict[str, StrategicGame]:
    """The games test_writes_files_pygambit_reads_back writes as .nfg, by case id."""
    return {"accord-to_nfg-escalation": classics.classic("escalation"),
            "accord-to_nfg-volunteers-dilemma": classics.classic("volunteers-dilemma"),
            "accord-to_nfg-exact_payoffs": load_game(str(DATA / "exact_payoffs.yaml"))}


@dataclass(frozen=True)
class Case:
    """One question put to pygambit. pygambit gets the exact payoffs of `game()`
    (Game.from_arrays), or reads `catalog` (a file of its own catalog), or reads the .nfg
    bytes `nfg()` returns; `solver` is a function of pygambit.nash, or
    supports.undominated_strategies_solve, read_nfg or Game.to_nfg; `options` are the
    keywords it is called with (the others are pygambit's defaults)."""

    test: str
    solver: str
    options: dict
    origin: dict
    game: Callable[[], StrategicGame] | None = None
    catalog: str | None = None
    nfg: Callable[[], bytes] | None = None


@functools.cache
def gambit_cases() -> dict[str, dict[str, Case]]:
    """Every case, by fixture file (without .json) and case id, in the file's order."""
    enummixed, enumpure, enumpoly, lcp, dominance, nfg = {}, {}, {}, {}, {}, {}
    test = "test_all_extreme_equilibria_match_gambit_enummixed"
    for shape in SMALL:
        for hi in SMALL_HI:
            for k in range(3):
                enummixed[small_id(shape, hi, k)] = Case(
                    test, "enummixed_solve", {"rational": True},
                    {"random": f"small_random_games({shape}, {hi})[{k}]",
                     "seed": 1000 * shape[0] + 10 * shape[1] + hi, "draw": k + 1,
                     "payoffs": f"integers 0 to {hi - 1}"},
                    game=functools.partial(lambda s, h, i: small_random_games(s, h)[i],
                                           shape, hi, k))
    for n in LARGER:
        enummixed[f"random-float-{n}x{n}"] = Case(
            "test_larger_random_games_match_gambit", "enummixed_solve", {"rational": False},
            {"random": f"larger_random_game({n})", "seed": n,
             "payoffs": "floats in [0, 1), exact as their shortest decimals"},
            game=functools.partial(larger_random_game, n))
    enummixed["continuum"] = Case(
        "test_degenerate_game_with_a_continuum_matches_gambit_and_lists_cliques",
        "enummixed_solve", {"rational": True}, {"written": "continuum_game()"},
        game=continuum_game)
    enummixed["shapley1974-fig3"] = Case(
        "test_shapley_game_has_equilibria_lemke_howson_cannot_reach", "enummixed_solve",
        {"rational": True},
        {"reference": "Shapley (1974), A note on the Lemke-Howson algorithm, "
                      "Mathematical Programming Study 1, 175-189, figure 3"},
        catalog="journals/other/shapley1974/fig3.nfg")
    enummixed["written-by-pygambit"] = Case(
        "test_reads_a_file_pygambit_wrote", "enummixed_solve", {"rational": True},
        {"written": "WRITTEN"}, game=written_game)
    test = "test_pure_equilibria_match_brute_force_and_gambit"
    for shape in PURE_SHAPES:
        for hi in PURE_HI:
            for k in range(3):
                enumpure[pure_id(shape, hi, k)] = Case(
                    test, "enumpure_solve", {},
                    {"random": f"pure_random_games({shape}, {hi})[{k}]",
                     "seed": sum(shape) * hi, "draw": k + 1,
                     "payoffs": f"integers 0 to {hi - 1}"},
                    game=functools.partial(lambda s, h, i: pure_random_games(s, h)[i],
                                           shape, hi, k))
    enumpoly["volunteers-dilemma"] = Case(
        "test_volunteers_dilemma_pure_equilibria_and_symmetric_mixed", "enumpoly_solve", {},
        {"classic": "volunteers-dilemma"},
        game=functools.partial(classics.classic, "volunteers-dilemma"))
    enumpoly["nau2004-sec4"] = Case(
        "test_three_player_irrational_equilibrium_matches_gambit_enumpoly", "enumpoly_solve",
        {},
        {"reference": "Nau, Gomez Canovas and Hansen (2004), On the geometry of Nash "
                      "equilibria and correlated equilibria, International Journal of Game "
                      "Theory 32, 443-453, section 4"},
        catalog="journals/ijgt/nau2004/sec4.nfg")
    for n in (20, 40):
        lcp[f"random-float-{n}x{n}"] = Case(
            "test_lemke_howson_on_large_games_is_verified_by_gambit", "lcp_solve",
            {"rational": False, "stop_after": 3},
            {"random": f"lemke_howson_games()[{n}]", "seed": 3,
             "payoffs": "floats in [0, 1), exact as their shortest decimals"},
            game=functools.partial(lambda m: lemke_howson_games()[m], n))
    for seed in DOMINANCE_SEEDS:
        for strict in (True, False):
            dominance[dominance_id(seed, strict)] = Case(
                "test_dominance_against_gambit_and_an_lp_oracle",
                "undominated_strategies_solve", {"strict": strict},
                {"random": f"dominance_game({seed})", "seed": seed,
                 "payoffs": f"integers 0 to {3 if seed % 2 else 49}"},
                game=functools.partial(dominance_game, seed))
    for name in COMMITTED_NFG:
        nfg[f"read-{name}"] = Case(
            "test_reads_the_committed_files_as_pygambit_does", "read_nfg", {},
            {"file": f"tests/data/games/strategic/{name}"},
            nfg=(DATA / name).read_bytes)
    for case_id, game in written_by_accord().items():
        nfg[case_id] = Case(
            "test_writes_files_pygambit_reads_back", "read_nfg", {},
            {"written": f"accord.games.nfg.to_nfg({case_id.removeprefix('accord-to_nfg-')})"},
            nfg=functools.partial(lambda g: to_nfg(g).encode(), game))
    nfg["to_nfg-written-by-pygambit"] = Case(
        "test_reads_a_file_pygambit_wrote", "to_nfg", {}, {"written": "WRITTEN"})
    return {"enummixed": enummixed, "enumpure": enumpure, "enumpoly": enumpoly, "lcp": lcp,
            "dominance": dominance, "nfg": nfg}


FIXTURES = ["enummixed", "enumpure", "enumpoly", "lcp", "dominance", "nfg"]


def nested(f, x):
    return [nested(f, y) for y in x] if isinstance(x, list) else f(x)


def number(x):
    """A recorded number: a string is an exact rational, a JSON number a double."""
    return Fraction(x) if isinstance(x, str) else float(x)


def payoff_arrays(game: StrategicGame) -> list:
    """The payoffs as given to pygambit's Game.from_arrays: one nested list per player."""
    return [game.exact_payoffs[..., i].tolist() for i in range(game.n_players)]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@functools.cache
def recorded(name: str) -> dict:
    return json.loads((GAMBIT / f"{name}.json").read_text())


def recorded_case(name: str, case_id: str) -> dict:
    for c in recorded(name)["cases"]:
        if c["id"] == case_id:
            return c
    raise AssertionError(f"tests/data/games/gambit/{name}.json has no case {case_id}: "
                         f"{REGENERATE}")


def assert_same_game(name: str, case_id: str, game: StrategicGame) -> None:
    """The recorded case was answered for exactly this game."""
    theirs = nested(number, recorded_case(name, case_id)["game"]["payoffs"])
    assert theirs == payoff_arrays(game), (
        f"{name}.json, case {case_id}: the recorded game is not the one the test builds; "
        f"{REGENERATE}")


class Recorded:
    """pygambit's answers as recorded in tests/data/games/gambit/."""

    live = False

    def game(self, name: str, case_id: str) -> StrategicGame:
        """The game of a case as the test uses it; a catalog game from its record."""
        case = gambit_cases()[name][case_id]
        if case.catalog is None:
            return case.game()
        g = recorded_case(name, case_id)["game"]
        return StrategicGame.from_matrices(*nested(number, g["payoffs"]), title=g["title"],
                                           players=g["players"], actions=g["strategies"])

    def equilibria(self, name: str, case_id: str, game: StrategicGame) -> list:
        """One probability list per player for each equilibrium, in pygambit's order."""
        assert_same_game(name, case_id, game)
        return nested(number, recorded_case(name, case_id)["equilibria"])

    def undominated(self, case_id: str, game: StrategicGame) -> set:
        """The (player, action) pairs that survive, as indices."""
        assert_same_game("dominance", case_id, game)
        return {tuple(x) for x in recorded_case("dominance", case_id)["undominated"]}

    def read_nfg(self, case_id: str, data: bytes) -> dict:
        """What pygambit reads in the .nfg file `data`: title, labels and payoffs."""
        rec = recorded_case("nfg", case_id)
        assert sha256(data) == rec["game"]["sha256"], (
            f"nfg.json, case {case_id}: the file is not the one recorded; {REGENERATE}")
        read = dict(rec["read"])
        read["payoffs"] = nested(number, read["payoffs"])
        return read

    def to_nfg(self, case_id: str) -> str:
        """The .nfg text pygambit writes for the game WRITTEN."""
        rec = recorded_case("nfg", case_id)
        game = {k: rec["game"][k] for k in ("title", "players", "strategies")}
        game["payoffs"] = nested(number, rec["game"]["payoffs"])
        assert game == WRITTEN, f"nfg.json, case {case_id}: WRITTEN changed; {REGENERATE}"
        return rec["nfg"]

    def max_regret(self, game: StrategicGame, strategies) -> float:
        return regret(game, strategies)

    def answer(self, name: str, case_id: str):
        """The answer to a case, in the form the methods above give it."""
        case = gambit_cases()[name][case_id]
        if case.solver == "read_nfg":
            return self.read_nfg(case_id, case.nfg())
        if case.solver == "to_nfg":
            return self.to_nfg(case_id)
        if case.solver == "undominated_strategies_solve":
            return self.undominated(case_id, self.game(name, case_id))
        return self.equilibria(name, case_id, self.game(name, case_id))


class Live(Recorded):
    """The same questions put to pygambit itself (regenerate.py records these answers)."""

    live = True

    def __init__(self, gbt):
        self.gbt = gbt

    def catalog_path(self, name: str) -> Path:
        path = Path(self.gbt.__file__).parent / "catalog_data" / name
        if not path.exists():
            pytest.skip(f"pygambit catalog file {name} not installed")
        return path

    def game(self, name: str, case_id: str) -> StrategicGame:
        case = gambit_cases()[name][case_id]
        if case.catalog is None:
            return case.game()
        return read_nfg(self.catalog_path(case.catalog))

    def gambit_game(self, name: str, case_id: str, game: StrategicGame):
        """The pygambit game the case asks about."""
        case = gambit_cases()[name][case_id]
        if case.catalog is not None:
            return self.gbt.read_nfg(str(self.catalog_path(case.catalog)))
        return self.gbt.Game.from_arrays(*payoff_arrays(game))

    def solve(self, name: str, case_id: str, game: StrategicGame):
        """pygambit's answer object, and the pygambit game it is about."""
        case = gambit_cases()[name][case_id]
        gg = self.gambit_game(name, case_id, game)
        if case.solver == "undominated_strategies_solve":
            return self.gbt.supports.undominated_strategies_solve(gg, **case.options), gg
        return getattr(self.gbt.nash, case.solver)(gg, **case.options), gg

    def equilibria(self, name: str, case_id: str, game: StrategicGame) -> list:
        result, gg = self.solve(name, case_id, game)

        def value(x):
            return Fraction(x) if isinstance(x, Fraction) else float(x) + 0.0

        return [[[value(eq[s]) for s in p.strategies] for p in gg.players]
                for eq in result.equilibria]

    def undominated(self, case_id: str, game: StrategicGame) -> set:
        kept, gg = self.solve("dominance", case_id, game)
        index = {(p.label, s.label): (i, a) for i, p in enumerate(gg.players)
                 for a, s in enumerate(p.strategies)}
        return {index[s.player.label, s.label] for s in kept}

    def read_nfg(self, case_id: str, data: bytes) -> dict:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "game.nfg"
            path.write_bytes(data)
            gg = self.gbt.read_nfg(str(path))
        return {"title": gg.title, "players": [p.label for p in gg.players],
                "strategies": [[s.label for s in p.strategies] for p in gg.players],
                "payoffs": [np.vectorize(Fraction, otypes=[object])(a).tolist()
                            for a in gg.to_arrays()]}

    def to_nfg(self, case_id: str) -> str:
        gg = self.gbt.Game.from_arrays(*WRITTEN["payoffs"], title=WRITTEN["title"])
        for p, label, strategies in zip(gg.players, WRITTEN["players"], WRITTEN["strategies"],
                                        strict=True):
            p.label = label
            for s, lab in zip(p.strategies, strategies or [], strict=False):
                s.label = lab
        return gg.to_nfg()

    def max_regret(self, game: StrategicGame, strategies) -> float:
        gg = self.gbt.Game.from_arrays(*payoff_arrays(game))
        theirs = float(gg.mixed_strategy_profile(data=[list(s) for s in strategies])
                       .max_regret())
        assert theirs == pytest.approx(regret(game, strategies), abs=1e-12)
        return theirs


@pytest.fixture(scope="module", params=["recorded", "live"])
def gambit(request):
    """pygambit's answers: recorded, always; live, where pygambit imports."""
    if request.param == "recorded":
        return Recorded()
    return Live(pytest.importorskip("pygambit", reason=NO_PYGAMBIT))


@pytest.fixture(scope="module")
def gbt():
    """pygambit itself, for the one test that has no recorded answers (its catalog)."""
    return pytest.importorskip("pygambit", reason="pygambit is not installed (make test-gambit "
                               "installs it): the files of its catalog come with it")


@pytest.mark.parametrize("name", FIXTURES)
def test_recorded_games_are_the_games_the_tests_build(name):
    """Each fixture answers exactly the cases above, for the games the tests build."""
    assert sorted(p.stem for p in GAMBIT.glob("*.json")) == sorted(FIXTURES)
    rec = recorded(name)
    assert rec["pygambit"].startswith("16.")
    cases = gambit_cases()[name]
    assert [c["id"] for c in rec["cases"]] == list(cases), f"cases added or removed: {REGENERATE}"
    for c in rec["cases"]:
        case = cases[c["id"]]
        where = f"{name}.json, case {c['id']}: {REGENERATE}"
        assert (c["test"], c["solver"], c["options"]) == (case.test, case.solver,
                                                          case.options), where
        assert c["game"]["origin"] == case.origin, where
        if case.game is not None:
            assert_same_game(name, c["id"], case.game())
        if case.nfg is not None:
            assert c["game"]["sha256"] == sha256(case.nfg()), where
        if case.catalog is not None:
            assert c["game"]["catalog"] == case.catalog, where
        if case.solver == "to_nfg":
            Recorded().to_nfg(c["id"])


def same_equilibria(a: list, b: list) -> bool:
    """Exact rationals equal as sets; doubles matched one to one within 1e-9."""
    if len(a) != len(b):
        return False
    a, b = [flat(e) for e in a], [flat(e) for e in b]
    if all(isinstance(x, Fraction) for e in a + b for x in e):
        return set(a) == set(b)
    left = list(b)
    for e in a:
        match = next((f for f in left if len(f) == len(e) and
                      max(abs(float(x) - float(y)) for x, y in zip(e, f, strict=True)) < 1e-9),
                     None)
        if match is None:
            return False
        left.remove(match)
    return True


@pytest.mark.parametrize("name", FIXTURES)
def test_recorded_answers_match_live_pygambit(name):
    """Where pygambit is installed: it still gives every recorded answer."""
    live = Live(pytest.importorskip("pygambit", reason=NO_PYGAMBIT))
    for case_id, case in gambit_cases()[name].items():
        mine, theirs = Recorded().answer(name, case_id), live.answer(name, case_id)
        if case.catalog is not None:
            # the recorded game is pygambit's reading of its catalog file, and Accord's
            assert_same_game(name, case_id, live.game(name, case_id))
            g = recorded_case(name, case_id)["game"]
            gg = live.gambit_game(name, case_id, None)
            assert nested(number, g["payoffs"]) == [
                np.vectorize(Fraction, otypes=[object])(a).tolist() for a in gg.to_arrays()]
            assert (g["title"], g["players"]) == (gg.title, [p.label for p in gg.players])
        if case.solver in ("read_nfg", "to_nfg", "undominated_strategies_solve"):
            assert mine == theirs, case_id
        else:
            assert same_equilibria(mine, theirs), case_id


# ---------------------------------------------------------------------------------------
# The classics


@pytest.mark.parametrize("game_id", [k for k, c in classics.CLASSICS.items()
                                     if len(c.players) == 2])
def test_classic_two_player_equilibria_are_the_textbook_ones(game_id):
    c = classics.CLASSICS[game_id]
    result = nash_equilibria(c.game())
    assert result.method == "vertex" and result.complete
    assert keys(result) == {key(e) for e in c.equilibria}
    # every textbook equilibrium is exact in rationals, and Accord finds it exactly
    assert {e.exact for e in result} == {tuple(tuple(s) for s in e) for e in c.equilibria}
    assert_all_verified(c.game(), result)


def test_prisoners_dilemma_unique_defection_and_the_win_win_over_it():
    g = classics.classic("prisoners-dilemma")
    r = analyze_game(g)
    assert [e.pure for e in r.equilibria] == [(1, 1)]
    assert r.equilibria[0].payoffs == (1.0, 1.0)
    assert {(d.player, d.action, d.kind, d.by) for d in r.dominance.dominated} == {
        (0, 0, "strict", ((1, 1.0),)), (1, 0, "strict", ((1, 1.0),))}
    assert r.dominance.strict_survivors == ((1,), (1,))
    assert [o.profile for o in r.pareto] == [(0, 0), (0, 1), (1, 0)]
    (ww,) = r.win_win
    assert ww.equilibrium == 0
    assert [(o.profile, o.gains, o.pareto_efficient) for o in ww.outcomes] == [
        ((0, 0), (2.0, 2.0), True)]


def test_chicken_two_pure_one_mixed_and_the_win_win_over_the_mixed_one():
    g = classics.classic("chicken")
    r = nash_equilibria(g)
    assert [e.pure for e in r] == [(0, 1), (1, 0), None]
    mixed = r[2]
    assert mixed.exact == ((Fraction(1, 2), Fraction(1, 2)), (Fraction(1, 2), Fraction(1, 2)))
    assert mixed.payoffs == (2.5, 2.5)
    ww = win_win_outcomes(g, r)
    assert [len(w.outcomes) for w in ww] == [0, 0, 1]   # the pure ones are efficient
    assert ww[2].outcomes[0].profile == (0, 0) and ww[2].outcomes[0].gains == (0.5, 0.5)


def test_stag_hunt_two_pure_one_mixed_and_safe_versus_efficient():
    g = classics.classic("stag-hunt")
    r = nash_equilibria(g)
    assert [e.pure for e in r] == [(0, 0), (1, 1), None]
    assert r[2].exact == ((Fraction(1, 2), Fraction(1, 2)),) * 2
    ww = win_win_outcomes(g, r)
    assert [[o.profile for o in w.outcomes] for w in ww] == [[], [(0, 0)], [(0, 0)]]
    assert dominated_actions(g).dominated == ()


def test_deadlock_has_nothing_to_mediate():
    g = classics.classic("deadlock")
    r = analyze_game(g)
    assert [e.pure for e in r.equilibria] == [(1, 1)]
    assert (1, 1) in {o.profile for o in r.pareto}
    assert r.win_win[0].outcomes == ()


def test_security_dilemma_is_a_prisoners_dilemma():
    g = classics.classic("security-dilemma")
    r = analyze_game(g)
    assert [e.pure for e in r.equilibria] == [(1, 1)]                 # both arm
    assert [o.profile for o in r.win_win[0].outcomes] == [(0, 0)]    # mutual restraint


def test_escalation_is_degenerate_with_components_of_equilibria():
    g = classics.classic("escalation")
    r = nash_equilibria(g)
    assert r.degenerate is True
    assert [e.pure for e in r] == [(0, 2), (2, 0), (2, 2)]
    # row mixes concede/hold-2 against hold-2, and vice versa
    assert r.components == ((0, 2), (1, 2))
    for comp in r.components:
        mid = [np.mean([r[k].strategies[i] for k in comp], axis=0) for i in range(2)]
        assert verify(g, mid).ok
    d = dominated_actions(g)
    assert {(x.player, x.action, x.kind) for x in d.dominated} == {
        (0, 0, "weak"), (0, 1, "weak"), (1, 0, "weak"), (1, 1, "weak")}
    assert d.strict_rounds == () and d.weak_survivors == ((2,), (2,))
    ww = win_win_outcomes(g, r)[2]
    assert ww.outcomes[0].profile == (0, 0) and ww.outcomes[0].gains == (2.0, 2.0)


def test_volunteers_dilemma_pure_equilibria_and_symmetric_mixed(gambit):
    c = classics.CLASSICS["volunteers-dilemma"]
    g = c.game()
    known = {key(e) for e in c.equilibria}
    assert len(known) == 7
    # pygambit's polynomial solver finds exactly the textbook list
    assert keys_of(gambit.equilibria("enumpoly", "volunteers-dilemma", g)) == known
    r = nash_equilibria(g, starts=10)
    assert r.method == "mclennan-tourky" and not r.complete
    found = keys(r)
    assert found <= known
    assert {key(e) for e in c.equilibria[:3]} <= found          # every pure equilibrium
    q = 1 / math.sqrt(2)
    assert key(((1 - q, q),) * 3) in found                       # Diekmann's symmetric one
    assert_all_verified(g, r)


def test_classic_ids_and_sources():
    assert set(classics.CLASSICS) >= {"prisoners-dilemma", "chicken", "stag-hunt", "deadlock",
                                      "security-dilemma", "escalation"}
    for c in classics.list_classics():
        assert c.source and c.description
        g = c.game()
        assert g.title == c.title and g.source == c.source


# ---------------------------------------------------------------------------------------
# Two players: all equilibria against pygambit's enummixed


@pytest.mark.parametrize("hi", SMALL_HI, ids=lambda h: f"payoffs0-{h - 1}")
@pytest.mark.parametrize("shape", SMALL, ids=lambda s: f"{s[0]}x{s[1]}")
def test_all_extreme_equilibria_match_gambit_enummixed(gambit, shape, hi):
    """Small payoff ranges make most of these games degenerate (ties, payoff-equivalent
    actions, continua of equilibria); the extreme equilibria still match exactly."""
    for k, g in enumerate(small_random_games(shape, hi)):
        r = nash_equilibria(g)
        assert r.method == "vertex" and r.complete and r.rejected == 0
        expected = gambit.equilibria("enummixed", small_id(shape, hi, k), g)
        assert keys(r) == keys_of(expected)
        # exact agreement where Accord could rationalise the equilibrium
        exact = {flat(eq) for eq in expected}
        for e in r:
            if e.exact is not None:
                assert flat(e.exact) in exact
        if all(e.exact is not None for e in r):
            assert {flat(e.exact) for e in r} == exact
        assert_all_verified(g, r)


@pytest.mark.parametrize("n", LARGER)
def test_larger_random_games_match_gambit(gambit, n):
    g = larger_random_game(n)
    r = nash_equilibria(g)
    assert r.method == "vertex" and r.degenerate is False
    assert keys(r) == keys_of(gambit.equilibria("enummixed", f"random-float-{n}x{n}", g))
    assert_all_verified(g, r)


def test_degenerate_game_with_a_continuum_matches_gambit_and_lists_cliques(gambit):
    g = continuum_game()
    r = nash_equilibria(g)
    expected = gambit.equilibria("enummixed", "continuum", g)
    assert keys(r) == keys_of(expected)
    assert {flat(e.exact) for e in r} == {flat(eq) for eq in expected}   # exactly
    assert r.degenerate and r.components
    for comp in r.components:
        for w in (0.25, 0.5, 0.75):
            # mix the first and last extreme equilibria of the clique, player by player
            a, b = r[comp[0]].strategies, r[comp[-1]].strategies
            mix = [w * np.asarray(a[i]) + (1 - w) * np.asarray(b[i]) for i in range(2)]
            assert verify(g, mix).ok


def test_quantecon_methods_agree_on_nondegenerate_games():
    rng = np.random.default_rng(7)
    for m, n in [(3, 3), (4, 5), (6, 6)]:
        g = StrategicGame.from_matrices(rng.random((m, n)), rng.random((m, n)))
        ours = keys(nash_equilibria(g, "vertex"))
        assert keys(nash_equilibria(g, "qe-vertex")) == ours
        assert keys(nash_equilibria(g, "support")) == ours


def test_lemke_howson_on_large_games_is_verified_by_gambit(gambit):
    """Live, the regret of Accord's equilibria is Gambit's max_regret (checked against this
    file's own `regret`); recorded, it is `regret`, since it is a question about Accord's
    answer. Gambit's LCP equilibria are recorded."""
    for n, g in lemke_howson_games().items():
        r = nash_equilibria(g)
        assert r.method == "lemke-howson" and not r.complete and len(r) >= 1
        for e in r:
            assert gambit.max_regret(g, e.strategies) < 1e-9
        # and Accord's verify accepts what Gambit's LCP solver finds
        lcp = gambit.equilibria("lcp", f"random-float-{n}x{n}", g)
        assert len(lcp) >= 1
        for s in lcp:
            assert verify(g, s, 1e-7).ok


def test_shapley_game_has_equilibria_lemke_howson_cannot_reach(gambit):
    g = gambit.game("enummixed", "shapley1974-fig3")
    every = nash_equilibria(g)
    expected = gambit.equilibria("enummixed", "shapley1974-fig3", g)
    assert keys(every) == keys_of(expected)
    assert {flat(e.exact) for e in every} == {flat(eq) for eq in expected}   # exactly
    assert len(every) == 3
    lh = nash_equilibria(g, "lemke-howson")
    assert len(lh) < len(every) and keys(lh) <= keys(every)


def test_unconverged_or_bad_candidates_are_dropped_not_shown():
    from accord.games.strategic.equilibria import _finish

    g = classics.classic("chicken")
    bogus = [[np.array([0.9, 0.1]), np.array([0.9, 0.1])],       # not an equilibrium
             [np.array([0.5, 0.6]), np.array([0.5, 0.5])],       # not a probability vector
             [np.array([0.0, 1.0]), np.array([1.0, 0.0])]]
    eqs, rejected, kept = _finish(g, bogus, 1e-8)
    assert rejected == 2 and kept == [2] and eqs[0].pure == (1, 0)


# ---------------------------------------------------------------------------------------
# n players: pure equilibria against brute force and pygambit; McLennan-Tourky


def brute_pure(game: StrategicGame) -> list[tuple[int, ...]]:
    out = []
    for prof in itertools.product(*(range(k) for k in game.shape)):
        ok = True
        for i in range(game.n_players):
            mine = game.exact_payoffs[prof][i]
            for a in range(game.shape[i]):
                dev = list(prof)
                dev[i] = a
                if game.exact_payoffs[tuple(dev)][i] > mine:
                    ok = False
        if ok:
            out.append(prof)
    return out


@pytest.mark.parametrize("shape", PURE_SHAPES)
@pytest.mark.parametrize("hi", PURE_HI)
def test_pure_equilibria_match_brute_force_and_gambit(gambit, shape, hi):
    for k, g in enumerate(pure_random_games(shape, hi)):
        ours = pure_equilibria(g)
        assert ours == brute_pure(g)
        expected = gambit.equilibria("enumpure", pure_id(shape, hi, k), g)
        theirs = {tuple(s.index(1) for s in eq) for eq in expected}
        assert all(sorted(s) == [0] * (len(s) - 1) + [1] for eq in expected for s in eq)
        assert set(ours) == theirs and len(theirs) == len(expected)
        r = nash_equilibria(g, "pure")
        assert r.complete and [e.pure for e in r] == ours


def test_three_player_irrational_equilibrium_matches_gambit_enumpoly(gambit):
    """Nau et al. (2004), section 4: a unique equilibrium in irrational mixed strategies."""
    g = gambit.game("enumpoly", "nau2004-sec4")
    r = nash_equilibria(g)
    (expected,) = gambit.equilibria("enumpoly", "nau2004-sec4", g)
    assert len(r) == 1
    for mine, theirs in zip(r[0].strategies, expected, strict=True):
        assert mine == pytest.approx(theirs, abs=1e-9)
    assert r[0].regret < 1e-12 and r[0].exact is None
    assert_all_verified(g, r)


def test_mclennan_tourky_is_seeded_and_reproducible():
    g = StrategicGame.from_matrices(*[np.random.default_rng(5).random((3, 3, 3))
                                      for _ in range(3)])
    a = nash_equilibria(g, seed=11, starts=5)
    b = nash_equilibria(g, seed=11, starts=5)
    assert keys(a) == keys(b) and a.parameters["seed"] == 11
    assert_all_verified(g, a)


def test_two_player_methods_refuse_n_player_games():
    g = classics.classic("volunteers-dilemma")
    with pytest.raises(InputError, match="for 2-player games"):
        nash_equilibria(g, "vertex")
    with pytest.raises(InputError, match="unknown method"):
        nash_equilibria(g, "nashpy")


# ---------------------------------------------------------------------------------------
# verify


def test_verify_accepts_equilibria_in_any_form_and_reports_regret():
    g = classics.classic("chicken")
    assert verify(g, ["swerve", "straight"]).ok
    assert verify(g, [0, 1]).ok
    assert verify(g, {"Row": {"swerve": 0.5, "straight": 0.5},
                      "Column": [0.5, 0.5]}).ok
    v = verify(g, ["swerve", "swerve"])
    assert not v.ok and v.max_regret == pytest.approx(1.0)
    assert "gains 1 by deviating" in v.problems[0]
    v = verify(g, [[0.7, 0.7], [0.5, 0.5]])
    assert not v.ok and "sum to 1.4" in v.problems[0]
    v = verify(g, [[1.5, -0.5], [0.5, 0.5]])
    assert not v.ok and "negative probability" in v.problems[0]
    # tolerance is relative to the largest absolute payoff
    big = StrategicGame.from_matrices([[1e6, 0], [0, 1e6]], [[1e6, 0], [0, 1e6]])
    assert verify(big, [[1, 0], [1 - 1e-12, 1e-12]]).ok


# ---------------------------------------------------------------------------------------
# Dominance


def strictly_dominated_lp(u: np.ndarray, a: int) -> bool:
    """Independent oracle: is row a strictly dominated by a mix of the other rows?"""
    from scipy.optimize import linprog

    others = [k for k in range(u.shape[0]) if k != a]
    if not others:
        return False
    diff = u[others] - u[a]
    k = len(others)
    # max t s.t. diff^T s >= t, s in simplex
    c = np.zeros(k + 1)
    c[-1] = -1
    res = linprog(c, A_ub=np.hstack([-diff.T, np.ones((diff.shape[1], 1))]),
                  b_ub=np.zeros(diff.shape[1]), A_eq=[[1] * k + [0]], b_eq=[1],
                  bounds=[(0, None)] * k + [(None, None)], method="highs")
    return res.status == 0 and -res.fun > 1e-9


def test_strict_dominance_by_a_mixture_only():
    # bottom is beaten by the 50/50 mix of top and middle, by neither alone
    g = StrategicGame.from_matrices([[3, 0], [0, 3], [1, 1]], [[0, 0], [0, 0], [0, 0]])
    d = dominated_actions(g)
    (x,) = d.dominated
    assert (x.player, x.action, x.kind) == (0, 2, "strict")
    assert dict(x.by) == pytest.approx({0: 0.5, 1: 0.5}, abs=0.2)  # any mix in [1/3, 2/3]
    w = dict(x.by)
    assert 3 * w[0] > 1 and 3 * w[1] > 1


def test_weak_dominance_by_a_mixture_only():
    # bottom ties the mix on the left column and loses on the right one
    g = StrategicGame.from_matrices([[2, 2, 0], [0, 2, 2], [1, 2, 0.5]],
                                    np.zeros((3, 3)))
    d = dominated_actions(g)
    (x,) = d.dominated
    assert (x.player, x.action, x.kind) == (0, 2, "weak") and len(x.by) == 2


def test_iterated_strict_elimination_takes_several_rounds():
    # textbook example: Column's right is dominated; then Row's down; then Column's middle
    A = [[1, 1, 0], [0, 0, 2]]
    B = [[0, 2, 1], [3, 1, 0]]
    g = StrategicGame.from_matrices(A, B, actions=[["up", "down"], ["left", "middle", "right"]])
    d = dominated_actions(g)
    assert [[(x.player, x.action) for x in r] for r in d.strict_rounds] == [
        [(1, 2)], [(0, 1)], [(1, 0)]]
    assert d.strict_survivors == ((0,), (1,))
    assert [e.pure for e in nash_equilibria(g)] == [(0, 1)]


@pytest.mark.parametrize("seed", DOMINANCE_SEEDS)
def test_dominance_against_gambit_and_an_lp_oracle(gambit, seed):
    g = dominance_game(seed)
    d = dominated_actions(g)
    strict = {(x.player, x.action) for x in d.dominated if x.kind == "strict"}
    weak = {(x.player, x.action) for x in d.dominated if x.kind == "weak"}
    for i in range(2):
        u = np.moveaxis(g.payoffs[..., i], i, 0).reshape(g.shape[i], -1)
        for a in range(g.shape[i]):
            assert ((i, a) in strict) == strictly_dominated_lp(u, a)

    def eliminated(is_strict):
        kept = gambit.undominated(dominance_id(seed, is_strict), g)
        return {(i, a) for i in range(2) for a in range(g.shape[i])} - kept

    # Gambit eliminates by pure dominators only: a subset of Accord's
    assert eliminated(True) <= strict
    assert eliminated(False) <= strict | weak
    for x in d.dominated:
        if len(x.by) == 1:
            assert (x.player, x.action) in eliminated(x.kind == "strict")


# ---------------------------------------------------------------------------------------
# Pareto and win-win outcomes against brute force


def brute_pareto(game):
    P = game.payoffs.reshape(-1, game.n_players)
    out = []
    for k, p in enumerate(P):
        if not any((q >= p).all() and (q > p).any() for q in P):
            out.append(tuple(int(x) for x in np.unravel_index(k, game.shape)))
    return out


@pytest.mark.parametrize("shape", [(2, 2), (5, 7), (3, 3, 3), (2, 2, 2, 2), (40, 40)])
@pytest.mark.parametrize("hi", [3, 1000])
def test_pareto_outcomes_match_brute_force(shape, hi):
    g = random_game(np.random.default_rng(len(shape) * hi + shape[0]), shape, hi)
    assert [o.profile for o in pareto_outcomes(g)] == brute_pareto(g)


@pytest.mark.parametrize("seed", range(5))
def test_win_win_outcomes_match_brute_force(seed):
    g = random_game(np.random.default_rng(seed), (4, 4), 5)
    r = nash_equilibria(g)
    ww = win_win_outcomes(g, r)
    assert [w.equilibrium for w in ww] == list(range(len(r)))
    efficient = set(brute_pareto(g))
    for w, e in zip(ww, r, strict=True):
        v = np.array(e.payoffs)
        expected = {prof for prof in itertools.product(range(4), range(4))
                    if (g.payoffs[prof] >= v - 1e-9).all() and (g.payoffs[prof] > v + 1e-9).any()}
        assert {o.profile for o in w.outcomes} == expected
        for o in w.outcomes:
            assert o.pareto_efficient == (o.profile in efficient)
            assert min(o.gains) >= -1e-9 and max(o.gains) > 0


# ---------------------------------------------------------------------------------------
# The YAML format


def test_table_and_matrices_forms_read_the_same_game():
    t = load_game(str(DATA / "prisoners_dilemma.yaml"))
    m = game_from_data({"players": {"Row": ["cooperate", "defect"],
                                    "Column": ["cooperate", "defect"]},
                        "matrices": {"Row": [[3, 0], [5, 1]], "Column": [[3, 5], [0, 1]]}})
    assert t.players == m.players and t.actions == m.actions
    assert np.array_equal(t.payoffs, m.payoffs)
    assert t.title == "Prisoner's Dilemma" and "Axelrod" in t.source
    again = game_from_data(t.to_dict())          # to_dict is the file format
    assert np.array_equal(again.payoffs, t.payoffs) and again.actions == t.actions


def test_three_player_table_and_exact_ratios():
    g = load_game(str(DATA / "three_powers.yaml"))
    assert g.shape == (2, 2, 2)
    assert tuple(g.payoffs[0, 1, 0]) == (2, 3, 2)
    assert pure_equilibria(g) == [(0, 0, 1), (0, 1, 0), (1, 0, 0), (1, 1, 1)]
    r = load_game(str(DATA / "exact_payoffs.yaml"))
    assert r.exact_payoffs[0, 0, 0] == Fraction(1, 3) and r.exact_payoffs[0, 1, 1] == Fraction(1, 2)
    (eq,) = nash_equilibria(r)
    assert eq.exact == ((Fraction(3, 4), Fraction(1, 4)), (Fraction(2, 3), Fraction(1, 3)))


def test_scenario_games_section():
    g = load_game(str(DATA / "scenario_with_game.yaml"))
    assert g.players == ("north", "south") and pure_equilibria(g) == [(1, 1)]
    with pytest.raises(InputError, match="has no strategic game"):
        load_game("logrolling")                   # a built-in scenario without one
    assert load_game("chicken").title == "Chicken"   # a classic id


def test_every_problem_is_reported_at_once():
    with pytest.raises(InputError) as exc:
        game_from_data({"players": [{"name": "A", "actions": ["x", "y"]},
                                    {"name": "B", "actions": ["x", "x"]}],
                        "payoffs": {}, "colour": "red"}, "f.yaml")
    text = [str(p) for p in exc.value.problems]
    assert "f.yaml: colour: unknown field" in text[0]
    assert any("players[1].actions[1]: action 'x' appears twice" in t for t in text)


# ---------------------------------------------------------------------------------------
# The .nfg reader


def test_reads_a_file_pygambit_wrote(gambit, tmp_path):
    """pygambit writes the game WRITTEN (`Game.to_nfg`); Accord reads it."""
    path = tmp_path / "written.nfg"
    path.write_text(gambit.to_nfg("to_nfg-written-by-pygambit"))
    g = read_nfg(path)
    assert g.title == "Written by pygambit" and g.players == ("Kyiv", "Moscow")
    assert g.actions == (("1", "2"), ("talk", "fight", "wait"))
    assert payoff_arrays(g) == WRITTEN["payoffs"]
    r = nash_equilibria(g)
    expected = gambit.equilibria("enummixed", "written-by-pygambit", written_game())
    assert {flat(e.exact) for e in r} == {flat(eq) for eq in expected} == {
        (Fraction(4, 19), Fraction(15, 19), 0, Fraction(5, 7), Fraction(2, 7))}


def test_reads_the_committed_file_pygambit_wrote():
    """tests/data/games/strategic/written_by_pygambit.nfg is `Game.to_nfg()` output of
    pygambit 16.7; its one equilibrium, by `enummixed_solve`, is hard-coded here."""
    g = read_nfg(DATA / "written_by_pygambit.nfg")
    assert g.players == ("Kyiv", "Moscow")
    assert g.actions == (("talk", "fight"), ("talk", "fight", "wait"))
    assert g.exact_payoffs[0, 2].tolist() == [Fraction(1, 2), 0]
    assert g.exact_payoffs[1, 2].tolist() == [-2, Fraction(7, 3)]
    (eq,) = nash_equilibria(g)
    assert eq.exact == ((Fraction(4, 19), Fraction(15, 19)),
                        (Fraction(0), Fraction(5, 7), Fraction(2, 7)))


def test_reads_the_committed_files_as_pygambit_does(gambit):
    for name in COMMITTED_NFG:
        g = read_nfg(DATA / name)
        theirs = gambit.read_nfg(f"read-{name}", (DATA / name).read_bytes())
        assert g.title == theirs["title"] and list(g.players) == theirs["players"]
        assert payoff_arrays(g) == theirs["payoffs"]
    g = read_nfg(DATA / "payoff_version.nfg")
    assert g.exact_payoffs[1, 1, 0, 2] == 3 and g.exact_payoffs[1, 1, 0, 0] == Fraction(1, 2)


def test_writes_files_pygambit_reads_back(gambit):
    for case_id, game in written_by_accord().items():
        text = to_nfg(game)
        theirs = gambit.read_nfg(case_id, text.encode())
        assert theirs["players"] == list(game.players)
        assert theirs["strategies"] == [list(a) for a in game.actions]
        assert theirs["payoffs"] == payoff_arrays(game)
        back = parse_nfg(text)
        assert (back.exact_payoffs == game.exact_payoffs).all()


def test_reads_the_pygambit_catalog_nfg_files(gbt):
    """Live only: the catalog's files are Gambit's (GPL), so they are not copied here."""
    root = Path(gbt.__file__).parent / "catalog_data"
    files = sorted(root.rglob("*.nfg"))
    if not files:
        pytest.skip("no catalog files")
    for path in files:
        g = read_nfg(path)
        gg = gbt.read_nfg(str(path))
        assert g.shape == tuple(len(p.strategies) for p in gg.players)
        for i, arr in enumerate(gg.to_arrays()):
            assert (np.vectorize(Fraction)(arr) == g.exact_payoffs[..., i]).all()


def test_nfg_escapes_and_null_outcomes():
    g = parse_nfg('NFG 1 R "a \\"quoted\\" title" { "P1" "" } { { "x" "x" } { "y" } }\n'
                  '{ { "" 1 2 } }\n1 0\n')
    assert g.title == 'a "quoted" title'
    assert g.players == ("P1", "Player 2") and g.actions == (("x", "x (2)"), ("y",))
    assert g.payoffs[1, 0].tolist() == [0, 0]


# ---------------------------------------------------------------------------------------
# accord game


def game_json(*args: str) -> dict:
    r = runner.invoke(app, ["game", *args, "--json"])
    assert r.exit_code == 0, r.stderr
    return json.loads(r.stdout)


def test_cli_json_records_method_parameters_and_results():
    out = game_json(str(DATA / "prisoners_dilemma.yaml"))
    eq = out["equilibria"]
    assert eq["method"] == "vertex" and eq["complete"] is True and eq["count"] == 1
    assert eq["parameters"]["tol"] == 1e-8 and eq["parameters"]["requested"] == "auto"
    assert eq["equilibria"][0]["profile"] == {"Row": "defect", "Column": "defect"}
    assert eq["equilibria"][0]["exact"]["Row"] == {"cooperate": "0", "defect": "1"}
    assert out["win_win"][0]["outcomes"][0]["profile"] == {"Row": "cooperate",
                                                          "Column": "cooperate"}
    assert out["dominance"]["dominated"][0] == {"player": "Row", "action": "cooperate",
                                                "kind": "strict", "round": 1,
                                                "by": {"defect": 1.0}}
    assert out["game"]["matrices"]["Column"] == [[3, 5], [0, 1]]


def test_cli_classic_nfg_scenario_and_methods():
    out = game_json("chicken")
    assert out["equilibria"]["equilibria"][2]["exact"]["Row"] == {"swerve": "1/2",
                                                                  "straight": "1/2"}
    out = game_json(str(DATA / "diplomacy_outcomes.nfg"))
    assert out["game"]["players"][0] == {"name": "Kyiv", "actions": ["talk", "fight"]}
    out = game_json(str(DATA / "scenario_with_game.yaml"), "--method", "lemke-howson")
    assert out["equilibria"]["method"] == "lemke-howson"
    out = game_json(str(DATA / "three_powers.yaml"), "--method", "pure")
    assert out["equilibria"]["count"] == 4 and out["equilibria"]["complete"] is True
    out = game_json("volunteers-dilemma", "--starts", "6", "--seed", "3")
    assert out["equilibria"]["parameters"]["starts"] == 6
    r = runner.invoke(app, ["game", "--list", "--json"])
    assert r.exit_code == 0 and "escalation" in {x["id"] for x in json.loads(r.stdout)}


def test_cli_tables():
    r = runner.invoke(app, ["game", "escalation"])
    assert r.exit_code == 0, r.stderr
    assert "degenerate game" in r.stdout and "Any mixture within equilibria 1, 3" in r.stdout
    assert "weakly dominated by hold-2" in r.stdout
    r = runner.invoke(app, ["game", "volunteers-dilemma"])
    assert r.exit_code == 0 and "McLennan-Tourky" in r.stdout


BAD_NFG = {
    "truncated.nfg": "line 4: the payoff list stops after 7 numbers; a 2x2 game of 2 players "
                     "needs 8 (the file ends here)",
    "bad_outcome.nfg": "line 5, column 5: profile 3 names outcome 5, but the file defines "
                       "outcomes 1 to 2 (0 for none)",
    "outcome_payoffs.nfg": "line 4, column 26: outcome 2 has 1 payoff; the game has 2 players",
    "extensive.nfg": "line 1, column 1: an extensive-form Gambit game (EFG)",
    "unclosed_quote.nfg": "line 1, column 24: a label opens a quote that never closes",
    "strategy_count.nfg": "line 1, column 77: the file lists strategies for 3 players but "
                          "names 2 players",
    "trailing.nfg": "line 2, column 9: unexpected text after the end of the game",
}
BAD_YAML = sorted(p.name for p in (DATA / "bad").glob("*.yaml"))


@pytest.mark.parametrize("name", BAD_YAML + sorted(BAD_NFG))
def test_cli_bad_input_exits_2_with_the_place_and_the_problem(name):
    path = DATA / "bad" / name
    if name in BAD_NFG:
        expected = BAD_NFG[name]
    else:
        expected = path.read_text().splitlines()[0].removeprefix("# expect: ")
    r = runner.invoke(app, ["game", str(path)])
    assert r.exit_code == 2, r.stdout
    assert r.stdout == ""
    assert f"{path}: {expected}" in r.stderr
    assert "Traceback" not in r.stderr


@pytest.mark.parametrize("args, message", [
    (["no-such-game"], "no-such-game: no such file, classic game or built-in scenario"),
    (["chicken", "--method", "nashpy"], "--method: unknown method 'nashpy'"),
    (["chicken", "--tol", "0"], "--tol: must be a positive number"),
    (["volunteers-dilemma", "--method", "vertex"], "'vertex' is for 2-player games"),
    ([], "FILE: give a game file"),
])
def test_cli_bad_arguments_exit_2(args, message):
    r = runner.invoke(app, ["game", *args])
    assert r.exit_code == 2 and message in r.stderr


# ---------------------------------------------------------------------------------------
# Hygiene


def test_src_never_imports_pygambit():
    for path in (ROOT / "src").rglob("*.py"):
        text = path.read_text()
        assert "import pygambit" not in text and "from pygambit" not in text, path


def test_importing_the_games_modules_does_not_import_quantecon():
    code = ("import sys\n"
            "import accord.cli.games.strategic, accord.games.strategic\n"
            "import accord.games.strategic.classics, accord.games.strategic.nfg\n"
            "assert 'quantecon' not in sys.modules and 'scipy.spatial' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_nash_equilibria_poll_their_budget():
    import time

    from accord.budget import Budget, BudgetExceeded

    late = Budget(1.0, started=time.perf_counter() - 3600)
    game = classics.classic("chicken")
    with pytest.raises(BudgetExceeded, match="Lemke-Howson pivots"):
        nash_equilibria(game, "lemke-howson", budget=late)
    with pytest.raises(BudgetExceeded, match="game analysis"):
        analyze_game(game, "vertex", budget=late)
