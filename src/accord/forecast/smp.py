"""KTAB's Spatial Model of Politics (SMP): actors challenge, bargain and vote, turn by turn.

Source: KAPSARC's Toolkit for Behavioral Analysis (KTAB; C++, MIT licence; B. Wise, B. Efird
and colleagues at KAPSARC, 2015-2019; the shipped files come from `lsyaseen/KTAB`, a fork of
`KAPSARC/KTAB`): the Probabilistic Condorcet Election of its `kmodel` library and the SMP demo
of `examples/smp`, described in the KAPSARC discussion papers "An Introduction to the KAPSARC
Toolkit for Behavioral Analysis (KTAB)" and "Multidimensional Bargaining using KTAB" and in the
KTAB SMP user guide (v1.4, 2019). The challenge step descends from the Senturion-style spatial
models (Abdollahian, Baranick, Efird & Kugler 2006) and from Bueno de Mesquita's expected-utility
model (a target resists with probability sigma_j). Written here from the equations of those
papers and the user guide, as set out below; no KTAB code is reproduced.

Notation (all on KTAB's internal scale: positions x_i in [0,1]^D = the 0..100 scale / 100,
saliences s_id in [0,1] with sigma_i = sum_d s_id <= 1, capabilities c_i > 0):

* distance  d_i(p) = sqrt( sum_d (s_id (y_id - p_d))^2 / sum_d s_id^2 ), y_i = i's ideal;
* utility   u = (1 - d)(1 + d R) for risk attitude R in [-1, 1] (u = (1 - d)(1 + R) if d > 1);
* vote      v_k(a:b) = w_k g(u_k(a) - u_k(b)), g the `VotingRule` response;
* coalition C(a:b) = 1e-8 + sum_k max(0, v_k(a:b));
* victory   P[a > b] = f(C(a:b)) / (f(C(a:b)) + f(C(b:a))), f by `VictoryProbModel`
  (a 2:1 ratio gives 2/3, 4/5, 16/17, 256/257 for Linear, Square, Quartic, Octic);
* PCE       the probability of each option: Conditional p_a ~ prod_b P[a > b]; MarkovUniform
  and MarkovIncentive are fixed points of challenge chains (see `pce`).

One turn (KTAB's "BCN" step, from state t to t+1):

1. Risk attitudes: a PCE over all actors' positions with risk-neutral utilities (u = 1 - d),
   weights c_k, gives p_i; then R_i = (3 p_i - (p_max + 2 p_min)) / (2 (p_max - p_min))
   (Mid; Min and Max rescale to [0,1] and [-1,1]). Actor h perceives i's attitude as
   R^h_i = ((3 - k) R_h + k R_i) / 3, k = 0, 1, 1.5, 2, 3 (`BigRAdjust`), giving U^h.
2. Challenges: h's estimate of i attacking j. With w = sigma c, the principals seed
   C_i = 1e-10 + max(0, v_i) + max(0, v_j) and C_j = 1e-10 + max(0, -v_i) + max(0, -v_j),
   v_i = vote(w_i; U_ii, U_ij), v_j = vote(w_j; U_ji, U_jj). Each third party m first
   estimates p_im = (C_i + max(0, v0)) / (C_i + C_j + |v0|), v0 = vote(w_m; U_mi, U_mj), then
   votes vote(w_m; L_i, L_j) between the lotteries "m joins i" and "m joins j" (SemiCommit:
   L_i = p_im (2U_mi + U_mm) + (1 - p_im) 3U_mj, L_j = p_im 3U_mi + (1 - p_im)(2U_mj + U_mm);
   FullCommit uses the winner's utility for U_mm, NoCommit U_mm in every branch), added to
   C_i or C_j against the unchanged seeds. P^h(i > j) = C_i / (C_i + C_j) and, for actor k,
   dEU^h_k = (1 - sigma_j) 2U_ki + sigma_j (P 2U_ki + (1 - P) 2U_kj) - (U_ki + U_kj).
3. Each i targets j* = argmax_j dEU^i_i(i -> j) when that gain exceeds 1e-5.
4. Bargain, per dimension (SnPm): w_I = s_Id^n p_I^m, w_J = s_Jd^n p_J^m,
   b_I = ((w_I + 1e-6) x_I + w_J x_J) / (w_I + w_J + 1e-6), b_J symmetric, rounded to 4
   decimals; S2PMax moves I by f_I = D_I s_J^2 / (D_I s_J^2 + 1e-6 + (1 - D_I) s_I^2),
   D_I = max(0, p_J - p_I). `BargnModel` chooses whose estimate of P(i > j) is used.
5. Each actor k's queue holds its status quo, the bargain it proposed and those aimed at it.
   Every actor n values a bargain as the mean utility (own R_n) of all N positions with the
   two principals' replaced by the bargain's; a PCE over the queue (weights c_n) picks the most
   probable bargain (Deterministic) or draws one (Stochastic), and k adopts its side of it.
6. Ideals: y_i <- sum_j a_ij x_j + (1 - sum_j a_ij) y_i (identity accommodation: y = x).
7. Stop after turn t when t >= 100, or t >= 2 and
   sum_i |x_i(t) - x_i(t-1)| / (sum_i |x_i(1) - x_i(0)| + 1e-4) < 0.02.

The distribution over outcomes KTAB reports for a state is a PCE over its unique positions
(tolerance 0.1 on 0..100) with every actor's own risk-aware utility, the model's voting rule and
weights c (as in KTAB's 2017 reference runs; its 2019 code fixes the rule to Prop there).
`run_smp` reports, per round, each actor's probability that its position wins (KTAB's
"prob" lines) and, as the round's `outcome`, the probability-weighted mean of the unique
positions on each issue (the most probable position is in `details`).

Cost per turn: the n best-challenge searches evaluate n - 1 targets each with an O(n) third-party
sum, O(n^3) in all (vectorised with numpy, one n x n block per challenger); the receivers'
estimates add O(n^2) each; the queue PCEs cost O(n q^2) for a queue of q bargains and the
state PCEs O(n^3). KTAB itself also computes every (h, k, i, j) estimate for its database, which
is O(n^4); that is not needed for the decisions and is not done here.

Where KTAB's code differs from its stated model, this module follows the model and offers
KTAB's behaviour behind `ktab_receiver_quirk=True`: with InitRcvrInterp and PWCompInterp, KTAB
forms the receiver's bargain from j's estimate of the *expected gain to i* (not of P(i > j))
and weighs the compromise by c_i sigma_i and c_i sigma_j. KTAB values bargain positions from
actors' current positions even when ideals differ from them (non-identity accommodation); here
ideals are used throughout.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import Enum, StrEnum
from typing import Any

import numpy as np

from ..budget import Budget, check
from ..errors import InputError, Problem
from .data import StakeholderData
from .result import ForecastResult, ForecastRound

__all__ = [
    "Bargain", "BargnModel", "BigRAdjust", "BigRRange", "InterVecBrgn", "PCEModel", "Queue",
    "SMPParameters", "SMPTurn", "StateTransitions", "ThirdPartyCommit", "VictoryProbModel",
    "VotingRule", "coalition_strengths", "pce", "run_smp", "smp_turn", "victory_probabilities",
]


# --- parameter choices (KTAB's names; defaults first in each docstring) --------------------


class _Choice(StrEnum):
    """A KTAB parameter choice; its value is KTAB's name for it."""

    @classmethod
    def parse(cls, value: Any) -> Any:
        if isinstance(value, cls):
            return value
        if isinstance(value, str):
            key = value.replace("_", "").replace("-", "").lower()
            for member in cls:
                if key in (member.value.lower(), member.name.replace("_", "").lower()):
                    return member
        names = ", ".join(m.value for m in cls)
        raise InputError([Problem(cls.__name__, f"{value!r} is not one of: {names}")])


