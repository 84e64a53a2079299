"""Mediation operations: `mediate` (one registry of protocols) and `tournament`.

A protocol is a name, a frozen dataclass of its parameters with their defaults, and the
function that runs it. `mediate(source, protocol=..., **parameters)` checks the parameters
against the protocol's dataclass (an unknown one is an error naming it), fills in the
defaults, and runs it. The CLI, the web API, the report and the sweep all mediate through
here, so a protocol's defaults exist once.

Protocols (each module gives its papers): "single-text", the mediated single negotiating
text (`accord.mediation.single_text`); "alternating", stacked alternating offers with
deadlines and discounting (`accord.mediation.alternating`; Rubinstein 1982,
doi:10.2307/1912531); "mediator", a mediator with interests of its own
(`accord.mediation.mediator`; Kydd 2003, doi:10.1111/1540-5907.00042).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from typing import TYPE_CHECKING, Any

from ..defaults import ALTERNATING_ROUNDS, MEDIATOR_ROUNDS, SEED, SINGLE_TEXT_ROUNDS
from ..errors import InputError, Problem
from .source import Source, space_of

if TYPE_CHECKING:
    from ..budget import Budget
    from ..mediation.core import Context, MediationResult
    from ..mediation.tournament import TournamentResult
    from ..space import Space


@dataclass(frozen=True)
class SingleTextParams:
    """The single negotiating text: each party's voter ("hill-climber" or "annealer", one
    for all or one per party), how the mediator revises the text ("annealing" or
    "hill-climbing"), its first draft ("middle", "random" or a proposal id), and drafts."""

    voters: str | tuple[str, ...] = "hill-climber"
    search: str = "annealing"
    start: str = "middle"
    rounds: int = SINGLE_TEXT_ROUNDS


@dataclass(frozen=True)
class AlternatingParams:
    """Alternating offers: a strategy per party (one for all, or one each; see
    `accord.mediation.strategies`), a discount factor per round in (0, 1] (one for all,
    or one each), and the deadline in rounds."""

    strategies: tuple[str, ...] = ("boulware",)
    discount: float | tuple[float, ...] = 1.0
    rounds: int = ALTERNATING_ROUNDS


@dataclass(frozen=True)
class MediatorParams:
    """An interested mediator: who it is (default: the scenario's first actor with role
    mediator, needed only when `interest` > 0), the weight on its own utility, the value it
    puts on any agreement (`prestige`), its lean towards parties (`bias`, {party:
    weight >= 0}), its uncertainty about the parties' reservation values (`sigma`), and
    proposals."""

    mediator: str | None = None
    interest: float = 0.0
    prestige: float = 1.0
    bias: Mapping[str, float] = field(default_factory=dict)
    sigma: float = 0.05
    rounds: int = MEDIATOR_ROUNDS


Runner = Callable[..., "MediationResult"]


@dataclass(frozen=True)
class Protocol:
    """A mediation protocol: its parameters' dataclass, the function that runs it
    (`run(space, params, parties, seed, context, trace, budget)`) and a one-line summary."""

    name: str
    params: type
    run: Runner
    summary: str

    @property
    def parameters(self) -> tuple[str, ...]:
        return tuple(f.name for f in fields(self.params))


def _single_text(space: Space, p: SingleTextParams, parties, seed, context, trace, budget):
    from ..mediation.single_text import single_text

    return single_text(space, p.voters, p.search, p.rounds, p.start, parties=parties,
                       seed=seed, context=context, trace=trace, budget=budget)


def _alternating(space: Space, p: AlternatingParams, parties, seed, context, trace, budget):
    from ..mediation.alternating import alternating_offers

    return alternating_offers(space, list(p.strategies), p.rounds, p.discount, parties, seed,
                              context=context, trace=trace, budget=budget)


def _mediator(space: Space, p: MediatorParams, parties, seed, context, trace, budget):
    from ..mediation.mediator import mediate_with_interests

    return mediate_with_interests(space, p.mediator, p.interest, p.prestige, dict(p.bias),
                                  p.sigma, p.rounds, parties, seed, context=context,
                                  trace=trace, budget=budget)


PROTOCOLS: dict[str, Protocol] = {
    "single-text": Protocol("single-text", SingleTextParams, _single_text,
                            "a mediator drafts one text, the parties only vote, it revises"),
    "alternating": Protocol("alternating", AlternatingParams, _alternating,
                            "the parties take turns to offer, each with its strategy"),
    "mediator": Protocol("mediator", MediatorParams, _mediator,
                         "a mediator with interests, prestige and bias proposes"),
}
"""The mediation protocols by name."""


def protocol(name: str) -> Protocol:
    """The protocol called `name` (`InputError` naming `protocol` when there is none)."""
    try:
        return PROTOCOLS[name]
    except (KeyError, TypeError):
        raise InputError([Problem.of_parameter(
            "protocol", f"unknown protocol '{name}' (protocols: {', '.join(PROTOCOLS)})")]
        ) from None


def protocol_params(name: str, **params: Any) -> Any:
    """The parameters of protocol `name` with `params` set (None keeps a default); a
    parameter the protocol does not have is an error naming it."""
    proto = protocol(name)
    unknown = [k for k, v in params.items() if k not in proto.parameters and v is not None]
    if unknown:
        raise InputError([Problem.of_parameter(
            k, f"not a parameter of the {name} protocol (its parameters: "
               f"{', '.join(proto.parameters)})") for k in unknown])
    given = {k: _one_or_each(k, v) for k, v in params.items() if v is not None}
    return replace(proto.params(), **given)


def _one_or_each(name: str, value: Any) -> Any:
    """A value given for all parties or one per party: a list of one is the value itself
    (except `strategies`, always a tuple); a longer list a tuple."""
    if name == "strategies":
        return (value,) if isinstance(value, str) else tuple(value)
    if isinstance(value, list | tuple) and name in ("voters", "discount"):
        return value[0] if len(value) == 1 else tuple(value)
    return value


def mediate(source: Source, *, protocol: str = "single-text",
            parties: Sequence[str] | None = None, seed: int | None = SEED,
            context: Context | None = None, trace: bool = True,
            budget: Budget | None = None, **params: Any) -> MediationResult:
    """Simulate a negotiation under `protocol` (see `PROTOCOLS`) and report where it ends,
    with its trace. `params` are the protocol's (see its dataclass); None keeps a default.
    `context` may carry the parties' frontier when it is at hand; `budget` is polled every
    round (`BudgetExceeded` when it runs out)."""
    p = protocol_params(protocol, **params)
    space = space_of(source)
    return PROTOCOLS[protocol].run(space, p, parties, seed, context, trace, budget)


def tournament(source: Source, *, strategies: Sequence[str], repetitions: int = 1,
               rounds: int = ALTERNATING_ROUNDS, discount: float | Sequence[float] = 1.0,
               parties: Sequence[str] | None = None, seed: int = SEED,
               budget: Budget | None = None) -> TournamentResult:
    """Every pairing of `strategies` by alternating offers, `repetitions` times each: mean
    gains, agreement rates and distances to the Nash solution, ranked
    (`accord.mediation.tournament`)."""
    from ..mediation.tournament import tournament as run

    return run(space_of(source), strategies, repetitions, rounds, discount, parties, seed,
               budget=budget)
