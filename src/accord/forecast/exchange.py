"""Stokman's exchange model, Equal-Gain variant (the model of the "Decide" program).

Idea (Stokman & Van Oosten 1994, "The Exchange of Voting Positions", in *European Community
Decision Making*; the Equal-Gain rule as implemented in Decide by J. Draaijer, see Dijkstra,
van Assen, Stokman & Draaijer 2018; applied to the climate negotiations by Stokman 2015 for
Copenhagen and Stokman & Thomson 2015 / Sprinz et al. 2016 for Paris). Two actors who sit on
opposite sides of the expected outcome on two issues, and who weigh the two issues differently,
can both gain by log-rolling: each moves its *voting* position towards the other on the issue it
cares relatively less about. The rate of exchange is set so that both gain the same ("equal
gain"), and the exchanges with the largest gains are carried out first.

Notation (issues on the internal 0..100 scale; c_id power, s_id salience, x_id position; an
actor with no position, salience 0 or power 0 on d is not on d):

* outcome (mean voter / Nash bargaining solution, Decide's "MDS")
  O_d = sum_i c_id s_id x_id / D_d with D_d = sum_i c_id s_id; utility -s_id |x_id - O_d|;
* moving i's voting position on d by m shifts O_d by the "exchange ratio"
  r = |m| c_id s_id / D_d; back, |m| = r D_d / (c_id s_id);
* candidates: for each pair of issues (p, q), every actor at or left of the outcome (x <= O)
  on both pairs with every actor right of it on both, and every actor left on p only with every
  actor left on q only;
* roles: the actor with the smaller s_p / s_q supplies p (moves its vote on p towards the
  other's position) and the other supplies q. Below, `a` supplies Q and demands P, `b`
  supplies P and demands Q, and y is a current voting position;
* equal gain: a gains G_a = r_P s_aP - r_Q s_aQ and b gains G_b = r_Q s_bQ - r_P s_bP; they
  are equal when r_Q = r_P (s_aP + s_bP) / (s_aQ + s_bQ). First b moves all the way to a's
  position on P, r_P = |x_aP - y_bP| c_bP s_bP / D_P, and a's move follows from r_Q; if that
  would carry a past b's position on Q, a moves all the way instead and b's move follows from
  r_P = r_Q (s_aQ + s_bQ) / (s_aP + s_bP). The equal gain is |r_Q s_aQ - r_P s_aP|;
* overshoot (Decide's `check_nbs`, for a then for b): if the move would carry the outcome of
  the supplier's issue, as the exchange sees it, past the partner's position t, the supplier's
  move is cut to (t D - sum_k c_k s_k y_k) / (c s), the sum taken with the supplier at its
  current vote (the outcome then lands on t), the partner's move follows at equal gain and the
  gain is recomputed. (Decide takes that sum with the supplier at a position the exchange
  tracked for it earlier, if any, which can be stale: its "cut" can then lengthen the move and
  carry the vote and the outcome past t. Not in its reference runs; see `_equal_gain`.)
* validity: both moves larger than 1e-10 and at most 100, ending inside [0, 100], in the same
  direction as the exchange's earlier moves on that actor-issue (their sum at most 100), and a
  gain above 1e-10;
* order: all candidates are computed, then the one with the highest gain is carried out,
  repeatedly. A remaining exchange is recomputed when it shares a supplying actor-issue with
  the executed one (it then starts from the moved vote) or when one of its actors demands what
  the executed exchange's same actor demanded (it then sees that move on the outcome); the
  ones that become invalid are dropped. An actor can take part in several exchanges;
* end of a round: the voting positions y are the positions after all executed moves, the
  *voting outcome* is O on them, and every actor that exchanged moves its preference part of
  the way: x' = x + (0.1 + 0.4 (1 - s)) (y - x). The next round starts from x'.

Ties and arithmetic. Decide computes with Python decimals (28 significant digits) and breaks
exact ties between the best gains with an unseeded coin flip (`EqualGainModel.highest_gain`).
The shipped reference runs were made with that coin switched off (`ALLOW_RANDOM = False`): the
exchanges then stay in one list that is stably re-sorted by gain before each pick, so among equal
gains the one earlier in the previous order wins; the list starts issue pair by issue pair (in
input order), left-left x right-right before left-right x right-left, actors in input order.
Gains equal on paper but computed along different paths differ in the 28th digit, and that
decides such ties in Decide (COP21, round 1: Japan and India gain 0.075 r on progress with
finance_vol, as |0.65 r - 0.65 r 1.45 / 1.3|, and on progress with adapt_finance, as
|0.65 r - 0.75 r 1.45 / 1.5|; the second is larger in the 28th digit and goes first).
This module therefore computes in the same decimals with the same order of operations:
`tie_rule="reference"` (the default) reproduces Decide's choices exactly; `tie_rule="random"`
draws uniformly among the exchanges whose gains lie within `tie_tolerance` (relative, 1e-20) of
the best, from a generator seeded by `seed`. Both count the picks that had such a tie.

Cost. A round builds its K <= n^2 d (d - 1) / 8 candidates at once (numpy object arrays of
decimals); each executed exchange finds the candidates it touches with integer masks and
recomputes those at once, so a round costs O(E K) for E executed exchanges (COP21, 15 actors x
13 issues, 10 rounds: about 2 s).

Reproduction (tests/test_forecast_exchange.py). The reference runs of Decide 2025.3.1 on
sample_data, COP15 Copenhagen and COP21 Paris (10 rounds) are reproduced to their printed six
decimals: preference and voting outcome and variance per issue and round, every actor's
preference and voting position per round, and the 39 / 48 / 126 exchanges of round 1 in order.
The one deliberate departure from Decide, the overshoot cut from the current vote (above),
changes nothing in these runs.

The result. Round 0 is the input (outcome: the compromise). Round t >= 1 is the state after t
exchange rounds: `positions` the preferences x_t, `outcome` the voting outcome of round t. Its
`details` (internal 0..100 scale) give the preference outcome and variance of x_t, the voting
positions, outcome and variance of round t, the exchanges carried out in order (for each side:
actor, supply and demand issue, start, move, vote, target, whether the move was cut, and the
outcome of the supply issue before and after, as the exchange saw it; the equal gain, and the
gain before a cut, which is what Decide's exchange report prints), the number of ties, and per
actor the sum of its equal gains and its utility change, at its round-start preferences, from
the round-start outcome to the voting outcome. The reference files' "round k" is the preference
of round k here and the vote of round k + 1.
"""

