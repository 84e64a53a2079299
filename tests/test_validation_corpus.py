"""The corpus of bad scenario files: each names the problems it must produce (`# expect:`
lines, each the start of a message: libyaml and PyYAML word syntax errors slightly
differently); the CLI must print each as `FILE: path: message` and exit 2 without a
traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord.cli import app

BAD = Path(__file__).parent / "data" / "bad"
JSON_EXPECT = {"json_syntax.json": ["line 2, column 11: JSON syntax error: Expecting value"]}


def expectations(path: Path) -> list[str]:
    if path.name in JSON_EXPECT:
        return JSON_EXPECT[path.name]
    return [line.split("# expect:", 1)[1].strip()
            for line in path.read_text().splitlines() if line.startswith("# expect:")]


CASES = sorted(BAD.iterdir())


@pytest.mark.parametrize("path", CASES, ids=[p.name for p in CASES])
def test_bad_file_reports_every_expected_problem(path: Path) -> None:
    expected = expectations(path)
    assert expected, f"{path.name} has no expectation"
    result = CliRunner().invoke(app, ["validate", str(path)])
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    for message in expected:  # a line per problem; an expectation may be a prefix of it
        assert any(line.startswith(f"{path}: {message}") for line in lines), (message, lines)
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_bad_file_through_the_real_command_exits_2_without_traceback() -> None:
    path = BAD / "unknown_option.yaml"
    p = subprocess.run([sys.executable, "-m", "accord.cli", "analyze", str(path)],
                       capture_output=True, text=True)
    assert p.returncode == 2
    assert p.stdout == ""
    assert p.stderr.strip() == (f"{path}: actors[1].preferences.ceasefire: option 'truce' is not "
                                "an option of issue 'ceasefire'")


def test_validate_json_lists_problems_with_paths() -> None:
    import json

    result = CliRunner().invoke(app, ["validate", "--json", str(BAD / "deal_numeric.yaml")])
    assert result.exit_code == 2
    doc = json.loads(result.stdout)
    assert doc["valid"] is False
    assert [p["path"] for p in doc["problems"]] == ["proposals[0].deal.control",
                                                    "proposals[1].deal.control"]


def test_missing_file_and_directory() -> None:
    r = CliRunner().invoke(app, ["analyze", "no/such/file.yaml"])
    assert r.exit_code == 2 and "no/such/file.yaml: no such file" in r.stderr
    r = CliRunner().invoke(app, ["analyze", str(BAD)])
    assert r.exit_code == 2 and "is a directory" in r.stderr
