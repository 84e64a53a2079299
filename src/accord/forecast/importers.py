"""Readers for the stakeholder data formats of the forecast models' reference implementations.

* BDM tables (`actor,capability,position,salience`, with the column names used by the public
  replications: `name`/`Stakeholder`/`Actor`, `capabilities`/`Resources`, `salience` on 0..1
  or 0..100);
* KTAB's SMP CSV (line 1 `scenario, description, nActors, nDims`, line 2 the header, then
  `actor, description, capability, (position, salience) per dimension`, with or without a
  final comma);
* Decide's quoted, tab-separated `#A/#P/#M/#D` files (`sample_data.txt`, `cop21.csv`,
  `copenhagen.csv`).

Every reader raises `InputError` naming the file, the line and column, and what is wrong.
`load_stakeholders` picks the reader from the content, or loads a scenario.
"""

from __future__ import annotations

import csv
import math
import os
from pathlib import Path

import numpy as np

from ..errors import InputError, Problem
from ..scenario import Scenario
from .data import StakeholderData

SCENARIO_SUFFIXES = (".yaml", ".yml", ".json")

_BDM_ACTOR = ("actor", "name", "stakeholder")
_BDM_CAPABILITY = ("capability", "capabilities", "resources", "power", "influence")
_BDM_SALIENCE = ("salience", "salience_0_100")


def _read_text(path: str | os.PathLike[str]) -> tuple[str, str]:
    from ..io import read_text

    return read_text(path, "data file", allow_empty=False)


def _number(text: str, where: str, name: str, problems: list[Problem],
            minimum: float | None = None) -> float:
    """Parse one numeric field; record a problem (and return NaN) when it is not one."""
    t = text.strip()
    try:
        x = float(t)
    except ValueError:
        problems.append(Problem(where, f"{t!r} is not a number" if t else "is empty", name))
        return math.nan
    if not math.isfinite(x):
        problems.append(Problem(where, f"{t!r} is not a finite number", name))
        return math.nan
    if minimum is not None and x < minimum:
        problems.append(Problem(where, f"{t} is negative" if minimum == 0
                                else f"{t} is below {minimum:g}", name))
    return x


def _rows(text: str, **kwargs) -> list[tuple[int, list[str]]]:
    """(line number, fields) for every non-blank CSV row."""
    out = []
    reader = csv.reader(text.splitlines(), **kwargs)
    for row in reader:
        if any(f.strip() for f in row):
            out.append((reader.line_num, [f.strip() for f in row]))
    return out


def _scale(values: np.ndarray) -> tuple[float, float]:
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return (0.0, 100.0)
    return (float(finite.min()), float(finite.max()))


def _to_internal(x: np.ndarray, lo: float, hi: float) -> np.ndarray:
    if hi > lo:
        return 100.0 * (x - lo) / (hi - lo)
    return np.where(np.isfinite(x), 50.0, np.nan)


# ---------------------------------------------------------------------------------------------


def read_bdm_csv(path: str | os.PathLike[str]) -> StakeholderData:
    """A BDM table: one issue, one row per actor (`actor, capability, position, salience`).

    Column names are matched case-insensitively among the variants of the public
    replications; other columns (resolve, hawk type, ...) are ignored. When a `salience`
    column and a `salience_0_100` column are both present, `salience` is used. Saliences
    above 1 are taken to be on 0..100 and divided by 100 (BDM uses salience as a probability).
    The issue's scale is the range of the positions; its id is the file's stem. Actors that
    share a name get `#2`, `#3`, ... appended to the later ones.
    """
    text, name = _read_text(path)
    return _parse_bdm(text, name, Path(path).stem)


def _find(header: list[str], names: tuple[str, ...]) -> int | None:
    low = [h.strip().lower() for h in header]
    for n in names:
        if n in low:
            return low.index(n)
    return None


