"""Proposal repair: the smallest change to a proposal that every veto actor accepts, solved
exactly as a mixed-integer program, or a proof that none exists.

The program (HiGHS through `scipy.optimize.milp`). P is the set of actors who must accept:
the veto actors, plus any `parties` named. For each issue i and option o a binary
x[i,o], with sum_o x[i,o] = 1 (one option per issue); issue i is changed when
c_i = 1 - x[i,p_i] is 1, p_i being the proposal's option, so the number of changes is
n - sum_i x[i,p_i] and a cap K is the row sum_i x[i,p_i] >= n - K. Acceptance of actor a
is a row over its exact integer utility units (see `accord.space`):

    sum_i sum_o units[i][a,o] x[i,o] >= T_a - 1/2,    T_a = ceil(Space.threshold_units(a)),

T_a being the smallest integer number of units that `Space.accepts` accepts.

Exactness. Every row that decides which deals qualify is a row of integers of this kind:
a deal's utility is an integer number of units, so "at least T" is "at least T - 1/2",
and the half unit is left to the solver's tolerances. A qualifying deal satisfies its rows
with half a unit to spare, so when HiGHS reports a program infeasible no qualifying deal
exists: that verdict is the proof. Every deal HiGHS returns is checked again on exact
units, and one that fails (possible only when units are so large that half a unit drowns
in the solver's scaling) is removed with a no-good cut, sum_i x[i,d_i] <= n - 1, and the
program solved again. Real numbers appear only in objectives, where they steer the search
but decide nothing.

HiGHS runs without presolve (and the pair variables below are declared integer): in
testing against brute force, the presolve of HiGHS 1.12 declared a feasible repair program
infeasible, which would have been a false proof. A "solve error" is retried with presolve.

Interaction terms (non-additive utilities) are linearised exactly: for each pair of
issues (i, j) that some actor of P scores jointly, z[o,q] in [0, 1] with
sum_q z[o,q] = x[i,o] and sum_o z[o,q] = x[j,q]; with one option per issue this forces
z[o,q] = x[i,o] x[j,q] (so z need not be declared integer; it is, see above), and the
pair's units enter the rows linearly.

The objective is lexicographic, exact at every stage:

1. Fewest changes: minimise n - sum_i x[i,p_i] (an integer, solved with mip_rel_gap = 0).
   Infeasible: no deal within K changes is accepted by P; when K < n the program is
   solved again without the cap, giving the number of changes a repair needs, or a proof
   that no deal at all is acceptable (no ZOPA).
2. Largest smallest gain g = min over P of U_a - batna_a, with the number of changes fixed
   at its minimum k. A first solve maximises t subject to t <= U_a - batna_a (a real
   relaxation that finds a deal close to the optimum). Then exact probes: "every gain
   exceeds g" is, per party, the integer row units_a >= floor((batna_a + g) K_a) + 1 (K_a
   the party's units per utility, batna_a the typed decimal); the probe is repeated with
   the better deal it returns until HiGHS proves it infeasible, which proves g optimal
   (should the first solve fail, probes bisect the range of g first).
3. Largest sum of the gains of P among the deals with k changes and smallest gain g (the
   rows units_a >= ceil((batna_a + g) K_a) hold those exactly), certified in the same way
   by an integer row over a common denominator of the parties' units.
4. Lowest option indices issue by issue in scenario order, among the deals tied so far
   (the lexicographically smallest deal, the convention of the rest of
   `accord.bargaining`): one small solve per issue, skipped where the option is already
   the first.

Ties are therefore exact ties of rational numbers. (Should the parties' common
denominator exceed 2**50, the sum of stage 3 is compared to within 1e-9 instead.)

Alongside the repair: the proposal's evaluation (`accord.bargaining.proposals`), whether a
ZOPA exists at all (`accord.bargaining.zopa`), how far the BATNAs would have to move for the
proposal to be accepted unchanged or for a ZOPA to open (`accord.bargaining.inverse`), and
the k frontier deals nearest the proposal (Euclidean distance between the utility vectors
of P; ties by frontier order). When the space is searchable the first three are answered by
direct exact searches (`accord.bargaining.questions`), and the frontier is computed only
for the nearest deals, when it is small (`NEAREST_CANDIDATES`, `NEAREST_SECONDS`); when it
is not, no nearest deals are listed and `RepairResult.nearest_note` says so.

Cost: a MILP with sum_i |options_i| binaries (plus |O_i| x |O_j| pair variables per
interacting pair) and |P| + n + 2 rows, solved a handful of times (about 5, plus at most
one per issue). Integer programming is NP-hard in general (acceptance rows are knapsack
constraints), but programs of this size solve in milliseconds to seconds. With interaction
terms the Pareto frontier (for the nearest deals, the ZOPA and the evaluation) costs what
`pareto_frontier` costs and, with many parties, dominates; with additive utilities the
direct searches are exponential only in the worst case, and the frontier is bounded.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from ..budget import Budget, BudgetExceeded, check
from ..defaults import NEAREST
from ..errors import InputError, Problem
from ..results import DealPoint, _r, deal_point
from ..space import Space
from .inverse import (
    BatnaChange,
    ZopaDrop,
    batna_drop_for_zopa,
    batna_to_accept,
    deal_indices,
    exact_batna,
    exact_utilities,
)
from .listing import affordable_frontier
from .pareto import Frontier
from .proposals import Evaluation, evaluate, proposal_index
from .questions import prepare, zopa_direct
from .search import Objective, Unproven, build_model, exact_threshold, search, unproven_text
from .zopa import ZopaResult, zopa

OBJECTIVE_SCALE = 1e6
"""Real objectives are multiplied by this, so that HiGHS's absolute gap (1e-6) is ~1e-12."""

