"""Budgets: the object algorithms poll, the CLI's lazy progress bar and `--time-limit`.

No test here depends on the machine's speed: budgets are expired by construction (started
in the past) or cancelled, and the command-line runs given a tiny limit do work that takes
seconds on any machine (a million sweep draws, millions of negotiations)."""

from __future__ import annotations

import io
import time

import pytest
import yaml
from rich.console import Console
from typer.testing import CliRunner

from accord.budget import Budget, BudgetExceeded, check
from accord.cli import app
from accord.cli.progress import LazyBar, budget_for
from accord.errors import InputError
from accord.generate import random_scenario_data
from accord.io import load_scenario
from accord.mediation import alternating_offers, single_text
from accord.space import compile_space
from accord.sweep import run_sweep

runner = CliRunner()


def expired(**kwargs) -> Budget:
    """A budget of one second that started an hour ago."""
    return Budget(1.0, started=time.perf_counter() - 3600, **kwargs)


# -- Budget ------------------------------------------------------------------------------


def test_expired_budget_raises_naming_time_limit_with_what_was_done():
    b = expired(what="the work")
    with pytest.raises(BudgetExceeded) as caught:
        b.check(3, 10, advice="do less")
    [p] = caught.value.problems
    assert p.path == "time_limit"
    assert p.message == ("the work: stopped after 1 s before the answer was proven "
                         "(3 of 10 steps done); do less")
    assert isinstance(caught.value, InputError)
    assert b.expired() and b.remaining == 0.0


def test_budget_without_limit_never_expires_and_reports_no_remaining():
    b = Budget(started=time.perf_counter() - 10**6)
    b.check(5, 10)
    assert not b.expired() and b.remaining is None


def test_cancel_stops_the_next_check():
    b = Budget()
    b.check(1, 2)
    b.cancel()
    with pytest.raises(BudgetExceeded, match="cancelled"):
        b.check(1, 2, "negotiations")
    assert b.sub("another stage").expired()  # the same cancel flag


def test_progress_callback_receives_done_total_and_what():
    seen = []
    b = Budget(progress=lambda done, total, what: seen.append((done, total, what)),
               what="draws")
    b.check(3, 10)
    b.check(4, 10)  # within a tenth of a second of the last report: skipped
    b.check(10, 10, "last stage")  # completion is always reported
    assert seen[0] == (3, 10, "draws")
    assert seen[-1] == (10, 10, "last stage")
    assert (4, 10, "draws") not in seen or len(seen) == 3


@pytest.mark.parametrize("seconds", [0, -1, 0.0, float("nan")])
def test_time_limit_must_be_positive(seconds):
    with pytest.raises(InputError) as caught:
        Budget(seconds)
    assert [p.path for p in caught.value.problems] == ["time_limit"]


def test_check_helper_ignores_a_missing_budget():
    check(None, 1, 2, "anything")
    with pytest.raises(BudgetExceeded):
        check(expired(), 1, 2, "anything")


# -- algorithms stop on an expired budget ---------------------------------------------------


def test_algorithms_poll_their_budget():
    space = compile_space(load_scenario("logrolling"))
    with pytest.raises(BudgetExceeded, match="single-text rounds.*--rounds"):
        single_text(space, budget=expired())
    with pytest.raises(BudgetExceeded, match="alternating-offers rounds"):
        alternating_offers(space, ["boulware"], budget=expired())
    with pytest.raises(BudgetExceeded, match="sweep draws.*--samples"):
        run_sweep(load_scenario("ukraine-2023"), 10, budget=expired())
    # the same calls with a generous budget give the unbudgeted answers
    assert single_text(space, budget=Budget(10**6)) == single_text(space)


# -- the CLI's progress bar ------------------------------------------------------------------


def _console(terminal: bool) -> Console:
    return Console(file=io.StringIO(), force_terminal=terminal, width=80)


def test_bar_appears_only_after_the_delay_and_on_a_terminal():
    slow = LazyBar(_console(True), show_after=3600)
    slow(1, 10, "draws")
    assert not slow.shown
    soon = LazyBar(_console(True), show_after=0)
    soon(1, 10, "draws")
    assert soon.shown
    soon(5, 10, "draws")
    soon.close()
    assert not soon.shown
    piped = LazyBar(_console(False), show_after=0)
    piped(1, 10, "draws")
    assert not piped.shown


def test_a_stop_names_the_parameter_and_the_cli_shows_the_option():
    from accord.cli.common import flags
    from accord.cli.mediation import mediate_cmd

    with pytest.raises(BudgetExceeded) as caught, budget_for(None, "work",
                                                             _console(False)) as b:
        b.cancel()
        b.check(1, 2)
    p = caught.value.problems[0]
    assert (p.path, p.parameter) == ("time_limit", True)
    options = flags(mediate_cmd)
    shown = caught.value.renamed(lambda name: options.get(name, name)).problems[0]
    assert str(shown).startswith("--time-limit: work: stopped")


# -- --time-limit on the command line ---------------------------------------------------------


COMPUTE_COMMANDS = ["mediate", "tournament", "forecast", "sweep", "report", "coalition",
                    "trust", "crisis", "game"]


@pytest.mark.parametrize("command", COMPUTE_COMMANDS)
def test_every_compute_command_takes_time_limit(command):
    r = runner.invoke(app, [command, "--help"])
    assert r.exit_code == 0
    assert "--time-limit" in r.stdout and "SECONDS" in r.stdout


def _stopped(args: list[str]) -> str:
    r = runner.invoke(app, args)
    assert r.exit_code == 2, (r.stdout, r.stderr)
    assert r.stdout == ""
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    assert lines[0].startswith("--time-limit: ") and "stopped after 0.2 s" in lines[0]
    return lines[0]


def test_sweep_stops_at_its_time_limit(tmp_path):
    data = random_scenario_data(3, 6, 4, seed=3)
    data["actors"][0]["salience"]["i0"] = {"low": 0.1, "high": 0.9}
    path = tmp_path / "uncertain.yaml"
    path.write_text(yaml.safe_dump(data))
    line = _stopped(["sweep", str(path), "--samples", "1000000", "--time-limit", "0.2",
                     "--json"])
    assert "of 1,000,000 steps done" in line and "fewer --samples" in line


def test_tournament_and_mediation_stop_at_their_time_limit():
    line = _stopped(["tournament", "camp-david-1978", "--repetitions", "1000000",
                     "--time-limit", "0.2", "--json"])
    assert "negotiations" in line and "--repetitions" in line
    line = _stopped(["mediate", "logrolling", "--rounds", "100000000", "--time-limit", "0.2"])
    assert "single-text rounds" in line and "fewer --rounds" in line


@pytest.mark.parametrize("value", ["0", "-3", "soon"])
def test_time_limit_must_be_a_positive_number(value):
    r = runner.invoke(app, ["mediate", "logrolling", "--time-limit", value])
    assert r.exit_code == 2 and "--time-limit" in r.stderr and r.stdout == ""
