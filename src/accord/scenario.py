"""The scenario format (version 1): issues, actors, proposals and the sources behind them.

A scenario is plain data. `accord.io` reads it from YAML or JSON and validates it;
`accord.space.compile_space` turns it into arrays. The models here check the shape of each
field (types, required fields, bounds); `accord.validation` checks what refers to what
(ids, options, ranges, steps) and reports every problem at once.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    PrivateAttr,
    Tag,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from .numeric import written_number

FORMAT_VERSION = 1

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$"
"""Ids of issues, options, actors, proposals and sources: letters, digits, `_ . -`, no spaces
(so that `--deal issue=option,issue=option` can always be parsed)."""


def _label(value: Any) -> Any:
    """Option labels and table keys: numbers become strings; YAML booleans are refused.

    YAML 1.1 reads unquoted yes/no/on/off/true/false as booleans, which is never what a
    scenario author means by an option called `no`.
    """
    if isinstance(value, bool):
        raise ValueError(
            f"{str(value).lower()!r} was read as a boolean (YAML reads yes/no/on/off/true/false "
            "that way): put the option in quotes"
        )
    if isinstance(value, int | float):
        return str(value)
    return value


Number = Annotated[float, BeforeValidator(written_number)]
"""A number written as a number (see `accord.numeric.written_number`)."""


def _uncertain(lower: float, upper: float | None) -> WithJsonSchema:
    """JSON Schema of a number that may also be written as a distribution (see
    `accord.uncertainty`): the scenario models hold the nominal value, the schema admits both.
    """
    bounds: dict[str, float] = {"minimum": lower}
    if upper is not None:
        bounds["maximum"] = upper
    number = {"type": "number", **bounds}
    return WithJsonSchema({"anyOf": [
        number,
        {"type": "object", "title": "uniform", "required": ["low", "high"],
         "properties": {"low": number, "high": number}, "additionalProperties": False},
        {"type": "object", "title": "normal (clipped)", "required": ["mean", "sd"],
         "properties": {"mean": number, "sd": {"type": "number", "exclusiveMinimum": 0}},
         "additionalProperties": False},
        {"type": "object", "title": "triangular", "required": ["mode", "low", "high"],
         "properties": {"mode": number, "low": number, "high": number},
         "additionalProperties": False},
        {"type": "array", "title": "one of the values", "items": number, "minItems": 1},
    ]})


Id = Annotated[str, Field(pattern=ID_PATTERN, min_length=1, max_length=80)]
Label = Annotated[Id, BeforeValidator(_label)]
Score = Annotated[Number, Field(ge=0, le=100), _uncertain(0, 100)]
Weight = Annotated[Number, Field(ge=0), _uncertain(0, None)]
Unit = Annotated[Number, Field(ge=0, le=1), _uncertain(0, 1)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True,
                              allow_inf_nan=False)


class Source(_Model):
    """A document the scenario's numbers come from."""

    title: str = Field(min_length=1)
    date: _dt.date | str | None = None
    author: str | None = None
    publisher: str | None = None
    url: str | None = None
    note: str | None = None


class Basis(_Model):
    """Where one number (or group of numbers) of an actor or proposal comes from.

    Either a `source` id (with an optional `quote` that supports the number) or an
    `assumption` saying the modeller chose it. Every built-in scenario gives one for each
    of its numbers.
    """

    source: Id | None = None
    quote: str | None = None
    assumption: str | None = None
    note: str | None = None


class Option(_Model):
    """One option of a discrete issue."""

    id: Label
    title: str | None = None


def _option(value: Any) -> Any:
    if isinstance(value, dict):
        return value
    return {"id": _label(value)}


class Issue(_Model):
    """An issue: discrete ordered `options` (pole to pole) or a numeric `range` with a `step`."""

    id: Id
    title: str | None = None
    description: str | None = None
    options: list[Annotated[Option, BeforeValidator(_option), WithJsonSchema({"anyOf": [
        {"type": ["string", "number"]},
        {"type": "object", "required": ["id"], "additionalProperties": False,
         "properties": {"id": {"type": ["string", "number"]}, "title": {"type": "string"}}},
    ]})]] | None = None
    range: tuple[Number, Number] | None = None
    step: Number | None = Field(default=None, gt=0)
    unit: str | None = None

    @property
    def is_numeric(self) -> bool:
        return self.range is not None

    @property
    def grid_step(self) -> float:
        """The step of the numeric grid: `step`, or a tenth of the range when it is not given."""
        assert self.range is not None
        lo, hi = self.range
        return self.step if self.step is not None else (hi - lo) / 10

    def grid(self) -> list[float]:
        """The values a numeric issue takes in discrete analyses: lo, lo + step, ..., hi."""
        assert self.range is not None
        lo, hi = self.range
        n = round((hi - lo) / self.grid_step)
        return [_tidy(lo + k * (hi - lo) / n) for k in range(n + 1)]

    def labels(self) -> list[str | float]:
        """What each option is called in a deal: the option id, or the grid value."""
        if self.options is not None:
            return [o.id for o in self.options]
        return list(self.grid())


def _tidy(x: float) -> float | int:
    """A grid value without float noise: 30.000000000000004 -> 30, 2.5 stays 2.5."""
    r = round(x, 9)
    return int(r) if r == int(r) else r


class NumericPreference(_Model):
    """Preference on a numeric issue: the score falls linearly with distance from `ideal`,
    `s(x) = 100 * (1 - |x - ideal| / (hi - lo))`."""

    ideal: Annotated[Number, WithJsonSchema({"anyOf": [
        {"type": "number"}, {"type": "object"}, {"type": "array", "items": {"type": "number"}}]})]