TIE = 1e-9
"""Sums of gains closer than this are ties, only when exact comparison is out of reach."""

_EXACT_SUM_LIMIT = 2**50

NEAREST_CANDIDATES = 20_000
"""Largest merge step tried for the frontier of the nearest deals (additive utilities)."""

NEAREST_SECONDS = 1.0
"""Time the nearest deals may spend on the frontier before they are left out."""

_MAX_SOLVES = 10_000

milp = None
"""`scipy.optimize.milp`, imported on first use (scipy.optimize takes a quarter of a second
to import, and the search method does not need it)."""

REPAIR_METHODS = ("auto", "search", "milp")
"""How `repair` solves the repair itself (see `repair`)."""

SEARCH_METHOD = ("exact branch and bound over issues (accord.bargaining.search), with the number "
                 "of issues kept from the proposal as one more column; lexicographic: fewest "
                 "changes, then largest smallest gain, then largest sum of gains, then lowest "
                 "option indices")

METHOD = ("MILP (HiGHS via scipy.optimize.milp): one binary per issue option, acceptance on "
          "exact integer units; lexicographic: fewest changes, then largest smallest gain, "
          "then largest sum of gains, then lowest option indices")


@dataclass(frozen=True)
class IssueChange:
    """One issue the repair changes, from the proposal's option to the repair's."""

    issue: str
    before: str | float
    after: str | float

    def to_dict(self) -> dict:
        return {"issue": self.issue, "from": self.before, "to": self.after}


@dataclass(frozen=True)
class NearDeal:
    """A frontier deal near the proposal: distance in the parties' utility space, whether
    every party accepts it, and how many issues differ from the proposal."""

    point: DealPoint
    distance: float
    in_zopa: bool
    changes: int

    def to_dict(self) -> dict:
        return {**self.point.to_dict(), "distance": _r(self.distance),
                "in_zopa": self.in_zopa, "changes": self.changes}


@dataclass(frozen=True)
class RepairResult:
    """The repair of one proposal (see the module doc).

    `found` says whether a repair exists within `max_changes`; `status` is "optimal" or
    "infeasible" (then `proof` says what the solver proved). `changes` is the repair's
    number of changed issues, `needed_changes` the number a repair needs without the cap
    (None when no deal at all is acceptable). `proposal_batna` holds, per party, the BATNA
    drop that would make it accept the proposal unchanged; `zopa_drop` the drops that open
    a ZOPA. `nearest` is empty, with `nearest_note` saying why, when the frontier was too
    large to compute.

    References: as `repair`.
    """

    scenario_id: str
    parties: tuple[str, ...]
    max_changes: int | None
    proposal: Evaluation
    found: bool
    status: str
    proof: str
    method: str
    solves: int
    changes: int | None
    needed_changes: int | None
    changed: tuple[IssueChange, ...]
    repaired: Evaluation | None
    smallest_gain: Fraction | None
    sum_of_gains: Fraction | None
    zopa: ZopaResult
    proposal_batna: tuple[BatnaChange, ...]
    zopa_drop: ZopaDrop
    nearest: tuple[NearDeal, ...]
    nearest_note: str = ""

    def to_dict(self) -> dict:
        z = self.zopa
        return {
            "scenario": self.scenario_id,
            "parties": list(self.parties),
            "max_changes": self.max_changes,
            "proposal": self.proposal.to_dict(),
            "found": self.found,
            "status": self.status,
            "proof": self.proof,
            "method": self.method,
            "solves": self.solves,
            "changes": self.changes,
            "needed_changes": self.needed_changes,
            "changed": [c.to_dict() for c in self.changed],
            "repaired": None if self.repaired is None else self.repaired.to_dict(),
            "smallest_gain": None if self.smallest_gain is None else _r(self.smallest_gain),
            "smallest_gain_exact": None if self.smallest_gain is None
            else str(self.smallest_gain),
            "sum_of_gains": None if self.sum_of_gains is None else _r(self.sum_of_gains),
            "zopa": {"exists": z.exists, "frontier_count": z.frontier_count,
                     "win_win": z.win_win, "best_min_gain": _r(z.best_min_gain),
                     "shortfall": _r(z.shortfall)},
            "batna": {"proposal": [b.to_dict() for b in self.proposal_batna],
                      "zopa": self.zopa_drop.to_dict()},
            "nearest": [n.to_dict() for n in self.nearest],
            **({"nearest_note": self.nearest_note} if self.nearest_note else {}),
        }


