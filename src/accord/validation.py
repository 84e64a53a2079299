"""Validation of scenario data: every problem at once, each with its path inside the file.

Two passes over the raw (already parsed) data:

1. the pydantic models of `accord.scenario` check types, required fields, unknown fields
   and bounds (a BATNA in [0, 1], a score in [0, 100], a weight >= 0);
2. `cross_check` checks what refers to what: unique ids, known issues, options and sources,
   complete preference tables, numeric ranges and steps, deals that settle every issue
   with a valid option or grid value.

The second pass reads the raw data defensively, so it reports its problems even when the
first pass found others. Nothing in a scenario is executed.
"""

from __future__ import annotations

import difflib
import math
import re
from typing import Any

from pydantic import ValidationError

from .errors import InputError, Problem, format_path
from .numeric import is_finite_number
from .scenario import FORMAT_VERSION, Actor, Basis, Issue, Proposal, Scenario, Source
from .uncertainty import extract_uncertain

_KNOWN_FIELDS = sorted(
    set(Scenario.model_fields)
    | set(Issue.model_fields)
    | set(Actor.model_fields)
    | set(Proposal.model_fields)
    | set(Source.model_fields)
    | set(Basis.model_fields)
    | {"ideal"}
)
# Parts of a pydantic error location that name a type branch rather than a place in the file.
_BRANCH_TAGS = {"str", "float", "int", "bool", "score-table", "ideal-point"}

_GRID_LIMIT = 100_001
_BOUNDS = {"less_than_equal": "at most", "greater_than_equal": "at least",
           "less_than": "below", "greater_than": "above"}


def validate_scenario(data: Any, file: str | None = None) -> Scenario:
    """Check raw scenario data and build a `Scenario`; raise `InputError` listing every problem."""
    problems: list[Problem] = []
    if data is None:
        raise InputError([Problem("", "the file is empty", file)])
    if not isinstance(data, dict):
        kind = type(data).__name__
        raise InputError(
            [Problem("(top level)", f"expected a mapping of fields (accord, id, ...), got a {kind}",
                     file)]
        )
    problems += _check_version(data)
    if any(p.path == "accord" for p in problems):
        # A file of another format version is not read any further.
        raise InputError([Problem(p.path, p.message, file) for p in problems])
    # Distributions in a number's place: checked here, replaced by their nominal values for
    # everything below (see accord.uncertainty).
    data, uncertain, found = extract_uncertain(data)
    problems += found
    scenario = None
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        problems += _translate(exc)
    problems += cross_check(data)
    if problems:
        order = {key: n for n, key in enumerate(data)}
        problems.sort(key=lambda p: _path_key(p.path, order))
        raise InputError(_dedupe([Problem(p.path, p.message, file) for p in problems]))
    assert scenario is not None
    scenario._data = data
    scenario._uncertain = uncertain
    return scenario


def _check_version(data: dict) -> list[Problem]:
    if "accord" not in data:
        return [Problem("accord",
                        f"required field is missing: the format version ({FORMAT_VERSION})")]
    v = data["accord"]
    if isinstance(v, bool) or v != FORMAT_VERSION:
        return [Problem("accord", f"format version {v!r} is not supported; this Accord reads "
                                  f"version {FORMAT_VERSION}")]
    return []


def _translate(exc: ValidationError) -> list[Problem]:
    out = []
    for err in exc.errors():
        loc = [p for p in err["loc"] if not (isinstance(p, str) and
                                             (p in _BRANCH_TAGS or "[" in p))]
        path = format_path(loc)
        kind = err["type"]
        if kind == "missing":
            msg = "required field is missing"
        elif kind == "extra_forbidden":
            name = str(loc[-1]) if loc else ""
            close = difflib.get_close_matches(name, _KNOWN_FIELDS, n=1, cutoff=0.7)
            msg = "unknown field" + (f" (did you mean '{close[0]}'?)" if close else "")
        elif kind == "string_pattern_mismatch":
            msg = (f"{err['input']!r} is not a valid id: use letters, digits, '_', '.', '-' "
                   "and no spaces")
        elif kind in _BOUNDS:
            bound = next(iter(err.get("ctx", {}).values()), "?")
            bound = _num(bound) if is_finite_number(bound) else bound
            msg = f"must be {_BOUNDS[kind]} {bound}, got {err['input']!r}"
        elif kind == "value_error":
            msg = str(err["ctx"]["error"]) if "ctx" in err else err["msg"]
        else:
            msg = err["msg"]
            if "input" in err and not isinstance(err["input"], dict | list):
                msg += f", got {err['input']!r}"
        out.append(Problem(path, msg))
    return out


