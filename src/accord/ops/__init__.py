"""Operations: one function per user question, the only thing front ends call.

    >>> from accord import ops
    >>> result = ops.analyze("logrolling", parties=["dept-a", "dept-b"])
    >>> run = ops.mediate("logrolling", protocol="alternating", strategies=["boulware"])

Each operation takes a source (a `Scenario`, a compiled `Space`, a built-in id or a file),
keyword-only parameters with their defaults written once (`accord.defaults` and the
protocol dataclasses of `accord.ops.mediation`), and returns a result object with
`to_dict()`: what the CLI prints (as tables or `--json`), what the HTML report and the web
API show. Errors name the parameters (`InputError` with `Problem.parameter` set); each
front end renames them to its own words (a flag, a JSON field). The layers:

    model        scenario, io, validation, uncertainty, space, defaults
    algorithms   bargaining, mediation, forecast, games, sweep
    operations   accord.ops (this package)
    front ends   accord.cli, accord.report, accord.web
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lazy import lazy_exports

_EXPORTS = {
    "analyze": ".bargaining", "evaluate": ".bargaining", "repair": ".bargaining",
    "inverse": ".bargaining",
    "mediate": ".mediation", "tournament": ".mediation", "PROTOCOLS": ".mediation",
    "forecast": ".forecasting",
    "sweep": ".sweeps",
    "game": ".games", "trust": ".games", "crisis": ".games", "coalition": ".games",
    "scenario_of": ".source", "space_of": ".source",
}

__all__ = ["PROTOCOLS", "analyze", "coalition", "crisis", "evaluate", "forecast", "game",
           "inverse", "mediate", "repair", "scenario_of", "space_of", "sweep", "tournament",
           "trust"]

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)

if TYPE_CHECKING:
    from .bargaining import analyze, evaluate, inverse, repair
    from .forecasting import forecast
    from .games import coalition, crisis, game, trust
    from .mediation import PROTOCOLS, mediate, tournament
    from .source import scenario_of, space_of
    from .sweeps import sweep