class VictoryProbModel(_Choice):
    """f in P[a > b] = f(C_ab) / (f(C_ab) + f(C_ba)): **Linear** x, Square x^2, Quartic x^4,
    Octic x^8; Binary: a 10 % advantage wins outright, linear interpolation in between."""

    LINEAR = "Linear"
    SQUARE = "Square"
    QUARTIC = "Quartic"
    OCTIC = "Octic"
    BINARY = "Binary"


class PCEModel(_Choice):
    """How pairwise victory probabilities become a distribution: **Conditional**,
    MarkovIncentive, MarkovUniform."""

    CONDITIONAL = "Conditional"
    MARKOV_INCENTIVE = "MarkovIncentive"
    MARKOV_UNIFORM = "MarkovUniform"


class StateTransitions(_Choice):
    """**Deterministic**: each queue takes its most probable bargain; Stochastic: draws one."""

    DETERMINISTIC = "Deterministic"
    STOCHASTIC = "Stochastic"


class VotingRule(_Choice):
    """Response g(du) of a vote: **Prop** du; PropBin 0.8 du + 0.2 Binary; Binary
    clip(du / 1e-8, -1, 1); PropCbc 0.5 du + 0.5 du^3; Cubic du^3; ASymProsp du if du < 0 else
    2/3 du."""

    PROP = "Prop"
    PROP_BIN = "PropBin"
    BINARY = "Binary"
    PROP_CBC = "PropCbc"
    CUBIC = "Cubic"
    ASYM_PROSP = "ASymProsp"


class BigRRange(_Choice):
    """Range of inferred risk attitudes: Min [0, 1], **Mid** [-1/2, 1], Max [-1, 1]."""

    MIN = "Min"
    MID = "Mid"
    MAX = "Max"


class BigRAdjust(_Choice):
    """How h perceives i's risk attitude, R^h_i = ((3 - k) R_h + k R_i) / 3: None k = 0,
    **OneThird** k = 1, Half 1.5, TwoThirds 2, Full 3."""

    NONE = "None"
    ONE_THIRD = "OneThird"
    HALF = "Half"
    TWO_THIRDS = "TwoThirds"
    FULL = "Full"


class ThirdPartyCommit(_Choice):
    """What a third party joining a side risks: NoCommit, **SemiCommit**, FullCommit."""

    NO_COMMIT = "NoCommit"
    SEMI_COMMIT = "SemiCommit"
    FULL_COMMIT = "FullCommit"


class InterVecBrgn(_Choice):
    """Bargain interpolation: S1P1, **S2P2**, S2PMax."""

    S1P1 = "S1P1"
    S2P2 = "S2P2"
    S2P_MAX = "S2PMax"


class BargnModel(_Choice):
    """Whose estimate forms the bargain: **InitOnlyInterp** (the initiator's),
    InitRcvrInterp (one from each), PWCompInterp (their c sigma weighted compromise)."""

    INIT_ONLY_INTERP = "InitOnlyInterp"
    INIT_RCVR_INTERP = "InitRcvrInterp"
    PW_COMP_INTERP = "PWCompInterp"


_BIG_R_K = {BigRAdjust.NONE: 0.0, BigRAdjust.ONE_THIRD: 1.0, BigRAdjust.HALF: 1.5,
            BigRAdjust.TWO_THIRDS: 2.0, BigRAdjust.FULL: 3.0}

