"""The registry of equilibrium methods (`accord.games.strategic.methods`): one signature for
every method, errors that name the parameter `method` and list the known ones, the
command's help built from it, and a method added to it by a caller."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from accord.cli import app
from accord.errors import InputError
from accord.games.strategic import (
    EQUILIBRIUM_METHODS,
    METHODS,
    TWO_PLAYER_METHODS,
    EquilibriumMethod,
    Found,
    MethodOptions,
    classic,
    equilibrium_method,
    nash_equilibria,
    verify,
)


def test_the_registry_lists_every_method_once_with_what_it_finds():
    assert METHODS == ("auto", "vertex", "qe-vertex", "support", "lemke-howson",
                       "mclennan-tourky", "pure")
    assert TWO_PLAYER_METHODS == ("vertex", "qe-vertex", "support", "lemke-howson")
    for name, entry in EQUILIBRIUM_METHODS.items():
        assert entry.name == name and callable(entry.run)
        assert entry.description and entry.label and "(" not in entry.description


def test_an_unknown_method_names_the_parameter_and_the_known_methods():
    with pytest.raises(InputError) as e:
        nash_equilibria(classic("chicken"), "nashpy")
    [p] = e.value.problems
    assert p.path == "method" and p.message.startswith("unknown method 'nashpy'")
    for name, entry in EQUILIBRIUM_METHODS.items():
        assert f"{name}" in p.message and entry.description in p.message
    with pytest.raises(InputError) as e:
        equilibrium_method("vertex", 3)
    [p] = e.value.problems
    assert p.path == "method" and "(use auto, mclennan-tourky or pure)" in p.message
    assert equilibrium_method("vertex").name == "vertex"  # no game yet: any player count


@pytest.mark.parametrize("method", ["auto", "vertex", "pure"])
def test_each_method_runs_with_one_signature(method):
    game = classic("chicken")
    found = EQUILIBRIUM_METHODS[method].run(game, MethodOptions(1e-8))
    assert isinstance(found, Found)
    assert found.method == ("vertex" if method == "auto" else method)
    assert all(verify(game, c).ok for c in found.candidates)
    result = nash_equilibria(game, method)
    assert result.method == found.method and result.implementation == found.implementation
    assert result.parameters["tol"] == 1e-8
    assert ("requested" in result.parameters) == (method == "auto")


def test_a_method_added_to_the_registry_is_verified_like_the_others(monkeypatch):
    """A caller's method: every candidate it proposes goes through `verify`."""
    import numpy as np

    def diagonal(game, options):
        k = min(game.shape)
        cands = [[np.eye(game.shape[0])[a], np.eye(game.shape[1])[a]] for a in range(k)]
        return Found("diagonal", "test: each action against its twin", cands,
                     {"k": k}, notes=("a test method",))

    monkeypatch.setitem(EQUILIBRIUM_METHODS, "diagonal",
                        EquilibriumMethod("diagonal", "each action against its twin",
                                          "diagonal profiles", True, diagonal))
    result = nash_equilibria(classic("stag-hunt"), "diagonal")
    assert result.method == "diagonal" and result.parameters == {"tol": 1e-8, "k": 2}
    assert [e.pure for e in result] == [(0, 0), (1, 1)] and result.rejected == 0
    result = nash_equilibria(classic("chicken"), "diagonal")  # neither diagonal profile is
    assert len(result) == 0 and result.rejected == 2         # an equilibrium of chicken


def test_the_command_help_and_errors_come_from_the_registry():
    r = CliRunner().invoke(app, ["game", "--help"])
    assert r.exit_code == 0
    text = " ".join(r.stdout.split())
    for name in METHODS:
        assert name in text
    r = CliRunner().invoke(app, ["game", "chicken", "--method", "nashpy"])
    assert r.exit_code == 2
    assert "--method: unknown method 'nashpy'; the methods are auto:" in r.stderr