from __future__ import annotations

import csv
import decimal
import math
import os
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np

from ..budget import Budget, check
from ..errors import InputError, Problem
from ..io import read_text
from .data import StakeholderData
from .result import ForecastResult, ForecastRound

FIXED_WEIGHT = 0.1
SALIENCE_WEIGHT = 0.4
MIN_GAIN = 1e-10
MIN_MOVE = 1e-10
TIE_RULES = ("reference", "random")
TIE_TOLERANCE = 1e-20
_PARAMS = ("power", "fixed_weight", "salience_weight", "tie_tolerance")

# Decide computes with Python decimals at the default precision; so do we, so that gains that
# are equal on paper compare exactly as they do there.
_CONTEXT = decimal.Context(prec=28, rounding=decimal.ROUND_HALF_EVEN,
                           traps=[decimal.InvalidOperation, decimal.DivisionByZero,
                                  decimal.Overflow])
_ZERO = Decimal(0)
_HUNDRED = Decimal(100)

Vec = np.ndarray  # 1-d object array of Decimal


# --- one side of an exchange ---------------------------------------------------------------


@dataclass(eq=False)
class _Side:
    """An actor in an exchange: it supplies (moves on) `supply` towards `target`, the partner's
    position there, and demands `demand`."""

    actor: int
    supply: int
    demand: int
    start: Decimal  # preference position on the supply issue at the start of the round
    pos: Decimal  # current voting position on the supply issue
    target: Decimal  # the partner's preference position on this actor's supply issue
    moves: list[Decimal] = field(default_factory=list)  # history for the direction rule
    move: Decimal = _ZERO
    y: Decimal = _ZERO


@dataclass(eq=False)
class _Exchange:
    a: _Side  # supplies issue Q (= b's demand)
    b: _Side  # supplies issue P (= a's demand)
    key: int = 0  # index into the round's table of (actor, supply, demand) of both sides
    gain: Decimal = _ZERO
    valid: bool = False
    cut_a: bool = False  # a's move was cut so that the outcome stops at b's position
    cut_b: bool = False  # b's move was cut so that the outcome stops at a's position
    uncut: Decimal = _ZERO  # the equal gain before the cut (Decide reports this as "eu")
    # positions of other actors moved by executed exchanges, as Decide tracks them per
    # exchange: updates[issue][actor] = position
    updates: dict[int, dict[int, Decimal]] = field(default_factory=dict)


# --- the vectorised equal-gain computation -------------------------------------------------


def _side_ok(pos: Vec, move: Vec, prev_sum: Vec, all_neg: np.ndarray, all_pos: np.ndarray
             ) -> np.ndarray:
    """Decide's move test: 1e-10 < |move| <= 100, pos + move in [0, 100], the move history's
    sum (this move included) at most 100, and every move of the history in one direction."""
    size = np.abs(move)
    end = pos + move
    return ((size <= 100) & (size > MIN_MOVE) & (end >= 0) & (end <= 100)
            & ~((prev_sum + move) > 100)
            & ((all_neg & (move < 0)) | (all_pos & (move > 0))))


def _row_sums(rows: np.ndarray) -> Vec:
    """Sum of each row in order (the order Decide adds the actors in)."""
    return np.add.reduce(rows, axis=1)


def _with_column(rows: np.ndarray, col: np.ndarray, values: Vec) -> np.ndarray:
    out = rows.copy()
    out[np.arange(rows.shape[0]), col] = values
    return out


def _passes(t: Vec, before: Vec, after: Vec) -> np.ndarray:
    """True where t lies strictly between the outcomes before and after a move (Decide's
    test: the two are not both on one side of t)."""
    d0, d1 = t - before, t - after
    return ~((d0 >= 0) & (d1 >= 0)) & ~((d0 <= 0) & (d1 <= 0))


