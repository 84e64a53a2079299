"""Shared fixtures: small scenarios built in code, and paths to the test data."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from accord.space import compile_space
from accord.validation import validate_scenario

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).parent.parent


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def scenario_from_tables(tables: dict[str, dict[str, list[float]]],
                         weights: dict[str, dict[str, float]] | None = None,
                         batna: dict[str, float] | None = None, options: int | None = None,
                         roles: dict[str, str] | None = None, proposals: list | None = None):
    """A scenario from score tables: tables[actor][issue] = scores of options o0, o1, ..."""
    first = next(iter(tables.values()))
    issues = [{"id": i, "options": [f"o{k}" for k in range(len(s))]} for i, s in first.items()]
    actors = []
    for a, t in tables.items():
        actors.append({
            "id": a,
            "role": (roles or {}).get(a, "party"),
            "batna": (batna or {}).get(a, 0.0),
            "salience": (weights or {}).get(a, {i: 1.0 for i in t}),
            "preferences": {i: {f"o{k}": float(v) for k, v in enumerate(s)}
                            for i, s in t.items()},
        })
    data = {"accord": 1, "id": "test", "title": "test", "issues": issues, "actors": actors,
            "proposals": proposals or []}
    return validate_scenario(data, "<test>")


@pytest.fixture
def space_from_tables():
    def make(*args, **kwargs):
        return compile_space(scenario_from_tables(*args, **kwargs))

    return make
