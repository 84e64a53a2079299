"""Repeated-game strategies as small automata, the library of named ones, and the parser of
strategy names (`tft`, `gtft:0.2`, `m1:1/0.1/1/0.1/1`).

A strategy is a set of states, the probability of (intending to) cooperate in each, a start
state, and the next state after each outcome (CC, CD, DC, DD, own move first). Memory-one
strategies are given by their 4-vector `(p_CC, p_CD, p_DC, p_DD)`, the probability of
cooperating after each outcome of the last round, and the probability `first` of cooperating
in round one. `STRATEGIES` lists the named ones; `strategy("gtft:0.2")`,
`strategy("random:0.3")` and `strategy("m1:1/0.1/1/0.1/1")` build parametrised and custom
ones.

About grim trigger: `grim` is the real thing (Friedman's grim trigger, `axelrod.Grudger`):
it cooperates until the opponent's first (realised) defection and defects for ever after,
whatever the noise does to its own moves. That needs one bit of memory beyond the last
round, so it is a two-state automaton, not a 4-vector. `grim-m1` is the memory-one rule
(1, 0, 0, 0), "cooperate only after mutual cooperation": without noise it plays exactly
like grim against every opponent (once it defects it can never see CC again); with noise
it differs (a flipped move of its own also triggers it, and a lucky CC makes it forgive).

References: Axelrod (1980) J. Conflict Resolution 24(1):3-25, doi:10.1177/002200278002400101
(Joss, Grofman), and (1984) *The Evolution of Cooperation* (a book); Nowak & Sigmund (1992)
Nature 355:250, doi:10.1038/355250a0 (generous TFT), and (1993) Nature 364:56,
doi:10.1038/364056a0 (win-stay lose-shift); Sugden (1986), Boyd (1989) and Wu & Axelrod
(1995) J. Conflict Resolution 39(1):183-189 (contrite TFT).
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ...errors import InputError, Problem
from ...numeric import exact_number
from ..exact import exact_value
from .payoffs import Payoffs, gtft_generosity


@dataclass(frozen=True)
class Strategy:
    """A repeated-game strategy as an automaton.

    `coop[s]` is the probability of intending to cooperate in state `s`; `transitions[s][o]`
    the state after outcome `o` (0..3 = CC, CD, DC, DD, own move first, as realised after
    noise); `start` the state of round one. Memory-one strategies also carry their
    4-vector and first-move probability (states 0..3 are the last outcome, state 4 the
    start)."""

    name: str
    coop: tuple[float, ...]
    transitions: tuple[tuple[int, int, int, int], ...]
    start: int = 0
    vector: tuple[float, float, float, float] | None = None
    first: float | None = None
    description: str = ""
    states: tuple[str, ...] = ()

    @property
    def memory_one(self) -> bool:
        return self.vector is not None

    @property
    def deterministic(self) -> bool:
        return all(c in (0.0, 1.0) for c in self.coop)

    @property
    def n_states(self) -> int:
        return len(self.coop)

    def to_dict(self) -> dict:
        d: dict = {"name": self.name, "description": self.description,
                   "memory_one": self.memory_one}
        if self.vector is not None:
            d["vector"] = list(self.vector)
            d["first"] = self.first
        else:
            d["states"] = list(self.states) or list(range(self.n_states))
            d["cooperate"] = list(self.coop)
            d["transitions"] = [list(t) for t in self.transitions]
            d["start"] = self.start
        return d


def memory_one(name: str, vector: Sequence[float], first: float = 1.0,
               description: str = "") -> Strategy:
    """A memory-one strategy: `vector` = (p_CC, p_CD, p_DC, p_DD), the probability of
    cooperating after each outcome of the last round (own move first), and `first`, the
    probability of cooperating in round one."""
    read = [exact_value(x) for x in (*vector, first)]  # numbers as the files read them
    v = tuple(math.nan if x is None else float(x) for x in read[:-1])
    p_first = math.nan if read[-1] is None else float(read[-1])
    problems = []
    if len(v) != 4:
        problems.append(Problem("vector", f"{name}: a memory-one strategy needs 4 "
                                          f"probabilities (p_CC, p_CD, p_DC, p_DD), got "
                                          f"{len(v)}"))
    if any(not (0.0 <= x <= 1.0) or math.isnan(x) for x in (*v, p_first)):
        problems.append(Problem("vector", f"{name}: probabilities must lie in [0, 1]"))
    if problems:
        raise InputError(problems)
    return Strategy(name=name, coop=(*v, p_first), transitions=((0, 1, 2, 3),) * 5,
                    start=4, vector=v, first=p_first,  # type: ignore[arg-type]
                    description=description,
                    states=("after CC", "after CD", "after DC", "after DD", "first round"))


def grim(name: str = "grim") -> Strategy:
    """Grim trigger: cooperate until the opponent defects once, then defect for ever."""
    # state 0 calm, 1 triggered; an opponent's D (outcomes CD, DD) triggers
    return Strategy(name=name, coop=(1.0, 0.0), transitions=((0, 1, 0, 1), (1, 1, 1, 1)),
                    description="cooperates until the opponent's first defection, then "
                                "defects for ever (two states; not memory-one under noise)",
                    states=("calm", "triggered"))


def tit_for_k_tats(k: int, name: str | None = None) -> Strategy:
    """Defect only after `k` defections of the opponent in a row (k = 2: tit for two
    tats, which forgives isolated defections)."""
    # state j = the opponent's trailing run of defections, capped at k
    trans = tuple(tuple(min(j + 1, k) if o in (1, 3) else 0 for o in range(4))
                  for j in range(k + 1))
    return Strategy(name=name or f"tf{k}t", coop=(1.0,) * k + (0.0,),
                    transitions=trans,  # type: ignore[arg-type]
                    description=f"defects only after {k} defections of the opponent in a "
                                "row",
                    states=tuple(f"{j} D in a row" for j in range(k + 1)))


def window_tft(k: int, name: str | None = None) -> Strategy:
    """Defect if the opponent defected in any of its last `k` moves (k = 2: two tits for
    tat; k = 3: hard tit-for-tat; k = 1 is tit-for-tat)."""
    # state 0: no D among the opponent's last k moves; state j >= 1: last D j moves ago
    trans = []
    for j in range(k + 1):
        after_c = 0 if j in (0, k) else j + 1
        trans.append(tuple(1 if o in (1, 3) else after_c for o in range(4)))
    return Strategy(name=name or f"window-tft:{k}", coop=(1.0,) + (0.0,) * k,
                    transitions=tuple(trans),  # type: ignore[arg-type]
                    description=f"defects if the opponent defected in any of its last {k} "
                                "moves",
                    states=("no recent D", *[f"D {j} ago" for j in range(1, k + 1)]))


def contrite_tft(name: str = "ctft") -> Strategy:
    """Contrite tit-for-tat (Sugden 1986; Boyd 1989; Wu & Axelrod 1995), by standing.

    Each player is in good standing at first; one who defects falls into bad standing
    unless the defection was a justified punishment (it was in good standing and its
    opponent in bad standing); cooperating restores good standing. CTFT defects only when
    it is in good standing and its opponent in bad standing. After its own mistake it
    accepts one round of punishment instead of echoing it, so unlike TFT it can be an
    equilibrium under noise. (The `axelrod` library's ContriteTitForTat instead knows its
    own intended moves; without noise both are TFT.)"""
    trans = []
    for s in range(4):  # s = 2 * (self bad) + (opponent bad)
        me_bad, op_bad = divmod(s, 2)
        row = []
        for o in range(4):
            x, y = divmod(o, 2)  # 1 = defected (realised)
            me = 0 if x == 0 or (not me_bad and op_bad) else 1
            op = 0 if y == 0 or (not op_bad and me_bad) else 1
            row.append(2 * me + op)
        trans.append(tuple(row))
    return Strategy(name=name, coop=(1.0, 0.0, 1.0, 1.0),
                    transitions=tuple(trans),  # type: ignore[arg-type]
                    description="contrite tit-for-tat: punishes a defection once, and "
                                "accepts punishment after its own (standing-based)",
                    states=("both good", "other bad", "self bad", "both bad"))


def _m1(vector, first, description):
    return lambda name, payoffs, arg: memory_one(name, vector, first, description)


def _gtft(name: str, payoffs: Payoffs, arg: float | None) -> Strategy:
    g = gtft_generosity(payoffs) if arg is None else arg
    return memory_one(name, (1, g, 1, g), 1, f"tit-for-tat that forgives a defection with "
                                             f"probability {g:.4g}")


def _random(name: str, payoffs: Payoffs, arg: float | None) -> Strategy:
    p = 0.5 if arg is None else arg
    return memory_one(name, (p, p, p, p), p, f"cooperates with probability {p:g}, round "
                                             "one included")


_LIBRARY = {
    "allc": _m1((1, 1, 1, 1), 1, "always cooperates"),
    "alld": _m1((0, 0, 0, 0), 0, "always defects"),
    "tft": _m1((1, 0, 1, 0), 1, "tit-for-tat: cooperates first, then copies the opponent's "
                                "last move"),
    "stft": _m1((1, 0, 1, 0), 0, "suspicious tit-for-tat: defects first, then copies"),
    "gtft": _gtft,
    "wsls": _m1((1, 0, 0, 1), 1, "win-stay lose-shift (Pavlov): repeats its move after R "
                                 "or T, switches after S or P"),
    "grim-m1": _m1((1, 0, 0, 0), 1, "memory-one grim: cooperates only after mutual "
                                    "cooperation (= grim without noise)"),
    "random": _random,
    "alternator": _m1((0, 0, 1, 1), 1, "alternates C, D, C, ... (reacts to its own last "
                                       "move)"),
    "bully": _m1((0, 1, 0, 1), 0, "reverse tit-for-tat: defects first, then plays the "
                                  "opposite of the opponent's last move"),
    "fbf": _m1((1, 0, 1, 2 / 3), 1, "firm but fair: cooperates except after being the "
                                    "sucker, and after DD with probability 2/3"),
    "joss": _m1((0.9, 0, 0.9, 0), 1, "Joss (Axelrod 1980): tit-for-tat that defects 10% "
                                     "of the time instead of cooperating"),
    "grofman": _m1((1, 2 / 7, 2 / 7, 1), 1, "Grofman (Axelrod 1980): cooperates after a "
                                            "matched round, else with probability 2/7"),
    "grim": lambda name, payoffs, arg: grim(name),
    "tf2t": lambda name, payoffs, arg: tit_for_k_tats(2, name),
    "ttft": lambda name, payoffs, arg: window_tft(2, name),
    "hard-tft": lambda name, payoffs, arg: window_tft(3, name),
    "ctft": lambda name, payoffs, arg: contrite_tft(name),
}
_ALIASES = {
    "always-cooperate": "allc", "cooperator": "allc", "all-c": "allc",
    "always-defect": "alld", "defector": "alld", "all-d": "alld",
    "tit-for-tat": "tft", "titfortat": "tft",
    "suspicious-tft": "stft", "suspicious-tit-for-tat": "stft",
    "generous-tft": "gtft", "generous-tit-for-tat": "gtft",
    "win-stay-lose-shift": "wsls", "pavlov": "wsls",
    "grim-trigger": "grim", "grudger": "grim",
    "tit-for-two-tats": "tf2t", "two-tits-for-tat": "ttft",
    "hard-tit-for-tat": "hard-tft", "contrite-tft": "ctft", "contrite-tit-for-tat": "ctft",
    "firm-but-fair": "fbf", "reverse-tft": "bully",
}
_PARAMETRISED = {"gtft", "random"}
STRATEGIES: tuple[str, ...] = tuple(_LIBRARY)
"""Names of the built-in strategies (aliases such as `tit-for-tat` also work)."""
MEMORY_ONE: tuple[str, ...] = ("allc", "alld", "tft", "stft", "gtft", "wsls", "grim-m1",
                               "random", "alternator", "bully", "fbf", "joss", "grofman")
DEFAULT_STRATEGIES: tuple[str, ...] = ("tft", "gtft", "wsls", "grim", "ctft", "tf2t", "allc",
                                       "alld", "random")


def strategy(spec: str | Strategy, payoffs: Payoffs | None = None,
             custom: dict[str, Strategy] | None = None, where: str = "strategies") -> Strategy:
    """A strategy by name: a built-in (`STRATEGIES`, aliases allowed), `gtft:G` (generosity
    G), `random:P`, `m1:pCC/pCD/pDC/pDD[/first]` (a custom memory-one rule), or a name in
    `custom`. Raises `InputError` for an unknown name, naming the close ones."""
    if isinstance(spec, Strategy):
        return spec
    payoffs = payoffs or Payoffs()
    text = str(spec).strip()
    if custom and text in custom:
        return custom[text]
    base, sep, arg = text.partition(":")
    key = base.strip().lower().replace("_", "-").replace(" ", "-")
    key = _ALIASES.get(key, key)
    if key == "m1" and sep:
        read = [exact_number(x) for x in arg.split("/")]
        if len(read) not in (4, 5) or None in read:
            raise InputError([Problem(where, f"'{text}': write a memory-one rule as "
                                             "m1:pCC/pCD/pDC/pDD or m1:pCC/pCD/pDC/pDD/first")])
        vals = [float(x) for x in read]  # type: ignore[arg-type]
        try:
            return memory_one(text, vals[:4], vals[4] if len(vals) == 5 else 1.0,
                              "custom memory-one rule")
        except InputError as exc:
            raise InputError([Problem(where, p.message) for p in exc.problems]) from None
    if key not in _LIBRARY:
        known = sorted([*_LIBRARY, *(custom or {})])
        near = difflib.get_close_matches(key, known + sorted(_ALIASES), n=3)
        hint = f" (did you mean {', '.join(near)}?)" if near else ""
        raise InputError([Problem(where, f"unknown strategy '{text}'{hint}; known: "
                                         f"{', '.join(known)}, and m1:a/b/c/d[/first]")])
    value: float | None = None
    if sep:
        if key not in _PARAMETRISED:
            raise InputError([Problem(where, f"'{text}': only gtft:G and random:P take a "
                                             "parameter")])
        read = exact_number(arg)
        value = math.nan if read is None else float(read)
        if not (0.0 <= value <= 1.0):
            raise InputError([Problem(where, f"'{text}': the parameter is a probability in "
                                             "[0, 1]")])
    name = key if not sep else f"{key}:{arg.strip()}"
    return _LIBRARY[key](name, payoffs, value)


def list_strategies() -> list[Strategy]:
    """The built-in strategies (`STRATEGIES`), parametrised ones with their defaults for
    5/3/1/0: what `accord trust --list` shows."""
    return [strategy(name) for name in STRATEGIES]


def strategies(specs: Iterable[str | Strategy], payoffs: Payoffs | None = None,
               custom: dict[str, Strategy] | None = None,
               where: str = "strategies") -> list[Strategy]:
    """Several strategies (see `strategy`); every unknown name reported at once, and
    duplicate names refused."""
    out, problems, seen = [], [], set()
    for k, s in enumerate(specs):
        try:
            st = strategy(s, payoffs, custom, f"{where}[{k}]")
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        if st.name in seen:
            problems.append(Problem(f"{where}[{k}]", f"strategy '{st.name}' is listed twice"))
        seen.add(st.name)
        out.append(st)
    if problems:
        raise InputError(problems)
    if not out:
        raise InputError([Problem(where, "give at least one strategy")])
    return out