_CHOICES: dict[str, type[_Choice]] = {
    "victory_prob_model": VictoryProbModel, "pce_model": PCEModel,
    "state_transitions": StateTransitions, "voting_rule": VotingRule,
    "big_r_range": BigRRange, "big_r_adjust": BigRAdjust,
    "third_party_commit": ThirdPartyCommit, "inter_vec_brgn": InterVecBrgn,
    "bargn_model": BargnModel,
}
_KTAB_NAMES = {"VictoryProbModel": "victory_prob_model", "PCEModel": "pce_model",
               "StateTransitions": "state_transitions", "VotingRule": "voting_rule",
               "BigRRange": "big_r_range", "BigRAdjust": "big_r_adjust",
               "ThirdPartyCommit": "third_party_commit", "InterVecBrgn": "inter_vec_brgn",
               "BargnModel": "bargn_model"}


@dataclass(frozen=True)
class SMPParameters:
    """KTAB's nine choices (defaults = KTAB's) and its stopping constants.

    `max_turns`, `min_turns`, `min_delta_ratio`, `min_sig_delta`: stop after turn t when
    t >= max_turns, or t >= min_turns and (change of turn t) / (change of turn 1 +
    min_sig_delta) < min_delta_ratio. `pos_tol`: two positions closer than this (Euclidean, on
    [0,1]) are one option in the state's PCE. `accommodation`: the n x n ideal-accommodation
    matrix (None = identity). `ktab_receiver_quirk`: reproduce KTAB's receiver bargain (see the
    module docstring).
    """

    victory_prob_model: VictoryProbModel = VictoryProbModel.LINEAR
    pce_model: PCEModel = PCEModel.CONDITIONAL
    state_transitions: StateTransitions = StateTransitions.DETERMINISTIC
    voting_rule: VotingRule = VotingRule.PROP
    big_r_range: BigRRange = BigRRange.MID
    big_r_adjust: BigRAdjust = BigRAdjust.ONE_THIRD
    third_party_commit: ThirdPartyCommit = ThirdPartyCommit.SEMI_COMMIT
    inter_vec_brgn: InterVecBrgn = InterVecBrgn.S2P2
    bargn_model: BargnModel = BargnModel.INIT_ONLY_INTERP
    max_turns: int = 100
    min_turns: int = 2
    min_delta_ratio: float = 0.02
    min_sig_delta: float = 1e-4
    pos_tol: float = 1e-3
    accommodation: np.ndarray | None = field(default=None, compare=False)
    ktab_receiver_quirk: bool = False

    @classmethod
    def from_kwargs(cls, **params: Any) -> SMPParameters:
        """Parameters from keyword arguments: snake_case field names or KTAB's names
        (`VictoryProbModel="Square"`); choices as enum members or names (any case)."""
        kw: dict[str, Any] = {}
        fields = set(cls.__dataclass_fields__)
        for key, value in params.items():
            name = _KTAB_NAMES.get(key, key)
            if name not in fields:
                raise InputError([Problem(key, "unknown SMP parameter (known: "
                                          + ", ".join(sorted(fields)) + ")")])
            if name in _CHOICES:
                value = _CHOICES[name].parse(value)
            kw[name] = value
        return cls(**kw)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name in self.__dataclass_fields__:
            v = getattr(self, name)
            if isinstance(v, Enum):
                v = v.value
            elif isinstance(v, np.ndarray):
                v = v.tolist()
            out[name] = v
        return out


# --- building blocks --------------------------------------------------------------------------


def _response(du: np.ndarray, rule: VotingRule) -> np.ndarray:
    """g(du) of `VotingRule`."""
    if rule is VotingRule.PROP:
        return du
    if rule is VotingRule.BINARY:
        return np.clip(du / 1e-8, -1.0, 1.0)
    if rule is VotingRule.PROP_BIN:
        return 0.8 * du + 0.2 * np.clip(du / 1e-8, -1.0, 1.0)
    if rule is VotingRule.PROP_CBC:
        return 0.5 * du + 0.5 * du ** 3
    if rule is VotingRule.CUBIC:
        return du ** 3
    if rule is VotingRule.ASYM_PROSP:
        return np.where(du < 0, du, 2.0 * du / 3.0)
    raise ValueError(rule)


def _vote(w: np.ndarray | float, ua: np.ndarray, ub: np.ndarray, rule: VotingRule
          ) -> np.ndarray:
    return w * _response(np.asarray(ua) - np.asarray(ub), rule)


def _distance(ideals: np.ndarray, sal: np.ndarray, points: np.ndarray) -> np.ndarray:
    """d[i, m] = sqrt(sum_d (s_id (y_id - p_md))^2 / sum_d s_id^2): (n, m)."""
    diff = sal[:, None, :] * (ideals[:, None, :] - points[None, :, :])
    return np.sqrt((diff * diff).sum(-1) / (sal * sal).sum(-1)[:, None])


def _utility(dist: np.ndarray, risk: np.ndarray | float) -> np.ndarray:
    """u = (1 - d)(1 + d R), or (1 - d)(1 + R) where d > 1."""
    r = np.asarray(risk, dtype=float)
    return np.where(dist <= 1.0, (1.0 - dist) * (1.0 + dist * r), (1.0 - dist) * (1.0 + r))


