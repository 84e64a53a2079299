"""Strategic-form (normal-form) games: players choose actions at once, each profile of
actions pays every player.

A `StrategicGame` (`game`) is read from a small YAML/JSON file or a scenario's
`games: strategic:` section (`files`), a Gambit `.nfg` file (`nfg`) or the library of
classic games (`classics`). The analyses are plain functions:

- `nash_equilibria(game, method="auto")` (`equilibria`): the method comes from the registry
  `EQUILIBRIUM_METHODS` (`methods`): every extreme Nash equilibrium of a 2-player game by
  vertex enumeration (`vertex`; degenerate games included), Lemke-Howson beyond 16 actions
  a player; every pure equilibrium and McLennan-Tourky mixed equilibria (refined by
  Newton's method, `refine`) of n-player games.
- `pure_equilibria(game)` (`pure`): every pure Nash equilibrium, vectorised over all
  profiles.
- `dominated_actions(game)` (`dominance`): strictly and weakly dominated actions (by pure or
  mixed actions), and iterated elimination of both kinds.
- `pareto_outcomes(game)`, `win_win_outcomes(game)` (`outcomes`): the Pareto-efficient pure
  outcomes, and the outcomes every player prefers (weakly, one strictly) to a given
  equilibrium.
- `verify(game, profile, tol)` (`profiles`): is a profile of mixed actions a Nash
  equilibrium.
- `analyze_game(game)` (`analysis`): all of it, as `accord game` shows it.

Numerics follow QuantEcon's `quantecon.game_theory` (BSD; Lemke-Howson, support and vertex
enumeration, McLennan-Tourky, `minmax`) and von Stengel (2007), "Equilibrium computation for
two-player games in strategic and extensive form", ch. 3 of Algorithmic Game Theory
(Cambridge University Press). Every equilibrium returned has been verified: a
probability vector per player whose regret (the most any player gains by deviating) is at
most `tol` times the largest absolute payoff. Heavy modules (quantecon, scipy) are imported
inside the functions that need them.
"""

from typing import TYPE_CHECKING

from ...lazy import lazy_exports

__getattr__, __dir__ = lazy_exports(__name__, {
    "DEFAULT_TOL": ".game", "StrategicGame": ".game",
    "GAME_FIELDS": ".files", "game_from_data": ".files", "load_game": ".files",
    "game_from_scenario": ".files",
    "parse_nfg": ".nfg", "read_nfg": ".nfg", "to_nfg": ".nfg",
    "Classic": ".classics", "CLASSICS": ".classics", "classic": ".classics",
    "list_classics": ".classics",
    "EXACT_LIMIT": ".profiles", "MAX_DENOMINATOR": ".profiles", "action_values": ".profiles",
    "expected_payoffs": ".profiles", "Verification": ".profiles", "verify": ".profiles",
    "Equilibrium": ".results", "EquilibriumSet": ".results",
    "pure_equilibria": ".pure",
    "LABEL_TOL": ".vertex",
    "VERTEX_LIMIT": ".methods", "MethodOptions": ".methods", "Found": ".methods",
    "EquilibriumMethod": ".methods", "EQUILIBRIUM_METHODS": ".methods", "METHODS": ".methods",
    "TWO_PLAYER_METHODS": ".methods", "equilibrium_method": ".methods", "methods_help": ".methods",
    "nash_equilibria": ".equilibria",
    "Domination": ".dominance", "DominanceResult": ".dominance", "dominated_actions": ".dominance",
    "Outcome": ".outcomes", "pareto_outcomes": ".outcomes", "Improvement": ".outcomes",
    "WinWin": ".outcomes", "win_win_outcomes": ".outcomes",
    "StrategicAnalysis": ".analysis", "analyze_game": ".analysis"})

if TYPE_CHECKING:
    from .analysis import StrategicAnalysis, analyze_game
    from .classics import CLASSICS, Classic, classic, list_classics
    from .dominance import DominanceResult, Domination, dominated_actions
    from .equilibria import nash_equilibria
    from .files import GAME_FIELDS, game_from_data, game_from_scenario, load_game
    from .game import DEFAULT_TOL, StrategicGame
    from .methods import (
        EQUILIBRIUM_METHODS,
        METHODS,
        TWO_PLAYER_METHODS,
        VERTEX_LIMIT,
        EquilibriumMethod,
        Found,
        MethodOptions,
        equilibrium_method,
        methods_help,
    )
    from .nfg import parse_nfg, read_nfg, to_nfg
    from .outcomes import (
        Improvement,
        Outcome,
        WinWin,
        pareto_outcomes,
        win_win_outcomes,
    )
    from .profiles import (
        EXACT_LIMIT,
        MAX_DENOMINATOR,
        Verification,
        action_values,
        expected_payoffs,
        verify,
    )
    from .pure import pure_equilibria
    from .results import Equilibrium, EquilibriumSet
    from .vertex import LABEL_TOL

__all__ = [
    "CLASSICS",
    "DEFAULT_TOL",
    "EQUILIBRIUM_METHODS",
    "EXACT_LIMIT",
    "GAME_FIELDS",
    "LABEL_TOL",
    "MAX_DENOMINATOR",
    "METHODS",
    "TWO_PLAYER_METHODS",
    "VERTEX_LIMIT",
    "Classic",
    "DominanceResult",
    "Domination",
    "Equilibrium",
    "EquilibriumMethod",
    "EquilibriumSet",
    "Found",
    "Improvement",
    "MethodOptions",
    "Outcome",
    "StrategicAnalysis",
    "StrategicGame",
    "Verification",
    "WinWin",
    "action_values",
    "analyze_game",
    "classic",
    "dominated_actions",
    "equilibrium_method",
    "expected_payoffs",
    "game_from_data",
    "game_from_scenario",
    "list_classics",
    "load_game",
    "methods_help",
    "nash_equilibria",
    "pareto_outcomes",
    "parse_nfg",
    "pure_equilibria",
    "read_nfg",
    "to_nfg",
    "verify",
    "win_win_outcomes",
]
