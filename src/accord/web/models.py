"""Request and response bodies of the web API (pydantic), with explicit limits.

Every request names its scenario the same way (`ScenarioRef`): a built-in id, a saved
scenario (name and optional version) or the scenario's text. Unknown fields are refused,
so a misspelt parameter is an error rather than silently ignored.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    ValidationInfo,
    field_validator,
)

from ..bargaining.repair import REPAIR_METHODS
from ..defaults import SEED
from ..games.strategic.classics import CLASSICS
from ..games.strategic.methods import METHODS
from ..io import builtin_ids
from ..ops.bargaining import repair
from ..ops.forecasting import forecast
from ..ops.games import coalition, game, trust
from ..ops.mediation import (
    PROTOCOLS,
    AlternatingParams,
    MediatorParams,
    SingleTextParams,
    tournament,
)
from ..scenario import ID_PATTERN
from . import limits

Id = Annotated[str, Field(pattern=ID_PATTERN, min_length=1, max_length=80)]
Seed = Annotated[int, Field(ge=0, le=limits.MAX_SEED, description="Random seed.")]


def default(operation: Callable[..., Any], parameter: str) -> Any:
    """The default of `parameter` in the signature of `operation` (an `accord.ops`
    function): a request model's default is the operation's, never a copy of it."""
    return inspect.signature(operation).parameters[parameter].default


Parties = Annotated[list[Id] | None, Field(
    min_length=1, max_length=limits.MAX_PARTIES,
    description="Actor ids whose frontier it is (default: the actors with a veto).")]
Format = Literal["yaml", "json"]
ScenarioText = Annotated[str, Field(max_length=limits.MAX_TEXT_CHARS,
                                    description="A scenario in YAML or JSON.")]
BuiltinId = Literal[tuple(builtin_ids())]  # type: ignore[valid-type]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class BuiltinRef(_Body):
    """A built-in scenario by id."""

    builtin: BuiltinId


class SavedRef(_Body):
    """A saved scenario by name; `version` defaults to the latest."""

    saved: Id
    version: int | None = Field(default=None, ge=1, le=2**31 - 1)


class TextRef(_Body):
    """A scenario given as text."""

    text: ScenarioText
    format: Format = "yaml"


def _ref_kind(value: Any) -> str | None:
    if isinstance(value, dict):
        return next((k for k in ("builtin", "saved", "text") if k in value), None)
    if isinstance(value, BaseModel):
        return next((k for k in ("builtin", "saved", "text") if hasattr(value, k)), None)
    return None


ScenarioRef = Annotated[
    Annotated[BuiltinRef, Tag("builtin")] | Annotated[SavedRef, Tag("saved")]
    | Annotated[TextRef, Tag("text")],
    Discriminator(_ref_kind, custom_error_type="scenario_ref",
                  custom_error_message="give {\"builtin\": id}, {\"saved\": name} or "
                                       "{\"text\": ..., \"format\": \"yaml\"}"),
]


class ValidateRequest(_Body):
    text: ScenarioText
    format: Format = "yaml"


class SaveScenarioRequest(_Body):
    text: ScenarioText
    format: Format = "yaml"


class AnalyzeParams(_Body):
    parties: Parties = None
    nash_weights: dict[Id, Annotated[float, Field(gt=0, le=1e6)]] | None = Field(
        default=None, max_length=limits.MAX_PARTIES,
        description="Weighted Nash solution: {party: weight > 0} (others weigh 1).")


class AnalyzeRequest(AnalyzeParams):
    scenario: ScenarioRef


DealValue = Annotated[str, Field(max_length=200)] | float


class TargetParams(_Body):
    """A deal ({issue: option id or number}) or a proposal id of the scenario: exactly
    one (what `accord.ops.bargaining.target` reads)."""

    deal: dict[Id, DealValue] | None = Field(default=None, max_length=limits.MAX_ISSUES)
    proposal: Id | None = None
    parties: Parties = None


class EvaluateRequest(TargetParams):
    scenario: ScenarioRef


class RepairParams(TargetParams):
    """`accord repair`: the least change to the deal or proposal that every veto actor
    (and every party named) accepts."""

    max_changes: int | None = Field(
        default=default(repair, "max_changes"), ge=0, le=limits.MAX_ISSUES,
        description="Change at most this many issues (default: any number).")
    nearest: int = Field(default=default(repair, "nearest"), ge=0, le=limits.MAX_NEAREST,
                         description="Frontier deals nearest the proposal to list.")
    method: Literal[REPAIR_METHODS] = Field(  # type: ignore[valid-type]
        default=default(repair, "method"),
        description="search: exact branch and bound; milp: a mixed-integer program; auto: "
                    "search when it can. Same answer.")


class RepairRequest(RepairParams):
    scenario: ScenarioRef


class InverseParams(TargetParams):
    """`accord inverse`: what would make each actor accept the deal or proposal."""

    actors: list[Id] | None = Field(
        default=None, min_length=1, max_length=limits.MAX_ACTORS,
        description="Actor ids to ask about (default: the parties).")


class InverseRequest(InverseParams):
    scenario: ScenarioRef


class DealsRequest(_Body):
    scenario: ScenarioRef
    parties: list[Id] | None = Field(
        default=None, min_length=2, max_length=2,
        description="The two actors on the axes (default: the first two veto actors).")
    limit: int = Field(default=limits.MAX_CLOUD, ge=1, le=limits.MAX_CLOUD)
    seed: Seed = SEED


def _positive_exponent(name: str) -> str:
    if name.startswith("time:") and not float(name[5:]) > 0:
        raise ValueError(f"'{name}': the exponent of time:E must be above 0")
    return name


Strategy = Annotated[str, Field(
    pattern=r"^(boulware|linear|conceder|tit-for-tat|hardliner|acceptor|spe|"
            r"time:[0-9]{1,3}(\.[0-9]{1,6})?)$",
    description="boulware, linear, conceder, tit-for-tat, hardliner, acceptor, spe, or "
                "time:E (time-based concession with exponent E > 0)."),
    AfterValidator(_positive_exponent)]
Discounts = Annotated[list[Annotated[float, Field(gt=0, le=1)]], Field(
    min_length=1, max_length=limits.MAX_PARTIES,
    description="Discount factor per round in (0, 1]: one for all, or one per party.")]


class MediateParams(_Body):
    protocol: Literal[tuple(PROTOCOLS)] = "single-text"  # type: ignore[valid-type]
    parties: Parties = None
    rounds: int | None = Field(default=None, ge=1, le=limits.MAX_MEDIATION_ROUNDS,
                               description=f"Rounds (default {SingleTextParams.rounds} "
                                           f"single-text, {AlternatingParams.rounds} "
                                           f"alternating, {MediatorParams.rounds} mediator).")
    seed: Seed = SEED
    voters: list[Literal["hill-climber", "annealer"]] = Field(
        default=[SingleTextParams.voters], min_length=1, max_length=limits.MAX_PARTIES,
        description="Single text: one voter type per party, or one for all.")
    search: Literal["hill-climbing", "annealing"] = SingleTextParams.search
    start: Id = Field(default=SingleTextParams.start,
                      description="Single text: middle, random or a proposal id.")
    strategies: list[Strategy] = Field(
        default=list(AlternatingParams.strategies), min_length=1, max_length=limits.MAX_PARTIES,
        description="Alternating offers: one strategy per party, or one for all.")
    discount: Discounts = Field(default=[AlternatingParams.discount],
                                description="Alternating offers: discount per round, one "
                                            "for all or one per party.")
    mediator: Id | None = Field(default=MediatorParams.mediator,
                                description="Mediator: its actor id (default: the first "
                                            "actor with role mediator).")
    interest: float = Field(default=MediatorParams.interest, ge=0, le=100,
                            description="Mediator: own interest.")
    prestige: float = Field(default=MediatorParams.prestige, ge=0, le=100,
                            description="Mediator: value of a deal.")
    sigma: float = Field(default=MediatorParams.sigma, gt=0, le=1,
                         description="Mediator: uncertainty about reservations.")
    bias: dict[Id, Annotated[float, Field(ge=0, le=100)]] = Field(
        default_factory=dict, max_length=limits.MAX_PARTIES,
        description="Mediator: lean towards parties, {party: weight}.")


class MediateRequest(MediateParams):
    scenario: ScenarioRef


class TournamentParams(_Body):
    """`accord tournament`: every pairing of `strategies` by alternating offers,
    `repetitions` times each; |strategies|^parties x repetitions x rounds offers at most
    `limits.MAX_TOURNAMENT_OFFERS`."""

    strategies: list[Strategy] = Field(min_length=1, max_length=limits.MAX_STRATEGIES,
                                       description="The strategies that meet.")
    repetitions: int = Field(default=default(tournament, "repetitions"), ge=1,
                             le=limits.MAX_TOURNAMENT_REPETITIONS,
                             description="Negotiations per pairing.")
    rounds: int = Field(default=default(tournament, "rounds"), ge=1,
                        le=limits.MAX_MEDIATION_ROUNDS,
                        description="Rounds of each negotiation before the deadline.")
    discount: Discounts = [default(tournament, "discount")]
    parties: Parties = None
    seed: Seed = default(tournament, "seed")

    @field_validator("rounds")
    @classmethod
    def _bounded(cls, rounds: int, info: ValidationInfo) -> int:
        """The tournament's offers, counting each strategy once per pairing (one party):
        the bound for any number of parties is checked with the scenario."""
        strategies = info.data.get("strategies")
        repetitions = info.data.get("repetitions")
        if strategies and repetitions:
            offers = len(strategies) * repetitions * rounds
            if offers > limits.MAX_TOURNAMENT_OFFERS:
                raise ValueError(too_many_offers(offers))
        return rounds


def too_many_offers(offers: int) -> str:
    """The message of a tournament over `limits.MAX_TOURNAMENT_OFFERS`."""
    return (f"the tournament would make up to {offers:,} offers, more than the web app's "
            f"{limits.MAX_TOURNAMENT_OFFERS:,}: give fewer strategies, repetitions or "
            "rounds, or name fewer parties, or use the command line (`accord tournament`)")


class TournamentRequest(TournamentParams):
    scenario: ScenarioRef


class ForecastParams(_Body):
    model: Literal["compromise", "eu", "smp", "exchange"] = default(forecast, "model")
    rounds: int | None = Field(default=None, ge=0, le=limits.MAX_FORECAST_ROUNDS,
                               description="Rounds of a dynamic model (default: the "
                                           "model's).")
    seed: Seed = SEED
    variant: Literal["replication", "clean"] | None = Field(
        default=None, description="eu only: replication (default) or clean.")


class ForecastRequest(ForecastParams):
    scenario: ScenarioRef


class SweepParams(_Body):
    samples: int = Field(default=200, ge=1, le=limits.MAX_SWEEP_SAMPLES,
                         description="Scenarios drawn from the scenario's distributions.")
    seed: Seed = SEED
    parties: Parties = None


class SweepRequest(SweepParams):
    scenario: ScenarioRef


class ModelFile(_Body):
    """A model's own file as text: a strategic game (YAML, JSON or Gambit .nfg), a trust,
    crisis or coalition file (YAML or JSON)."""

    text: Annotated[str, Field(max_length=limits.MAX_TEXT_CHARS)]
    format: Literal["yaml", "json", "nfg"] = "yaml"


class GameSource(_Body):
    """What a game reads: a scenario (with its `games:` section, or its deals and wars) or
    a model's own file; `accord.web.compute.game_source` checks that one is given."""

    scenario: ScenarioRef | None = None
    file: ModelFile | None = None