def _path_key(path: str, order: dict[str, int]) -> tuple:
    """Sort key that lists problems in the order their places appear in the file."""
    head = re.split(r"[.\[]", path, maxsplit=1)[0]
    nums = tuple(int(n) for n in re.findall(r"\[(\d+)\]", path)[:1])
    return (order.get(head, len(order)), nums)


def _dedupe(problems: list[Problem]) -> list[Problem]:
    seen: set[str] = set()
    out = []
    for p in problems:
        key = p.path if p.message.startswith("Input should be") else f"{p.path}\0{p.message}"
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out


# ---------------------------------------------------------------------------------------
# Cross-references, read defensively from the raw data.


def _quote(items: list[Any]) -> str:
    return ", ".join(f"'{x}'" for x in items)




def _opt_id(o: Any) -> str | None:
    if isinstance(o, dict):
        o = o.get("id")
    if isinstance(o, bool) or o is None:
        return None
    return str(o) if isinstance(o, int | float | str) else None


class _IssueInfo:
    """What cross-checks need of an issue. `options` or `range` is None when the issue's own
    definition is broken (reported there); checks against it are then skipped."""

    def __init__(self, options: list[str] | None = None,
                 range_: tuple[float, float] | None = None, step: float | None = None,
                 numeric: bool | None = None):
        self.options = options
        self.option_set = frozenset(options) if options is not None else frozenset()
        self.range = range_
        self.step = step
        self.numeric = range_ is not None if numeric is None else numeric


def _indexed(data: dict, key: str) -> list[tuple[int, Any]]:
    items = data.get(key)
    return list(enumerate(items)) if isinstance(items, list) else []


def _check_ids(items: list[tuple[int, Any]], section: str, kind: str,
               problems: list[Problem]) -> dict[str, int]:
    seen: dict[str, int] = {}
    for k, item in items:
        if isinstance(item, dict) and isinstance(item.get("id"), str):
            i = item["id"]
            if i in seen:
                problems.append(Problem(f"{section}[{k}].id",
                                        f"duplicate {kind} id '{i}' (also {section}[{seen[i]}])"))
            else:
                seen[i] = k
    return seen


def cross_check(data: dict) -> list[Problem]:
    """Problems of reference and consistency in raw scenario data (see the module doc)."""
    problems: list[Problem] = []
    sources = data.get("sources")
    source_ids = set(sources) if isinstance(sources, dict) else set()
    issues = _check_issues(data, problems)
    actors = _indexed(data, "actors")
    actor_ids = _check_ids(actors, "actors", "actor", problems)
    for k, actor in actors:
        if isinstance(actor, dict):
            _check_actor(actor, f"actors[{k}]", issues, source_ids, problems)
    roles = [a.get("role", "party") if isinstance(a, dict) else None for _, a in actors]
    if roles and "party" not in roles and all(r in ("mediator", "stakeholder") for r in roles):
        problems.append(Problem("actors", "no actor has role 'party': a scenario needs at "
                                          "least one party"))
    proposals = _indexed(data, "proposals")
    _check_ids(proposals, "proposals", "proposal", problems)
    for k, prop in proposals:
        if not isinstance(prop, dict):
            continue
        where = f"proposals[{k}]"
        by = prop.get("by")
        if isinstance(by, str) and by not in actor_ids:
            problems.append(Problem(f"{where}.by", f"unknown actor '{by}'"))
        if isinstance(prop.get("deal"), dict):
            problems += check_deal(prop["deal"], issues, f"{where}.deal")
        _check_refs(prop, where, source_ids, problems)
    return problems