def _equal_gain(v: dict[str, Any]) -> dict[str, Any]:
    """Moves, voting positions, equal gain and validity of m exchanges at once.

    `v` holds object arrays of length m (Decimal): current supply positions `pos_a`, `pos_b`;
    targets `tgt_a` (b's position on Q) and `tgt_b` (a's position on P); saliences
    `s_aQ, s_aP, s_bP, s_bQ`; powers `c_aQ, c_bP`; issue denominators `D_Q, D_P`; for the
    overshoot test the (m, n) terms x c s of every actor on Q and on P as the exchange sees them
    (`rows_Q`, `rows_P`: round-start positions with the exchange's tracked moves of other
    actors), the suppliers' columns `col_a`, `col_b` (there the supplier's current vote is
    used); and the move histories without the current move (`sum_a`, `neg_a`, `pos_a_`, same
    for b).

    Equal gain (module docstring): b first moves all the way to a's position on P, a's move
    follows from r_Q = r_P (s_aP + s_bP)/(s_aQ + s_bQ); if a would pass b's position on Q, a
    moves all the way and b's move follows. Overshoot (Decide's `check_nbs`), first for a then
    for b: if the outcome of X's supply issue would pass the partner's position t, X's move is
    cut to |z| with z = (t D - sum_k x_k c_k s_k) / (c_X s_X) (the sum includes X at its
    current position), the partner's move follows at equal gain and the gain is recomputed.

    The sum is the one the test measured "before" with, so the outcome lands exactly on t and
    the cut only ever shortens the move. Decide (`calculations.adjusted_nbs_by_position`) puts
    X at a position the exchange tracked for it earlier, when one is tracked (its `updates`
    override `x_pos`); after X's later moves on that issue that position is stale, and the
    "cut" move, applied from X's current position, can lengthen the move and carry the outcome
    and X's vote past t (tests/test_forecast_exchange.py,
    `test_overshoot_cut_starts_from_the_current_vote`). This one departure from Decide never
    arises in its reference runs (sample_data, COP15, COP21: the tracked position at a cut is
    always the current one).
    """
    pos_a, pos_b, tgt_a, tgt_b = v["pos_a"], v["pos_b"], v["tgt_a"], v["tgt_b"]
    s_aQ, s_aP, s_bP, s_bQ = v["s_aQ"], v["s_aP"], v["s_bP"], v["s_bQ"]
    c_aQ, c_bP, D_Q, D_P = v["c_aQ"], v["c_bP"], v["D_Q"], v["D_P"]

    # b moves all the way to a's position on P; a's move follows at equal gain
    gap_b = np.abs(tgt_b - pos_b)
    r_P = gap_b * s_bP * c_bP / D_P
    r_Q = ((s_bP + s_aP) / (s_bQ + s_aQ)) * r_P
    m_a = r_Q * D_Q / (c_aQ * s_aQ)
    m_b = gap_b
    # ... unless a would pass b's position on Q: then a moves all the way
    gap_a = np.abs(tgt_a - pos_a)
    over = np.abs(m_a) > gap_a
    if over.any():
        r_Q2 = gap_a * s_aQ * c_aQ / D_Q
        r_P2 = ((s_aQ + s_bQ) / (s_aP + s_bP)) * r_Q2
        r_Q = np.where(over, r_Q2, r_Q)
        r_P = np.where(over, r_P2, r_P)
        m_a = np.where(over, gap_a, m_a)
        m_b = np.where(over, r_P2 * D_P / (c_bP * s_bP), m_b)
    down_a, down_b = pos_a > tgt_a, pos_b > tgt_b
    m_a = np.where(down_a, -m_a, m_a)
    m_b = np.where(down_b, -m_b, m_b)
    gain = uncut = np.abs(r_Q * s_aQ - r_P * s_aP)
    valid = (_side_ok(pos_a, m_a, v["sum_a"], v["neg_a"], v["pos_a_"])
             & _side_ok(pos_b, m_b, v["sum_b"], v["neg_b"], v["pos_b_"])
             & ~(gain < MIN_GAIN))
    cut = {"a": np.zeros(valid.shape, dtype=bool), "b": np.zeros(valid.shape, dtype=bool)}

    # overshoot: first a on Q (partner b, target tgt_a), then b on P (partner a, tgt_b)
    for X in ("a", "b"):
        if not valid.any():
            break
        if X == "a":
            rows, col, D_X, D_O = v["rows_Q"], v["col_a"], D_Q, D_P
            pos, t, s_X, c_X, s_Xd = pos_a, tgt_a, s_aQ, c_aQ, s_aP
            s_O, c_O, s_Od = s_bP, c_bP, s_bQ
            y = pos_a + m_a
        else:
            rows, col, D_X, D_O = v["rows_P"], v["col_b"], D_P, D_Q
            pos, t, s_X, c_X, s_Xd = pos_b, tgt_b, s_bP, c_bP, s_bQ
            s_O, c_O, s_Od = s_aQ, c_aQ, s_aP
            y = pos_b + m_b
        idx = np.flatnonzero(valid)
        r = rows[idx]
        rest = _row_sums(_with_column(r, col[idx], pos[idx] * s_X[idx] * c_X[idx]))
        before = rest / D_X[idx]
        after = _row_sums(_with_column(r, col[idx], y[idx] * s_X[idx] * c_X[idx])) / D_X[idx]
        hit = _passes(t[idx], before, after)
        if not hit.any():
            continue
        idx, rest = idx[hit], rest[hit]
        # X's move from its current vote that puts the outcome on t (module docstring)
        z = np.abs((t[idx] * D_X[idx] - rest) / (s_X[idx] * c_X[idx]))
        rX = z * s_X[idx] * c_X[idx] / D_X[idx]
        rO = ((s_X[idx] + s_Od[idx]) / (s_Xd[idx] + s_O[idx])) * rX
        mO = np.abs(rO * D_O[idx] / (c_O[idx] * s_O[idx]))
        g = np.abs(rO * s_O[idx] - rX * s_Od[idx])
        if X == "a":
            m_b[idx] = np.where(down_b[idx], -mO, mO)
            m_a[idx] = np.where(down_a[idx], -z, z)
        else:
            m_a[idx] = np.where(down_a[idx], -mO, mO)
            m_b[idx] = np.where(down_b[idx], -z, z)
        gain = gain.copy() if gain is uncut else gain
        gain[idx] = g
        cut[X][idx] = True

    valid = (valid & _side_ok(pos_a, m_a, v["sum_a"], v["neg_a"], v["pos_a_"])
             & _side_ok(pos_b, m_b, v["sum_b"], v["neg_b"], v["pos_b_"]))
    return {"m_a": m_a, "m_b": m_b, "gain": gain, "valid": valid, "cut_a": cut["a"],
            "cut_b": cut["b"], "uncut": uncut}


