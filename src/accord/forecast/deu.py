"""The DEU III benchmark: EU legislative issues with the actors' positions and the real outcome.

DEU III (Arregui & Perarnaud 2021, "A new dataset on legislative decision-making in the
European Union: the DEU III dataset", doi:10.34810/data53) records, for controversial issues of
EU legislative proposals, the position and salience of the Commission, the Parliament and the
member states, the reference point (what happens without agreement) and the **actual outcome**,
all on 0..100. It is the out-of-sample test for the forecast models: run a model on an issue
and compare its forecast with the outcome (see `benchmarks/forecast_deu.py`).

`read_deu` reads the tab-separated copy published as `deu3.csv` in GitHub
`blksv/predictioneers_game` (shipped in the team's data as `bdm/deu3_blksv.tsv`). Its layout:

* line 1, the header: metadata columns (`prnrnmc, isnrnmc, prnr, prname, isnr, type, council,
  proc, counvte, proccde, issues, intro, finact`), then `p<actor>` (position) for 30 actors,
  `s<actor>` (salience) for the same actors, `rp` (reference point) and `out` (outcome).
  Actors are the columns `p<code>` that have a matching `s<code>`: `com` (the Commission),
  `ep` (the Parliament) and 28 member states (`at`, `be`, ..., `cr` Croatia, `el` Greece,
  `uk`);
* line 2, the capability line added by blksv: each actor's GDP (apparently in trillions) under
  its `p<actor>` column, the other cells empty. It gives the Commission and the Parliament 4.1,
  the value of the largest member state (Germany); blksv's own validation divides every value
  by the largest, so that both institutions weigh as much as Germany;
* then one row per issue. Values may be quoted (`"4.1"`); empty cells are missing data.

How cells become `StakeholderData` (one issue per `DeuIssue`, scale 0..100):

* an actor is **present** on an issue when its position cell is filled; an actor with an
  empty position is left out (its salience is then empty or 0 in the file; a positive
  salience without a position is an error);
* salience is divided by 100 (0..1). A present actor whose salience cell is empty (54 cells
  in the file, 22 of them on issue d07249i1) is kept with salience 0, so it counts for
  nothing in the weighted models; this is also what blksv's validation does. Such actors are
  listed in `DeuIssue.no_salience`;
* capability is the actor's value on the capability line, unchanged (the compromise and the
  vote shares of the other models depend only on ratios). When the line leaves the cell of
  the Commission or the Parliament empty, that institution gets the largest value on the line,
  which is what the file itself does (both 4.1, like Germany). An empty or non-positive value
  for a member state is an error;
* `rp` empty (103 issues) gives `reference_point=None`. `out` empty (11 issues: blksv removed
  the invalid outcomes by emptying the cell) skips the row unless `require_outcome=False`,
  when the issue is kept with `outcome=None`.

Proposals are grouped by `prnr` as the file gives it. One quirk: the four ERDF issues (the
`issues` column says 4, same dates) carry two codes, `a04163` (isnr `d04167i1`, `d04167i2`)
and `d04167` (`d04167i3`, `d04167i4`), so they form two proposals of two issues each.

Every problem (a row with the wrong number of fields, a value that is not a number or lies
outside 0..100, a missing column, a duplicate issue id, ...) is reported as an `InputError`
naming the file, the line and the column.
"""

from __future__ import annotations

import csv
import math
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal, overload

import numpy as np

from ..errors import InputError, Problem
from .data import StakeholderData

INSTITUTIONS = ("com", "ep")

#: The actor codes of the DEU III columns.
ACTOR_NAMES: dict[str, str] = {
    "com": "European Commission", "ep": "European Parliament", "at": "Austria",
    "be": "Belgium", "bu": "Bulgaria", "cr": "Croatia", "cy": "Cyprus", "cz": "Czechia",
    "dk": "Denmark", "ee": "Estonia", "fi": "Finland", "fr": "France", "de": "Germany",
    "el": "Greece", "hu": "Hungary", "ie": "Ireland", "it": "Italy", "lv": "Latvia",
    "lt": "Lithuania", "lu": "Luxembourg", "mt": "Malta", "nl": "Netherlands", "pl": "Poland",
    "pt": "Portugal", "ro": "Romania", "si": "Slovenia", "sk": "Slovakia", "es": "Spain",
    "se": "Sweden", "uk": "United Kingdom",
}

_REQUIRED = ("prnr", "isnr", "rp", "out")
_SCALE = (0.0, 100.0)


@dataclass(frozen=True, eq=False)
class DeuIssue:
    """One DEU III issue: its id (`isnr`, e.g. `d00032i1`: proposal `d00032`, issue 1), its
    proposal (`prnr`), the line of the file it comes from, the actors present on it as
    `StakeholderData` with one issue (positions on 0..100, salience on 0..1, capability from
    the capability line), the reference point and the actual outcome (0..100; None when the
    cell is empty), the other columns as text (`meta`), and the present actors whose salience
    cell was empty (`no_salience`, kept with salience 0). Data: DEU III, doi:10.34810/data53."""

    id: str
    proposal: str
    line: int
    data: StakeholderData
    reference_point: float | None
    outcome: float | None
    meta: Mapping[str, str] = field(default_factory=dict)
    no_salience: tuple[str, ...] = ()