def _check_issues(data: dict, problems: list[Problem]) -> dict[str, _IssueInfo]:
    items = _indexed(data, "issues")
    _check_ids(items, "issues", "issue", problems)
    info: dict[str, _IssueInfo] = {}
    for k, issue in items:
        if not isinstance(issue, dict):
            continue
        where = f"issues[{k}]"
        iid = issue.get("id")
        has_opts, has_range = "options" in issue, "range" in issue
        if has_opts and has_range:
            problems.append(Problem(where, "give either options (a list) or range ([low, high]), "
                                           "not both"))
            continue
        if not has_opts and not has_range:
            problems.append(Problem(where, "an issue needs options (a list) or a numeric range "
                                           "([low, high])"))
            continue
        if isinstance(iid, str) and iid not in info:
            info[iid] = _IssueInfo(numeric=has_range)  # refined below when well formed
        if has_opts:
            if "step" in issue:
                problems.append(Problem(f"{where}.step", "step is only for numeric issues "
                                                         "(those with a range)"))
            opts = issue["options"]
            if not isinstance(opts, list):
                continue
            ids = [_opt_id(o) for o in opts]
            if len(opts) < 2:
                problems.append(Problem(f"{where}.options", "an issue needs at least two options"))
            seen: set[str] = set()
            for j, o in enumerate(ids):
                if o is not None and o in seen:
                    problems.append(Problem(f"{where}.options[{j}]", f"duplicate option '{o}'"))
                seen.add(o) if o is not None else None
            if isinstance(iid, str) and info[iid].options is None and info[iid].range is None \
                    and None not in ids:
                info[iid] = _IssueInfo(options=[o for o in ids if o is not None])
            continue
        rng = issue["range"]
        if not (isinstance(rng, list) and len(rng) == 2 and all(is_finite_number(x) for x in rng)):
            continue  # the shape error comes from the first pass
        lo, hi = float(rng[0]), float(rng[1])
        if lo >= hi:
            problems.append(Problem(f"{where}.range", f"low ({rng[0]}) must be below high "
                                                      f"({rng[1]})"))
            continue
        if not math.isfinite(hi - lo):
            problems.append(Problem(f"{where}.range", f"the range [{rng[0]}, {rng[1]}] is "
                                                      "too wide to compute with"))
            continue
        step = issue.get("step")
        if step is None:
            step = (hi - lo) / 10
        elif not is_finite_number(step) or step <= 0:
            continue
        n = (hi - lo) / step
        if not n < 2 * _GRID_LIMIT:  # also catches an overflow to inf
            problems.append(Problem(f"{where}.step", f"step {step} gives more than "
                                                     f"{_GRID_LIMIT} grid values; at most "
                                                     f"{_GRID_LIMIT} are allowed"))
            continue
        if abs(n - round(n)) > 1e-9 * max(1.0, n):
            problems.append(Problem(f"{where}.step", f"step {step} does not divide the range "
                                                     f"[{rng[0]}, {rng[1]}]"))
            continue
        if round(n) + 1 > _GRID_LIMIT:
            problems.append(Problem(f"{where}.step", f"step {step} gives {round(n) + 1} grid "
                                                     f"values; at most {_GRID_LIMIT} are allowed"))
            continue
        if isinstance(iid, str) and info[iid].options is None and info[iid].range is None:
            info[iid] = _IssueInfo(range_=(lo, hi), step=float(step))
    return info


_BASIS_FIELDS = {"batna", "capability", "salience", "preferences", "position", "veto", "role",
                 "war", "interactions"}


def _check_refs(item: dict, where: str, source_ids: set[str], problems: list[Problem]) -> None:
    refs = item.get("sources")
    if isinstance(refs, list):
        for j, s in enumerate(refs):
            if isinstance(s, str) and s not in source_ids:
                problems.append(Problem(f"{where}.sources[{j}]", f"unknown source '{s}'"))
    basis = item.get("basis")
    if isinstance(basis, dict):
        for key, b in basis.items():
            if not isinstance(b, dict):
                continue
            src = b.get("source")
            if isinstance(src, str) and src not in source_ids:
                problems.append(Problem(f"{where}.basis.{key}.source", f"unknown source '{src}'"))
            if not b.get("source") and not b.get("assumption"):
                problems.append(Problem(f"{where}.basis.{key}",
                                        "give a source (with a quote) or mark it an assumption"))


