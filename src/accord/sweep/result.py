"""`SweepResult`: what a sweep found, ready for the CLI, the report and the web app."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Estimate:
    """How often something held over `n` draws: the share, its 95% Wilson interval and the
    count (`accord.sweep.stats.wilson_interval`)."""

    probability: float | None
    ci: tuple[float, float]
    count: int
    n: int

    def to_dict(self) -> dict[str, Any]:
        return {"probability": self.probability, "ci": list(self.ci), "count": self.count,
                "n": self.n}


@dataclass(frozen=True)
class Distribution:
    """A numeric outcome over the draws: how many had it (`n`) and did not (`missing`), its
    mean, standard deviation, range and 5%, 50% and 95% quantiles (None without draws)."""

    n: int
    missing: int
    mean: float | None
    sd: float | None
    min: float | None
    p5: float | None
    p50: float | None
    p95: float | None
    max: float | None

    def to_dict(self) -> dict[str, Any]:
        return {"n": self.n, "missing": self.missing, "mean": self.mean, "sd": self.sd,
                "min": self.min, "p5": self.p5, "p50": self.p50, "p95": self.p95,
                "max": self.max}


@dataclass(frozen=True)
class DrawnInput:
    """An uncertain input: its name, its distribution as written, its nominal value, and the
    values actually drawn."""

    name: str
    distribution: dict[str, Any]
    nominal: float
    drawn: Distribution

    def to_dict(self) -> dict[str, Any]:
        return {"input": self.name, "distribution": dict(self.distribution),
                "nominal": self.nominal, "drawn": self.drawn.to_dict()}


@dataclass(frozen=True)
class ZopaSection:
    """How often a ZOPA exists, and the ZOPA margin (the largest smallest gain over the
    BATNAs; minus it is the shortfall) over the draws."""

    exists: Estimate
    margin: Distribution

    def to_dict(self) -> dict[str, Any]:
        return {**self.exists.to_dict(), "margin": self.margin.to_dict()}


@dataclass(frozen=True)
class ProposalSection:
    """One proposal over the draws: how often it is an agreement, how often each actor
    accepts it, and its margin (the smallest gain of a veto actor)."""

    id: str
    title: str | None
    agreement: Estimate
    accepts: dict[str, Estimate]
    margin: Distribution

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "agreement": self.agreement.to_dict(),
                "accepts": {a: e.to_dict() for a, e in self.accepts.items()},
                "margin": self.margin.to_dict()}


@dataclass(frozen=True)
class NashDeal:
    """A deal that is the Nash solution in `count` draws (a share `probability`)."""

    deal: dict[str, str]
    count: int
    probability: float

    def to_dict(self) -> dict[str, Any]:
        return {"deal": dict(self.deal), "count": self.count, "probability": self.probability}


@dataclass(frozen=True)
class NashSection:
    """How often the Nash solution exists, the most frequent Nash deals, how many distinct
    ones there were, and every actor's utility in it (over the draws where it exists)."""

    exists: Estimate
    deals: list[NashDeal]
    distinct: int
    utilities: dict[str, Distribution]

    def to_dict(self) -> dict[str, Any]:
        return {"exists": self.exists.to_dict(), "deals": [d.to_dict() for d in self.deals],
                "distinct": self.distinct,
                "utilities": {a: u.to_dict() for a, u in self.utilities.items()}}


@dataclass(frozen=True)
class ForecastSection:
    """A forecast model's outcome per issue (in the issue's units) over the draws."""

    model: str
    issues: dict[str, Distribution]

    def to_dict(self) -> dict[str, Any]:
        return {"model": self.model, "issues": {i: d.to_dict() for i, d in self.issues.items()}}


@dataclass(frozen=True)
class MediationSection:
    """A mediation protocol over the draws: how often it ends in agreement, and every
    actor's utility where it ends."""

    protocol: str
    agreement: Estimate
    utilities: dict[str, Distribution]

    def to_dict(self) -> dict[str, Any]:
        return {"protocol": self.protocol, "agreement": self.agreement.to_dict(),
                "utilities": {a: u.to_dict() for a, u in self.utilities.items()}}


@dataclass(frozen=True)
class TornadoRow:
    """One input's one-at-a-time swing: the outcome with the input at its 5% (`low`) and
    95% (`high`) quantiles, the others nominal; and its correlation with the outcome over
    the draws."""

    input: str
    low: float
    high: float
    outcome_low: float | None
    outcome_high: float | None
    swing: float | None
    correlation: float | None

    def to_dict(self) -> dict[str, Any]:
        return {"input": self.input, "low": self.low, "high": self.high,
                "outcome_low": self.outcome_low, "outcome_high": self.outcome_high,
                "swing": self.swing, "correlation": self.correlation}


@dataclass(frozen=True)
class Tornado:
    """The inputs ranked by their swing of one conclusion (`outcome`: the ZOPA margin or a
    proposal's margin), with its nominal value."""

    outcome: str
    nominal: float | None
    ranking: list[TornadoRow]

    def to_dict(self) -> dict[str, Any]:
        return {"outcome": self.outcome, "nominal": self.nominal,
                "ranking": [r.to_dict() for r in self.ranking]}


@dataclass(frozen=True)
class SweepResult:
    """Probabilities (with 95% Wilson intervals), distributions and sensitivities of a sweep.

    - `zopa`: how often a ZOPA exists, and the distribution of the ZOPA margin (largest
      smallest gain over the BATNAs; minus it is the shortfall).
    - `proposals`: per proposal, how often it is an agreement, how often each actor accepts
      it, and its margin (smallest gain of a veto actor).
    - `nash`: how often the Nash solution exists, how often each deal is it, and every
      actor's utility in it (over the draws where it exists).
    - `forecast`, `mediation`: outcome distributions when asked for.
    - `sensitivity`: per conclusion, the inputs ranked by the swing of a one-at-a-time sweep
      (each input at its 5% and 95% quantiles, the others nominal), with the correlation of
      the input with the outcome over the draws.
    - `method`: seed, executor, workers, chunking, interval method, timing, output file.

    References: the intervals of Wilson, E. B. (1927) J. Amer. Statist. Assoc.
    22(158):209-212, doi:10.1080/01621459.1927.10502953; the one-at-a-time swings and
    correlations as in Saltelli, A. et al. (2008) *Global Sensitivity Analysis: The Primer*,
    Wiley, doi:10.1002/9780470725184.
    """

    scenario_id: str
    samples: int
    seed: int
    inputs: list[DrawnInput]
    zopa: ZopaSection
    proposals: list[ProposalSection]
    nash: NashSection
    forecast: ForecastSection | None
    mediation: MediationSection | None
    sensitivity: list[Tornado]
    method: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario_id,
            "samples": self.samples,
            "seed": self.seed,
            "inputs": [u.to_dict() for u in self.inputs],
            "zopa": self.zopa.to_dict(),
            "proposals": [p.to_dict() for p in self.proposals],
            "nash": self.nash.to_dict(),
            "forecast": None if self.forecast is None else self.forecast.to_dict(),
            "mediation": None if self.mediation is None else self.mediation.to_dict(),
            "sensitivity": [t.to_dict() for t in self.sensitivity],
            "method": dict(self.method),
        }