def _preference_kind(value: Any) -> str:
    if isinstance(value, dict) and "ideal" in value:
        return "ideal-point"
    if isinstance(value, NumericPreference):
        return "ideal-point"
    return "score-table"


Preference = Annotated[
    Annotated[dict[Label, Score], Tag("score-table")]
    | Annotated[NumericPreference, Tag("ideal-point")],
    Discriminator(_preference_kind),
]
"""A score (0..100) per option of a discrete issue, or an ideal point on a numeric issue."""


class Interaction(_Model):
    """A pairwise term: how much the actor values each combination of options of two discrete
    issues (a ceasefire is worth more with guarantees). `weight` is normalised together with
    the salience weights; `scores[a][b]` (0..100) is the score of option a of the first issue
    with option b of the second."""

    issues: tuple[Id, Id]
    weight: Weight
    scores: dict[Label, dict[Label, Score]]


class WarLottery(_Model):
    """No agreement as a war lottery (Fearon 1995): the actor wins with probability
    `win_probability`, getting utility `win`, else `loss`, and pays `cost` either way. Its
    BATNA is then p * win + (1 - p) * loss - cost, clipped to [0, 1]. Utilities are on the
    scenario's scale (1 = the actor's best deal)."""

    win_probability: Unit
    cost: Unit
    win: Unit = 1.0
    loss: Unit = 0.0

    @property
    def value(self) -> float:
        p = self.win_probability
        v = p * self.win + (1 - p) * self.loss - self.cost
        return min(1.0, max(0.0, round(v, 12)))


class Actor(_Model):
    """A party, mediator or stakeholder, with what it wants and what it gets without a deal."""

    id: Id
    title: str | None = None
    role: Literal["party", "mediator", "stakeholder"] = "party"
    veto: bool | None = Field(
        default=None, description="Whether a deal needs this actor's consent; default: parties."
    )
    capability: Weight = Field(default=1.0, description="Clout, for the forecast models.")
    batna: Unit = Field(default=0.0, description="Utility of no agreement, 0..1.")
    war: WarLottery | None = Field(
        default=None, description="Derive the BATNA from a war lottery instead of giving it.")
    salience: dict[Id, Weight] | None = Field(
        default=None,
        description="Weight of each issue, normalised to sum 1; issues left out weigh 0; "
        "when absent, all issues weigh the same.",
    )
    preferences: dict[Id, Preference] = Field(default_factory=dict)
    interactions: list[Interaction] = Field(
        default_factory=list,
        description="Optional pairwise terms between discrete issues (non-additive utility).")
    position: dict[Id, Score] | None = None
    sources: list[Id] = Field(default_factory=list)
    basis: dict[str, Basis] = Field(default_factory=dict)
    note: str | None = None

    @property
    def has_veto(self) -> bool:
        return self.veto if self.veto is not None else self.role == "party"

    @model_validator(mode="before")
    @classmethod
    def _batna_from_war(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("war"), dict) and "batna" not in data:
            with contextlib.suppress(ValueError):  # the war field reports its own problems
                data = {**data, "batna": WarLottery.model_validate(data["war"]).value}
        return data


DealValue = Annotated[str | float,
                      BeforeValidator(lambda v: _label(v) if isinstance(v, bool) else v)]


class Proposal(_Model):
    """A deal on the table: one option (or numeric value) per issue."""

    id: Id
    title: str | None = None
    by: Id | None = None
    deal: dict[Id, DealValue]
    sources: list[Id] = Field(default_factory=list)
    basis: dict[str, Basis] = Field(default_factory=dict)
    note: str | None = None


class Scenario(_Model):
    """A whole scenario file, format version 1."""

    accord: Literal[1] = Field(description="Format version.")
    id: Id
    title: str = Field(min_length=1)
    summary: str | None = None
    disclaimer: str | None = None
    sources: dict[Id, Source] = Field(default_factory=dict)
    issues: list[Issue] = Field(min_length=1)
    actors: list[Actor] = Field(min_length=1)
    proposals: list[Proposal] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    games: dict[str, Any] = Field(
        default_factory=dict,
        description="Optional inputs of the games models (strategic, trust, crisis, "
                    "coalition), each in the form of that model's own file.")
    _data: dict | None = PrivateAttr(default=None)
    _uncertain: tuple = PrivateAttr(default=())

    @property
    def uncertain_inputs(self) -> tuple:
        """The numbers written as distributions (`accord.uncertainty.UncertainInput`), in file
        order; the model's own fields hold their nominal values."""
        return self._uncertain

    @property
    def is_uncertain(self) -> bool:
        return bool(self._uncertain)

    @property
    def nominal_data(self) -> dict:
        """The raw data this scenario was validated from, distributions replaced by their
        nominal values (what `accord.sweep` applies its draws to)."""
        if self._data is None:
            return self.model_dump(mode="json", exclude_none=True)
        return self._data

    @field_validator("notes", mode="before")
    @classmethod
    def _notes_as_list(cls, v: Any) -> Any:
        return [v] if isinstance(v, str) else v

    def issue(self, issue_id: str) -> Issue:
        for issue in self.issues:
            if issue.id == issue_id:
                return issue
        raise KeyError(issue_id)

    def actor(self, actor_id: str) -> Actor:
        for actor in self.actors:
            if actor.id == actor_id:
                return actor
        raise KeyError(actor_id)

    def proposal(self, proposal_id: str) -> Proposal:
        for proposal in self.proposals:
            if proposal.id == proposal_id:
                return proposal
        raise KeyError(proposal_id)

    @property
    def parties(self) -> list[Actor]:
        return [a for a in self.actors if a.role == "party"]

    @property
    def veto_actors(self) -> list[Actor]:
        return [a for a in self.actors if a.has_veto]
