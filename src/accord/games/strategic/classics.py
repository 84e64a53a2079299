"""The classic games of diplomacy and international relations, with their textbook payoffs
and their known Nash equilibria.

Each entry cites where its payoffs come from. Ordinal games use the ranks 4 (best) to 1
(worst) of Oye (1985); the Prisoner's Dilemma uses Axelrod's (1984) cardinal payoffs.
`equilibria` lists every Nash equilibrium as the textbooks give it (for the degenerate
escalation game: every extreme equilibrium), as exact fractions where they are rational.
Tests check `nash_equilibria` against these lists.

Sources
-------
- Axelrod, R. (1984). *The Evolution of Cooperation*. Basic Books, ch. 1 (R=3, S=0, T=5,
  P=1).
- Oye, K. A. (1985). Explaining cooperation under anarchy: hypotheses and strategies.
  *World Politics* 38(1), 1-24 (ordinal Prisoner's Dilemma, Stag Hunt, Chicken, Deadlock).
- Rapoport, A. and Chammah, A. M. (1966). The game of Chicken. *American Behavioral
  Scientist* 10(3), 10-28.
- Jervis, R. (1978). Cooperation under the security dilemma. *World Politics* 30(2),
  167-214.
- Shubik, M. (1971). The dollar auction game: a paradox in noncooperative behavior and
  escalation. *Journal of Conflict Resolution* 15(1), 109-111; Maynard Smith, J. (1974).
  The theory of games and the evolution of animal conflicts. *Journal of Theoretical
  Biology* 47, 209-221 (the war of attrition).
- Diekmann, A. (1985). Volunteer's dilemma. *Journal of Conflict Resolution* 29(4),
  605-610.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction as F
from typing import Any

from .game import StrategicGame


@dataclass(frozen=True)
class Classic:
    """A classic game: its payoffs (one array per player, axis k = player k's actions), its
    source, and its known equilibria (per player, the probability of each action)."""

    id: str
    title: str
    players: tuple[str, ...]
    actions: tuple[tuple[str, ...], ...]
    matrices: tuple[Any, ...]
    source: str
    description: str
    equilibria: tuple[tuple[tuple[Any, ...], ...], ...]

    def summary(self) -> dict[str, Any]:
        """The entry of `accord game --list --json`: id, title, players, actions, source."""
        return {"id": self.id, "title": self.title, "players": list(self.players),
                "actions": [list(a) for a in self.actions], "source": self.source}

    def game(self) -> StrategicGame:
        return StrategicGame.from_matrices(*self.matrices, players=self.players,
                                           actions=self.actions, title=self.title,
                                           description=self.description, source=self.source)


def _bimatrix(rows: list[list[tuple[int, int]]]) -> tuple[list[list[int]], list[list[int]]]:
    return ([[c[0] for c in r] for r in rows], [[c[1] for c in r] for r in rows])


HALF = (F(1, 2), F(1, 2))
C, D = (F(1), F(0)), (F(0), F(1))

# Volunteer's dilemma with 3 players, benefit U = 2 when anyone volunteers, cost K = 1 to
# the volunteer: in the symmetric equilibrium each stays out with probability
# q = (K / U) ** (1 / (n - 1)) = 1 / sqrt(2) (Diekmann 1985).
_Q = 1 / math.sqrt(2)


def _volunteer() -> tuple[list, list, list]:
    u = 2  # benefit when at least one volunteers
    k = 1  # cost of volunteering
    arrays = []
    for i in range(3):
        a = [[[0] * 2 for _ in range(2)] for _ in range(2)]
        for p0 in range(2):
            for p1 in range(2):
                for p2 in range(2):
                    prof = (p0, p1, p2)
                    someone = 0 in prof
                    a[p0][p1][p2] = u - k if prof[i] == 0 else (u if someone else 0)
        arrays.append(a)
    return tuple(arrays)


_V, _O = (F(1), F(0)), (F(0), F(1))  # volunteer, stay out

CLASSICS: dict[str, Classic] = {
    "prisoners-dilemma": Classic(
        "prisoners-dilemma", "Prisoner's Dilemma", ("Row", "Column"),
        (("cooperate", "defect"), ("cooperate", "defect")),
        _bimatrix([[(3, 3), (0, 5)], [(5, 0), (1, 1)]]),
        "Axelrod (1984), The Evolution of Cooperation, ch. 1: R=3, S=0, T=5, P=1",
        "Defecting pays more whatever the other does, so both defect and both get 1, though "
        "mutual cooperation would give each 3.",
        ((D, D),)),
    "chicken": Classic(
        "chicken", "Chicken", ("Row", "Column"),
        (("swerve", "straight"), ("swerve", "straight")),
        _bimatrix([[(3, 3), (2, 4)], [(4, 2), (1, 1)]]),
        "Rapoport and Chammah (1966), The game of Chicken; ordinal payoffs of Oye (1985)",
        "A crisis of nerve: each wants the other to back down; if neither does, disaster. "
        "Two pure equilibria (one side yields) and a mixed one in which each stands firm "
        "half the time.",
        ((C, D), (D, C), (HALF, HALF))),
    "stag-hunt": Classic(
        "stag-hunt", "Stag Hunt", ("Row", "Column"),
        (("stag", "hare"), ("stag", "hare")),
        _bimatrix([[(4, 4), (1, 3)], [(3, 1), (2, 2)]]),
        "Rousseau's stag hunt, ordinal payoffs of Oye (1985)",
        "An assurance game: joint cooperation (stag) is best for both, but it pays only if "
        "the other cooperates too; hunting hare is safe. Two pure equilibria and a mixed one.",
        ((C, C), (D, D), (HALF, HALF))),
    "deadlock": Classic(
        "deadlock", "Deadlock", ("Row", "Column"),
        (("cooperate", "defect"), ("cooperate", "defect")),
        _bimatrix([[(2, 2), (1, 4)], [(4, 1), (3, 3)]]),
        "Ordinal payoffs of Oye (1985)",
        "Both prefer mutual defection to mutual cooperation: there is no dilemma and no "
        "deal to mediate. The unique equilibrium is Pareto-efficient.",
        ((D, D),)),
    "security-dilemma": Classic(
        "security-dilemma", "Security dilemma (arms race)", ("State A", "State B"),
        (("restrain", "arm"), ("restrain", "arm")),
        _bimatrix([[(3, 3), (1, 4)], [(4, 1), (2, 2)]]),
        "Jervis (1978), Cooperation under the security dilemma (modelled as a Prisoner's "
        "Dilemma); ordinal payoffs of Oye (1985)",
        "Arming makes a state safer whatever the other does, but when both arm both are "
        "less secure than under mutual restraint. Where the defence has the advantage, or "
        "states value mutual restraint most, it becomes a stag hunt (see stag-hunt).",
        ((D, D),)),
    "escalation": Classic(
        "escalation", "Escalation (war of attrition)", ("Row", "Column"),
        (("concede", "hold-1", "hold-2"), ("concede", "hold-1", "hold-2")),
        _bimatrix([[(2, 2), (0, 4), (0, 4)],
                   [(4, 0), (1, 1), (-1, 3)],
                   [(4, 0), (3, -1), (0, 0)]]),
        "The war of attrition (Maynard Smith 1974) behind Shubik's (1971) dollar auction, "
        "on an escalation ladder of 3 rungs: whoever holds out longer wins the prize 4, each "
        "round both hold costs each 1, a tie splits the prize (prize and cost are "
        "assumptions)",
        "Each side chooses how long to hold out. Holding to the top rung is weakly "
        "dominant, and mutual escalation to it is an equilibrium that wastes the whole "
        "prize; both conceding at once would give each 2. A degenerate game: the row "
        "player can mix concede and hold-2 freely against hold-2, and vice versa.",
        (((F(1), F(0), F(0)), (F(0), F(0), F(1))),
         ((F(0), F(0), F(1)), (F(1), F(0), F(0))),
         ((F(0), F(0), F(1)), (F(0), F(0), F(1))))),
    "volunteers-dilemma": Classic(
        "volunteers-dilemma", "Volunteer's dilemma (3 states)", ("A", "B", "C"),
        (("volunteer", "stay-out"),) * 3,
        _volunteer(),
        "Diekmann (1985), Volunteer's dilemma: benefit 2 to all if anyone volunteers, cost 1 "
        "to each volunteer (values are assumptions)",
        "Who pays for the public good, e.g. a peacekeeping force: each state is better off "
        "if someone else volunteers. Three pure equilibria (one volunteer), three in which "
        "two states mix 1/2 and the third stays out, and a symmetric one in which each stays "
        "out with probability 1/sqrt(2).",
        ((_V, _O, _O), (_O, _V, _O), (_O, _O, _V),
         (HALF, HALF, _O), (HALF, _O, HALF), (_O, HALF, HALF),
         ((1 - _Q, _Q),) * 3)),
}


def classic(game_id: str) -> StrategicGame:
    """The classic game `game_id` (a key of `CLASSICS`) as a `StrategicGame`."""
    return CLASSICS[game_id].game()


def list_classics() -> list[Classic]:
    return list(CLASSICS.values())