def coalition_strengths(util: np.ndarray, weights: np.ndarray,
                        rule: VotingRule = VotingRule.PROP) -> np.ndarray:
    """C[a, b] = 1e-8 + sum_k max(0, w_k g(u_ka - u_kb)) for util (voters, options).
    Cost: O(voters x options^2) time, O(voters x options) memory.

    References: as `run_smp` (KTAB's coalition strengths).
    """
    u = np.asarray(util, dtype=float)
    w = np.asarray(weights, dtype=float)
    n_opt = u.shape[1]
    c = np.full((n_opt, n_opt), 1e-8)
    # one option at a time keeps memory at O(voters x options)
    for a in range(n_opt):
        v = w[:, None] * _response(u[:, a][:, None] - u, rule)
        c[a] += np.maximum(v, 0.0).sum(0)
    np.fill_diagonal(c, 1e-8)
    return c


def victory_probabilities(c: np.ndarray,
                          model: VictoryProbModel = VictoryProbModel.LINEAR) -> np.ndarray:
    """P[a, b] = f(C_ab) / (f(C_ab) + f(C_ba)), P[a, a] = 1/2 (see `VictoryProbModel`).
    Cost: O(options^2). References: as `coalition_strengths` (KTAB)."""
    c = np.asarray(c, dtype=float)
    ct = c.T
    if model is VictoryProbModel.BINARY:
        r = c / (c + ct)
        x1 = np.where(c >= 1.1 * ct, 1.0, np.where(ct >= 1.1 * c, 1e-6,
                                                    (r * 2.1 - 1.0) / 0.1))
        x2 = np.where(c >= 1.1 * ct, 1e-6, np.where(ct >= 1.1 * c, 1.0, 1.0 - x1))
    else:
        power = {VictoryProbModel.LINEAR: 1, VictoryProbModel.SQUARE: 2,
                 VictoryProbModel.QUARTIC: 4, VictoryProbModel.OCTIC: 8}[model]
        x1, x2 = c ** power, ct ** power
    p = x1 / (x1 + x2)
    np.fill_diagonal(p, 0.5)
    return p


def pce(c: np.ndarray, victory: VictoryProbModel = VictoryProbModel.LINEAR,
        model: PCEModel = PCEModel.CONDITIONAL) -> np.ndarray:
    """The Probabilistic Condorcet Election over options with coalition strengths C:

    * Conditional: p_a ~ prod_b P[a > b] (a beats every alternative), renormalised;
    * MarkovUniform: iterate q_a = (1/N) sum_b P[a > b](p_a + p_b), p <- (p + q)/2 until
      max |q - p| <= 1e-6;
    * MarkovIncentive: n(a -> b) = C_ab P[a > b] (+1e-10 on the diagonal), challenge
      probability Q(a -> b) = n(a -> b) / sum_k n(k -> b); iterate
      q_a = sum_b P[a > b](p_a Q(b -> a) + p_b Q(a -> b)), p <- (p + q)/2 until
      max |q - p| <= 1e-8.

    Cost: O(N^2) for N options (Conditional), O(N^2) per iteration for the Markov models
    (at most 100000 iterations). References: the Probabilistic Condorcet Election of KTAB's
    `kmodel` library (see `run_smp`).
    """
    p_win = victory_probabilities(c, victory)
    n = p_win.shape[0]
    if model is PCEModel.CONDITIONAL:
        with np.errstate(divide="ignore"):
            logs = np.log(p_win).sum(1)
        p = np.exp(logs - logs.max())
        return p / p.sum()
    p = np.full(n, 1.0 / n)
    if model is PCEModel.MARKOV_UNIFORM:
        tol = 1e-6
        for _ in range(100000):
            q = (p_win * (p[:, None] + p[None, :])).sum(1) / n
            change = np.abs(q - p).max()
            p = (p + q) / 2.0
            if change <= tol:
                break
        return p / p.sum()
    incentive = np.asarray(c, dtype=float) * p_win + np.eye(n) * 1e-10
    chlg = incentive / incentive.sum(0)[None, :]
    for _ in range(100000):
        ct = p[:, None] * chlg.T  # ct[a, b] = p_a Q(b -> a)
        q = (p_win * (ct + ct.T)).sum(1)
        change = np.abs(q - p).max()
        p = (p + q) / 2.0
        if change <= 1e-8:
            break
    return p / p.sum()


def _risk_from_prob(p: np.ndarray, rng: BigRRange) -> np.ndarray:
    lo, hi = float(p.min()), float(p.max())
    if not hi > lo:  # every position equally likely: nobody is more or less risk-averse
        return np.zeros_like(p)
    # written with differences from p_min so that p_min and p_max map exactly onto the ends
    # of the range even when p_max - p_min is tiny
    d, above = hi - lo, p - lo
    if rng is BigRRange.MIN:
        return above / d
    if rng is BigRRange.MID:
        return (3.0 * above - d) / (2.0 * d)
    return (2.0 * above - d) / d


def _unique(x: np.ndarray, tol: float) -> tuple[list[int], np.ndarray]:
    """KTAB's unique positions: the first actor of each group closer than tol to a kept one,
    and for every actor the index (into the unique list) of the last unique position within
    tol of it (KTAB's `posProb`)."""
    close = np.linalg.norm(x[:, None, :] - x[None, :, :], axis=-1) < tol
    uniq: list[int] = []
    for i in range(len(x)):
        if not close[i, uniq].any():
            uniq.append(i)
    within = close[:, uniq]
    last = len(uniq) - 1 - np.argmax(within[:, ::-1], axis=1)
    return uniq, last


# --- one turn ---------------------------------------------------------------------------------


@dataclass
class Bargain:
    """A proposed bargain: `initiator` moves to `init_pos`, `receiver` to `rcvr_pos` ([0,1])."""

    initiator: int
    receiver: int
    init_pos: np.ndarray
    rcvr_pos: np.ndarray
    perspective: str  # "initiator", "receiver" or "compromise"