def _check_actor(actor: dict, where: str, issues: dict[str, _IssueInfo], source_ids: set[str],
                 problems: list[Problem]) -> None:
    if "war" in actor and "batna" in actor:
        problems.append(Problem(f"{where}.war", "give batna or war (to derive it), not both"))
    sal = actor.get("salience")
    weights: dict[str, float] = {i: 1.0 for i in issues}
    if isinstance(sal, dict):
        weights = {}
        for iid, w in sal.items():
            if iid not in issues:
                problems.append(Problem(f"{where}.salience.{iid}", f"unknown issue '{iid}'"))
            elif is_finite_number(w):
                weights[iid] = float(w)
        nums = [w for w in sal.values() if is_finite_number(w)]
        if nums and len(nums) == len(sal) and all(w == 0 for w in nums):
            problems.append(Problem(f"{where}.salience", "weights are all zero: at least one "
                                                         "issue must matter to the actor"))
    prefs = actor.get("preferences")
    prefs = prefs if isinstance(prefs, dict) else {}
    for iid, pref in prefs.items():
        path = f"{where}.preferences.{iid}"
        if iid not in issues:
            problems.append(Problem(path, f"unknown issue '{iid}'"))
            continue
        info = issues[iid]
        if not isinstance(pref, dict):
            continue
        if info.numeric:
            if "ideal" not in pref:
                problems.append(Problem(path, f"issue '{iid}' is numeric: give {{ideal: value}}"))
                continue
            if info.range is None:
                continue
            ideal = pref["ideal"]
            lo, hi = info.range
            if is_finite_number(ideal) and not lo <= ideal <= hi:
                problems.append(Problem(f"{path}.ideal", f"ideal {ideal} is outside the range "
                                                         f"[{_num(lo)}, {_num(hi)}] of issue "
                                                         f"'{iid}'"))
            continue
        if "ideal" in pref:
            problems.append(Problem(path, f"issue '{iid}' has options: give a score (0-100) "
                                          "per option"))
            continue
        if info.options is None:
            continue
        keys = {_opt_id(o) for o in pref}
        for opt in pref:
            o = _opt_id(opt)
            if o is not None and o not in info.option_set:
                problems.append(Problem(path, f"option '{o}' is not an option of issue '{iid}'"))
        missing = [o for o in info.options or [] if o not in keys]
        if missing:
            problems.append(Problem(path, f"no score for option(s) {_quote(missing)}"))
    for iid, w in weights.items():
        if w > 0 and iid not in prefs and iid in issues:
            problems.append(Problem(f"{where}.preferences",
                                    f"no preference for issue '{iid}', which has weight {_num(w)}"
                                    " (give one, or set its salience to 0)"))
    inter = actor.get("interactions")
    if isinstance(inter, list):
        for k, term in enumerate(inter):
            if isinstance(term, dict):
                _check_interaction(term, f"{where}.interactions[{k}]", issues, problems)
        if (isinstance(sal, dict) and sal
                and all(is_finite_number(w) and w == 0 for w in sal.values())
                and any(isinstance(t, dict) and is_finite_number(t.get("weight"))
                        and t["weight"] > 0 for t in inter)):
            problems[:] = [p for p in problems if p.path != f"{where}.salience"]
    pos = actor.get("position")
    if isinstance(pos, dict):
        for iid in pos:
            if iid not in issues:
                problems.append(Problem(f"{where}.position.{iid}", f"unknown issue '{iid}'"))
    basis = actor.get("basis")
    if isinstance(basis, dict):
        for key in basis:
            head, _, tail = str(key).partition(".")
            if head not in _BASIS_FIELDS:
                problems.append(Problem(f"{where}.basis.{key}",
                                        f"'{key}' is not a field of the actor: use one of "
                                        f"{_quote(sorted(_BASIS_FIELDS))}, or field.issue"))
            elif tail and tail not in issues:
                problems.append(Problem(f"{where}.basis.{key}", f"unknown issue '{tail}'"))
    _check_refs(actor, where, source_ids, problems)


