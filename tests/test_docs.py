"""Every docs page runs: shell examples (`$ accord ...`) must exit 0, Python blocks must run,
and YAML blocks that start with `# file: NAME` are written to disk for the examples."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord.cli import app

ROOT = Path(__file__).parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FENCE = re.compile(r"^```(\w*)[^\n]*\n(.*?)^```", re.M | re.S)


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_docs_page_runs(page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    for folder in ("src", "tests"):  # examples may name files of the repo
        (tmp_path / folder).symlink_to(ROOT / folder)
    namespace: dict = {}
    ran = 0
    for lang, body in FENCE.findall(page.read_text()):
        if lang == "yaml" and body.startswith("# file:"):
            name = body.splitlines()[0].split(":", 1)[1].strip()
            (tmp_path / name).write_text(body)
        elif lang == "console":
            for line in body.splitlines():
                if not line.startswith("$ accord"):
                    continue
                args = shlex.split(line[2:], comments=True)[1:]
                args = [a for a in args if a not in (">",)]
                result = CliRunner().invoke(app, args)
                assert result.exit_code == 0, (page.name, line, result.stderr)
                ran += 1
        elif lang == "python":
            exec(compile(body, f"{page.name}:python", "exec"), namespace)  # noqa: S102
            ran += 1
    assert ran, f"{page.name} has no runnable example"