@dataclass
class Queue:
    """Actor k's queue: options (-1 = status quo, else an index into `SMPTurn.bargains`),
    utilities (voters x options), coalition strengths, P[a > b], the PCE and the choice."""

    actor: int
    options: list[int]
    utility: np.ndarray
    coalitions: np.ndarray
    victory: np.ndarray
    probabilities: np.ndarray
    chosen: int


@dataclass
class SMPTurn:
    """Everything one SMP turn computes from a state (arrays on KTAB's [0,1] scale).

    `target[i]` is i's best target (-1: no challenge), `p_win[i]` = P^i(i > target),
    `gain[i]` = dEU^i_i, `target_gain[i]` = dEU^i_target (i's estimate of the effect on its
    target), and `rcvr_p_win`, `rcvr_init_gain`, `rcvr_target_gain` the target's own estimates
    of the same challenge. `state_probability` is the state's PCE over `unique` positions
    (`actor_class[i]` = index of i's position in it).

    References: as `run_smp` (KTAB).
    """

    params: SMPParameters
    positions: np.ndarray
    ideals: np.ndarray
    salience: np.ndarray
    capability: np.ndarray
    distance: np.ndarray
    risk_neutral_utility: np.ndarray
    risk_neutral_probability: np.ndarray
    risk: np.ndarray
    utility: np.ndarray
    unique: list[int]
    actor_class: np.ndarray
    state_probability: np.ndarray
    target: np.ndarray | None = None
    p_win: np.ndarray | None = None
    gain: np.ndarray | None = None
    target_gain: np.ndarray | None = None
    rcvr_p_win: np.ndarray | None = None
    rcvr_init_gain: np.ndarray | None = None
    rcvr_target_gain: np.ndarray | None = None
    bargains: list[Bargain] = field(default_factory=list)
    queues: list[Queue] = field(default_factory=list)
    new_positions: np.ndarray | None = None

    def perceived_risk(self, h: int) -> np.ndarray:
        """R^h_i for every i: h's estimate of the risk attitudes."""
        k = _BIG_R_K[self.params.big_r_adjust]
        return ((3.0 - k) * self.risk[h] + k * self.risk) / 3.0

    def perceived_utility(self, h: int) -> np.ndarray:
        """U^h[i, j]: h's estimate of i's utility for j's position."""
        return _utility(self.distance, self.perceived_risk(h)[:, None])

    def challenge(self, h: int, i: int, js: np.ndarray | list[int] | None = None
                  ) -> tuple[np.ndarray, np.ndarray]:
        """h's estimate of i attacking each j in js: P^h(i > j) (len js) and dEU^h_k
        (n x len js) for every actor k (dEU for j = i is meaningless)."""
        js_arr = np.arange(len(self.positions)) if js is None else np.asarray(js, dtype=int)
        return _challenge(self.perceived_utility(h), i, js_arr,
                          self.salience.sum(1) * self.capability, self.salience.sum(1),
                          self.params.voting_rule, self.params.third_party_commit)

    @property
    def winning_probability(self) -> np.ndarray:
        """Per actor: the PCE probability that its (unique) position wins (KTAB's "prob")."""
        return self.state_probability[self.actor_class]

    @property
    def expected_position(self) -> np.ndarray:
        """sum_u p_u x_u over the unique positions ([0,1] scale)."""
        return self.state_probability @ self.positions[self.unique]


def _challenge(U: np.ndarray, i: int, js: np.ndarray, w: np.ndarray, sig: np.ndarray,
               rule: VotingRule, tpc: ThirdPartyCommit) -> tuple[np.ndarray, np.ndarray]:
    """P(i > j) and dEU_k(i -> j), (len js) and (n, len js), from one perceived matrix U."""
    n = U.shape[0]
    ui = U[:, i]  # U[m, i]
    vi = _vote(w[i], U[i, i], U[i, js], rule)
    vj = _vote(w[js], U[js, i], U[js, js], rule)
    ci = 1e-10 + np.maximum(vi, 0.0) + np.maximum(vj, 0.0)
    cj = 1e-10 + np.maximum(-vi, 0.0) + np.maximum(-vj, 0.0)
    umj = U[:, js].T  # [j, m] = U[m, j]
    umi = ui[None, :]
    umm = np.diag(U)[None, :]
    v0 = _vote(w[None, :], umi, umj, rule)
    pim = (ci[:, None] + np.maximum(v0, 0.0)) / (ci[:, None] + cj[:, None] + np.abs(v0))
    pjm = 1.0 - pim
    if tpc is ThirdPartyCommit.SEMI_COMMIT:
        join_i = pim * (2.0 * umi + umm) + pjm * 3.0 * umj
        join_j = pim * 3.0 * umi + pjm * (2.0 * umj + umm)
    elif tpc is ThirdPartyCommit.FULL_COMMIT:
        join_i = pim * 3.0 * umi + pjm * 3.0 * umj
        join_j = join_i
    else:
        join_i = pim * (2.0 * umi + umm) + pjm * (2.0 * umj + umm)
        join_j = join_i
    vm = _vote(w[None, :], join_i, join_j, rule)
    third = np.ones((len(js), n), dtype=bool)
    third[:, i] = False
    third[np.arange(len(js)), js] = False
    vm = np.where(third, vm, 0.0)
    ci = ci + np.maximum(vm, 0.0).sum(1)
    cj = cj + np.maximum(-vm, 0.0).sum(1)
    p = ci / (ci + cj)
    sj = sig[js]
    uki = ui[:, None]
    ukj = U[:, js]
    deu = (1.0 - sj) * 2.0 * uki + sj * (p * 2.0 * uki + (1.0 - p) * 2.0 * ukj) - (uki + ukj)
    return p, deu


