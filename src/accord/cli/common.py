"""What every command of the `accord` CLI shares: its options, how it reports bad input,
prints JSON, builds its consoles and reads the small languages of its options
(`party=weight,...`, `issue=option,...`). A leaf: imports typer only, and rich, numpy or
the library only inside the functions that need them.

Exit codes: 0 success, 2 bad input (every problem on stderr, no traceback), 1 internal
error. `--json` prints exactly one JSON document on stdout and nothing else.
"""

from __future__ import annotations

import contextlib
import functools
import json
import math
import os
import sys
import typing
from collections.abc import Callable
from typing import Annotated, Any

import typer

from ..defaults import FRONTIER_LIMIT
from ..errors import InputError, Problem

ScenarioArg = Annotated[str, typer.Argument(
    help="A built-in scenario id (see `accord scenarios`) or a YAML/JSON file.",
    metavar="SCENARIO")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON document on stdout.")]
PartiesOpt = Annotated[str | None, typer.Option(
    "--parties", help="Comma-separated actor ids whose frontier and ZOPA it is "
                      "(default: the actors with a veto).")]
ProposalOpt = Annotated[str | None, typer.Option("--proposal", help="A proposal id.")]
DealOpt = Annotated[str | None, typer.Option(
    "--deal", help="A deal: issue=option,issue=value,... (every issue).")]


def finite(value: float | None) -> float | None:
    """Callback of every float option: inf and nan are refused (exit 2), so no result
    and no `--json` output can carry them."""
    if value is not None and not math.isfinite(value):
        raise typer.BadParameter(f"must be a finite number, got {value}")
    return value


def _positive_seconds(value: float | None) -> float | None:
    if value is not None and not value > 0:
        raise typer.BadParameter("must be a number of seconds above 0")
    return value


TimeLimitOpt = Annotated[float | None, typer.Option(
    "--time-limit", metavar="SECONDS", callback=_positive_seconds,
    help="Stop after this many seconds (exit 2, saying what was done and what to change). "
         "Long work shows a progress bar on stderr.")]
"""The one `--time-limit` option of every compute command; pass its value to
`accord.cli.progress.budget_for`."""

FrontierLimitOpt = Annotated[int, typer.Option(
    "--frontier-limit", min=1,
    help="List at most this many Pareto-optimal deals (an even spread, with the exact "
         "count, or a lower bound when the frontier is too large to compute).")]
FRONTIER_LIMIT = FRONTIER_LIMIT
"""Default of `--frontier-limit` (`accord.defaults.FRONTIER_LIMIT`)."""


def flags(fn: Callable[..., Any]) -> dict[str, str]:
    """{parameter name: its option on the command line} for a command function: the first
    long name of each `typer.Option` in its signature (`nash_weights` -> `--nash-weights`)."""
    out: dict[str, str] = {}
    for name, hint in typing.get_type_hints(fn, include_extras=True).items():
        for meta in getattr(hint, "__metadata__", ()):
            if not isinstance(meta, typer.models.OptionInfo):
                continue
            # in `Annotated[..., typer.Option("--x")]` typer reads the first name as the
            # `default` argument
            names = [meta.default, *(meta.param_decls or ())]
            decls = [d for d in names if isinstance(d, str) and d.startswith("--")]
            if decls:
                out[name] = decls[0]
    return out


def stderr(message: str) -> None:
    print(message, file=sys.stderr)


def guarded(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Turn bad input into exit 2 with its problems on stderr, a parameter named by the
    command's option for it (see `flags`), and any other failure into exit 1 with a
    one-line message (a traceback only when ACCORD_DEBUG is set)."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except InputError as exc:
            options = flags(fn)
            for p in exc.renamed(lambda name: options.get(name, name)).problems:
                stderr(str(p))
            raise typer.Exit(2) from None
        except (typer.Exit, typer.Abort, KeyboardInterrupt):
            raise
        except Exception as exc:  # noqa: BLE001 - the last line of defence
            if os.environ.get("ACCORD_DEBUG"):
                raise
            stderr(f"internal error: {type(exc).__name__}: {exc} "
                   "(set ACCORD_DEBUG=1 for a traceback; please report it)")
            raise typer.Exit(1) from None

    return wrapper


def emit_json(data: Any) -> None:
    """One strict JSON document on stdout (no NaN or Infinity: a ValueError instead)."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, allow_nan=False) + "\n")


def console(stderr: bool = False) -> Any:
    """The rich console every command prints through (stdout, or stderr for progress):
    no syntax highlighting, no soft wrapping of tables."""
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=False)


def ids(text: str | None, parameter: str) -> list[str] | None:
    """`a,b,c` -> ['a', 'b', 'c'] (None stays None); an empty list is an error naming
    `parameter`."""
    if text is None:
        return None
    out = [p.strip() for p in text.split(",") if p.strip()]
    if not out:
        raise InputError([Problem.of_parameter(parameter, "give comma-separated actor ids")])
    return out


def number(text: str, parameter: str, what: str) -> float:
    """A number typed inside an option's text: finite, or an error naming `parameter`."""
    try:
        x = float(text)
    except ValueError:
        x = math.nan
    if not math.isfinite(x):
        raise InputError([Problem.of_parameter(parameter, f"'{what}' needs a finite number")])
    return x


def named_numbers(text: str | None, parameter: str) -> dict[str, float] | None:
    """`a=1,b=2.5` -> {'a': 1.0, 'b': 2.5} (None stays None)."""
    if text is None:
        return None
    out: dict[str, float] = {}
    for part in [p.strip() for p in text.split(",") if p.strip()]:
        k, sep, v = part.partition("=")
        if not sep:
            raise InputError([Problem.of_parameter(parameter, f"'{part}' is not name=number")])
        out[k.strip()] = number(v, parameter, part)
    return out


def numbers(text: str, parameter: str) -> float | list[float]:
    """`0.9` -> 0.9; `0.9,0.95` -> [0.9, 0.95] (one value for all, or one each)."""
    vals = [number(x, parameter, x.strip()) for x in text.split(",") if x.strip()]
    if not vals:
        raise InputError([Problem.of_parameter(parameter, "give a number")])
    return vals[0] if len(vals) == 1 else vals


def words(text: str) -> str | list[str]:
    """`a` -> 'a'; `a,b` -> ['a', 'b'] (one value for all, or one each)."""
    vals = [v.strip() for v in text.split(",") if v.strip()]
    return vals[0] if len(vals) == 1 else vals


def deal_text(text: str | None, space: Any) -> dict[str, object] | None:
    """`issue=option,issue=value,...` -> {issue: option id or number}: a value of a numeric
    issue of `space` that reads as a number is that number (the space then checks that
    every value fits its issue)."""
    if text is None:
        return None
    numeric = {i.id for i in space.scenario.issues if i.is_numeric}
    out: dict[str, object] = {}
    for part in [p.strip() for p in text.split(",") if p.strip()]:
        k, sep, v = (x.strip() for x in part.partition("="))
        if not sep:
            raise InputError([Problem.of_parameter("deal", f"'{part}' is not issue=option")])
        out[k] = v
        if k in numeric:
            with contextlib.suppress(ValueError):
                out[k] = float(v)
    return out


def fmt_deal(deal: dict) -> str:
    return ", ".join(f"{k}={v}" for k, v in deal.items())


def fmt_u(x: float) -> str:
    return f"{x:.3f}"


def spread(n: int, k: int) -> list[int]:
    """k indices spread evenly over range(n), both ends included."""
    if n <= k:
        return list(range(n))
    if k <= 1:
        return [0][:k]
    return sorted({round(j * (n - 1) / (k - 1)) for j in range(k)})