# --- one round -----------------------------------------------------------------------------


def _objects(values) -> np.ndarray:
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


class _Round:
    """One exchange round: round-start preferences x (Decimal, n x d), saliences s, powers c,
    who is on which issue, the denominators D_d = sum c s and outcomes O_d."""

    def __init__(self, x: np.ndarray, s: np.ndarray, c: np.ndarray, on: np.ndarray):
        self.x, self.s, self.c, self.on = x, s, c, on
        self.terms = np.where(on, x * s * c, _ZERO)  # (x s) c, as Decide multiplies
        self.D = np.add.reduce(np.where(on, s * c, _ZERO), axis=0)
        self.O = np.add.reduce(self.terms, axis=0) / self.D

    def outcome(self, e: _Exchange, side: _Side, z: Decimal) -> Decimal:
        """The outcome of side's supply issue as e sees it, with side voting z."""
        k = side.supply
        row = self.terms[:, k].copy()
        for actor, u in e.updates.get(k, {}).items():
            row[actor] = u * self.s[actor, k] * self.c[actor, k]
        row[side.actor] = z * self.s[side.actor, k] * self.c[side.actor, k]
        return np.add.reduce(row) / self.D[k]

    def _inputs(self, a, b, p, q, pos_a, pos_b, rows_Q, rows_P, hist_a, hist_b):
        x, s, c = self.x, self.s, self.c
        return {"pos_a": pos_a, "pos_b": pos_b, "tgt_a": x[b, q], "tgt_b": x[a, p],
                "s_aQ": s[a, q], "s_aP": s[a, p], "s_bP": s[b, p], "s_bQ": s[b, q],
                "c_aQ": c[a, q], "c_bP": c[b, p], "D_Q": self.D[q], "D_P": self.D[p],
                "rows_Q": rows_Q, "rows_P": rows_P, "col_a": a, "col_b": b,
                "sum_a": hist_a[0], "neg_a": hist_a[1], "pos_a_": hist_a[2],
                "sum_b": hist_b[0], "neg_b": hist_b[1], "pos_b_": hist_b[2]}

    def candidates(self) -> list[_Exchange]:
        """All exchanges of the round in Decide's order, computed at once; the valid ones
        (an invalid one can never be carried out and does not change the others' order)."""
        x, s, on = self.x, self.s, self.on
        n, d = x.shape
        left = on & (x <= self.O[None, :])
        parts: list[tuple[np.ndarray, np.ndarray, int, int]] = []
        for p in range(d):
            for q in range(p + 1, d):
                both = on[:, p] & on[:, q]
                g = np.where(both, left[:, p].astype(int) + 2 * left[:, q].astype(int), -1)
                # right-right x left-left, then left on p only x left on q only
                for g1, g2 in ((0, 3), (1, 2)):
                    i1, i2 = np.flatnonzero(g == g1), np.flatnonzero(g == g2)
                    if i1.size and i2.size:
                        ii, jj = np.meshgrid(i1, i2, indexing="ij")
                        parts.append((ii.ravel(), jj.ravel(), p, q))
        if not parts:
            return []
        i = np.concatenate([t[0] for t in parts])
        j = np.concatenate([t[1] for t in parts])
        p = np.concatenate([np.full(t[0].size, t[2]) for t in parts])
        q = np.concatenate([np.full(t[0].size, t[3]) for t in parts])
        # the actor with the smaller s_p / s_q supplies p
        swap = (s[i, p] / s[i, q]) < (s[j, p] / s[j, q])
        a = np.where(swap, j, i)  # supplies q
        b = np.where(swap, i, j)  # supplies p
        m = a.size
        fresh = (_objects([_ZERO] * m), np.ones(m, dtype=bool), np.ones(m, dtype=bool))
        v = self._inputs(a, b, p, q, x[a, q], x[b, p], self.terms.T[q], self.terms.T[p],
                         fresh, fresh)
        out = _equal_gain(v)
        return [_Exchange(
            a=_Side(int(a[k]), int(q[k]), int(p[k]), x[a[k], q[k]], x[a[k], q[k]],
                    x[b[k], q[k]], [out["m_a"][k]], out["m_a"][k],
                    x[a[k], q[k]] + out["m_a"][k]),
            b=_Side(int(b[k]), int(p[k]), int(q[k]), x[b[k], p[k]], x[b[k], p[k]],
                    x[a[k], p[k]], [out["m_b"][k]], out["m_b"][k],
                    x[b[k], p[k]] + out["m_b"][k]),
            gain=out["gain"][k], valid=True, cut_a=bool(out["cut_a"][k]),
            cut_b=bool(out["cut_b"][k]), uncut=out["uncut"][k])
            for k in np.flatnonzero(out["valid"])]

    def _rows(self, e: _Exchange, side: _Side) -> np.ndarray:
        """The terms x c s on side's supply issue as e sees them (side's own column is
        replaced by its current vote where it is used)."""
        k = side.supply
        row = self.terms[:, k].copy()
        for actor, u in e.updates.get(k, {}).items():
            row[actor] = u * self.s[actor, k] * self.c[actor, k]
        return row

    def recalculate(self, exchanges: list[_Exchange]) -> None:
        """Recompute exchanges in place, at once, from their current state."""
        if not exchanges:
            return
        a = np.array([e.a.actor for e in exchanges])
        b = np.array([e.b.actor for e in exchanges])
        q = np.array([e.a.supply for e in exchanges])
        p = np.array([e.b.supply for e in exchanges])
        v = self._inputs(a, b, p, q, _objects([e.a.pos for e in exchanges]),
                         _objects([e.b.pos for e in exchanges]),
                         np.array([self._rows(e, e.a) for e in exchanges], dtype=object),
                         np.array([self._rows(e, e.b) for e in exchanges], dtype=object),
                         _history([e.a.moves for e in exchanges]),
                         _history([e.b.moves for e in exchanges]))
        out = _equal_gain(v)
        for k, e in enumerate(exchanges):
            e.a.move, e.b.move = out["m_a"][k], out["m_b"][k]
            e.a.y, e.b.y = e.a.pos + e.a.move, e.b.pos + e.b.move
            e.a.moves.append(e.a.move)
            e.b.moves.append(e.b.move)
            e.gain = out["gain"][k]
            e.valid = bool(out["valid"][k])
            e.cut_a = bool(out["cut_a"][k])
            e.cut_b = bool(out["cut_b"][k])
            e.uncut = out["uncut"][k]