class GameRequest(GameSource):
    """`accord game`: equilibria, dominated actions, Pareto-efficient and win-win outcomes
    of a scenario's `games: strategic:` section, a game file or a classic game."""

    classic: Literal[tuple(CLASSICS)] | None = Field(  # type: ignore[valid-type]
        default=None, description="A classic game by id, instead of a scenario or a file.")
    method: Literal[METHODS] = default(game, "method")  # type: ignore[valid-type]
    tol: float = Field(default=default(game, "tol"), gt=0, le=1,
                       description="Verification tolerance, relative to the largest "
                                   "absolute payoff.")
    starts: int = Field(default=default(game, "starts"), ge=1, le=limits.MAX_GAME_STARTS,
                        description="McLennan-Tourky starting points (n-player games).")
    seed: Seed = default(game, "seed")


Payoff = Annotated[float, Field(ge=-1e6, le=1e6)]


class TrustRequest(GameSource):
    """`accord trust`: the repeated prisoner's dilemma of a scenario's `games: trust:`
    section, a trust file, or (neither given) the textbook model, with these changes."""

    strategies: list[Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9:./_-]{0,79}$")]
                     ] | None = Field(default=default(trust, "strategies"), min_length=1,
                                      max_length=limits.MAX_TRUST_STRATEGIES,
                                      description="Strategy names; gtft:G, random:P, "
                                                  "m1:pCC/pCD/pDC/pDD[/first] too.")
    noise: float | None = Field(default=default(trust, "noise"), ge=0, le=0.5,
                                description="Probability that a move is flipped.")
    continuation: float | None = Field(default=default(trust, "continuation"), ge=0, le=1,
                                       description="Probability w that the game goes on "
                                                   "after each round (1: long-run average).")
    turns: int | None = Field(default=default(trust, "turns"), ge=1,
                              le=limits.MAX_TRUST_TURNS, description="Fixed number of rounds.")
    payoffs: list[Payoff] | None = Field(default=default(trust, "payoffs"), min_length=4,
                                         max_length=4, description="T, R, P, S.")
    population: int | None = Field(default=default(trust, "population"), ge=2,
                                   le=limits.MAX_POPULATION,
                                   description="Moran population size.")
    track2: bool = Field(default=default(trust, "track2"),
                         description="Also find how much back-channel contact makes "
                                     "cooperation stable.")


