"""The `accord` Typer app: the root options and every command group registered on it."""

from __future__ import annotations

from typing import Annotated

import typer

from . import bargaining, forecast, games, mediation, report, scenarios, serve, sweep

app = typer.Typer(
    name="accord",
    help="Accord: turn a conflict into a game and find the win-win in it.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        from .. import __version__

        print(f"accord {__version__}")
        raise typer.Exit()


@app.callback()
def _root(version: Annotated[bool, typer.Option(
        "--version", callback=_version, is_eager=True, help="Print the version and exit.")
        ] = False) -> None:
    """Accord: turn a conflict into a game and find the win-win in it."""


for _group in (scenarios, bargaining, mediation, forecast, sweep, report, serve, games):
    _group.register(app)