def _history(moves: list[list[Decimal]]) -> tuple[Vec, np.ndarray, np.ndarray]:
    """Per history: its sum (in order, as Python's `sum`), all negative, all positive."""
    return (_objects([sum(h) if h else _ZERO for h in moves]),
            np.array([all(m < 0 for m in h) for h in moves], dtype=bool),
            np.array([all(m > 0 for m in h) for h in moves], dtype=bool))


def _may_touch(table: np.ndarray, pool: list[_Exchange], r: _Exchange) -> np.ndarray:
    """Which exchanges of the pool share a supplying actor-issue with r, or have an actor
    demanding an issue one of r's actors demands (the cases `_touch` handles)."""
    t = table[np.fromiter((e.key for e in pool), dtype=int, count=len(pool))]
    hit = np.zeros(len(pool), dtype=bool)
    for side in (r.a, r.b):
        for col in (0, 3):  # e.a, e.b
            same_actor = t[:, col] == side.actor
            hit |= same_actor & ((t[:, col + 1] == side.supply) | (t[:, col + 2] == side.demand))
    return hit


def _track(e: _Exchange, done: _Side) -> None:
    """Record in e that `done.actor` now votes `done.y` on its supply issue. Decide keeps a
    position recorded earlier when it lies between the actor's start and y."""
    ups = e.updates.setdefault(done.supply, {})
    y = done.y
    if done.actor in ups:
        u = ups[done.actor]
        if done.start <= u:
            ups[done.actor] = u if u < y else y
        else:
            ups[done.actor] = u if u > y else y
    else:
        ups[done.actor] = y


def _touch(e: _Exchange, r: _Exchange) -> bool:
    """Update e after r was carried out; True when e must be recomputed.

    A side of e that supplies the same issue as a side of r (same actor) now starts from r's
    voting position. When r served the demand of one of e's actors on the same issue, e
    tracks r's move there. Decide's move histories are kept the way it keeps them: the
    history of e's moved side gets e's previous move, not r's (r's move is appended and the
    last entry of both histories is dropped before e is recomputed)."""
    hit = False
    for mine in (e.a, e.b):
        for theirs in (r.a, r.b):
            if mine.actor == theirs.actor and mine.supply == theirs.supply:
                mine.pos = theirs.y
                mine.moves.append(theirs.moves[-1])
                hit = True
                break
    if hit:
        e.a.moves.pop()
        e.b.moves.pop()
    # r.a moved on Q_r, which r.b demands; r.b moved on P_r, which r.a demands
    for server, client in ((r.a, r.b), (r.b, r.a)):
        if any(client.actor == mine.actor and client.demand == mine.demand
               for mine in (e.b, e.a)):
            _track(e, server)
            if not hit:
                e.a.moves.pop()
                e.b.moves.pop()
                hit = True
    return hit


# --- the model -----------------------------------------------------------------------------


