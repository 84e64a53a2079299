"""Everything `accord game` shows at once: equilibria, dominated actions, Pareto-efficient
outcomes and win-win outcomes. `StrategicAnalysis.to_dict()` is the JSON of
`accord game --json`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ...budget import Budget, check
from .dominance import DominanceResult, dominated_actions
from .equilibria import nash_equilibria
from .game import DEFAULT_TOL, StrategicGame
from .outcomes import Outcome, WinWin, pareto_outcomes, win_win_outcomes
from .results import EquilibriumSet


@dataclass(frozen=True)
class StrategicAnalysis:
    """Equilibria, dominated actions, Pareto-efficient outcomes and win-win outcomes of a
    game: what `accord game` shows."""

    game: StrategicGame
    equilibria: EquilibriumSet
    dominance: DominanceResult
    pareto: tuple[Outcome, ...]
    win_win: tuple[WinWin, ...]

    def to_dict(self) -> dict[str, Any]:
        g = self.game
        return {"game": g.to_dict(), "equilibria": self.equilibria.to_dict(),
                "dominance": self.dominance.to_dict(),
                "pareto": [o.to_dict(g) for o in self.pareto],
                "win_win": [w.to_dict(g) for w in self.win_win]}


def analyze_game(game: StrategicGame, method: str = "auto", tol: float = DEFAULT_TOL, *,
                 seed: int = 0, starts: int = 4, budget: Budget | None = None
                 ) -> StrategicAnalysis:
    """`nash_equilibria`, `dominated_actions`, `pareto_outcomes` and `win_win_outcomes`;
    `budget` is polled by `nash_equilibria` and between the steps."""
    eqs = nash_equilibria(game, method, tol, seed=seed, starts=starts, budget=budget)
    what, advice = "game analysis", "use the method pure, or a smaller game"
    check(budget, 1, 4, what, advice)
    dominance = dominated_actions(game, tol)
    check(budget, 2, 4, what, advice)
    pareto = tuple(pareto_outcomes(game, tol))
    check(budget, 3, 4, what, advice)
    return StrategicAnalysis(game, eqs, dominance, pareto,
                             tuple(win_win_outcomes(game, eqs, tol)))
