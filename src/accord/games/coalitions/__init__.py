"""Coalitions and power: who owns a settlement, which coalitions object to it, and how much
voting power each player has.

* A transferable-utility game (`tu`: `TUGame`, `tu_game`) gives every coalition the value
  its members can secure together. Its solutions: the Shapley value (`shapley`; Shapley
  1953), the core and least core (`least_core`; one LP), the nucleolus (`nucleolus_lps`;
  Schmeidler 1969, by the sequence of LPs of Kopelowitz 1967 and Maschler, Peleg & Shapley
  1979), the coalitions that block an allocation (`allocations`) and the game's properties
  (`properties`). Rational games are solved exactly.
* A weighted voting game [q; w_1, ..., w_n] (`power`): Shapley-Shubik and Banzhaf indices,
  exactly, by dynamic programming over weights.
* The coalition game of a scenario (`from_scenario`): v(S) is the largest total gain over
  their BATNAs that the members of S can secure with a deal each of them accepts.
* `files`: the coalition game file and a scenario's `games.coalition`; `report`: everything
  `accord coalition` shows.
"""

from typing import TYPE_CHECKING

from ...lazy import lazy_exports

__getattr__, __dir__ = lazy_exports(__name__, {
    "MAX_PLAYERS": ".tu", "TOL": ".tu", "TUGame": ".tu", "tu_game": ".tu",
    "game_from_function": ".tu", "simple_game": ".tu",
    "is_monotone": ".properties", "is_superadditive": ".properties", "is_convex": ".properties",
    "Allocation": ".allocations", "excesses": ".allocations", "Objection": ".allocations",
    "objections": ".allocations",
    "shapley_value": ".shapley",
    "Core": ".least_core", "core": ".least_core",
    "EXACT_NUCLEOLUS_PLAYERS": ".nucleolus_lps", "DUAL_TOL": ".nucleolus_lps",
    "Nucleolus": ".nucleolus_lps", "nucleolus": ".nucleolus_lps",
    "MAX_DP_CELLS": ".power", "MAX_ENUMERATE": ".power", "WeightedVotingGame": ".power",
    "weighted_voting_game": ".power", "PowerIndices": ".power", "power_indices": ".power",
    "shapley_shubik": ".power", "banzhaf": ".power", "banzhaf_swings": ".power",
    "MAX_SCENARIO_ACTORS": ".from_scenario", "CoalitionDeal": ".from_scenario",
    "ScenarioGame": ".from_scenario", "SCENARIO_METHODS": ".from_scenario",
    "scenario_game": ".from_scenario",
    "GameInput": ".files", "parse_game": ".files",
    "MAX_LP_PLAYERS": ".report", "CoalitionReport": ".report", "analyze_game": ".report",
    "analyze_weighted": ".report", "analyze_scenario": ".report", "analyze_input": ".report",
    "coalition_report": ".report"})

if TYPE_CHECKING:
    from .allocations import Allocation, Objection, excesses, objections
    from .files import GameInput, parse_game
    from .from_scenario import (
        MAX_SCENARIO_ACTORS,
        SCENARIO_METHODS,
        CoalitionDeal,
        ScenarioGame,
        scenario_game,
    )
    from .least_core import Core, core
    from .nucleolus_lps import DUAL_TOL, EXACT_NUCLEOLUS_PLAYERS, Nucleolus, nucleolus
    from .power import (
        MAX_DP_CELLS,
        MAX_ENUMERATE,
        PowerIndices,
        WeightedVotingGame,
        banzhaf,
        banzhaf_swings,
        power_indices,
        shapley_shubik,
        weighted_voting_game,
    )
    from .properties import is_convex, is_monotone, is_superadditive
    from .report import (
        MAX_LP_PLAYERS,
        CoalitionReport,
        analyze_game,
        analyze_input,
        analyze_scenario,
        analyze_weighted,
        coalition_report,
    )
    from .shapley import shapley_value
    from .tu import MAX_PLAYERS, TOL, TUGame, game_from_function, simple_game, tu_game

__all__ = ["MAX_PLAYERS", "TOL", "TUGame", "tu_game", "game_from_function", "simple_game",
           "is_monotone", "is_superadditive", "is_convex", "Allocation", "excesses", "Objection",
           "objections", "shapley_value", "Core", "core", "EXACT_NUCLEOLUS_PLAYERS", "DUAL_TOL",
           "Nucleolus", "nucleolus", "MAX_DP_CELLS", "MAX_ENUMERATE", "WeightedVotingGame",
           "weighted_voting_game", "PowerIndices", "power_indices", "shapley_shubik", "banzhaf",
           "banzhaf_swings", "MAX_SCENARIO_ACTORS", "CoalitionDeal", "ScenarioGame",
           "SCENARIO_METHODS", "scenario_game", "GameInput", "parse_game", "MAX_LP_PLAYERS",
           "CoalitionReport", "analyze_game", "analyze_weighted", "analyze_scenario",
           "analyze_input", "coalition_report"]
