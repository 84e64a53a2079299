"""The Track-II game commands: `game` (strategic form), `trust` (repeated games), `crisis`
(private information) and `coalition` (cooperative games and power), one module each, over
`accord.ops.games`."""

from __future__ import annotations

import typer

from . import coalition, crisis, strategic, trust


def register(app: typer.Typer) -> None:
    """Add the game commands to the `accord` app."""
    for group in (strategic, trust, crisis, coalition):
        group.register(app)