def run_exchange(data: StakeholderData, rounds: int = 10, seed: int | None = 0,
                 tie_rule: str = "reference", *, budget: Budget | None = None,
                 **params: Any) -> ForecastResult:
    """Stokman's Equal-Gain exchange model for `rounds` rounds (see the module docstring for the
    equations, the tie rules, the cost and the papers).

    `tie_rule`: "reference" (Decide's order, deterministic) or "random" (seeded by `seed`).
    Keyword parameters: `power`, an (n, d) array of power per actor and issue c_id (Decide's
    files give power per actor and issue; default: the actor's capability on every issue; see
    `load_decide_exchange`); `fixed_weight` (0.1) and `salience_weight` (0.4) of the
    preference update x' = x + (fixed_weight + salience_weight (1 - s)) (y - x);
    `tie_tolerance` (1e-20, relative): gains this close to the best count as tied (counted in
    `details["ties"]`, and drawn from under `tie_rule="random"`).

    Returns a `ForecastResult` (model "exchange") with rounds 0 .. `rounds`: round 0 is the
    input (outcome: the compromise), round t the state after t exchange rounds (positions: the
    preferences x_t; outcome: the voting outcome of round t). Raises `InputError` for bad
    parameters, an issue nobody weighs, or a missing position where there is weight.
    `budget` is polled every round (`BudgetExceeded` when it runs out).

    Cost: O(E K) per round for K <= n^2 d (d - 1) / 8 candidate exchanges and E executed ones
    (n actors, d issues).

    References: Stokman, F. N. and Van Oosten, R. (1994) "The exchange of voting positions",
    in Bueno de Mesquita, B. and Stokman, F. N. (eds.) *European Community Decision Making*,
    Yale University Press (a book; no DOI); the Equal-Gain rule as implemented in Decide
    (see the module docstring).
    """
    fw, sw, tol, cf = _parameters(data, rounds, tie_rule, params)
    sf = np.asarray(data.salience, dtype=float)
    on = (sf > 0) & (cf > 0)
    _check(data, on)
    rng = np.random.default_rng(seed) if tie_rule == "random" else None

    with decimal.localcontext(_CONTEXT):
        x = _decimal_positions(data, on)
        s = _decimals(sf, on)
        c = _decimals(cf, on)
        fw_d, sw_d, tol_d = Decimal(fw), Decimal(sw), Decimal(tol)
        rnd = _Round(x, s, c, on)
        out = [ForecastRound(round=0, positions=_floats(x, on), outcome=_floats(rnd.O, None),
                             details=_preference_details(data, rnd))]
        for t in range(1, rounds + 1):
            check(budget, t - 1, rounds, "exchange forecast rounds",
                  "give fewer --rounds or fewer actors and issues")
            realized, ties = _exchange_round(rnd, rng, tol_d)
            y = rnd.x.copy()
            for e in realized:
                y[e.a.actor, e.a.supply] = e.a.y
                y[e.b.actor, e.b.supply] = e.b.y
            vote = _Round(y, s, c, on)
            x = rnd.x.copy()
            for e in realized:  # in order: the last exchange on an actor-issue counts
                for side in (e.a, e.b):
                    si = s[side.actor, side.supply]
                    # x + (fw + sw (1 - s)) (y - x), evaluated the way Decide does
                    x[side.actor, side.supply] = ((1 - si) * sw_d * side.y + fw_d * side.y
                                                  + (1 - (1 - si) * sw_d - fw_d) * side.start)
            after = _Round(x, s, c, on)
            details = {**_preference_details(data, after),
                       **_round_details(data, rnd, vote, realized, ties)}
            out.append(ForecastRound(round=t, positions=_floats(x, on),
                                     outcome=_floats(vote.O, None), details=details))
            rnd = after
    return ForecastResult(model="exchange", data=data,
                          parameters={"rounds": rounds, "tie_rule": tie_rule,
                                      "fixed_weight": fw, "salience_weight": sw,
                                      "tie_tolerance": tol,
                                      "power": "per issue" if "power" in params
                                      and params["power"] is not None else "capability"},
                          rounds=out, seed=seed)


def _parameters(data: StakeholderData, rounds: Any, tie_rule: Any, params: dict[str, Any]
                ) -> tuple[float, float, float, np.ndarray]:
    """(fixed_weight, salience_weight, tie_tolerance, power (n, d)), or `InputError`."""
    problems = []
    if isinstance(rounds, bool) or not isinstance(rounds, int | np.integer) or rounds < 0:
        problems.append(Problem.of_parameter("rounds", f"{rounds!r} is not a whole number >= 0"))
    if tie_rule not in TIE_RULES:
        problems.append(Problem.of_parameter("tie_rule", f"{tie_rule!r} is not one of "
                                + ", ".join(TIE_RULES)))
    unknown = sorted(set(params) - set(_PARAMS))
    if unknown:
        problems.append(Problem("params", f"unknown parameter(s) {', '.join(unknown)} (the "
                                "exchange model takes " + ", ".join(_PARAMS) + ")"))
    values = {}
    for key, default, hi in (("fixed_weight", FIXED_WEIGHT, 1.0),
                             ("salience_weight", SALIENCE_WEIGHT, 1.0),
                             ("tie_tolerance", TIE_TOLERANCE, math.inf)):
        raw = params.get(key, default)
        try:
            values[key] = float(raw)
        except (TypeError, ValueError):
            values[key] = math.nan
        if not 0.0 <= values[key] <= hi:
            problems.append(Problem(key, f"{raw!r} is not a number in 0..{hi:g}"))
    if values["fixed_weight"] + values["salience_weight"] > 1.0:
        problems.append(Problem.of_parameter(
            "salience_weight", "fixed_weight + salience_weight must be at "
                               "most 1 (the preference moves at most all the way to the vote)"))
    n, d = data.n_actors, data.n_issues
    power = params.get("power")
    if power is None:
        c = np.repeat(np.asarray(data.capability, dtype=float)[:, None], d, axis=1)
    else:
        try:
            c = np.asarray(power, dtype=float)
        except (TypeError, ValueError):
            c = np.full((0, 0), np.nan)
        if c.shape != (n, d):
            problems.append(Problem.of_parameter(
                "power", f"needs shape ({n}, {d}) (actors x issues), "
                         f"not {c.shape}"))
            c = np.zeros((n, d))
    if not (np.isfinite(c).all() and (c >= 0).all()):
        problems.append(Problem.of_parameter("power", "must be finite and non-negative"))
    sal = np.asarray(data.salience, dtype=float)
    if not (np.isfinite(sal).all() and (sal >= 0).all()):
        problems.append(Problem("salience", "must be finite and non-negative", data.source))
    if problems:
        raise InputError(problems)
    return values["fixed_weight"], values["salience_weight"], values["tie_tolerance"], c


