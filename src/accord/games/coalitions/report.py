"""Everything `accord coalition` shows, for a TU game, a weighted voting game or a scenario's
coalition game: the Shapley value, the core, the nucleolus, each player's leverage, the
coalitions that block an allocation, and power indices. `CoalitionReport.to_dict()` is the
JSON of `accord coalition --json`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from ...budget import Budget
from ...errors import InputError, Problem
from .allocations import Allocation, Objection, objections
from .files import GameInput, parse_game
from .from_scenario import ScenarioGame, scenario_game
from .least_core import Core, core
from .nucleolus_lps import Nucleolus, nucleolus
from .power import PowerIndices, WeightedVotingGame, power_indices
from .properties import is_convex, is_monotone, is_superadditive
from .shapley import shapley_value
from .tu import TUGame, simple_game

MAX_LP_PLAYERS = 16
"""Most players for which the CLI and `analyze_game` run the core and nucleolus LPs (each
LP has 2^n - 2 rows); the functions themselves accept up to `MAX_PLAYERS`."""


@dataclass(frozen=True, eq=False)
class CoalitionReport:
    """Everything `accord coalition` shows, for a TU game, a weighted voting game or a
    scenario's coalition game.

    `leverage[p]` = v(N) - v(N - p): what the grand coalition loses without p (a player
    with a veto has leverage v(N)). `objections[name]` lists the coalitions that get less
    from the allocation `name` than they can secure alone (they block it)."""

    kind: str
    title: str
    game: TUGame | None
    shapley: Allocation | None
    nucleolus: Nucleolus | None
    core: Core | None
    leverage: dict[str, float] = field(default_factory=dict)
    objections: dict[str, list[Objection]] = field(default_factory=dict)
    objection_counts: dict[str, int] = field(default_factory=dict)
    mediators: tuple[str, ...] = ()
    properties: dict[str, bool | None] = field(default_factory=dict)
    power: PowerIndices | None = None
    scenario: ScenarioGame | None = None
    notes: tuple[str, ...] = ()

    @property
    def players(self) -> tuple[str, ...]:
        if self.game is not None:
            return self.game.players
        return self.power.game.players if self.power is not None else ()

    @property
    def grand_value(self) -> float | None:
        return None if self.game is None else float(self.game.values[self.game.grand])

    def mediator_shares(self) -> dict[str, dict[str, float | None]]:
        """Each mediator's Shapley and nucleolus payoff as a share of v(N)."""
        out: dict[str, dict[str, float | None]] = {}
        vN = self.grand_value
        for m in self.mediators:
            row: dict[str, float | None] = {}
            for name, alloc in (("shapley", self.shapley),
                                ("nucleolus", self.nucleolus.allocation
                                 if self.nucleolus else None)):
                row[name] = (alloc[m] / vN if alloc is not None and vN else None)
            row["leverage"] = self.leverage.get(m)
            out[m] = row
        return out

    def to_dict(self) -> dict:
        g = self.game
        d: dict = {"kind": self.kind, "title": self.title, "players": list(self.players)}
        if g is not None:
            d["grand_coalition"] = {"value": float(g.values[g.grand]),
                                    "exact": str(g.exact_value(g.grand)) if g.exact else None}
            if self.scenario is not None:
                d["values"] = [self.scenario.deals[m].to_dict() if m in self.scenario.deals
                               else {"coalition": list(g.members(m)), "value": 0.0,
                                     "exact": "0", "deal": None, "gains": None}
                               for m in range(1, 1 << g.n)]
                d["veto"] = list(self.scenario.veto)
                d["respect_veto"] = self.scenario.respect_veto
            elif g.n <= 12:
                d["values"] = [{"coalition": list(g.members(m)), "value": float(g.values[m]),
                                "exact": str(g.exact_value(m)) if g.exact else None}
                               for m in range(1, 1 << g.n)]
        d["shapley"] = None if self.shapley is None else self.shapley.to_dict()
        d["nucleolus"] = None if self.nucleolus is None else self.nucleolus.to_dict()
        d["core"] = None if self.core is None else self.core.to_dict()
        d["leverage"] = dict(self.leverage)
        d["objections"] = {k: {"count": self.objection_counts.get(k, len(v)),
                               "largest": [o.to_dict() for o in v]}
                           for k, v in self.objections.items()}
        d["mediators"] = list(self.mediators)
        d["mediator_shares"] = self.mediator_shares()
        d["properties"] = dict(self.properties)
        d["power"] = None if self.power is None else self.power.to_dict()
        d["notes"] = list(self.notes)
        return d


def analyze_game(game: TUGame, mediators: Sequence[str] = (), kind: str = "tu",
                 title: str = "", lp_players: int = MAX_LP_PLAYERS, show: int = 10,
                 power: PowerIndices | None = None, scenario: ScenarioGame | None = None,
                 notes: Sequence[str] = ()) -> CoalitionReport:
    """Shapley value, core, nucleolus, leverage and objections of a TU game. The LPs run
    when n <= `lp_players`; `show` caps the objections listed per allocation."""
    notes = list(notes)
    sh = shapley_value(game)
    nu: Nucleolus | None = None
    co: Core | None = None
    if game.n <= lp_players:
        co = core(game)
        try:
            nu = nucleolus(game)
        except ValueError:
            nu = nucleolus(game, pre=True)
            notes.append("The imputation set is empty (v(N) is less than the players' "
                         "values alone): the pre-nucleolus is shown instead.")
    else:
        notes.append(f"Core and nucleolus skipped: {game.n} players (the LPs run for at most "
                     f"{lp_players}).")
    vN = float(game.values[game.grand])
    lev = {p: vN - float(game.values[game.grand ^ (1 << i)])
           for i, p in enumerate(game.players)}
    objs: dict[str, list[Objection]] = {}
    counts: dict[str, int] = {}
    for name, alloc in (("shapley", sh), ("nucleolus", nu.allocation if nu else None)):
        if alloc is None:
            continue
        allobj = objections(game, alloc.values)
        objs[name] = allobj[:show]
        counts[name] = len(allobj)
    props = {"monotone": is_monotone(game), "superadditive": is_superadditive(game),
             "convex": is_convex(game)}
    return CoalitionReport(kind, title or game.title, game, sh, nu, co, lev, objs, counts,
                           tuple(mediators), props, power, scenario, tuple(notes))


