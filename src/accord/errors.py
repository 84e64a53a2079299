"""Errors Accord raises for bad input. Front ends turn them into exit code 2 or a 4xx."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: where (file, path inside it) and what.

    A problem with a parameter of a library function (`parties`, `nash_weights`) has
    `parameter=True` and the parameter's name as its path; each front end shows it in its
    own words (`accord.cli` as the option `--nash-weights`, the web app as the JSON field)
    through `InputError.renamed`. The library never names a command-line flag.
    """

    path: str
    message: str
    file: str | None = None
    parameter: bool = False

    @classmethod
    def of_parameter(cls, name: str, message: str) -> Problem:
        """A problem with the parameter `name` of a library function."""
        return cls(name, message, None, True)

    def __str__(self) -> str:
        where = [p for p in (self.file, self.path) if p]
        return ": ".join([*where, self.message])

    def to_dict(self) -> dict[str, str | None]:
        return {"file": self.file, "path": self.path, "message": self.message}


class InputError(ValueError):
    """Bad input: a scenario, an argument or a file. Carries every problem found at once."""

    def __init__(self, problems: list[Problem] | Problem | str, file: str | None = None):
        if isinstance(problems, str):
            problems = [Problem("", problems, file)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    def renamed(self, name: Callable[[str], str]) -> InputError:
        """The same error with every parameter renamed by `name` (a front end's word for
        it: a flag, a JSON field); the rest of a parameter's path (`deal.control`) and
        problems with a file or scenario path are kept."""
        out = []
        for p in self.problems:
            if p.parameter:
                head, dot, rest = p.path.partition(".")
                p = replace(p, path=name(head) + dot + rest, parameter=False)
            out.append(p)
        return InputError(out)


def is_parameter(where: str) -> bool:
    """Whether `where` names a parameter (`deal`, `nash_weights`) rather than a place in a
    scenario (`proposals[2].deal`)."""
    return where.replace("_", "a").isalpha() and where.islower()


def at(where: str, problems: list[Problem]) -> list[Problem]:
    """`problems` found in the value given at `where`, marked as a parameter's when `where`
    names one (see `is_parameter`)."""
    if not is_parameter(where):
        return problems
    return [replace(p, parameter=True) if p.path.partition(".")[0] == where else p
            for p in problems]


def format_path(loc: tuple[object, ...] | list[object]) -> str:
    """`('actors', 1, 'preferences', 'ceasefire')` -> `actors[1].preferences.ceasefire`."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out