def _exchange_round(rnd: _Round, rng: np.random.Generator | None, tol: Decimal
                    ) -> tuple[list[_Exchange], int]:
    """Carry out the round's exchanges, best gain first; (the executed ones, picks with a
    tie)."""
    pool = rnd.candidates()
    # who supplies and demands what, per exchange (fixed for the round), to find quickly the
    # exchanges an executed one touches
    table = np.array([[e.a.actor, e.a.supply, e.a.demand, e.b.actor, e.b.supply, e.b.demand]
                      for e in pool], dtype=int).reshape(-1, 6)
    for k, e in enumerate(pool):
        e.key = k
    realized: list[_Exchange] = []
    ties = 0
    while pool:
        pool.sort(key=lambda e: e.gain, reverse=True)  # stable, as in Decide
        best = pool[0].gain
        tied = 1
        while tied < len(pool) and best - pool[tied].gain <= tol * best:
            tied += 1
        if tied > 1:
            ties += 1
        r = pool.pop(int(rng.integers(tied)) if rng is not None else 0)
        realized.append(r)
        touched = [pool[k] for k in np.flatnonzero(_may_touch(table, pool, r))
                   if _touch(pool[k], r)]
        rnd.recalculate(touched)
        pool = [e for e in pool if e.valid]
    return realized, ties


# --- conversions and checks ----------------------------------------------------------------


def _decimals(a: np.ndarray, on: np.ndarray) -> np.ndarray:
    """Floats as the decimals they print as (0.95 -> Decimal('0.95'), as Decide reads them)."""
    out = np.empty(a.shape, dtype=object)
    for idx in np.ndindex(a.shape):
        out[idx] = Decimal(repr(float(a[idx]))) if on[idx] else _ZERO
    return out


def _decimal_positions(data: StakeholderData, on: np.ndarray) -> np.ndarray:
    """Positions on 0..100 as Decide holds them: an issue on 0..100 keeps its values; another
    scale lo..hi maps the original value x (15 significant digits) to (x - lo) (100 / (hi -
    lo)) in decimals."""
    out = np.full(data.position.shape, _ZERO, dtype=object)
    for k, (lo, hi) in enumerate(data.scales):
        for i in np.flatnonzero(on[:, k]):
            p = float(data.position[i, k])
            if (lo, hi) == (0.0, 100.0) or not hi > lo:
                out[i, k] = Decimal(repr(p))
            else:
                lo_d, hi_d = Decimal(f"{lo:.15g}"), Decimal(f"{hi:.15g}")
                orig = Decimal(f"{data.to_original(k, p):.15g}")
                out[i, k] = (orig - lo_d) * (_HUNDRED / (hi_d - lo_d))
    return out


def _floats(a: np.ndarray, on: np.ndarray | None) -> np.ndarray:
    f = np.array([float(v) for v in a.ravel()]).reshape(a.shape)
    return f if on is None else np.where(on, f, np.nan)


def _check(data: StakeholderData, on: np.ndarray) -> None:
    problems = []
    for i, k in np.argwhere(on & ~np.isfinite(data.position)):
        problems.append(Problem(f"{data.actors[i]}.{data.issues[k]}",
                                "has weight but no position", data.source))
    for k, issue in enumerate(data.issues):
        if not on[:, k].any():
            problems.append(Problem(f"issue {issue}", "zero total weight: every actor has "
                                    "power 0 or salience 0 on it", data.source))
    if problems:
        raise InputError(problems)


def _variance(r: _Round, k: int) -> float:
    """Unweighted variance of the positions on issue k around its outcome (as Decide)."""
    on = np.flatnonzero(r.on[:, k])
    return float(sum((r.x[i, k] - r.O[k]) ** 2 for i in on) / len(on))


def _preference_details(data: StakeholderData, r: _Round) -> dict[str, Any]:
    return {"scale": "internal 0..100",
            "preference_outcome": {iss: float(r.O[k]) for k, iss in enumerate(data.issues)},
            "preference_variance": {iss: _variance(r, k) for k, iss in enumerate(data.issues)}}