def analyze_weighted(game: WeightedVotingGame, mediators: Sequence[str] = (),
                     title: str = "", lp_players: int = MAX_LP_PLAYERS) -> CoalitionReport:
    """Power indices of a weighted voting game (exact, by DP) and, when n <= `lp_players`,
    the analysis of its 0/1 TU game too (Shapley value = Shapley-Shubik index; the core is
    non-empty exactly when some player has a veto)."""
    pw = power_indices(game)
    if game.n <= lp_players:
        return analyze_game(simple_game(game), mediators, "weighted", title or game.title,
                            lp_players, power=pw)
    note = (f"{game.n} players: power indices only (the core and nucleolus of the 0/1 game "
            f"are computed for at most {lp_players} players).")
    return CoalitionReport("weighted", title or game.title, None, None, None, None,
                           mediators=tuple(mediators), power=pw, notes=(note,))


def analyze_scenario(space, actors: Sequence[str] | None = None, respect_veto: bool = True,
                     budget: Budget | None = None) -> CoalitionReport:
    """The coalition game of a scenario (`scenario_game`, which polls `budget`) and its
    credit analysis; the scenario's mediators are singled out."""
    sg = scenario_game(space, actors, respect_veto, budget=budget)
    names = sg.game.players
    mediators = [a for a, r in zip(space.actor_ids, space.roles, strict=True)
                 if r == "mediator" and a in names]
    notes = ["v(S) = the largest total gain over the BATNAs that the members of S reach "
             "with a deal each of them accepts; outsiders are not counted"
             + ("; a coalition without every veto actor is worth 0." if respect_veto
                else "; vetoes ignored (--no-veto).")]
    if not np.any(sg.game.values):
        who = (" with every veto actor (" + ", ".join(sg.veto) + ")") if sg.veto else ""
        notes.append(f"Every coalition is worth 0: no coalition{who} has a deal all its "
                     "members accept, so there is no settlement to share (`accord analyze` "
                     "shows how far the parties are from a ZOPA).")
    return analyze_game(sg.game, mediators, "scenario", space.scenario.title,
                        scenario=sg, notes=notes)


def analyze_input(game_input: GameInput, show: int = 10) -> CoalitionReport:
    """The report of a coalition game file (`parse_game`): power indices and the credit
    analysis of a weighted voting game, or the credit analysis of a characteristic
    function (`show` caps the objections listed per allocation)."""
    game, mediators, title = game_input.game, game_input.mediators, game_input.title
    if isinstance(game, WeightedVotingGame):
        return analyze_weighted(game, mediators, title)
    return analyze_game(game, mediators, "tu", title, show=show)


_SCENARIO_KEYS = {"accord", "actors", "issues"}


def coalition_report(source: str, actors: Sequence[str] | None = None, no_veto: bool = False,
                     from_deals: bool = False, show: int = 12, budget: Budget | None = None
                     ) -> CoalitionReport:
    """The report of SOURCE: a coalition game file, a scenario file or a built-in scenario
    id (the options are those of `accord coalition`). A scenario's own game
    (`games.coalition`) is analysed as it is, unless `from_deals`; otherwise the scenario's
    coalition game is derived from its deals over `actors` (ids; default every actor), a
    coalition without a veto actor being worth 0 unless `no_veto` (`analyze_scenario`, which
    polls `budget`). `show` caps the objections listed per allocation of a game file. An
    option that does not apply to SOURCE is an `InputError` naming that parameter."""
    from ...io import read_source
    from ...space import compile_space
    from ...validation import validate_scenario

    data, name = read_source(source)
    is_scenario = isinstance(data, dict) and bool(_SCENARIO_KEYS & set(data))
    scenario_only = [name for name, given in (("actors", actors is not None),
                                              ("no_veto", no_veto),
                                              ("from_deals", from_deals)) if given]
    if not is_scenario:
        if scenario_only:
            raise InputError([Problem.of_parameter(scenario_only[0], "applies to scenarios "
                                                   "only, not to a coalition game file")])
        return analyze_input(parse_game(data, name), show)
    scenario = validate_scenario(data, name)
    spec = None if from_deals else scenario.games.get("coalition")
    if spec is not None:
        if scenario_only:
            # "--from-deals": the words `accord coalition` users (and its tests) expect
            raise InputError([Problem.of_parameter(
                scenario_only[0], "the scenario gives its coalition game (games.coalition); "
                                  "the option applies to the game derived from the deals "
                                  "(add --from-deals)")])
        gi = parse_game(spec, name, "games.coalition")
        if not gi.mediators:
            roles = {a.id: a.role for a in scenario.actors}
            meds = tuple(p for p in gi.game.players if roles.get(p) == "mediator")
            gi = GameInput(gi.game, gi.title or scenario.title, meds)
        return analyze_input(gi, show)
    space = compile_space(scenario)
    for a in actors or ():
        space.actor_index(a, "actors")
    return analyze_scenario(space, actors, not no_veto, budget=budget)