def _parse_bdm(text: str, name: str, issue_id: str) -> StakeholderData:
    rows = _rows(text)
    (hline, header), body = rows[0], rows[1:]
    cols = {}
    problems: list[Problem] = []
    for field, names in (("actor", _BDM_ACTOR), ("capability", _BDM_CAPABILITY),
                         ("position", ("position",)), ("salience", _BDM_SALIENCE)):
        k = _find(header, names)
        if k is None:
            problems.append(Problem(f"line {hline}", f"missing column '{field}' (one of: "
                                    + ", ".join(names) + ")", name))
        cols[field] = k
    if problems:
        raise InputError(problems)
    if not body:
        raise InputError([Problem(f"line {hline}", "no actor rows after the header", name)])
    actors, cap, pos, sal = [], [], [], []
    seen: dict[str, int] = {}
    for line, row in body:
        if len(row) < len(header):
            problems.append(Problem(f"line {line}", f"{len(row)} fields, the header has "
                                    f"{len(header)}", name))
            continue
        actor = row[cols["actor"]]
        if not actor:
            problems.append(Problem(f"line {line}, {header[cols['actor']]}",
                                    "empty actor name", name))
        seen[actor] = seen.get(actor, 0) + 1
        # Distinct actors can share a label (three 'Attorney' rows in the litigation case):
        # the second and later ones are called 'Attorney #2', 'Attorney #3'.
        actors.append(actor if seen[actor] == 1 else f"{actor} #{seen[actor]}")
        cap.append(_number(row[cols["capability"]], f"line {line}, {header[cols['capability']]}",
                           name, problems, minimum=0))
        pos.append(_number(row[cols["position"]], f"line {line}, {header[cols['position']]}",
                           name, problems))
        sal.append(_number(row[cols["salience"]], f"line {line}, {header[cols['salience']]}",
                           name, problems, minimum=0))
    if problems:
        raise InputError(problems)
    x = np.array(pos)
    s = np.array(sal)
    if s.max() > 1:
        s = s / 100.0
    lo, hi = _scale(x)
    return StakeholderData(actors=tuple(actors), issues=(issue_id,), capability=np.array(cap),
                           position=_to_internal(x, lo, hi)[:, None], salience=s[:, None],
                           scales=((lo, hi),), source=name)


# ---------------------------------------------------------------------------------------------


def read_ktab_csv(path: str | os.PathLike[str]) -> StakeholderData:
    """KTAB's SMP CSV: line 1 `scenario, description, nActors, nDims`; line 2 the header
    `Actor, Description, Influence, <dim> Position, <dim> Salience, ...`; then one row per
    actor. Trailing commas (or their absence) and padding are accepted. Positions are on
    0..100; saliences on 0..100 are divided by 100. Issue ids are the header's dimension names
    (`Policy Position` -> `Policy`)."""
    text, name = _read_text(path)
    return _parse_ktab(text, name)


def _trim(row: list[str]) -> list[str]:
    while row and not row[-1]:
        row = row[:-1]
    return row


def _parse_ktab(text: str, name: str) -> StakeholderData:
    rows = [(line, _trim(r)) for line, r in _rows(text, skipinitialspace=True)]
    problems: list[Problem] = []
    line1, first = rows[0]
    if len(first) < 4:
        raise InputError([Problem(f"line {line1}", "expected 'scenario, description, nActors, "
                                  "nDims'", name)])
    n_act = _number(first[2], f"line {line1}, nActors", name, problems, minimum=1)
    n_dim = _number(first[3], f"line {line1}, nDims", name, problems, minimum=1)
    if problems:
        raise InputError(problems)
    if n_act != int(n_act) or n_dim != int(n_dim):
        raise InputError([Problem(f"line {line1}", "nActors and nDims must be whole numbers",
                                  name)])
    n, d = int(n_act), int(n_dim)
    if len(rows) < 2:
        raise InputError([Problem(f"line {line1}", "no header line after the first line",
                                  name)])
    hline, header = rows[1]
    width = 3 + 2 * d
    if len(header) != width:
        raise InputError([Problem(f"line {hline}", f"header has {len(header)} columns; "
                                  f"{d} dimensions need {width} (actor, description, "
                                  "capability, then position and salience per dimension)",
                                  name)])
    issues = []
    for k in range(d):
        h = header[3 + 2 * k]
        base = h[: -len("position")].strip() if h.lower().endswith("position") else h
        issues.append(base or f"dim{k + 1}")
    body = rows[2:]
    if len(body) != n:
        problems.append(Problem(f"line {line1}, nActors", f"says {n} actors but the file "
                                f"has {len(body)} actor rows", name))
    actors, cap = [], []
    pos = np.full((len(body), d), np.nan)
    sal = np.zeros((len(body), d))
    for i, (line, row) in enumerate(body):
        if len(row) != width:
            problems.append(Problem(f"line {line}", f"{len(row)} fields, expected {width}",
                                    name))
            actors.append(row[0] if row else "")
            cap.append(math.nan)
            continue
        actors.append(row[0])
        cap.append(_number(row[2], f"line {line}, {header[2]}", name, problems, minimum=0))
        for k in range(d):
            pos[i, k] = _number(row[3 + 2 * k], f"line {line}, {header[3 + 2 * k]}", name,
                                problems)
            sal[i, k] = _number(row[4 + 2 * k], f"line {line}, {header[4 + 2 * k]}", name,
                                problems, minimum=0)
    if problems:
        raise InputError(problems)
    return StakeholderData(actors=tuple(actors), issues=tuple(issues), capability=np.array(cap),
                           position=pos, salience=sal / 100.0,
                           scales=tuple((0.0, 100.0) for _ in issues), source=name)


