"""Reading and writing scenarios: YAML (safe loader only) and JSON, built-in scenarios by id,
the JSON Schema of the format, and atomic writes."""

from __future__ import annotations

import json
import os
import re
import stat
import tempfile
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from .errors import InputError, Problem, format_path
from .scenario import Scenario
from .validation import validate_scenario

LIBRARY_PACKAGE = "accord.library"

MAX_FILE_BYTES = 16 * 1024 * 1024
"""Largest file read as a scenario or data file (checked before reading)."""

_MERGE_TAG = "tag:yaml.org,2002:merge"


class _DuplicateKey(Exception):
    def __init__(self, key: Any, first: Any, second: Any):
        self.key, self.first, self.second = key, first, second


class _TooManyDigits(Exception):
    def __init__(self, mark: Any):
        self.mark = mark


# libyaml's safe loader when PyYAML was built with it (6x faster), else the pure-Python one;
# both construct only plain data (no tags that run code).
class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """The safe loader, refusing a key written twice in one mapping (YAML would keep the
    last one silently). Keys are compared as written (type and text, so `1` and `01` are
    not the same key here); keys brought in by a merge (`<<: *anchor`) may be overridden.
    O(keys) per mapping."""

    def construct_mapping(self, node, deep=False):
        if isinstance(node, yaml.MappingNode):
            seen: dict[tuple[str, str], Any] = {}
            for key_node, _ in node.value:
                if key_node.tag == _MERGE_TAG or not isinstance(key_node, yaml.ScalarNode):
                    continue
                mark = key_node.start_mark
                first = seen.setdefault((key_node.tag, key_node.value), mark)
                if first is not mark:
                    raise _DuplicateKey(key_node.value, first, mark)
        return super().construct_mapping(node, deep)

    def construct_yaml_int(self, node):
        try:
            return super().construct_yaml_int(node)
        except ValueError:  # Python's limit on the digits of an integer read from text
            raise _TooManyDigits(node.start_mark) from None


_Loader.add_constructor("tag:yaml.org,2002:int", _Loader.construct_yaml_int)


_LONG_DIGITS = re.compile(r"\d{4300,}")


def _digits_place(text: str) -> str:
    """`line L, column C` of the first run of 4,300 or more digits in `text` ("" if none)."""
    m = _LONG_DIGITS.search(text)
    if m is None:
        return ""
    line = text.count("\n", 0, m.start()) + 1
    return f"line {line}, column {m.start() - text.rfind(chr(10), 0, m.start())}"


def safe_load(text: str) -> Any:
    """YAML text -> plain data, with a safe loader only (and no key written twice)."""
    return yaml.load(text, Loader=_Loader)  # noqa: S506 - a safe loader


class _Duplicates(dict):
    """A JSON object in which some key was written twice (`keys_twice`: those keys)."""

    keys_twice: list[str]


def _json_object(pairs: list[tuple[str, Any]], made: list[_Duplicates]) -> dict:
    """A JSON object as a dict; one with a key written twice is a `_Duplicates`, also
    appended to `made` (so the walk for their places runs only when there are some)."""
    out: dict = {}
    twice = []
    for k, v in pairs:
        if k in out:
            twice.append(k)
        out[k] = v
    if twice:
        out = _Duplicates(out)
        out.keys_twice = twice
        made.append(out)
    return out