def _round4(x: np.ndarray) -> np.ndarray:
    return np.floor(x * 10000.0 + 0.5) / 10000.0


def _interpolate(xi: np.ndarray, si: np.ndarray, pi: float, xj: np.ndarray, sj: np.ndarray,
                 pj: float, ivb: InterVecBrgn) -> tuple[np.ndarray, np.ndarray]:
    if ivb is InterVecBrgn.S2P_MAX:
        di, dj = max(0.0, pj - pi), max(0.0, pi - pj)
        fi = di * sj ** 2 / (di * sj ** 2 + 1e-6 + (1.0 - di) * si ** 2)
        fj = dj * si ** 2 / (dj * si ** 2 + 1e-6 + (1.0 - dj) * sj ** 2)
        return xi + fi * (xj - xi), xj + fj * (xi - xj)
    ns, npow = (1, 1) if ivb is InterVecBrgn.S1P1 else (2, 2)
    wi = si ** ns * pi ** npow
    wj = sj ** ns * pj ** npow
    den = wi + wj + 1e-6
    return (_round4(((wi + 1e-6) * xi + wj * xj) / den),
            _round4((wi * xi + (wj + 1e-6) * xj) / den))


def _state(params: SMPParameters, x: np.ndarray, y: np.ndarray, sal: np.ndarray,
           cap: np.ndarray) -> SMPTurn:
    """Risk attitudes, utilities and the state's PCE for positions x and ideals y."""
    dist = _distance(y, sal, x)
    rn = 1.0 - dist
    rn_prob = pce(coalition_strengths(rn, cap, params.voting_rule), params.victory_prob_model,
                  params.pce_model)
    risk = _risk_from_prob(rn_prob, params.big_r_range)
    util = _utility(dist, risk[:, None])
    uniq, cls = _unique(x, params.pos_tol)
    sp = pce(coalition_strengths(util[:, uniq], cap, params.voting_rule),
             params.victory_prob_model, params.pce_model)
    return SMPTurn(params=params, positions=x, ideals=y, salience=sal, capability=cap,
                   distance=dist, risk_neutral_utility=rn, risk_neutral_probability=rn_prob,
                   risk=risk, utility=util, unique=uniq, actor_class=cls,
                   state_probability=sp)


def _bargain_turn(t: SMPTurn, rng: np.random.Generator | None) -> None:
    """Steps 2-5: challenges, bargains, queues and the new positions, stored into t."""
    prm = t.params
    x, sal, cap = t.positions, t.salience, t.capability
    n = len(x)
    sig = sal.sum(1)
    w = sig * cap
    all_j = np.arange(n)
    target = np.full(n, -1)
    p_win = np.full(n, np.nan)
    gain = np.full(n, np.nan)
    tgain = np.full(n, np.nan)
    r_p = np.full(n, np.nan)
    r_gi = np.full(n, np.nan)
    r_gj = np.full(n, np.nan)
    for i in range(n):
        p, deu = _challenge(t.perceived_utility(i), i, all_j, w, sig, prm.voting_rule,
                            prm.third_party_commit)
        g = deu[i].copy()
        g[i] = -np.inf
        j = int(np.argmax(g))
        if not g[j] > 1e-5:
            continue
        target[i], p_win[i], gain[i], tgain[i] = j, p[j], g[j], deu[j, j]
        pj, deuj = _challenge(t.perceived_utility(j), i, np.array([j]), w, sig,
                              prm.voting_rule, prm.third_party_commit)
        r_p[i], r_gi[i], r_gj[i] = pj[0], deuj[i, 0], deuj[j, 0]
    t.target, t.p_win, t.gain, t.target_gain = target, p_win, gain, tgain
    t.rcvr_p_win, t.rcvr_init_gain, t.rcvr_target_gain = r_p, r_gi, r_gj

    # bargains: index lists per actor (own proposals, proposals aimed at it)
    bargains: list[Bargain] = []
    own: list[list[int]] = [[] for _ in range(n)]
    aimed: list[list[int]] = [[] for _ in range(n)]
    for i in range(n):
        j = int(target[i])
        if j < 0:
            continue
        pi = float(p_win[i])
        bi, bj = _interpolate(x[i], sal[i], pi, x[j], sal[j], 1.0 - pi, prm.inter_vec_brgn)
        made = [Bargain(i, j, bi, bj, "initiator")]
        if prm.bargn_model is not BargnModel.INIT_ONLY_INTERP:
            pr = float(r_gi[i] if prm.ktab_receiver_quirk else r_p[i])
            ri, rj = _interpolate(x[i], sal[i], pr, x[j], sal[j], 1.0 - pr, prm.inter_vec_brgn)
            if prm.bargn_model is BargnModel.INIT_RCVR_INTERP:
                made.append(Bargain(i, j, ri, rj, "receiver"))
            else:
                wi = cap[i] * sig[i]
                wj = (cap[i] if prm.ktab_receiver_quirk else cap[j]) * sig[j]
                made = [Bargain(i, j, (wi * bi + wj * ri) / (wi + wj),
                                (wi * bj + wj * rj) / (wi + wj), "compromise")]
        for b in made:
            own[i].append(len(bargains))
            aimed[j].append(len(bargains))
            bargains.append(b)
    t.bargains = bargains

    # value of every bargain to every actor: mean utility of the N positions after it
    risk = t.risk
    base = t.utility.sum(1)  # sum_m U_nm with own R_n
    if bargains:
        bi_pos = np.array([b.init_pos for b in bargains])
        bj_pos = np.array([b.rcvr_pos for b in bargains])
        ii = np.array([b.initiator for b in bargains])
        jj = np.array([b.receiver for b in bargains])
        ubi = _utility(_distance(t.ideals, sal, bi_pos), risk[:, None])
        ubj = _utility(_distance(t.ideals, sal, bj_pos), risk[:, None])
        ub = (base[:, None] - t.utility[:, ii] - t.utility[:, jj] + ubi + ubj) / n
    else:
        ub = np.zeros((n, 0))
    usq = base / n

    new = x.copy()
    queues: list[Queue] = []
    for k in range(n):
        options = [-1, *own[k], *aimed[k]]
        u = np.column_stack([usq] + [ub[:, b] for b in options[1:]])
        c = coalition_strengths(u, cap, prm.voting_rule)
        p = pce(c, prm.victory_prob_model, prm.pce_model)
        if prm.state_transitions is StateTransitions.STOCHASTIC:
            assert rng is not None
            m = int(rng.choice(len(options), p=p))
        else:
            m = int(np.argmax(p))
        queues.append(Queue(k, options, u, c, victory_probabilities(c, prm.victory_prob_model),
                            p, m))
        b_ix = options[m]
        if b_ix >= 0:
            b = bargains[b_ix]
            new[k] = b.init_pos if b.initiator == k else b.rcvr_pos
    t.queues = queues
    t.new_positions = new


