"""Everything `accord crisis` shows: the cases of a crisis file (or of a scenario's
`games.crisis`) run through their models, and for a scenario its war lotteries and Fearon
ranges. `CrisisReport.to_dict()` is the JSON of `accord crisis --json`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ...budget import Budget, check
from ...errors import InputError, Problem, format_path
from .crawford_sobel import cheap_talk
from .fearon import bargaining_range, risk_return
from .files import SECTIONS, read_crisis
from .mediator import mediator_credibility
from .wars import ScenarioWars, scenario_wars

if TYPE_CHECKING:
    from ...scenario import Scenario

MODELS = {"bargaining_range": bargaining_range, "risk_return": risk_return,
          "mediator_credibility": mediator_credibility, "cheap_talk": cheap_talk}
"""The function behind each section of a crisis file."""


@dataclass(frozen=True)
class Case:
    """One set of parameters from a crisis file and its result."""

    label: str | None
    result: Any

    def to_dict(self) -> dict:
        return {"label": self.label, **self.result.to_dict()}


@dataclass(frozen=True)
class CrisisReport:
    """Everything `accord crisis` shows: the cases of a crisis file (or of a scenario's
    `games.crisis`), and for a scenario its war lotteries and Fearon ranges."""

    source: str
    title: str | None = None
    scenario: str | None = None
    bargaining_range: tuple[Case, ...] = ()
    risk_return: tuple[Case, ...] = ()
    mediator_credibility: tuple[Case, ...] = ()
    cheap_talk: tuple[Case, ...] = ()
    wars: ScenarioWars | None = field(default=None)

    def to_dict(self) -> dict:
        wars = self.wars.to_dict() if self.wars else {"actors": [], "pairs": []}
        return {"source": self.source, "title": self.title, "scenario": self.scenario,
                **{s: [c.to_dict() for c in getattr(self, s)] for s in SECTIONS},
                "war_lotteries": wars["actors"], "fearon_pairs": wars["pairs"]}


def crisis_report(data: Any, source: str, prefix: str = "", budget: Budget | None = None
                  ) -> CrisisReport:
    """Read a crisis file's data (already parsed YAML, see `accord.games.crisis.files`) and
    compute every case in it. Every problem (unknown or missing fields, values out of
    bounds) is reported at once as an `InputError`, with its path inside the file (`prefix`
    is the path of the data in a scenario, `games.crisis`). `budget` is polled before every
    case (`BudgetExceeded` when it runs out).
    """
    spec = read_crisis(data, source, prefix)
    problems = list(spec.problems)
    results: dict[str, list[Case]] = {s: [] for s in SECTIONS}
    done = 0
    for section in spec.sections:
        problems += section.problems
        for case in section.cases:
            check(budget, done, None, "crisis cases", "give fewer cases")
            done += 1
            problems += case.problems
            try:
                result = MODELS[case.section](**case.args)
            except InputError as exc:
                # a value taken from risk_return is reported there, not twice
                problems += [Problem(format_path((case.where, p.path)), p.message)
                             for p in exc.problems if p.path not in case.elsewhere]
                continue
            if not case.problems:
                results[case.section].append(Case(case.label, result))
    if problems:
        raise InputError([Problem(p.path, p.message, source) for p in problems])
    return CrisisReport(source=source, title=spec.title, scenario=None,
                        **{s: tuple(c) for s, c in results.items()})


def scenario_crisis(scenario: Scenario, source: str, budget: Budget | None = None
                    ) -> CrisisReport:
    """The crisis analysis of a scenario: its `games.crisis` section (in the crisis file's
    form), its actors whose BATNA is a war lottery, and the Fearon range of each pair of
    parties at war with each other. Raises `InputError` when it has neither. `budget` is
    polled before every case of the section."""
    wars = scenario_wars(scenario)
    section = scenario.games.get("crisis")
    if section is None and not wars.actors:
        raise InputError([Problem("games.crisis", "nothing to analyse: the scenario has no "
                                  "games.crisis section and no actor with a war lottery "
                                  "(actors[].war)", source)])
    if section is None:
        report = CrisisReport(source=source)
    else:
        report = crisis_report(section, source, prefix="games.crisis", budget=budget)
    return CrisisReport(
        source=source, title=report.title or scenario.title, scenario=scenario.id,
        bargaining_range=report.bargaining_range, risk_return=report.risk_return,
        mediator_credibility=report.mediator_credibility, cheap_talk=report.cheap_talk,
        wars=wars)


def load_crisis(ref: str, budget: Budget | None = None) -> CrisisReport:
    """The `CrisisReport` of a crisis file, a scenario file or a built-in scenario id;
    `budget` is polled before every case."""
    from ...io import is_scenario, read_source
    from ...validation import validate_scenario

    data, name = read_source(ref)
    if is_scenario(data):
        return scenario_crisis(validate_scenario(data, name), name, budget)
    return crisis_report(data, name, budget=budget)