class CrisisRequest(GameSource):
    """`accord crisis`: Fearon's bargaining range, risk and return, a mediator's credibility
    and cheap talk, of a crisis file or a scenario (its `games: crisis:` section and its
    actors' war lotteries)."""


class CoalitionRequest(GameSource):
    """`accord coalition`: Shapley value, core, nucleolus, leverage and blocking coalitions
    of a coalition game file or a scenario (its `games: coalition:` section, or the game of
    its deals)."""

    actors: list[Id] | None = Field(default=default(coalition, "actors"), min_length=1,
                                    max_length=limits.MAX_COALITION_PLAYERS,
                                    description="Scenario: the players (default: every "
                                                "actor).")
    no_veto: bool = Field(default=default(coalition, "no_veto"),
                          description="Scenario: coalitions without a veto actor agree too.")
    from_deals: bool = Field(default=default(coalition, "from_deals"),
                             description="Scenario: the game of the deals even when the "
                                         "scenario gives one.")
    show: int = Field(default=default(coalition, "show"), ge=0, le=limits.MAX_COALITION_SHOW,
                      description="Objections listed per allocation of a game file.")


Label = Annotated[str | None, Field(default=None, max_length=200)]


class AnalysisRun(AnalyzeRequest):
    kind: Literal["analysis"]
    label: Label = None


