"""`SweepResult`: what a sweep found, ready for the CLI, the report and the web app."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


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
    inputs: list[dict[str, Any]]
    zopa: dict[str, Any]
    proposals: list[dict[str, Any]]
    nash: dict[str, Any]
    forecast: dict[str, Any] | None
    mediation: dict[str, Any] | None
    sensitivity: list[dict[str, Any]]
    method: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario_id,
            "samples": self.samples,
            "seed": self.seed,
            "inputs": list(self.inputs),
            "zopa": dict(self.zopa),
            "proposals": list(self.proposals),
            "nash": dict(self.nash),
            "forecast": self.forecast,
            "mediation": self.mediation,
            "sensitivity": list(self.sensitivity),
            "method": dict(self.method),
        }