def _json_duplicates(data: Any) -> list[Problem]:
    """Where keys were written twice in parsed JSON (an iterative walk, any depth)."""
    out = []
    stack: list[tuple[Any, tuple]] = [(data, ())]
    while stack:
        node, path = stack.pop()
        if isinstance(node, _Duplicates):
            out += [Problem(format_path(path) or "(top level)",
                            f"key '{k}' is written twice in this object (JSON would keep "
                            "only the last one)") for k in node.keys_twice]
        if isinstance(node, dict):
            stack += [(v, (*path, k)) for k, v in node.items()]
        elif isinstance(node, list):
            stack += [(v, (*path, j)) for j, v in enumerate(node)]
    return sorted(out, key=lambda p: p.path)


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
        made: list[_Duplicates] = []  # objects with a key written twice, if any
        try:
            data = json.loads(text, object_pairs_hook=lambda pairs: _json_object(pairs, made)
                              ) if text.strip() else None
        except json.JSONDecodeError as exc:
            raise InputError([Problem(f"line {exc.lineno}, column {exc.colno}",
                                      f"JSON syntax error: {exc.msg}", file)]) from None
        except (ValueError, RecursionError) as exc:
            raise InputError([Problem(_digits_place(text) if isinstance(exc, ValueError)
                                      else "", _parse_limit(exc), file)]) from None
        twice = _json_duplicates(data) if made else []
        if twice:
            raise InputError([Problem(p.path, p.message, file) for p in twice])
        return data
    try:
        return safe_load(text)
    except _DuplicateKey as exc:
        raise InputError([Problem(
            f"line {exc.second.line + 1}, column {exc.second.column + 1}",
            f"key '{exc.key}' is written twice in this mapping (also at line "
            f"{exc.first.line + 1}); YAML would keep only the last one", file)]) from None
    except _TooManyDigits as exc:
        raise InputError([Problem(f"line {exc.mark.line + 1}, column {exc.mark.column + 1}",
                                  _parse_limit(ValueError("digits")), file)]) from None
    except (ValueError, RecursionError) as exc:  # not a YAMLError: a number or nesting limit
        raise InputError([Problem("", _parse_limit(exc), file)]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        what = " ".join(x for x in (exc.context, exc.problem) if x)
        raise InputError([Problem(where, f"YAML syntax error: {what}", file)]) from None
    except yaml.YAMLError as exc:
        raise InputError([Problem("", f"YAML error: {exc}", file)]) from None


def _parse_limit(exc: BaseException) -> str:
    if isinstance(exc, RecursionError):
        return "the data is nested too deeply to read"
    if "digits" in str(exc):
        return ("a number has more than 4,300 digits (Python's limit for reading an "
                "integer): no field of a scenario needs one")
    return f"cannot be read: {exc}"


def read_bytes(path: str | os.PathLike[str], kind: str = "scenario file",
               missing: str = "no such file") -> bytes:
    """The bytes of a user's file, with every failure an `InputError` naming the file:
    missing, a folder, not a regular file (a device, FIFO or socket, also behind a link:
    opened without blocking and checked on the open descriptor, before anything is read),
    larger than `MAX_FILE_BYTES`, or unreadable."""
    p = Path(path)
    name = str(path)
    if not p.exists():
        raise InputError([Problem("", missing, name)])
    if p.is_dir():
        raise InputError([Problem("", f"is a directory, not a {kind}", name)])
    try:
        fd = os.open(p, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise InputError([Problem("", f"cannot be read: {exc.strerror}", name)]) from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise InputError([Problem("", f"is not a regular file (a device, FIFO or "
                                          f"socket), so it is not read as a {kind}", name)])
        if st.st_size > MAX_FILE_BYTES:
            raise InputError([Problem("", f"is {st.st_size:,} bytes; a {kind} may have at "
                                          f"most {MAX_FILE_BYTES:,}", name)])
        with os.fdopen(fd, "rb", closefd=False) as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise InputError([Problem("", f"cannot be read: {exc.strerror}", name)]) from None
    finally:
        os.close(fd)
    if len(data) > MAX_FILE_BYTES:  # it grew while we read
        raise InputError([Problem("", f"is larger than {MAX_FILE_BYTES:,} bytes", name)])
    return data


def read_text(path: str | os.PathLike[str], kind: str = "scenario file",
              missing: str = "no such file (and not a built-in scenario id; `accord scenarios` "
                             "lists them)", allow_empty: bool = True) -> tuple[str, str]:
    """A user's text file (UTF-8, a BOM is ignored) and the name used in messages; every
    failure is an `InputError` naming the file (see `read_bytes`; also not UTF-8, or,
    unless `allow_empty`, empty)."""
    name = str(path)
    try:
        text = read_bytes(path, kind, missing).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError([Problem("", "is not UTF-8 text", name)]) from None
    if not allow_empty and not text.strip():
        raise InputError([Problem("", "is empty", name)])
    return text, name


def read_data(path: str | os.PathLike[str]) -> tuple[Any, str]:
    """Read and parse a YAML or JSON file; return the data and the name used in messages."""
    text, name = read_text(path)
    return parse_text(text, name), name


def is_builtin(ref: str | os.PathLike[str]) -> bool:
    """Whether `ref` names a built-in scenario (and no file of that name exists)."""
    return not Path(ref).exists() and str(ref) in builtin_ids()


def read_source(ref: str | os.PathLike[str]) -> tuple[Any, str]:
    """The one resolver of what a command reads: a built-in scenario id or a YAML/JSON file,
    parsed; returns the data and the name used in messages (`<id> (built-in)` or the file).
    Whether the data is a scenario (`is_scenario`) or a model file (a game, a trust or crisis
    file) is for the caller to decide."""
    ref_s = str(ref)
    if is_builtin(ref_s):
        return safe_load(builtin_path(ref_s).read_text(encoding="utf-8")), f"{ref_s} (built-in)"
    return read_data(ref_s)


def is_scenario(data: Any) -> bool:
    """Whether parsed data is written as a scenario (it declares the format, `accord: 1`)."""
    return isinstance(data, dict) and "accord" in data


def load_scenario(ref: str | os.PathLike[str]) -> Scenario:
    """Load a scenario from a built-in id (see `builtin_ids`) or a YAML/JSON path, validated.

    Raises `InputError` naming the file, the path inside it and the problem, for every
    problem at once.
    """
    return validate_scenario(*read_source(ref))


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
    """Check that a file can be written at `path` before any work is done, and return the
    path to write: a new file in a folder that exists, or (with `overwrite`) an existing
    regular file. A symbolic link is never replaced: with `overwrite` the file it names is
    written instead (when that is a regular file or does not exist yet). A device, FIFO
    or socket is refused, whatever `overwrite` says. Raises `InputError` naming the path."""
    p = Path(path)
    name = str(path)
    if p.is_symlink():
        target = Path(os.path.realpath(p))
        if not overwrite:
            raise InputError([Problem("", f"exists already (a link to {target}; use --force "
                                          "to write to the file it names)", name)])
        p = target
    if p.is_dir():
        raise InputError([Problem("", "is a folder, not a file to write", name)])
    if p.exists() or p.is_symlink():
        if not p.is_file():
            raise InputError([Problem("", "is not a regular file (a device, FIFO or socket): "
                                          "Accord writes only regular files", name)])
        if not overwrite:
            raise InputError([Problem("", "exists already (use --force to replace it)",
                                      name)])
    directory = p.parent if str(p.parent) else Path(".")
    if not directory.is_dir():
        raise InputError([Problem("", f"folder {directory} does not exist", name)])
    return p


def temp_beside(path: Path, name: str) -> tuple[int, Path]:
    """A new temporary file (descriptor, path) in the folder of `path`, to be renamed onto
    it by `publish`; an OS error is an `InputError` naming `name`."""
    directory = path.parent if str(path.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise InputError([Problem("", f"cannot be written: {exc.strerror}", name)]) from None
    return fd, Path(tmp)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def publish(tmp: Path, path: Path, name: str) -> None:
    """Rename the finished temporary file `tmp` onto `path` with the permissions a new file
    gets under the umask (those of the file it replaces, if any); an OS error removes
    `tmp` and is an `InputError` naming `name`."""
    try:
        try:
            mode = stat.S_IMODE(os.stat(path).st_mode)
        except FileNotFoundError:
            mode = 0o666 & ~_umask()
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise InputError([Problem("", f"cannot be written: {exc.strerror}", name)]) from None


def write_atomic(path: str | os.PathLike[str], text: str, overwrite: bool = False) -> None:
    """Write `text` to `path` through a temporary file and a rename, so a reader never sees a
    half-written file. Refuses to replace an existing file unless `overwrite`, and what is
    not a regular file in any case (see `check_output`); an OS error is an `InputError`."""
    p = check_output(path, overwrite)
    fd, tmp = temp_beside(p, str(path))
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise InputError([Problem("", f"cannot be written: {exc.strerror}", str(path))]
                         ) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    try:
        check_output(path, overwrite)  # again: nothing may have taken its place meanwhile
    except InputError:
        tmp.unlink(missing_ok=True)
        raise
    publish(tmp, p, str(path))