# ---------------------------------------------------------------------------------------------


def read_decide(path: str | os.PathLike[str]) -> StakeholderData:
    """Decide's input (`sample_data.txt`, `cop21.csv`, ...): tab-separated fields quoted with
    `'`; rows `#A key name comment` (actor), `#P key name comment` (issue), `#M issue value`
    (scale points: the issue's scale is their min..max, 0..100 when absent),
    `#D actor issue position salience power`, and `#0` / `#/` comments.

    Positions are rescaled from the issue's scale to 0..100. An actor missing on an issue gets
    salience 0 there. Decide's power is given per actor and issue; this reader needs it to be
    the same on every issue of an actor (it is in every shipped file).
    """
    text, name = _read_text(path)
    return _parse_decide(text, name)


def _parse_decide(text: str, name: str) -> StakeholderData:
    problems: list[Problem] = []
    actors: list[str] = []
    issues: list[str] = []
    marks: dict[str, list[float]] = {}
    data: list[tuple[int, str, str, float, float, float]] = []
    for line, row in _rows(text, delimiter="\t", quotechar="'"):
        tag = row[0]
        if tag in ("#0", "#/"):
            continue
        need = {"#A": 2, "#P": 2, "#M": 3, "#D": 6}.get(tag)
        if need is None:
            problems.append(Problem(f"line {line}", f"unknown row type {tag!r} (expected "
                                    "#A, #P, #M, #D, #0 or #/)", name))
            continue
        if len(row) < need:
            problems.append(Problem(f"line {line}", f"{tag} row has {len(row)} fields, needs "
                                    f"at least {need}", name))
            continue
        if tag == "#A":
            if row[1] in actors:
                problems.append(Problem(f"line {line}", f"actor '{row[1]}' declared twice",
                                        name))
            else:
                actors.append(row[1])
        elif tag == "#P":
            if row[1] in issues:
                problems.append(Problem(f"line {line}", f"issue '{row[1]}' declared twice",
                                        name))
            else:
                issues.append(row[1])
        elif tag == "#M":
            v = _number(row[2], f"line {line}, scale value", name, problems)
            marks.setdefault(row[1], []).append(v)
        else:
            data.append((line, row[1], row[2],
                         _number(row[3], f"line {line}, position", name, problems),
                         _number(row[4], f"line {line}, salience", name, problems, minimum=0),
                         _number(row[5], f"line {line}, power", name, problems, minimum=0)))
    if not actors:
        problems.append(Problem("", "no actors (#A rows)", name))
    if not issues:
        problems.append(Problem("", "no issues (#P rows)", name))
    for issue in marks:
        if issue not in issues:
            problems.append(Problem("#M", f"scale for undeclared issue '{issue}'", name))
    if problems:
        raise InputError(problems)
    scales = []
    for issue in issues:
        m = [v for v in marks.get(issue, []) if math.isfinite(v)]
        scales.append((min(m), max(m)) if m else (0.0, 100.0))
    a_index = {a: i for i, a in enumerate(actors)}
    p_index = {p: k for k, p in enumerate(issues)}
    pos = np.full((len(actors), len(issues)), np.nan)
    sal = np.zeros((len(actors), len(issues)))
    power: dict[str, tuple[float, int]] = {}
    for line, a, p, x, s, c in data:
        if a not in a_index:
            problems.append(Problem(f"line {line}", f"unknown actor '{a}' (no #A row)", name))
            continue
        if p not in p_index:
            problems.append(Problem(f"line {line}", f"unknown issue '{p}' (no #P row)", name))
            continue
        i, k = a_index[a], p_index[p]
        if not math.isnan(pos[i, k]):
            problems.append(Problem(f"line {line}", f"second #D row for actor '{a}' on issue "
                                    f"'{p}'", name))
            continue
        lo, hi = scales[k]
        if not lo <= x <= hi:
            problems.append(Problem(f"line {line}, position", f"{x:g} is outside the issue's "
                                    f"scale {lo:g}..{hi:g}", name))
        if a in power and power[a][0] != c:
            problems.append(Problem(f"line {line}, power", f"{c:g} differs from actor '{a}''s "
                                    f"power {power[a][0]:g} on line {power[a][1]} (power that "
                                    "varies by issue is not supported yet)", name))
        power.setdefault(a, (c, line))
        pos[i, k] = 100.0 * (x - lo) / (hi - lo) if hi > lo else 50.0
        sal[i, k] = s
    if problems:
        raise InputError(problems)
    cap = np.array([power.get(a, (0.0, 0))[0] for a in actors])
    return StakeholderData(actors=tuple(actors), issues=tuple(issues), capability=cap,
                           position=pos, salience=sal, scales=tuple(scales), source=name)