def _check_interaction(term: dict, where: str, issues: dict[str, _IssueInfo],
                       problems: list[Problem]) -> None:
    pair = term.get("issues")
    if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(i, str) for i in pair)):
        return
    a, b = pair
    if a == b:
        problems.append(Problem(f"{where}.issues", "an interaction needs two different issues"))
        return
    infos = []
    for iid in pair:
        if iid not in issues:
            problems.append(Problem(f"{where}.issues", f"unknown issue '{iid}'"))
        elif issues[iid].numeric:
            problems.append(Problem(f"{where}.issues", f"issue '{iid}' is numeric: interactions "
                                                       "are between discrete issues"))
        else:
            infos.append(issues[iid])
    if len(infos) < 2 or infos[0].options is None or infos[1].options is None:
        return
    table = term.get("scores")
    if not isinstance(table, dict):
        return
    for oa, row in table.items():
        o = _opt_id(oa)
        if o not in infos[0].option_set:
            problems.append(Problem(f"{where}.scores", f"option '{oa}' is not an option of "
                                                       f"issue '{a}'"))
        if not isinstance(row, dict):
            continue
        for ob in row:
            if _opt_id(ob) not in infos[1].option_set:
                problems.append(Problem(f"{where}.scores.{oa}", f"option '{ob}' is not an "
                                                                f"option of issue '{b}'"))
        present = {_opt_id(y) for y in row}
        missing = [x for x in infos[1].options if x not in present]
        if missing:
            problems.append(Problem(f"{where}.scores.{oa}", f"no score for option(s) "
                                                            f"{_quote(missing)} of issue '{b}'"))
    rows = {_opt_id(y) for y in table}
    missing = [x for x in infos[0].options if x not in rows]
    if missing:
        problems.append(Problem(f"{where}.scores", f"no scores for option(s) {_quote(missing)} "
                                                   f"of issue '{a}'"))


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def check_deal(deal: dict, issues: dict[str, _IssueInfo] | Scenario, where: str,
               complete: bool = True) -> list[Problem]:
    """Problems with a deal: unknown issues, unknown options, numeric values off the range
    or the step, and (when `complete`) issues it leaves unsettled."""
    if isinstance(issues, Scenario):
        issues = {i.id: _IssueInfo(options=[o.id for o in i.options]) if i.options is not None
                  else _IssueInfo(range_=i.range, step=i.grid_step) for i in issues.issues}
    problems = []
    for iid, value in deal.items():
        path = f"{where}.{iid}"
        if iid not in issues:
            problems.append(Problem(path, f"unknown issue '{iid}'"))
            continue
        info = issues[iid]
        if info.numeric and info.range is None or not info.numeric and info.options is None:
            continue
        if info.numeric:
            lo, hi = info.range  # type: ignore[misc]
            if not is_finite_number(value):
                problems.append(Problem(path, f"issue '{iid}' is numeric: give a number in "
                                              f"[{_num(lo)}, {_num(hi)}], got {value!r}"))
                continue
            if not lo - 1e-9 <= value <= hi + 1e-9:
                problems.append(Problem(path, f"value {_num(value)} is outside the range "
                                              f"[{_num(lo)}, {_num(hi)}] of issue '{iid}'"))
                continue
            k = (value - lo) / info.step  # type: ignore[operator]
            if abs(k - round(k)) > 1e-6:
                problems.append(Problem(path, f"value {_num(value)} is off the grid of issue "
                                              f"'{iid}' (from {_num(lo)} to {_num(hi)} in steps of "
                                              f"{_num(info.step)})"))  # type: ignore[arg-type]
            continue
        o = _opt_id(value)
        if o is None or o not in info.option_set:
            problems.append(Problem(path, f"option '{value}' is not an option of issue '{iid}' "
                                          f"(options: {_quote(info.options or [])})"))
    if complete:
        missing = [i for i in issues if i not in deal]
        if missing:
            problems.append(Problem(where, f"the deal does not settle issue(s) {_quote(missing)}"))
    return problems
