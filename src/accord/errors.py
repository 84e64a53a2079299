"""Errors Accord raises for bad input. Front ends turn them into exit code 2 or a 4xx."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: where (file, path inside it) and what."""

    path: str
    message: str
    file: str | None = None

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


def format_path(loc: tuple[object, ...] | list[object]) -> str:
    """`('actors', 1, 'preferences', 'ceasefire')` -> `actors[1].preferences.ceasefire`."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out