@dataclass(frozen=True, eq=False)
class DeuProposal:
    """The issues of one legislative proposal, together: `data` has one issue per DEU issue
    (in file order) and every actor present on at least one of them; an actor absent from an
    issue has position NaN and salience 0 there. `reference_point` and `outcome` follow
    `data.issues`. This is the input of multi-issue models such as the exchange model."""

    id: str
    issues: tuple[DeuIssue, ...]
    data: StakeholderData

    @property
    def outcome(self) -> tuple[float | None, ...]:
        return tuple(i.outcome for i in self.issues)

    @property
    def reference_point(self) -> tuple[float | None, ...]:
        return tuple(i.reference_point for i in self.issues)


@overload
def read_deu(path: str | os.PathLike[str], *, group_by_proposal: Literal[False] = False,
             require_outcome: bool = True) -> list[DeuIssue]: ...


@overload
def read_deu(path: str | os.PathLike[str], *, group_by_proposal: Literal[True],
             require_outcome: bool = True) -> list[DeuProposal]: ...


def read_deu(path: str | os.PathLike[str], *, group_by_proposal: bool = False,
             require_outcome: bool = True) -> list[DeuIssue] | list[DeuProposal]:
    """The issues of a DEU III file (see the module docstring for the layout and the rules),
    in file order; with `group_by_proposal=True`, the proposals instead (`group_proposals`).
    Rows without an outcome are skipped unless `require_outcome=False`. Cost: O(rows x
    columns).

    References: Arregui, J. and Perarnaud, C. (2021) "A new dataset on legislative
    decision-making in the European Union: the DEU III dataset", doi:10.34810/data53.
    """
    text, name = _read_text(path)
    issues = _parse(text, name, require_outcome)
    return group_proposals(issues) if group_by_proposal else issues


def group_proposals(issues: Iterable[DeuIssue]) -> list[DeuProposal]:
    """Group issues by proposal (`prnr`), in order of first appearance; see `DeuProposal`.
    Cost: O(issues x actors)."""
    groups: dict[str, list[DeuIssue]] = {}
    for issue in issues:
        groups.setdefault(issue.proposal, []).append(issue)
    return [_proposal(pid, members) for pid, members in groups.items()]


def _proposal(pid: str, members: list[DeuIssue]) -> DeuProposal:
    actors: list[str] = []
    cap: dict[str, float] = {}
    for m in members:
        for a, c in zip(m.data.actors, m.data.capability, strict=True):
            if a not in cap:
                actors.append(a)
                cap[a] = float(c)
    # the file's column order (com, ep, at, be, ...), whatever issue an actor first shows on;
    # codes other than DEU III's come last, in order of appearance
    known = {a: i for i, a in enumerate(ACTOR_NAMES)}
    order = sorted(actors, key=lambda a: (known.get(a, len(known)), actors.index(a)))
    index = {a: i for i, a in enumerate(order)}
    pos = np.full((len(order), len(members)), np.nan)
    sal = np.zeros((len(order), len(members)))
    for k, m in enumerate(members):
        for j, a in enumerate(m.data.actors):
            pos[index[a], k] = m.data.position[j, 0]
            sal[index[a], k] = m.data.salience[j, 0]
    data = StakeholderData(actors=tuple(order), issues=tuple(m.id for m in members),
                           capability=np.array([cap[a] for a in order]), position=pos,
                           salience=sal, scales=tuple(_SCALE for _ in members),
                           source=members[0].data.source)
    return DeuProposal(id=pid, issues=tuple(members), data=data)


# --- parsing ----------------------------------------------------------------------------------


def _read_text(path: str | os.PathLike[str]) -> tuple[str, str]:
    from ..io import read_text

    return read_text(path, "DEU III file", missing="no such file", allow_empty=False)


class _Cells:
    """Numeric cells of one row, recording a problem (line, column) for each bad one."""

    def __init__(self, line: int, row: list[str], header: list[str], name: str,
                 problems: list[Problem]):
        self.line, self.row, self.header, self.name = line, row, header, name
        self.problems = problems

    def where(self, col: int) -> str:
        return f"line {self.line}, column {col + 1} ({self.header[col]})"

    def number(self, col: int, lo: float | None = 0.0, hi: float | None = 100.0
               ) -> float | None:
        """The cell as a float, None when empty; NaN (and a problem) when it is not a number
        or lies outside lo..hi."""
        t = self.row[col]
        if t == "":
            return None
        try:
            x = float(t)
        except ValueError:
            x = math.nan
        if not math.isfinite(x):
            self.problems.append(Problem(self.where(col), f"{t!r} is not a number", self.name))
            return math.nan
        if (lo is not None and x < lo) or (hi is not None and x > hi):
            rng = f"outside {lo:g}..{hi:g}" if hi is not None else f"below {lo:g}"
            self.problems.append(Problem(self.where(col), f"{t} is {rng}", self.name))
            return math.nan
        return x


