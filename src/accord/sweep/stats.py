"""Streaming statistics: what a sweep keeps while draws go by, in memory that does not grow
with the number of draws.

- `Proportion`: a count of successes; its estimate comes with a Wilson score interval
  (Wilson 1927; Brown, Cai and DasGupta 2001 recommend it over the normal interval):
  centre (p + z^2/2n) / (1 + z^2/n), half-width z sqrt(p(1-p)/n + z^2/4n^2) / (1 + z^2/n).
- `Summary`: count, mean and standard deviation (Welford's update, merged chunk by chunk
  with Chan et al.'s formula), minimum and maximum, and quantiles read off a fixed
  histogram of `BINS` bins over the column's known range (error at most one bin width).
- `Correlations`: sums of x, y, x^2, y^2 and xy for every (input, outcome) pair, hence
  Pearson correlations, in O(inputs x outcomes) memory.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from .result import Distribution, Estimate

Z95 = 1.959963984540054
"""The 97.5% quantile of the standard normal: 95% two-sided intervals."""

BINS = 4000


def wilson_interval(successes: int, n: int, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval of a binomial proportion; (0, 1) when n = 0: with p = k / n,
    centre (p + z^2/2n) / (1 + z^2/n) and half-width z sqrt(p(1-p)/n + z^2/4n^2) / (1 + z^2/n),
    clipped to [0, 1]. O(1).

    References: Wilson, E. B. (1927) "Probable inference, the law of succession, and
    statistical inference", J. Amer. Statist. Assoc. 22(158):209-212,
    doi:10.1080/01621459.1927.10502953; Brown, L. D., Cai, T. T. and DasGupta, A. (2001)
    "Interval estimation for a binomial proportion", Statistical Science 16(2):101-133,
    doi:10.1214/ss/1009213286.
    """
    if n == 0:
        return (0.0, 1.0)
    p = successes / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return (max(0.0, centre - half), min(1.0, centre + half))


@dataclass
class Proportion:
    """How often something held, over n draws, with its 95% Wilson interval (`to_dict`; see
    `wilson_interval` for the references). O(draws) per `add`, O(1) memory."""

    successes: int = 0
    n: int = 0

    def add(self, values: np.ndarray) -> None:
        self.successes += int(np.count_nonzero(values))
        self.n += int(values.size)

    def estimate(self) -> Estimate:
        """The share so far, rounded to 6 decimals, with its interval."""
        p = self.successes / self.n if self.n else None
        lo, hi = wilson_interval(self.successes, self.n)
        return Estimate(None if p is None else round(p, 6), (round(lo, 6), round(hi, 6)),
                        self.successes, self.n)


