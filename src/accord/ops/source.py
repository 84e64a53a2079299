"""What an operation reads: a scenario given as an object, a built-in id or a file.

The one resolver of the operations layer: `scenario_of` and `space_of` accept a `Scenario`,
a compiled `Space`, a built-in scenario id (`accord scenarios`) or the path of a YAML/JSON
scenario file, and load, validate and compile only what is not done yet.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Union

if TYPE_CHECKING:
    from ..scenario import Scenario
    from ..space import Space

Source = Union["Scenario", "Space", str, "os.PathLike[str]"]
"""A scenario object, a compiled space, a built-in scenario id or a scenario file."""


def scenario_of(source: Source) -> Scenario:
    """The validated `Scenario` of `source` (`InputError` naming the file when it is not one).
    """
    from ..scenario import Scenario
    from ..space import Space

    if isinstance(source, Scenario):
        return source
    if isinstance(source, Space):
        return source.scenario
    from ..io import load_scenario

    return load_scenario(os.fspath(source))


def space_of(source: Source) -> Space:
    """The compiled `Space` of `source` (compiled once: a `Space` is returned as it is)."""
    from ..space import Space, compile_space

    if isinstance(source, Space):
        return source
    return compile_space(scenario_of(source))
