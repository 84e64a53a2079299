"""Reading and writing scenarios: YAML (safe loader only) and JSON, built-in scenarios by id,
the JSON Schema of the format, and atomic writes."""

from __future__ import annotations

import json
import os
import tempfile
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from .errors import InputError, Problem
from .scenario import Scenario
from .validation import validate_scenario

LIBRARY_PACKAGE = "accord.library"

# libyaml's safe loader when PyYAML was built with it (6x faster), else the pure-Python one;
# both construct only plain data (no tags that run code).
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def safe_load(text: str) -> Any:
    """YAML text -> plain data, with a safe loader only."""
    return yaml.load(text, Loader=_SAFE_LOADER)  # noqa: S506 - a safe loader


def builtin_ids() -> list[str]:
    """Ids of the built-in scenarios (files `accord/library/<id>.yaml`), sorted."""
    root = resources.files(LIBRARY_PACKAGE)
    return sorted(p.name[: -len(".yaml")] for p in root.iterdir() if p.name.endswith(".yaml"))


def builtin_path(scenario_id: str) -> Path:
    return Path(str(resources.files(LIBRARY_PACKAGE).joinpath(f"{scenario_id}.yaml")))


def parse_text(text: str, file: str, fmt: str | None = None) -> Any:
    """Parse YAML or JSON text into plain data; syntax errors become `InputError` with a line."""
    if fmt is None:
        fmt = "json" if file.lower().endswith(".json") else "yaml"
    if fmt == "json":
        try:
            return json.loads(text) if text.strip() else None
        except json.JSONDecodeError as exc:
            raise InputError([Problem(f"line {exc.lineno}, column {exc.colno}",
                                      f"JSON syntax error: {exc.msg}", file)]) from None
    try:
        return safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        what = " ".join(x for x in (exc.context, exc.problem) if x)
        raise InputError([Problem(where, f"YAML syntax error: {what}", file)]) from None
    except yaml.YAMLError as exc:
        raise InputError([Problem("", f"YAML error: {exc}", file)]) from None


def read_text(path: str | os.PathLike[str], kind: str = "scenario file",
              missing: str = "no such file (and not a built-in scenario id; `accord scenarios` "
                             "lists them)", allow_empty: bool = True) -> tuple[str, str]:
    """A user's text file (UTF-8, a BOM is ignored) and the name used in messages; every
    failure is an `InputError` naming the file: missing, a folder, not UTF-8, unreadable,
    or (unless `allow_empty`) empty."""
    p = Path(path)
    name = str(path)
    if not p.exists():
        raise InputError([Problem("", missing, name)])
    if p.is_dir():
        raise InputError([Problem("", f"is a directory, not a {kind}", name)])
    try:
        text = p.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise InputError([Problem("", "is not UTF-8 text", name)]) from None
    except OSError as exc:
        raise InputError([Problem("", f"cannot be read: {exc.strerror}", name)]) from None
    if not allow_empty and not text.strip():
        raise InputError([Problem("", "is empty", name)])
    return text, name


def read_data(path: str | os.PathLike[str]) -> tuple[Any, str]:
    """Read and parse a YAML or JSON file; return the data and the name used in messages."""
    text, name = read_text(path)
    return parse_text(text, name), name


def load_scenario(ref: str | os.PathLike[str]) -> Scenario:
    """Load a scenario from a built-in id (see `builtin_ids`) or a YAML/JSON path, validated.

    Raises `InputError` naming the file, the path inside it and the problem, for every
    problem at once.
    """
    ref_s = str(ref)
    if not Path(ref_s).exists() and ref_s in builtin_ids():
        path = builtin_path(ref_s)
        data = safe_load(path.read_text(encoding="utf-8"))
        return validate_scenario(data, f"{ref_s} (built-in)")
    data, name = read_data(ref_s)
    return validate_scenario(data, name)


def scenario_from_text(text: str, name: str = "<text>", fmt: str | None = None) -> Scenario:
    """Validate a scenario given as YAML or JSON text (for the web app and tests)."""
    return validate_scenario(parse_text(text, name, fmt), name)


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of scenario format version 1."""
    schema = Scenario.model_json_schema()
    # A preference is a score table or {ideal: x}; pydantic tells them apart by the `ideal`
    # key, but as JSON Schema an {ideal: 40} object matches both shapes, so "oneOf" would
    # reject it. "anyOf" states the same two shapes without that trap.
    _one_of_to_any_of(schema)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Accord scenario (format version 1)"
    return schema


def _one_of_to_any_of(node: Any) -> None:
    if isinstance(node, dict):
        if "oneOf" in node and any("NumericPreference" in str(b) for b in node["oneOf"]):
            node["anyOf"] = node.pop("oneOf")
        for v in node.values():
            _one_of_to_any_of(v)
    elif isinstance(node, list):
        for v in node:
            _one_of_to_any_of(v)


def scenario_to_yaml(scenario: Scenario) -> str:
    data = scenario.model_dump(mode="json", exclude_none=True, exclude_defaults=False)
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def check_output(path: str | os.PathLike[str], overwrite: bool = False) -> Path:
    """Check that a file can be written at `path` before any work is done: not a folder, not
    an existing file (unless `overwrite`), in a folder that exists. Raises `InputError`."""
    p = Path(path)
    if p.is_dir():
        raise InputError([Problem("", "is a folder, not a file to write", str(path))])
    if p.exists() and not overwrite:
        raise InputError([Problem("", "exists already (use --force to replace it)",
                                  str(path))])
    directory = p.parent if str(p.parent) else Path(".")
    if not directory.is_dir():
        raise InputError([Problem("", f"folder {directory} does not exist", str(path))])
    return p


def write_atomic(path: str | os.PathLike[str], text: str, overwrite: bool = False) -> None:
    """Write `text` to `path` through a temporary file and a rename, so a reader never sees a
    half-written file. Refuses to replace an existing file unless `overwrite`."""
    p = check_output(path, overwrite)
    directory = p.parent if str(p.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, p)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