# ---------------------------------------------------------------------------------------------


def sniff_format(text: str) -> str | None:
    """'decide', 'ktab' or 'bdm' from a file's content, or None."""
    lines = [ln for ln in text.splitlines() if ln.strip()]
    if not lines:
        return None
    first = lines[0].lstrip()
    if first.startswith(("'#", "#A", "#P", "#M", "#D", "#0", "#/")):
        return "decide"
    head = [h.strip().lower() for h in next(csv.reader([lines[0]], skipinitialspace=True))]
    if len(lines) > 1 and len(head) >= 4:
        second = [h.strip().lower() for h in next(csv.reader([lines[1]], skipinitialspace=True))]
        if second and second[0] == "actor" and all(_is_number(h) for h in head[2:4]):
            return "ktab"
    if {*_BDM_ACTOR, *_BDM_CAPABILITY, "position"} & set(head):
        return "bdm"
    return None


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def load_stakeholders(ref: str | os.PathLike[str] | Scenario | StakeholderData
                      ) -> StakeholderData:
    """Stakeholder data from a scenario (object, built-in id or YAML/JSON path) or from a BDM,
    KTAB (CSV or XML) or Decide data file (recognised by its content or, for XML, by its
    extension)."""
    if isinstance(ref, StakeholderData):
        return ref
    if isinstance(ref, Scenario):
        return StakeholderData.from_scenario(ref)
    from ..io import is_builtin, load_scenario

    ref_s = str(ref)
    p = Path(ref_s)
    if is_builtin(ref_s) or p.suffix.lower() in SCENARIO_SUFFIXES:
        return StakeholderData.from_scenario(load_scenario(ref_s))
    if p.suffix.lower() == ".xml":
        from .ktab_xml import read_ktab_xml

        return read_ktab_xml(ref_s).data
    text, name = _read_text(ref_s)
    fmt = sniff_format(text)
    if fmt == "decide":
        return _parse_decide(text, name)
    if fmt == "ktab":
        return _parse_ktab(text, name)
    if fmt == "bdm":
        return _parse_bdm(text, name, p.stem)
    raise InputError([Problem("line 1", "unrecognised format: expected a scenario "
                              "(.yaml/.json), a BDM table (a header with actor, capability, "
                              "position, salience), a KTAB SMP CSV or a Decide #A/#P/#M/#D "
                              "file", name)])