@dataclass
class Summary:
    """Mean, sd, range and histogram quantiles of a float column (NaN values are skipped and
    counted).

    Each chunk is merged by mean += delta n_b / n and M2 += M2_b + delta^2 n_a n_b / n
    (delta the difference of the means); quantiles are read off `BINS` bins over [lower,
    upper] (error at most one bin width). Cost: O(chunk) per `add`, O(BINS) memory.

    References: Welford, B. P. (1962) "Note on a method for calculating corrected sums of
    squares and products", Technometrics 4(3):419-420, doi:10.1080/00401706.1962.10490022;
    Chan, T. F., Golub, G. H. and LeVeque, R. J. (1982) "Updating formulae and a pairwise
    algorithm for computing sample variances", COMPSTAT 1982, Physica-Verlag, pp. 30-41,
    doi:10.1007/978-3-642-51461-6_3.
    """

    lower: float
    upper: float
    n: int = 0
    missing: int = 0
    mean: float = 0.0
    m2: float = 0.0
    low: float = math.inf
    high: float = -math.inf
    counts: np.ndarray = field(default_factory=lambda: np.zeros(BINS + 2, dtype=np.int64))

    def add(self, values: np.ndarray) -> None:
        v = np.asarray(values, dtype=float)
        ok = ~np.isnan(v)
        self.missing += int((~ok).sum())
        v = v[ok]
        if not v.size:
            return
        n_b, mean_b = v.size, float(v.mean())
        m2_b = float(((v - mean_b) ** 2).sum())
        n = self.n + n_b
        delta = mean_b - self.mean
        self.mean += delta * n_b / n
        self.m2 += m2_b + delta * delta * self.n * n_b / n
        self.n = n
        self.low = min(self.low, float(v.min()))
        self.high = max(self.high, float(v.max()))
        width = (self.upper - self.lower) / BINS
        k = np.floor((v - self.lower) / width).astype(np.int64) + 1
        k = np.clip(k, 0, BINS + 1)  # 0 and BINS+1 hold values outside the range
        k[(v == self.upper)] = BINS
        self.counts += np.bincount(k, minlength=BINS + 2)

    def quantile(self, q: float) -> float | None:
        """The q-quantile, interpolated within its histogram bin (exact at the extremes)."""
        if not self.n:
            return None
        if q <= 0:
            return self.low
        if q >= 1:
            return self.high
        target = q * self.n
        cum = np.cumsum(self.counts)
        k = int(np.searchsorted(cum, target, side="left"))
        if k == 0:
            return self.low
        if k == BINS + 1:
            return self.high
        width = (self.upper - self.lower) / BINS
        before = cum[k - 1]
        inside = self.counts[k]
        frac = (target - before) / inside if inside else 0.5
        x = self.lower + (k - 1 + frac) * width
        return float(min(max(x, self.low), self.high))

    @property
    def sd(self) -> float | None:
        return math.sqrt(self.m2 / (self.n - 1)) if self.n > 1 else None

    def distribution(self) -> Distribution:
        """The summary so far, rounded to 6 decimals."""
        def r(x: float | None) -> float | None:
            return None if x is None else round(float(x), 6)

        some = self.n > 0
        return Distribution(self.n, self.missing, r(self.mean) if some else None, r(self.sd),
                            r(self.low) if some else None, r(self.quantile(0.05)),
                            r(self.quantile(0.5)), r(self.quantile(0.95)),
                            r(self.high) if some else None)


@dataclass
class Correlations:
    """Pearson correlation of each input with each outcome, from running sums (draws where
    an outcome is NaN are left out of that outcome's sums):
    r = (n Sxy - Sx Sy) / sqrt((n Sxx - Sx^2)(n Syy - Sy^2)). Cost: O(draws x inputs x
    outcomes) per `add`, O(inputs x outcomes) memory.

    References: Pearson, K. (1895) "Note on regression and inheritance in the case of two
    parents", Proc. R. Soc. Lond. 58:240-242, doi:10.1098/rspl.1895.0041.
    """

    inputs: int
    outcomes: int
    n: np.ndarray = field(init=False)
    sx: np.ndarray = field(init=False)
    sxx: np.ndarray = field(init=False)
    sy: np.ndarray = field(init=False)
    syy: np.ndarray = field(init=False)
    sxy: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        shape = (self.inputs, self.outcomes)
        self.n, self.sx, self.sxx = np.zeros(shape), np.zeros(shape), np.zeros(shape)
        self.sy, self.syy, self.sxy = np.zeros(shape), np.zeros(shape), np.zeros(shape)

    def add(self, x: np.ndarray, y: np.ndarray) -> None:
        """x: (draws, inputs), y: (draws, outcomes)."""
        mask = (~np.isnan(y)).astype(float)
        y0 = np.where(np.isnan(y), 0.0, y)
        self.n += np.ones((x.shape[1], 1)) @ mask.sum(axis=0)[None, :]
        self.sx += x.T @ mask
        self.sxx += (x * x).T @ mask
        self.sy += np.ones((x.shape[1], x.shape[0])) @ y0
        self.syy += np.ones((x.shape[1], x.shape[0])) @ (y0 * y0)
        self.sxy += x.T @ y0

    def matrix(self) -> np.ndarray:
        """Correlations (inputs x outcomes); NaN where a variable does not vary."""
        with np.errstate(invalid="ignore", divide="ignore"):
            cov = self.n * self.sxy - self.sx * self.sy
            vx = self.n * self.sxx - self.sx ** 2
            vy = self.n * self.syy - self.sy ** 2
            r = cov / np.sqrt(vx * vy)
        r[(vx <= 1e-12 * np.maximum(1.0, self.n * self.sxx))
          | (vy <= 1e-12 * np.maximum(1.0, self.n * self.syy))] = np.nan
        return np.clip(r, -1.0, 1.0)
