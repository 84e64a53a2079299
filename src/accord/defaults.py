"""The defaults of what a user can set, written once.

The library's functions, the operations (`accord.ops`) and every front end (the CLI's
option defaults, the web API's request models, the report) read them from here. This module
imports nothing, so that the command line can show them in `--help` without loading numpy.
"""

FRONTIER_LIMIT = 200
"""Frontier deals listed by an analysis (an even spread along the frontier beyond it)."""

COUNT_LIMIT = 10**7
"""Largest outcome space in which the deals of the ZOPA are counted one by one."""

NEAREST = 3
"""Frontier deals nearest a proposal listed by a repair."""

SEED = 0
"""Seed of everything random (samples, simulations, forecasts) unless one is given."""

SINGLE_TEXT_ROUNDS = 500
"""Drafts the mediator of the single negotiating text proposes."""

ALTERNATING_ROUNDS = 100
"""Rounds (offers) of alternating offers before the deadline."""

MEDIATOR_ROUNDS = 20
"""Proposals of the interested mediator."""

SWEEP_SAMPLES = 1000
"""Draws of an uncertainty sweep."""
