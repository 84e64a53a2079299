"""The `accord` command: a thin front end over `accord.ops`.

One module per command group (`scenarios`, `bargaining`, `mediation`, `forecast`, `games`,
`sweep`, `report`, `serve`), each with `register(app)`; what they share (options, errors,
JSON, consoles, the little option languages) lives in `accord.cli.common`. The modules
import only typer at load, so `accord --help` and `--version` do not load numpy, pydantic
or the algorithms; each command imports its operation when it runs.

Exit codes: 0 success, 2 bad input (every problem on stderr, no traceback), 1 internal
error. `--json` prints exactly one JSON document on stdout and nothing else.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from ..lazy import lazy_exports

__getattr__, __dir__ = lazy_exports(__name__, {"app": ".root"})

if TYPE_CHECKING:
    from .root import app


def main() -> None:
    """Entry point of the `accord` console script. `accord --version` answers before typer
    is imported (it is most of the start-up time of a short command)."""
    if sys.argv[1:] == ["--version"]:
        from .. import __version__

        print(f"accord {__version__}")
        return
    from .root import app

    app()


__all__ = ["app", "main"]
