"""KTAB's SMP scenario XML (`smpSchema.xsd`): actors, model parameters, seed, accommodation.

Elements read: `Scenario/name`, `desc`, `prngSeed`, optional `ModelParameters` (the nine KTAB
choices by name), `Dimensions/dName*`, `Actors/Actor(name, description, capability,
Position/dCoord*, Salience/dSal*)` and optional `IdealAdjustment/iaPair(adjustingIdeal,
referencePos, adjust)`. Positions and saliences are on KTAB's 0..100 scale; saliences are
divided by 100 as in `read_ktab_csv`. The accommodation matrix starts as the identity and each
`iaPair` sets one entry (as KTAB does).

An empty `dCoord` (Alice's first coordinate in KTAB's own `smpExample.xml`) has no defined
meaning: it is an error unless `empty_coordinate` gives the value to use. (KTAB's current
reader silently reads 0; its 2017 reference run of `smpExample.xml` shows 52.8.)
"""

from __future__ import annotations

import math
import os
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import InputError, Problem
from .data import StakeholderData

_PARAMS = ("VictoryProbModel", "PCEModel", "StateTransitions", "VotingRule", "BigRRange",
           "BigRAdjust", "ThirdPartyCommit", "InterVecBrgn", "BargnModel")


@dataclass(frozen=True)
class KTABScenario:
    """A KTAB XML scenario: the stakeholder data, the model parameters it names (KTAB's
    names, for `run_smp(**parameters)`), its PRNG seed and its accommodation matrix."""

    data: StakeholderData
    name: str
    description: str
    seed: int | None
    parameters: dict[str, str] = field(default_factory=dict)
    accommodation: np.ndarray | None = None

    def smp_parameters(self) -> dict[str, Any]:
        """Keyword arguments for `run_smp`: the model parameters and the accommodation."""
        out: dict[str, Any] = dict(self.parameters)
        if self.accommodation is not None:
            out["accommodation"] = self.accommodation
        return out


def _text(el: ET.Element | None) -> str:
    return "" if el is None or el.text is None else el.text.strip()


def read_ktab_xml(path: str | os.PathLike[str],
                  empty_coordinate: float | None = None) -> KTABScenario:
    """Read a KTAB SMP scenario XML (see the module docstring). Raises `InputError` naming
    the element for anything missing or malformed."""
    name = str(path)
    p = Path(path)
    if not p.is_file():
        raise InputError([Problem("", "no such file", name)])
    try:
        root = ET.fromstring(p.read_bytes())
    except ET.ParseError as exc:
        raise InputError([Problem("", f"not well-formed XML: {exc}", name)]) from None
    if root.tag != "Scenario":
        raise InputError([Problem(root.tag, "the root element must be <Scenario>", name)])
    problems: list[Problem] = []

    def number(el: ET.Element | None, where: str, default: float | None = None) -> float:
        t = _text(el)
        if not t:
            if default is not None:
                return default
            problems.append(Problem(where, "is empty or missing", name))
            return math.nan
        try:
            x = float(t)
        except ValueError:
            problems.append(Problem(where, f"{t!r} is not a number", name))
            return math.nan
        if not math.isfinite(x):
            problems.append(Problem(where, f"{t!r} is not a finite number", name))
        return x

    seed_text = _text(root.find("prngSeed"))
    seed: int | None = None
    if seed_text:
        try:
            seed = int(seed_text)
        except ValueError:
            problems.append(Problem("prngSeed", f"{seed_text!r} is not an integer", name))
    params: dict[str, str] = {}
    mp = root.find("ModelParameters")
    if mp is not None:
        for key in _PARAMS:
            value = _text(mp.find(key))
            if value:
                params[key] = value
    dims = [_text(d) for d in root.findall("Dimensions/dName")]
    if not dims:
        problems.append(Problem("Dimensions", "no <dName> elements", name))
    actors_el = root.findall("Actors/Actor")
    if not actors_el:
        problems.append(Problem("Actors", "no <Actor> elements", name))
    if problems:
        raise InputError(problems)
    d = len(dims)
    actors: list[str] = []
    cap = np.zeros(len(actors_el))
    pos = np.zeros((len(actors_el), d))
    sal = np.zeros((len(actors_el), d))
    for i, a in enumerate(actors_el):
        an = _text(a.find("name")) or f"actor {i + 1}"
        actors.append(an)
        cap[i] = number(a.find("capability"), f"Actor {an}/capability")
        coords = a.findall("Position/dCoord")
        sals = a.findall("Salience/dSal")
        if len(coords) != d or len(sals) != d:
            problems.append(Problem(f"Actor {an}", f"{len(coords)} dCoord and {len(sals)} dSal "
                                    f"for {d} dimensions", name))
            continue
        for k in range(d):
            pos[i, k] = number(coords[k], f"Actor {an}/Position/dCoord[{k + 1}]",
                               empty_coordinate)
            sal[i, k] = number(sals[k], f"Actor {an}/Salience/dSal[{k + 1}]")
    index = {a: i for i, a in enumerate(actors)}
    acc = None
    pairs = root.findall("IdealAdjustment/iaPair")
    if pairs:
        acc = np.eye(len(actors))
        for k, pr in enumerate(pairs, 1):
            ai, rp = _text(pr.find("adjustingIdeal")), _text(pr.find("referencePos"))
            for who in (ai, rp):
                if who not in index:
                    problems.append(Problem(f"IdealAdjustment/iaPair[{k}]",
                                            f"unknown actor {who!r}", name))
            v = number(pr.find("adjust"), f"IdealAdjustment/iaPair[{k}]/adjust")
            if ai in index and rp in index:
                acc[index[ai], index[rp]] = v
    if problems:
        raise InputError(problems)
    data = StakeholderData(actors=tuple(actors), issues=tuple(dims), capability=cap,
                           position=pos, salience=sal / 100.0,
                           scales=tuple((0.0, 100.0) for _ in dims), source=name)
    return KTABScenario(data=data, name=_text(root.find("name")),
                        description=_text(root.find("desc")), seed=seed, parameters=params,
                        accommodation=acc)