def _round_details(data: StakeholderData, rnd: _Round, vote: _Round,
                   realized: list[_Exchange], ties: int) -> dict[str, Any]:
    """The exchange round's JSON-ready record (internal 0..100 scale)."""
    actors, issues = data.actors, data.issues
    on = rnd.on
    gains = dict.fromkeys(actors, 0.0)
    records = []
    for order, e in enumerate(realized, start=1):
        rec: dict[str, Any] = {"order": order, "gain": float(e.gain),
                               "gain_before_cut": float(e.uncut)}
        for name, side, cut in (("i", e.a, e.cut_a), ("j", e.b, e.cut_b)):
            rec[name] = {"actor": actors[side.actor], "supply": issues[side.supply],
                         "demand": issues[side.demand], "start": float(side.pos),
                         "move": float(side.move), "voting": float(side.y),
                         "target": float(side.target), "cut": cut,
                         "outcome_before": float(rnd.outcome(e, side, side.pos)),
                         "outcome_after": float(rnd.outcome(e, side, side.y))}
            gains[actors[side.actor]] += float(e.gain)
        records.append(rec)
    # each actor's utility change, at its round-start preferences, from the round-start
    # outcome to the voting outcome: sum_d s_id (|x_id - O_d| - |x_id - O_vote,d|)
    x, s = _floats(rnd.x, on), _floats(rnd.s, on)
    po, vo = _floats(rnd.O, None), _floats(vote.O, None)
    util = np.nansum(s * (np.abs(x - po) - np.abs(x - vo)), axis=1)
    yf = _floats(vote.x, on)
    return {
        "voting_outcome": {iss: float(vo[k]) for k, iss in enumerate(issues)},
        "voting_variance": {iss: _variance(vote, k) for k, iss in enumerate(issues)},
        "voting_positions": {a: {iss: (float(yf[i, k]) if on[i, k] else None)
                                 for k, iss in enumerate(issues)}
                             for i, a in enumerate(actors)},
        "n_exchanges": len(realized),
        "ties": ties,
        "exchanges": records,
        "actor_gains": gains,
        "utility_change": dict(zip(actors, map(float, util), strict=True)),
    }


# --- Decide files with power per issue -----------------------------------------------------


def load_decide_exchange(path: str | os.PathLike[str]) -> tuple[StakeholderData, np.ndarray]:
    """A Decide `#A/#P/#M/#D` file with its power per actor and issue.

    `load_stakeholders` keeps one capability per actor (and refuses files whose power varies
    by issue); the exchange model uses c_id per issue. This reads the file itself and returns
    the data (positions rescaled from each issue's `#M` scale to 0..100; capability = the
    actor's mean power over its issues, which only the compromise baseline uses) and the (n, d)
    power matrix (0 where the actor has no `#D` row) for `run_exchange(..., power=...)`.
    Raises `InputError` naming the line of every problem. Cost: O(file size).
    """
    text, name = read_text(path, "stakeholder file", missing="no such file")
    actors: list[str] = []
    issues: list[str] = []
    marks: dict[str, list[float]] = {}
    rows: list[tuple[int, list[str]]] = []
    reader = csv.reader(text.splitlines(), delimiter="\t", quotechar="'")
    problems: list[Problem] = []
    for row in reader:
        row = [f.strip() for f in row]
        if not row or not row[0]:
            continue
        line = reader.line_num
        tag = row[0]
        if tag == "#A" and len(row) > 1 and row[1] not in actors:
            actors.append(row[1])
        elif tag == "#P" and len(row) > 1 and row[1] not in issues:
            issues.append(row[1])
        elif tag == "#M" and len(row) > 2:
            try:
                marks.setdefault(row[1], []).append(float(row[2]))
            except ValueError:
                problems.append(Problem(f"line {line}", f"{row[2]!r} is not a number", name))
        elif tag == "#D":
            if len(row) < 6:
                problems.append(Problem(f"line {line}", "#D row needs actor, issue, position, "
                                        "salience and power", name))
            else:
                rows.append((line, row))
    n, d = len(actors), len(issues)
    pos = np.full((n, d), np.nan)
    sal = np.zeros((n, d))
    power = np.zeros((n, d))
    scales = [(min(marks[i]), max(marks[i])) if marks.get(i) else (0.0, 100.0) for i in issues]
    for line, row in rows:
        if row[1] not in actors or row[2] not in issues:
            problems.append(Problem(f"line {line}", f"unknown actor or issue in {row[1:3]}",
                                    name))
            continue
        i, k = actors.index(row[1]), issues.index(row[2])
        try:
            xv, sv, cv = float(row[3]), float(row[4]), float(row[5])
        except ValueError:
            problems.append(Problem(f"line {line}", "position, salience and power must be "
                                    "numbers", name))
            continue
        if not all(map(math.isfinite, (xv, sv, cv))) or sv < 0 or cv < 0:
            problems.append(Problem(f"line {line}", "salience and power must be finite and "
                                    "non-negative, the position finite", name))
            continue
        lo, hi = scales[k]
        if not lo <= xv <= hi:
            problems.append(Problem(f"line {line}, position", f"{xv:g} is outside the issue's "
                                    f"scale {lo:g}..{hi:g}", name))
        if not math.isnan(pos[i, k]):
            problems.append(Problem(f"line {line}", f"second #D row for actor '{row[1]}' on "
                                    f"issue '{row[2]}'", name))
        pos[i, k] = 100.0 * (xv - lo) / (hi - lo) if hi > lo else 50.0
        sal[i, k] = sv
        power[i, k] = cv
    if not actors or not issues:
        problems.append(Problem("", "needs #A (actor) and #P (issue) rows", name))
    if problems:
        raise InputError(problems)
    counts = np.maximum((power > 0).sum(axis=1), 1)
    cap = power.sum(axis=1) / counts
    data = StakeholderData(actors=tuple(actors), issues=tuple(issues), capability=cap,
                           position=pos, salience=sal, scales=tuple(scales), source=name)
    return data, power