def _parse(text: str, name: str, require_outcome: bool) -> list[DeuIssue]:
    reader = csv.reader(text.splitlines(), delimiter="\t", quotechar='"')
    rows: list[tuple[int, list[str]]] = []
    for row in reader:
        if any(f.strip() for f in row):
            rows.append((reader.line_num, [f.strip() for f in row]))
    hline, header = rows[0]
    cols = {h: k for k, h in enumerate(header)}
    problems: list[Problem] = []
    for h in _REQUIRED:
        if h not in cols:
            problems.append(Problem(f"line {hline}", f"missing column '{h}'", name))
    seen: set[str] = set()
    for h in header:
        if h in seen:
            problems.append(Problem(f"line {hline}", f"column '{h}' appears twice", name))
        seen.add(h)
    actors = [h[1:] for h in header if h.startswith("p") and len(h) > 1 and "s" + h[1:] in cols]
    if not actors:
        problems.append(Problem(f"line {hline}", "no actor columns (p<actor> with a matching "
                                "s<actor>)", name))
    if problems:
        raise InputError(problems)
    pcol = [cols["p" + a] for a in actors]
    scol = [cols["s" + a] for a in actors]
    actor_cols = set(pcol) | set(scol) | {cols["rp"], cols["out"]}
    meta_cols = [k for k in range(len(header)) if k not in actor_cols]

    if len(rows) < 2:
        raise InputError([Problem(f"line {hline}", "no capability line after the header",
                                  name)])
    cline, crow = rows[1]
    if len(crow) != len(header):
        raise InputError([Problem(f"line {cline}", f"{len(crow)} fields, the header has "
                                  f"{len(header)}", name)])
    if crow[cols["isnr"]] or crow[cols["out"]]:
        raise InputError([Problem(f"line {cline}", "expected the capability (GDP) line: "
                                  "empty isnr and out, one value per p<actor> column", name)])
    cells = _Cells(cline, crow, header, name, problems)
    raw = {a: cells.number(k, lo=0.0, hi=None) for a, k in zip(actors, pcol, strict=True)}
    given = [c for c in raw.values() if c is not None and math.isfinite(c)]
    top = max(given) if given else math.nan
    capability: dict[str, float] = {}
    for a, k in zip(actors, pcol, strict=True):
        c = raw[a]
        if c is None and a in INSTITUTIONS and given:
            c = top
        if c is None:
            problems.append(Problem(cells.where(k), "no capability", name))
        elif c == 0:
            problems.append(Problem(cells.where(k), "capability 0", name))
        capability[a] = c if c is not None else math.nan
    if problems:
        raise InputError(problems)

    issues: list[DeuIssue] = []
    ids: dict[str, int] = {}
    for line, row in rows[2:]:
        if len(row) != len(header):
            problems.append(Problem(f"line {line}", f"{len(row)} fields, the header has "
                                    f"{len(header)}", name))
            continue
        cells = _Cells(line, row, header, name, problems)
        iid, pid = row[cols["isnr"]], row[cols["prnr"]]
        if not iid:
            problems.append(Problem(cells.where(cols["isnr"]), "empty issue id", name))
        elif iid in ids:
            problems.append(Problem(cells.where(cols["isnr"]), f"issue '{iid}' already on "
                                    f"line {ids[iid]}", name))
        else:
            ids[iid] = line
        if not pid:
            problems.append(Problem(cells.where(cols["prnr"]), "empty proposal id", name))
        out = cells.number(cols["out"])
        rp = cells.number(cols["rp"])
        present, pos, sal, no_sal = [], [], [], []
        for a, kp, ks in zip(actors, pcol, scol, strict=True):
            x = cells.number(kp)
            s = cells.number(ks)
            if x is None:
                if s and not math.isnan(s):  # a positive salience (NaN: already reported)
                    problems.append(Problem(cells.where(ks), f"salience {row[ks]} but no "
                                            f"position (column {header[kp]} is empty)", name))
                continue
            present.append(a)
            pos.append(x)
            if s is None:
                no_sal.append(a)
                s = 0.0
            sal.append(s / 100.0)
        if not present:
            problems.append(Problem(f"line {line}", "no actor has a position", name))
        if out is None and require_outcome:
            continue
        if problems:  # keep reading for more problems, build nothing
            continue
        data = StakeholderData(actors=tuple(present), issues=(iid,),
                               capability=np.array([capability[a] for a in present]),
                               position=np.array(pos)[:, None], salience=np.array(sal)[:, None],
                               scales=(_SCALE,), source=name)
        issues.append(DeuIssue(id=iid, proposal=pid, line=line, data=data, reference_point=rp,
                               outcome=out, meta={header[k]: row[k] for k in meta_cols},
                               no_salience=tuple(no_sal)))
    if problems:
        raise InputError(problems)
    if not issues:
        raise InputError([Problem("", "no issues" + (" with an outcome" if require_outcome
                                                      else ""), name)])
    return issues
