"""Random linear-additive scenarios, for tests, benchmarks and teaching."""

from __future__ import annotations

import numpy as np

from .scenario import Scenario
from .validation import validate_scenario


def random_scenario_data(n_parties: int, n_issues: int, n_options: int, seed: int = 0,
                         batna: float | None = None, integer_scores: bool = True) -> dict:
    """Plain data of a random scenario: `n_parties` parties with a veto, `n_issues` discrete
    issues of `n_options` options, scores uniform on 0..100 (integers unless
    `integer_scores` is false), weights uniform on [0.05, 1] (to 3 decimals with integer
    scores) then normalised, BATNAs uniform on [0, 0.5] unless given. Reproducible from
    `seed`."""
    rng = np.random.default_rng(seed)
    issues = [{"id": f"i{i}", "options": [f"o{o}" for o in range(n_options)]}
              for i in range(n_issues)]
    actors = []
    for a in range(n_parties):
        if integer_scores:
            scores = rng.integers(0, 101, size=(n_issues, n_options)).astype(float)
        else:
            scores = rng.uniform(0, 100, size=(n_issues, n_options))
        weights = rng.uniform(0.05, 1.0, size=n_issues)
        if integer_scores:  # numbers as a person would type them: exact utilities
            weights = np.round(weights, 3)
        actors.append({
            "id": f"p{a}",
            "role": "party",
            "batna": float(rng.uniform(0, 0.5) if batna is None else batna),
            "salience": {f"i{i}": float(weights[i]) for i in range(n_issues)},
            "preferences": {f"i{i}": {f"o{o}": float(scores[i, o]) for o in range(n_options)}
                            for i in range(n_issues)},
        })
    return {"accord": 1, "id": f"random-{n_parties}x{n_issues}x{n_options}-s{seed}",
            "title": f"Random {n_parties} x {n_issues} x {n_options} problem (seed {seed})",
            "summary": "Random linear-additive problem; no real-world meaning.",
            "issues": issues, "actors": actors}


def random_scenario(n_parties: int, n_issues: int, n_options: int, seed: int = 0,
                    batna: float | None = None, integer_scores: bool = True) -> Scenario:
    """A validated random scenario (see `random_scenario_data`)."""
    return validate_scenario(random_scenario_data(n_parties, n_issues, n_options, seed, batna,
                                                  integer_scores), "<random>")
