"""A rough estimate of how long the Pareto frontier of a space takes, before computing it.

The web app uses it to refuse at once a request that could not finish within its budget
(rather than start work that would be killed). It is an order of magnitude, not a promise:
measured on random scenarios (`accord.generate.random_scenario`, 2 to 10 parties, 4 to 6
options per issue) the true time was within about ten times the estimate, either way.
Front ends must treat it as a hint and still enforce their limit while the work runs.

The model, for additive utilities (`pareto_frontier`'s issue-by-issue merge):

* after merging issues 1..i, the frontier has about
  F_i = min(N_i, F_{i-1} * n_i, C * sum_{j<d} (ln N_i)^j / j!) deals, where N_i is the number
  of deals over those issues, n_i the options of issue i and d the number of parties. The
  sum is the expected number of maxima of N random points in d dimensions (it solves the
  recurrence M_d(N) = 1 + integral of M_{d-1}(x)/x from 1 to N): about N while N is small
  next to d, and (ln N)^(d-1) / (d-1)! for large N. C = `SPREAD`;
* step i filters F_{i-1} * n_i candidates against a frontier of F_i points, in d
  coordinates: about `PAIR_SECONDS` * F_{i-1} * n_i * F_i * d seconds;
* the merge gives up (an `InputError`, quickly) at the first step whose candidates exceed
  `max_candidates`, so the estimate stops adding there.

With interaction terms the frontier is found by walking every deal:
about `DEAL_SECONDS` * N * (issues + parties) seconds.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from .errors import InputError
from .space import Space

SPREAD = 2.0
"""C above: random scenarios have about twice as many Pareto-optimal deals as random points
(sums over issues spread along the frontier)."""

PAIR_SECONDS = 3e-9
"""Seconds per (candidate, frontier point, party) comparison of the merge's filter."""

STEP_SECONDS = 1e-4
"""Fixed cost of one merge step (array set-up)."""

DEAL_SECONDS = 1e-8
"""Seconds per deal and per issue or party when every deal is walked."""


def estimate_seconds(space: Space, parties: Sequence[str] | Sequence[int] | None = None,
                     max_candidates: int | None = None) -> float | None:
    """Rough seconds to compute `pareto_frontier(space, parties)` (see the module doc), or
    None when it cannot be told (unknown parties: the computation itself reports them).

    `max_candidates`: the merge's limit (`pareto_frontier`'s argument), where the work
    stops early with an error."""
    try:
        idx = space.resolve_actors(list(parties) if parties is not None else None)
    except InputError:
        return None
    d = len(idx)
    if not space.additive:
        return DEAL_SECONDS * float(space.outcomes) * (space.n_issues + d)
    seconds = 0.0
    frontier = 1.0
    log_deals = 0.0
    for n in space.n_options:
        candidates = frontier * n
        if max_candidates is not None and candidates > max_candidates:
            break
        log_deals += math.log(n) if n > 0 else 0.0
        maxima = SPREAD * _maxima(log_deals, d)
        size = max(1.0, min(math.exp(min(log_deals, 700.0)), candidates, maxima))
        seconds += STEP_SECONDS + PAIR_SECONDS * candidates * size * max(d, 1)
        frontier = size
    return seconds


def _maxima(log_n: float, d: int) -> float:
    """Expected maxima of e**log_n random points in d dimensions: sum_{j<d} log_n^j / j!."""
    term, total = 1.0, 1.0
    for j in range(1, d):
        term *= log_n / j
        total += term
    return total