# ---------------------------------------------------------------------------------------
# The program


class _Solver(RuntimeError):
    """HiGHS stopped without an answer (neither a solution nor a proof of infeasibility)."""


class _Program:
    """The repair MILP over a space: variables, fixed rows, exact integer rows for
    thresholds on gains, and a solve that checks acceptance on exact units and adds
    no-good cuts (see the module doc)."""

    def __init__(self, space: Space, parties: Sequence[int], base: Sequence[int],
                 budget: Budget | None = None):
        self.space = space
        self.budget = budget
        self.parties = list(parties)
        self.base = tuple(base)
        n_opts = space.n_options
        self.off = np.concatenate([[0], np.cumsum(n_opts)]).astype(np.int64)
        n_x = int(self.off[-1])
        pairs = [(i, j, u) for i, j, u in space.pairs if np.any(u[self.parties] != 0)]
        z_off = [n_x]
        for i, j, _ in pairs:
            z_off.append(z_off[-1] + n_opts[i] * n_opts[j])
        self.pairs = [(i, j) for i, j, _ in pairs]
        self.z_off = z_off[:-1]
        self.t = z_off[-1]
        self.n_var = self.t + 1
        # equality rows: one option per issue; pair variables consistent with x
        rows: list[int] = []
        cols: list[int] = []
        vals: list[float] = []
        rhs: list[float] = []
        for i in range(space.n_issues):
            cols += range(int(self.off[i]), int(self.off[i + 1]))
            rows += [len(rhs)] * n_opts[i]
            vals += [1.0] * n_opts[i]
            rhs.append(1.0)
        for k, (i, j, _) in enumerate(pairs):
            ni, nj = n_opts[i], n_opts[j]
            for o in range(ni):  # sum_q z[o,q] - x[i,o] = 0
                cols += [z_off[k] + o * nj + q for q in range(nj)] + [int(self.off[i]) + o]
                rows += [len(rhs)] * (nj + 1)
                vals += [1.0] * nj + [-1.0]
                rhs.append(0.0)
            for q in range(nj):  # sum_o z[o,q] - x[j,q] = 0
                cols += [z_off[k] + o * nj + q for o in range(ni)] + [int(self.off[j]) + q]
                rows += [len(rhs)] * (ni + 1)
                vals += [1.0] * ni + [-1.0]
                rhs.append(0.0)
        from scipy import sparse

        self.eq = sparse.csr_array((vals, (rows, cols)), shape=(len(rhs), self.n_var))
        self.eq_rhs = np.array(rhs)
        # per-party rows: exact utility units, and real utilities (objectives only)
        units = np.zeros((len(self.parties), self.n_var))
        for i in range(space.n_issues):
            units[:, self.off[i]:self.off[i + 1]] = space.units[i][self.parties]
        for k, (_, _, u) in enumerate(pairs):
            units[:, z_off[k]:z_off[k + 1]] = u[self.parties].reshape(len(self.parties), -1)
        self.units = units
        self.util = units / space.scale[self.parties][:, None]
        self.accept = np.ceil(space.threshold_units(self.parties))
        self.scale = [int(space.scale[a]) for a in self.parties]
        self.batna = [exact_batna(space, a) for a in self.parties]
        common = 1
        for k_a in self.scale:
            common = math.lcm(common, k_a)
        self.common = common if common * len(self.parties) <= _EXACT_SUM_LIMIT else None
        self.keep = np.zeros(self.n_var)  # sum = number of issues left as proposed
        for i, o in enumerate(self.base):
            self.keep[self.off[i] + o] = 1.0
        self.integrality = np.zeros(self.n_var)
        self.integrality[:self.t] = 1  # x, and z (integral anyway: see the module doc)
        self.cuts: list[np.ndarray] = []
        self.solves = 0

    # rows and objectives

    def keep_row(self, changes: int) -> tuple[np.ndarray, float, float]:
        """At most `changes` issues differ from the proposal."""
        return self.keep, self.space.n_issues - changes, np.inf

    def gain_rows(self, g: Fraction, strict: bool) -> list[tuple[np.ndarray, float, float]]:
        """Every party's gain is at least g (or exceeds it), as exact integer rows."""
        out = []
        for p, (k_a, b) in enumerate(zip(self.scale, self.batna, strict=True)):
            x = (b + g) * k_a
            need = math.floor(x) + 1 if strict else math.ceil(x)
            out.append((self.units[p], float(need) - 0.5, np.inf))
        return out

    def sum_row(self, s: Fraction, strict: bool) -> tuple[np.ndarray, float, float]:
        """The sum of the parties' gains is at least s (or exceeds it): an exact integer
        row over the common denominator when it is small enough, else a real row with a
        margin of TIE."""
        total = sum(self.batna) + s
        if self.common is None:
            return self.util.sum(axis=0), float(total) + (TIE if strict else -TIE), np.inf
        row = sum(self.units[p] * (self.common // k_a) for p, k_a in enumerate(self.scale))
        x = total * self.common
        need = math.floor(x) + 1 if strict else math.ceil(x)
        return row, float(need) - 0.5, np.inf

    def unit(self, var: int) -> np.ndarray:
        e = np.zeros(self.n_var)
        e[var] = 1.0
        return e

    def option_cost(self, issue: int) -> np.ndarray:
        c = np.zeros(self.n_var)
        c[self.off[issue]:self.off[issue + 1]] = np.arange(self.space.n_options[issue])
        return c

    def sum_objective(self) -> np.ndarray:
        """Minimise this to maximise the sum of the parties' utilities."""
        return -OBJECTIVE_SCALE * self.util.sum(axis=0)

    # exact values of a deal

    def changes(self, deal: Sequence[int]) -> int:
        return sum(int(a != b) for a, b in zip(deal, self.base, strict=True))

    def gains(self, deal: Sequence[int]) -> list[Fraction]:
        u = exact_utilities(self.space, deal, self.parties)
        return [x - b for x, b in zip(u, self.batna, strict=True)]

    # solving

    def _milp(self, c, bounds, constraints, presolve: bool):
        global milp
        if milp is None:
            from scipy.optimize import milp
        options: dict = {"mip_rel_gap": 0.0}
        if not presolve:
            options["presolve"] = False
        what = "repair (mixed-integer program)"
        check(self.budget, self.solves, what=what)
        limit = None if self.budget is None else self.budget.remaining
        if limit is not None:
            options["time_limit"] = max(limit, 1e-3)
        self.solves += 1
        res = milp(c, integrality=self.integrality, bounds=bounds, constraints=constraints,
                   options=options)
        if res.status == 1 and limit is not None:  # HiGHS stopped at the time limit
            raise BudgetExceeded(what, self.budget.time_limit,  # type: ignore[union-attr]
                                 f"{self.solves} solves done")
        return res

    def solve(self, c: np.ndarray, rows: Sequence[tuple[np.ndarray, float, float]] = (),
              fixed: Sequence[int] = (), t_rows: bool = False) -> tuple[int, ...] | None:
        """Minimise c @ v over the program plus `rows` (row, lb, ub), with the variables in
        `fixed` set to 1; `t_rows` adds t <= U_a - batna_a for every party. Returns the
        deal (checked on exact units), or None when HiGHS proves the program infeasible;
        raises `_Solver` when HiGHS fails."""
        space = self.space
        local: list[np.ndarray] = []  # cuts valid for these rows only
        while True:
            if self.solves >= _MAX_SOLVES:
                raise _Solver("too many no-good cuts: the solver's tolerances cannot "
                              "resolve these utility units")
            extra = list(rows)
            if t_rows:
                extra += [(self.util[p] - self.unit(self.t), float(b), np.inf)
                          for p, b in enumerate(self.batna)]
            cuts = self.cuts + local
            dense = [*self.units, *(r[0] for r in extra), *cuts]
            lo = [*(self.accept - 0.5), *(r[1] for r in extra), *[-np.inf] * len(cuts)]
            hi = [*[np.inf] * len(self.parties), *(r[2] for r in extra),
                  *[space.n_issues - 1.0] * len(cuts)]
            from scipy import sparse
            from scipy.optimize import Bounds, LinearConstraint

            constraints = [LinearConstraint(self.eq, self.eq_rhs, self.eq_rhs),
                           LinearConstraint(sparse.csr_array(np.vstack(dense)), np.array(lo),
                                            np.array(hi))]
            lb = np.zeros(self.n_var)
            ub = np.ones(self.n_var)
            lb[self.t], ub[self.t] = -2.0, 2.0
            lb[list(fixed)] = 1.0
            res = self._milp(c, Bounds(lb, ub), constraints, presolve=False)
            if res.status == 4:  # HiGHS "Solve error" (e.g. ERGO-Code/HiGHS#2808)
                res = self._milp(c, Bounds(lb, ub), constraints, presolve=True)
            if res.status == 2:
                return None
            if res.status != 0 or res.x is None:
                raise _Solver(f"HiGHS stopped without a solution: {res.message}")
            x = res.x
            deal = tuple(int(np.argmax(x[self.off[i]:self.off[i + 1]]))
                         for i in range(space.n_issues))
            v = self.vector(deal)
            cut = np.zeros(self.n_var)  # the solver's tolerance let a near miss through
            cut[:int(self.off[-1])] = v[:int(self.off[-1])]
            u = space.utility_units(np.asarray(deal)[None, :], self.parties)[0]
            if not space.accepts(u, self.parties).all():
                self.cuts.append(cut)  # not acceptable: never again
            elif not all(r[1] <= float(r[0] @ v) <= r[2] for r in rows):
                local.append(cut)  # outside this solve's rows only
            else:
                return deal

    def vector(self, deal: Sequence[int]) -> np.ndarray:
        """The program's variables for a deal (t = 0)."""
        v = np.zeros(self.n_var)
        for i, o in enumerate(deal):
            v[self.off[i] + o] = 1.0
        n_opts = self.space.n_options
        for (i, j), start in zip(self.pairs, self.z_off, strict=False):
            v[start + deal[i] * n_opts[j] + deal[j]] = 1.0
        return v


def _resolve_parties(space: Space, parties: Sequence[str] | Sequence[int] | None
                     ) -> tuple[int, ...]:
    if parties is None:
        return space.resolve_actors(None)
    named = space.resolve_actors(parties)
    return tuple(sorted(set(space.veto_indices) | set(named)))


def _nearest(space: Space, f: Frontier, base: Sequence[int], k: int) -> tuple[NearDeal, ...]:
    if not k or not len(f):
        return ()
    idx = list(f.actors)
    u = space.utilities(np.asarray(base)[None, :], idx)[0]
    dist = np.sqrt(((f.utilities - u) ** 2).sum(axis=1))
    order = np.lexsort((np.arange(len(f)), dist))[:k]
    inside = space.accepts(f.units, f.actors).all(axis=1)
    out = []
    for r in order:
        deal = f.deals[r]
        out.append(NearDeal(deal_point(space, deal, idx), float(dist[r]), bool(inside[r]),
                            sum(int(a != b) for a, b in zip(deal, base, strict=True))))
    return tuple(out)


def repair(space: Space, proposal: str | Mapping[str, object] | Sequence[int],
           max_changes: int | None = None,
           parties: Sequence[str] | Sequence[int] | None = None,
           nearest: int = NEAREST, frontier: Frontier | None = None,
           budget: Budget | None = None, method: str = "auto") -> RepairResult:
    """The smallest change to `proposal` that every veto actor (and every actor in
    `parties`) accepts: fewest issues changed, then the largest smallest gain over the
    BATNAs, with ties broken as in the module doc; or a proof that none exists within
    `max_changes` changes (default: any number).

    `proposal` is a proposal id of the scenario, a deal {issue: option} or option indices.
    When the space is searchable the evaluation, the ZOPA and the BATNA drops are answered by
    direct searches (`accord.bargaining.questions`), and the Pareto frontier is computed
    only for the `nearest` frontier deals closest to the proposal, when it is small
    (`accord.bargaining.listing.affordable_frontier`); when it is not, none are listed and
    `nearest_note` says so. `frontier` may pass the Pareto frontier of those actors when it
    is at hand (then every answer is read from it; with interaction terms it is always
    computed). `budget` bounds the time. `method` solves the repair itself: "search" by
    the exact branch and bound of `accord.bargaining.search` (see `_solve_search`),
    "milp" by the mixed-integer program of the module doc (interaction terms linearised
    exactly), "auto" (default) by search when the space is searchable. Both give the same
    repair. Raises `InputError` for an unknown proposal, a negative cap, unknown parties
    or an unknown method.

    Cost: "milp" solves a MILP with sum_i |options_i| binaries (plus the pair variables of
    interaction terms) and |P| + n + 2 rows a handful of times (about 5, plus at most one
    per issue): NP-hard in general, milliseconds to seconds at these sizes; "search" runs
    a few exact searches (exponential in the worst case). Add the evaluation, the ZOPA,
    the BATNA drops and, when small, the frontier for the nearest deals.

    References: Land, A. H. and Doig, A. G. (1960) Econometrica 28(3):497-520,
    doi:10.2307/1910129 (branch and bound); Huangfu, Q. and Hall, J. A. J. (2018)
    "Parallelizing the dual revised simplex method", Math. Prog. Comp. 10(1):119-142,
    doi:10.1007/s12532-017-0130-5 (HiGHS); Virtanen, P. et al. (2020) "SciPy 1.0",
    Nature Methods 17:261-272, doi:10.1038/s41592-019-0686-2 (`scipy.optimize.milp`);
    Balas, E. and Jeroslow, R. (1972) "Canonical cuts on the unit hypercube", SIAM J.
    Appl. Math. 23(1), doi:10.1137/0123007 (the no-good cut); Raiffa, H. (1985)
    "Post-settlement settlements", Negotiation Journal 1(1):9-12,
    doi:10.1111/j.1571-9979.1985.tb00286.x (the improvements of the evaluation).
    """
    if method not in REPAIR_METHODS:
        raise InputError([Problem.of_parameter("method", f"unknown method '{method}' (methods: "
                                                         f"{', '.join(REPAIR_METHODS)})")])
    if method == "search" and not space.searchable:
        raise space.unsearchable("method", "milp")
    if max_changes is not None and max_changes < 0:
        raise InputError([Problem.of_parameter(
            "max_changes", f"must be at least 0, got {max_changes}")])
    if nearest < 0:
        raise InputError([Problem.of_parameter("nearest", f"must be at least 0, got {nearest}")])
    if isinstance(proposal, str):
        pid: str | None = proposal
        base = proposal_index(space, proposal)
        title = space.scenario.proposal(proposal).title
    else:
        pid, title = None, None
        base = deal_indices(space, proposal)
    P = _resolve_parties(space, parties)
    if frontier is not None and tuple(frontier.actors) != P:
        raise ValueError(f"the frontier is over actors {frontier.actors}, the repair over {P}")
    direct = frontier is None and space.searchable
    note = ""
    if direct:
        g = prepare(space, P)
        f = None
        if nearest:
            f, reason, _ = affordable_frontier(space, P, budget, NEAREST_CANDIDATES,
                                               NEAREST_SECONDS)
            if f is None:
                note = f"the frontier is too large to list nearest deals ({reason})"
        ev = evaluate(space, base, proposal_id=pid, title=title, questions=g, budget=budget)
        dz = zopa_direct(g, budget)
        z = ZopaResult(exists=dz.exists, count=None,
                       frontier_count=None if f is None
                       else int(space.accepts(f.units, f.actors).all(axis=1).sum()),
                       win_win=dz.win_win, best_min_gain=float(dz.best_min_gain), closest=-1,
                       shortfall=dz.shortfall)
        drop = batna_drop_for_zopa(space, P, questions=g, zopa=dz, budget=budget)
    else:
        from .pareto import pareto_frontier

        f = frontier if frontier is not None else pareto_frontier(space, P, budget=budget)
        ev = evaluate(space, base, frontier=f, proposal_id=pid, title=title)
        z = zopa(space, P, frontier=f, count_limit=0)
        drop = batna_drop_for_zopa(space, frontier=f)
    ids = tuple(space.actor_ids[a] for a in P)
    n = space.n_issues
    cap = n if max_changes is None else min(max_changes, n)
    searching = method == "search" or (method == "auto" and space.searchable)
    label = SEARCH_METHOD if searching else METHOD + (
        " (interaction terms linearised exactly)" if not space.additive else "")
    context = dict(scenario_id=space.scenario.id, parties=ids, max_changes=max_changes,
                   proposal=ev, method=label,
                   zopa=z, proposal_batna=tuple(batna_to_accept(space, base, a) for a in P),
                   zopa_drop=drop,
                   nearest=() if f is None else _nearest(space, f, base, nearest),
                   nearest_note=note)
    who = " and ".join(ids) if len(ids) <= 2 else ", ".join(ids)

    def evaluate_repair(deal: tuple[int, ...]) -> Evaluation:
        if direct:
            return evaluate(space, deal, questions=g, budget=budget)
        return evaluate(space, deal, frontier=f)

    if searching:
        hint = dz.deal if direct and dz.exists else None  # an acceptable deal, if any
        return _solve_search(space, P, evaluate_repair, base, cap, z, who, context, budget,
                             hint)
    prog = _Program(space, P, base, budget)
    try:
        return _solve(space, prog, evaluate_repair, base, cap, z, who, context)
    except _Solver as exc:
        raise RuntimeError(f"repair: {exc}") from None


def _solve_search(space: Space, P: Sequence[int],
                  evaluate_repair: Callable[[tuple[int, ...]], Evaluation],
                  base: tuple[int, ...], cap: int, z: ZopaResult, who: str, context: dict,
                  budget: Budget | None, hint: tuple[int, ...] | None = None
                  ) -> RepairResult:
    """The four stages of the module doc by exact searches (`accord.bargaining.search`)
    instead of the MILP. The model gets one more column, k(x) = the number of issues on
    which x keeps the proposal's option (1 on the proposal's option of each issue, 0
    elsewhere), so "at most c changes" is the row k(x) >= n - c. Stage 1 maximises k
    over the deals every party accepts; stage 2 maximises the smallest gain
    min_a (u_a / K_a - d_a) with k(x) >= n - k*; stages 3 and 4 are one search for the
    largest sum of gains among the deals that reach that smallest gain (integer rows
    u_a >= ceil((g* + d_a) K_a)), which returns the one with the lowest option indices.
    Every value is exact; the search's pruning is exact (see its module doc). `hint` is a
    deal to start stage 1 from (the ZOPA's deal; checked like any other). Cost: four or
    five searches, exponential only in the worst case."""
    n = space.n_issues
    P = list(P)
    kept = [(np.arange(space.n_options[i]) == base[i]).astype(float)[:, None]
            for i in range(n)]
    model = build_model(space, P, extra=kept)
    q = len(P)
    K = [Fraction(int(k)) for k in space.scale[P]]
    D = [exact_batna(space, a) for a in P]
    T: list[int | None] = list(exact_threshold(space, P))
    keep_obj = Objective("linear", (q,), (Fraction(1),))
    searches = 0

    def run(obj: Objective, lower: list[int | None], stage: str, **kw):
        nonlocal searches
        searches += 1
        try:
            return search(model, obj, lower, budget=budget, **kw)
        except BudgetExceeded as exc:  # say which stage, in its own terms
            found = exc.partial
            if not isinstance(found, Unproven):
                raise
            raise exc.again(_stage_stopped(stage, found, n), found) from None

    base_units = space.utility_units(np.asarray(base)[None, :], P)[0]
    start: tuple[int, ...] | None = tuple(base)
    if space.accepts(base_units, P).all():
        deal, k = tuple(base), 0
    else:
        r = run(keep_obj, [*T, n - cap], "changes", lex=False, start=hint)
        if r is None:
            needed = None
            if cap < n:
                full = run(keep_obj, [*T, None], "changes", lex=False)
                needed = None if full is None else n - int(full.value)
            if needed is None and z.exists:
                raise RuntimeError("repair: the search found no acceptable deal, yet the ZOPA "
                                   "question found one")
            return _no_repair("The exact search proved that", needed, cap, n, who,
                              searches, context)
        k = n - int(r.value)
        start = r.deal
        lower = [*T, n - k]
        alpha = tuple(1 / x for x in K)
        mg = Objective("minaff", tuple(range(q)), alpha, tuple(-d for d in D))
        r1 = run(mg, lower, "smallest gain", lex=False, start=start)
        assert r1 is not None  # stage 1's deal qualifies
        # the deals that reach the smallest gain g*: u_a >= ceil((g* + d_a) K_a), exactly
        floor = [_ceil_q((r1.value + d) * kk) for d, kk in zip(D, K, strict=True)]
        low2: list[int | None] = [max(t, f) for t, f in zip(T, floor, strict=True)]  # type: ignore[type-var]
        low2.append(n - k)
        total = Objective("linear", tuple(range(q)), alpha, const=-sum(D))
        r2 = run(total, low2, "sum of gains", start=r1.deal)
        assert r2 is not None
        deal = r2.deal
    gains = [x - d for x, d in zip(exact_utilities(space, deal, P), D, strict=True)]
    changed = tuple(IssueChange(space.issue_ids[i], space.labels[i][b], space.labels[i][d])
                    for i, (b, d) in enumerate(zip(base, deal, strict=True)) if b != d)
    if k == 0:
        proof = f"The proposal is already accepted by {who}: no change is needed."
    else:
        fewer = (f"the proposal itself is not accepted by {who}; the exact search proved"
                 if k == 1 else
                 f"the exact search proved that no deal with fewer than {k} changes is "
                 f"accepted by {who}, and")
        proof = (f"Optimal: {fewer} that no deal with {k} change{'s' * (k > 1)} has a larger "
                 "smallest gain.")
    return RepairResult(found=True, status="optimal", proof=proof, solves=searches,
                        changes=k, needed_changes=k, changed=changed,
                        repaired=evaluate_repair(deal),
                        smallest_gain=min(gains), sum_of_gains=sum(gains), **context)


def _stage_stopped(stage: str, found: Unproven, n: int) -> str:
    """What a repair search stopped by its budget had found, in the stage's terms."""
    if stage == "changes":
        if found.value is None:
            return "no accepted deal found yet"
        best = n - round(found.value)
        fewest = "" if found.bound is None else \
            f"; no repair changes fewer than {n - math.floor(found.bound + 1e-9)}"
        return f"fewest changes not proven: the best repair found changes {best}{fewest}"
    return f"the repair's {stage} not proven: {unproven_text(found)}"


def _no_repair(prover: str, needed: int | None, cap: int, n: int, who: str, solves: int,
               context: dict) -> RepairResult:
    """The result when no deal within `cap` changes is accepted (`needed`: the changes a
    repair needs without the cap, None when no deal at all is accepted)."""
    if cap < n:
        proof = (f"{prover} no deal that changes at most {cap} of the {n} issues is accepted "
                 f"by {who}; " + (f"the smallest repair changes {needed}." if needed is not None
                                  else "no deal at all is (there is no ZOPA)."))
    else:
        proof = f"{prover} no deal at all is accepted by {who} (there is no ZOPA)."
    return RepairResult(found=False, status="infeasible", proof=proof, solves=solves,
                        changes=None, needed_changes=needed, changed=(), repaired=None,
                        smallest_gain=None, sum_of_gains=None, **context)


def _ceil_q(x: Fraction) -> int:
    return -((-x.numerator) // x.denominator)


def _solve(space: Space, prog: _Program, evaluate_repair: Callable[[tuple[int, ...]], Evaluation],
           base: tuple[int, ...], cap: int, z: ZopaResult, who: str, context: dict
           ) -> RepairResult:
    """The four stages of the module doc (`evaluate_repair` scores the repaired deal;
    `z.exists` is checked against the program's verdict)."""
    n = space.n_issues
    P = prog.parties
    # stage 1: fewest changes
    base_units = space.utility_units(np.asarray(base)[None, :], P)[0]
    if space.accepts(base_units, P).all():
        deal: tuple[int, ...] = tuple(base)
        k = 0
    else:
        found = prog.solve(-prog.keep, [prog.keep_row(cap)])
        if found is None:
            needed = None
            if cap < n:
                full = prog.solve(-prog.keep)
                needed = None if full is None else prog.changes(full)
            if needed is None and z.exists:
                raise _Solver("the program is infeasible, yet the ZOPA question found an "
                              "acceptable deal")
            return _no_repair("HiGHS proved the program infeasible:", needed, cap, n, who,
                              prog.solves, context)
        deal, k = found, prog.changes(found)

    if k > 0:
        keep = prog.keep_row(k)
        # stage 2: largest smallest gain; a real relaxation first, then exact probes
        g = min(prog.gains(deal))
        try:
            near = prog.solve(-OBJECTIVE_SCALE * prog.unit(prog.t), [keep], t_rows=True)
        except _Solver:
            near = None  # the probes below find the optimum on their own
        if near is not None and min(prog.gains(near)) > g:
            deal, g = near, min(prog.gains(near))
        high = None if near is not None else Fraction(2)  # no gain reaches 2
        while True:
            if high is not None and high - g > Fraction(1, 10**9):
                mid = (g + high) / 2
                better = prog.solve(prog.sum_objective(), [keep, *prog.gain_rows(mid, False)])
                if better is None:
                    high = mid
                    continue
            else:
                better = prog.solve(prog.sum_objective(), [keep, *prog.gain_rows(g, True)])
                if better is None:
                    break  # proof: no deal with k changes has a larger smallest gain
            deal, g = better, min(prog.gains(better))
        # stage 3: largest sum of gains among the deals with smallest gain g
        tied = [keep, *prog.gain_rows(g, False)]
        best = prog.solve(prog.sum_objective(), tied)
        if best is not None:
            deal = best
        total = sum(prog.gains(deal))
        while True:
            better = prog.solve(prog.sum_objective(), [*tied, prog.sum_row(total, True)])
            if better is None or sum(prog.gains(better)) <= total:
                break
            deal, total = better, sum(prog.gains(better))
        # stage 4: lowest option indices, issue by issue
        tied.append(prog.sum_row(total, False))
        fixed: list[int] = []
        for i in range(n):
            if deal[i] > 0:
                lower = prog.solve(prog.option_cost(i), tied, fixed)
                if lower is not None:
                    deal = lower
            fixed.append(int(prog.off[i]) + deal[i])
    gains = prog.gains(deal)
    changed = tuple(IssueChange(space.issue_ids[i], space.labels[i][b], space.labels[i][d])
                    for i, (b, d) in enumerate(zip(base, deal, strict=True)) if b != d)
    if k == 0:
        proof = f"The proposal is already accepted by {who}: no change is needed."
    else:
        fewer = (f"the proposal itself is not accepted by {who}; HiGHS proved" if k == 1
                 else f"HiGHS proved that no deal with fewer than {k} changes is accepted by "
                      f"{who}, and")
        proof = (f"Optimal: {fewer} that no deal with {k} change{'s' * (k > 1)} has a larger "
                 "smallest gain (an exact probe is infeasible).")
    return RepairResult(found=True, status="optimal", proof=proof, solves=prog.solves,
                        changes=k, needed_changes=k, changed=changed,
                        repaired=evaluate_repair(deal),
                        smallest_gain=min(gains), sum_of_gains=sum(gains), **context)