# --- inputs -------------------------------------------------------------------------------------


def _arrays(data: StakeholderData) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Positions on [0,1], saliences and capabilities, checked against KTAB's requirements."""
    n = data.n_actors
    problems: list[Problem] = []
    if not 3 <= n <= 250:
        problems.append(Problem("actors", f"{n} actors; the SMP needs 3 to 250", data.source))
    cap = np.asarray(data.capability, dtype=float)
    sal = np.asarray(data.salience, dtype=float)
    pos = np.asarray(data.position, dtype=float) / 100.0
    for i, a in enumerate(data.actors):
        if not cap[i] > 0:
            problems.append(Problem(f"actor {a}", "capability must be positive", data.source))
        total = sal[i].sum()
        if (sal[i] < 0).any() or not 0 < total <= 1.0 + 1e-9:
            problems.append(Problem(f"actor {a}", f"saliences sum to {total:g}; the SMP needs "
                                    "a total in (0, 1] (KTAB: at most 100 on its 0..100 scale); "
                                    "rescale the saliences first",
                                    data.source))
        for k, issue in enumerate(data.issues):
            if np.isnan(pos[i, k]) and sal[i, k] > 0:
                problems.append(Problem(f"actor {a}.{issue}", "has salience but no position",
                                        data.source))
    if problems:
        raise InputError(problems)
    # an actor silent on an issue (salience 0) is placed at the issue's c.s-weighted mean,
    # so that others judge its position by the issues it takes part in
    for k in range(pos.shape[1]):
        miss = np.isnan(pos[:, k])
        if miss.any():
            wk = cap * sal[:, k]
            pos[miss, k] = ((wk * np.nan_to_num(pos[:, k])).sum() / wk.sum()
                            if wk.sum() > 0 else 0.5)
    return pos, sal, cap


def smp_turn(data: StakeholderData, positions: np.ndarray | None = None,
             ideals: np.ndarray | None = None, seed: int | None = 0, **params: Any) -> SMPTurn:
    """One SMP turn from `data` (or from `positions`/`ideals`, 0..100 scale): all the
    intermediate quantities, as KTAB's log prints them for "turn 0". Cost: O(n^3) for n
    actors (see the module docstring). References: as `run_smp` (KTAB)."""
    prm = SMPParameters.from_kwargs(**params)
    x0, sal, cap = _arrays(data)
    x = x0 if positions is None else np.asarray(positions, dtype=float) / 100.0
    y = x.copy() if ideals is None else np.asarray(ideals, dtype=float) / 100.0
    t = _state(prm, x, y, sal, cap)
    _bargain_turn(t, np.random.default_rng(seed))
    return t


# --- the run --------------------------------------------------------------------------------------


def _scale100(x: np.ndarray) -> np.ndarray:
    """[0,1] -> 0..100, without the binary noise of the product (0.3 * 100 = 30.000...04)."""
    return np.round(x * 100.0, 10)


def _f(v: float) -> float | None:
    return None if v is None or not math.isfinite(v) else round(float(v), 10)


def _vec(v: np.ndarray) -> list[float]:
    return [round(float(a) * 100.0, 8) for a in v]


def _state_details(data: StakeholderData, t: SMPTurn) -> dict[str, Any]:
    names = data.actors
    best = int(np.argmax(t.state_probability))
    return {
        "risk_attitude": {a: _f(t.risk[i]) for i, a in enumerate(names)},
        "win_probability": {a: _f(p) for a, p in zip(names, t.winning_probability,
                                                     strict=True)},
        "positions": [{"actors": [names[i] for i in range(len(names))
                                  if t.actor_class[i] == u],
                       "position": _vec(t.positions[t.unique[u]]),
                       "probability": _f(t.state_probability[u])}
                      for u in range(len(t.unique))],
        "most_probable_position": _vec(t.positions[t.unique[best]]),
        "expected_position": _vec(t.expected_position),
    }