class MediationRun(MediateRequest):
    kind: Literal["mediation"]
    label: Label = None


class ForecastRun(ForecastRequest):
    kind: Literal["forecast"]
    label: Label = None


class SweepRun(SweepRequest):
    kind: Literal["sweep"]
    label: Label = None


RunRequest = Annotated[AnalysisRun | MediationRun | ForecastRun | SweepRun,
                       Field(discriminator="kind")]

PARAMS: dict[str, type[_Body]] = {"analysis": AnalyzeParams, "mediation": MediateParams,
                                  "forecast": ForecastParams, "sweep": SweepParams}
"""The parameters of each run kind, as stored with the run."""


# -- responses --------------------------------------------------------------------------


class ErrorItem(BaseModel):
    path: str = Field(description="The field: a request field (scenario.text, rounds) or a "
                                  "place in the scenario (actors[1].batna).")
    message: str
    file: str | None = Field(default=None, description="'scenario' when the place is inside "
                                                       "the scenario.")
    line: int | None = Field(default=None, description="Line in the scenario text, when "
                                                       "known (1-based).")


class ErrorResponse(BaseModel):
    errors: list[ErrorItem]


class ValidateResponse(BaseModel):
    valid: bool
    errors: list[ErrorItem]
    scenario: dict[str, Any] | None = None


class SavedVersion(BaseModel):
    name: str
    version: int
    title: str
    format: str
    sha256: str
    created_at: str
    created: bool | None = None
    text: str | None = None


class SavedSummary(BaseModel):
    name: str
    title: str
    latest_version: int
    created_at: str
    updated_at: str