def _bargaining_details(data: StakeholderData, t: SMPTurn) -> dict[str, Any]:
    names = data.actors
    assert t.target is not None and t.p_win is not None and t.gain is not None
    assert t.target_gain is not None and t.rcvr_p_win is not None
    assert t.rcvr_init_gain is not None and t.rcvr_target_gain is not None
    challenges = []
    for i, a in enumerate(names):
        j = int(t.target[i])
        if j < 0:
            continue
        challenges.append({
            "challenger": a, "target": names[j], "p_win": _f(t.p_win[i]),
            "gain": _f(t.gain[i]), "target_gain": _f(t.target_gain[i]),
            "target_estimate": {"p_win": _f(t.rcvr_p_win[i]),
                                "challenger_gain": _f(t.rcvr_init_gain[i]),
                                "target_gain": _f(t.rcvr_target_gain[i])}})
    bargains = [{"id": k, "initiator": names[b.initiator], "receiver": names[b.receiver],
                 "perspective": b.perspective, "initiator_position": _vec(b.init_pos),
                 "receiver_position": _vec(b.rcvr_pos)} for k, b in enumerate(t.bargains)]
    queues = {}
    for q in t.queues:
        queues[names[q.actor]] = {
            "options": ["status quo" if o < 0 else o for o in q.options],
            "probabilities": [_f(p) for p in q.probabilities],
            "chosen": "status quo" if q.options[q.chosen] < 0 else q.options[q.chosen]}
    return {"challenges": challenges,
            "no_challenge": [a for i, a in enumerate(names) if t.target[i] < 0],
            "bargains": bargains, "queues": queues}


def run_smp(data: StakeholderData, rounds: int | None = None, seed: int | None = 0, *,
            budget: Budget | None = None, **params: Any) -> ForecastResult:
    """Run KTAB's Spatial Model of Politics on `data` (see the module docstring).

    `rounds`: at most this many turns (default KTAB's 100); the run stops earlier by KTAB's
    rule (turn t >= 2 and its change below 2 % of the first turn's). `seed` drives the draws of
    Stochastic transitions (numpy's generator: KTAB's own PRNG stream is not reproduced).
    `params`: `SMPParameters` fields or KTAB's names, e.g. `VotingRule="PropCbc"`,
    `pce_model="MarkovIncentive"`, `accommodation=<n x n array>`.

    Each round (0 = the input) reports every actor's position (0..100), and as `outcome` the
    PCE-probability-weighted mean of the state's unique positions per issue. Its `details`
    hold the state's inferred risk attitudes, each actor's probability that its position wins
    (KTAB's "prob"), the unique positions with their probabilities, the most probable position
    and, from round 1 on, the bargaining of the turn that produced it (`bargaining`:
    each challenge with its target, P(challenger beats target), the expected gains from both
    sides, the bargains, every queue's PCE and the chosen bargain; `turn` in KTAB's numbering)
    and KTAB's "fractional change compared to first step".

    Cost: O(n^3) per turn (n actors); see the module docstring. `budget` is polled every
    turn (`BudgetExceeded` when it runs out).

    References: KAPSARC's KTAB (discussion papers "An Introduction to the KAPSARC Toolkit for
    Behavioral Analysis (KTAB)" and "Multidimensional Bargaining using KTAB"; KTAB SMP user
    guide v1.4, 2019; no DOI); the challenge step after the Senturion models of Abdollahian,
    Baranick, Efird and Kugler (2006) and Bueno de Mesquita's expected-utility model (see
    `accord.forecast.eu.run_eu`).
    """
    prm = SMPParameters.from_kwargs(**params)
    max_turns = prm.max_turns if rounds is None else int(rounds)
    if max_turns < 0:
        raise InputError([Problem.of_parameter("rounds", "must be non-negative")])
    x, sal, cap = _arrays(data)
    n = len(x)
    acc = None
    if prm.accommodation is not None:
        acc = np.asarray(prm.accommodation, dtype=float)
        rows = acc.sum(1)
        if acc.shape != (n, n) or (acc < 0).any() or (rows > 1.0 + 1e-10).any():
            raise InputError([Problem.of_parameter(
                "accommodation", "must be an n x n matrix of non-negative rates with rows "
                                 "summing to at most 1")])
    rng = np.random.default_rng(seed)
    y = x.copy()
    state = _state(prm, x, y, sal, cap)
    rounds_out = [ForecastRound(0, _scale100(x), _scale100(state.expected_position),
                                _state_details(data, state))]
    first_change = None
    turn = 0
    while turn < max_turns:
        check(budget, turn, max_turns, "smp forecast turns",
              "give fewer --rounds or fewer actors and issues")
        _bargain_turn(state, rng)
        assert state.new_positions is not None
        x_new = state.new_positions
        change = float(np.linalg.norm(x_new - state.positions, axis=1).sum())
        if first_change is None:
            first_change = change
        ratio = change / (first_change + prm.min_sig_delta)
        if acc is not None:
            y = acc @ x_new + (1.0 - acc.sum(1))[:, None] * state.ideals
        else:
            y = x_new.copy()
        bargaining = _bargaining_details(data, state)
        state = _state(prm, x_new, y, sal, cap)
        turn += 1
        details = _state_details(data, state)
        details["turn"] = turn - 1
        details["fractional_change"] = _f(ratio)
        details["bargaining"] = bargaining
        rounds_out.append(ForecastRound(turn, _scale100(x_new),
                                        _scale100(state.expected_position), details))
        if turn >= prm.min_turns and ratio < prm.min_delta_ratio:
            break
    return ForecastResult(model="smp", data=data, parameters=prm.to_dict(), rounds=rounds_out,
                          seed=seed)
