"""An embedded store for saved scenarios and runs: one SQLite file (stdlib `sqlite3`).

What it guarantees:

* a scenario is validated before it is stored, and stored whole or not at all: every write
  is one transaction (`with conn:` around `BEGIN IMMEDIATE`), so a failure half-way leaves
  the file as it was;
* saving a scenario again adds a version; old versions are never changed or deleted (saving
  text identical to the latest version adds nothing and returns that version);
* a run records what it ran on (built-in id, or saved name and version, with the SHA-256 of
  the scenario text), its kind, parameters, seed, the Accord version and the result JSON,
  so that it can be run again and compared;
* the file is in WAL mode (readers never block the writer) and carries its schema version
  (`PRAGMA user_version`); migrations run in a transaction when an older file is opened,
  and a file from a newer Accord is refused rather than damaged.

Connections are opened per operation, so one `Store` may be shared between threads.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .errors import InputError, Problem

SCHEMA_VERSION = 2
APPLICATION_ID = 0x41434344  # "ACCD": marks the file as an Accord store
RUN_KINDS = ("analysis", "mediation", "forecast", "sweep")
SCENARIO_FORMATS = ("yaml", "json")


def _runs_table(name: str, kinds: tuple[str, ...]) -> str:
    """The runs table, allowing `kinds` (a migration that adds a kind rebuilds it)."""
    allowed = ", ".join(f"'{k}'" for k in kinds)
    return f"""CREATE TABLE {name} (
               id INTEGER PRIMARY KEY AUTOINCREMENT,
               kind TEXT NOT NULL CHECK (kind IN ({allowed})),
               scenario_source TEXT NOT NULL CHECK (scenario_source IN ('builtin', 'saved')),
               scenario_name TEXT NOT NULL,
               scenario_version INTEGER,
               scenario_sha256 TEXT NOT NULL,
               label TEXT,
               parameters TEXT NOT NULL,
               seed INTEGER,
               accord_version TEXT NOT NULL,
               result TEXT NOT NULL,
               created_at TEXT NOT NULL,
               CHECK ((scenario_source = 'saved') = (scenario_version IS NOT NULL)),
               FOREIGN KEY (scenario_name, scenario_version)
                   REFERENCES scenario_versions(name, version))"""


_MIGRATIONS: dict[int, tuple[str, ...]] = {
    1: (
        """CREATE TABLE scenarios (
               name TEXT PRIMARY KEY,
               title TEXT NOT NULL,
               latest_version INTEGER NOT NULL CHECK (latest_version >= 1),
               created_at TEXT NOT NULL,
               updated_at TEXT NOT NULL)""",
        """CREATE TABLE scenario_versions (
               name TEXT NOT NULL REFERENCES scenarios(name),
               version INTEGER NOT NULL CHECK (version >= 1),
               title TEXT NOT NULL,
               format TEXT NOT NULL CHECK (format IN ('yaml', 'json')),
               text TEXT NOT NULL,
               sha256 TEXT NOT NULL,
               created_at TEXT NOT NULL,
               PRIMARY KEY (name, version))""",
        _runs_table("runs", ("analysis", "mediation", "forecast")),
        "CREATE INDEX runs_by_scenario ON runs(scenario_name, id)",
    ),
    # 2: the sweep run kind. SQLite cannot change a CHECK constraint, so the runs table is
    # rebuilt (same columns, same ids) and renamed.
    2: (
        _runs_table("runs_v2", ("analysis", "mediation", "forecast", "sweep")),
        "INSERT INTO runs_v2 SELECT * FROM runs",
        "DROP TABLE runs",
        "ALTER TABLE runs_v2 RENAME TO runs",
        "CREATE INDEX runs_by_scenario ON runs(scenario_name, id)",
    ),
}


class StoreError(RuntimeError):
    """The store file cannot be used: not an Accord store, from a newer Accord, corrupt."""


class NotFoundError(LookupError):
    """No saved scenario, version or run with that id. `path` names the request field."""

    def __init__(self, path: str, message: str):
        super().__init__(message)
        self.path = path
        self.message = message


def sha256(text: str) -> str:
    """Hex SHA-256 of a text (UTF-8)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def default_path() -> Path:
    """`$XDG_DATA_HOME/accord/accord.db` (default `~/.local/share/accord/accord.db`); the
    folder is created when missing."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    folder = Path(base) / "accord"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / "accord.db"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


@dataclass(frozen=True)
class ScenarioVersion:
    """One stored version of a saved scenario."""

    name: str
    version: int
    title: str
    format: str
    text: str
    sha256: str
    created_at: str

    def to_dict(self, text: bool = True) -> dict[str, Any]:
        out = {"name": self.name, "version": self.version, "title": self.title,
               "format": self.format, "sha256": self.sha256, "created_at": self.created_at}
        if text:
            out["text"] = self.text
        return out


@dataclass(frozen=True)
class SavedScenario:
    """A saved scenario (all its versions share the scenario's `id`, its name here)."""

    name: str
    title: str
    latest_version: int
    created_at: str
    updated_at: str

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "title": self.title, "latest_version": self.latest_version,
                "created_at": self.created_at, "updated_at": self.updated_at}


@dataclass(frozen=True)
class Run:
    """A stored run: what ran on which scenario with which parameters, and its result."""

    id: int
    kind: str
    scenario_source: str
    scenario_name: str
    scenario_version: int | None
    scenario_sha256: str
    label: str | None
    parameters: dict[str, Any]
    seed: int | None
    accord_version: str
    created_at: str
    result: dict[str, Any] | None = None

    def to_dict(self, result: bool = True) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id, "kind": self.kind, "label": self.label,
            "scenario": {"source": self.scenario_source, "name": self.scenario_name,
                         "version": self.scenario_version, "sha256": self.scenario_sha256},
            "parameters": dict(self.parameters), "seed": self.seed,
            "accord_version": self.accord_version, "created_at": self.created_at}
        if result:
            out["result"] = self.result
        return out


class Store:
    """Saved scenarios (with versions) and runs in one SQLite file at `path`.

    Opening creates the file and its tables when missing and migrates an older schema.
    """

    def __init__(self, path: str | os.PathLike[str]):
        self.path = Path(path)
        self._migrate()

    # -- connections -------------------------------------------------------------------

    @contextlib.contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        try:
            conn = sqlite3.connect(self.path, timeout=10.0)
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: cannot open the store: {exc}") from None
        try:
            conn.execute("PRAGMA foreign_keys = ON")
            yield conn
        finally:
            conn.close()

    def _migrate(self) -> None:
        try:
            with self._connect() as conn:
                self._migrate_on(conn)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: not a usable Accord store ({exc})") from None

    def _migrate_on(self, conn: sqlite3.Connection) -> None:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        if app_id not in (0, APPLICATION_ID) or (app_id == 0 and tables and not version):
            raise StoreError(f"{self.path}: an SQLite file of another program, not an "
                             "Accord store")
        if version > SCHEMA_VERSION:
            raise StoreError(f"{self.path}: written by a newer Accord (store schema "
                             f"{version}; this one reads up to {SCHEMA_VERSION})")
        conn.execute("PRAGMA journal_mode = WAL")
        for target in range(version + 1, SCHEMA_VERSION + 1):
            with conn:
                conn.execute("BEGIN IMMEDIATE")
                for statement in _MIGRATIONS[target]:
                    conn.execute(statement)
                conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                conn.execute(f"PRAGMA user_version = {target}")

    def schema_version(self) -> int:
        """The schema version of the file (`PRAGMA user_version`)."""
        with self._connect() as conn:
            return int(conn.execute("PRAGMA user_version").fetchone()[0])

    # -- scenarios ---------------------------------------------------------------------

    def save_scenario(self, text: str, fmt: str = "yaml") -> tuple[ScenarioVersion, bool]:
        """Validate a scenario (YAML or JSON text) and store it as a new version of the saved
        scenario named by its `id`. Returns the version and whether it was added (False when
        the text equals the latest version's). `InputError` when the scenario is invalid."""
        from .io import scenario_from_text

        if fmt not in SCENARIO_FORMATS:
            raise InputError([Problem("format", f"unknown format '{fmt}' (yaml or json)")])
        scenario = scenario_from_text(text, "scenario", fmt)
        digest = sha256(text)
        with self._connect() as conn, conn:
            conn.execute("BEGIN IMMEDIATE")
            row = conn.execute("SELECT latest_version FROM scenarios WHERE name = ?",
                               (scenario.id,)).fetchone()
            if row is not None:
                latest = _version_row(conn, scenario.id, row[0])
                if latest.sha256 == digest and latest.format == fmt:
                    return latest, False
            number = 1 if row is None else row[0] + 1
            saved = ScenarioVersion(scenario.id, number, scenario.title, fmt, text, digest,
                                    _now())
            _touch_scenario(conn, saved)
            _insert_version(conn, saved)
        return saved, True

    def list_scenarios(self) -> list[SavedScenario]:
        """Every saved scenario, most recently changed first."""
        with self._connect() as conn:
            rows = conn.execute("SELECT name, title, latest_version, created_at, updated_at "
                                "FROM scenarios ORDER BY updated_at DESC, name").fetchall()
        return [SavedScenario(*r) for r in rows]

    def get_scenario(self, name: str, version: int | None = None) -> ScenarioVersion:
        """A saved scenario's version (default: the latest); `NotFoundError` when missing."""
        with self._connect() as conn:
            if version is None:
                row = conn.execute("SELECT latest_version FROM scenarios WHERE name = ?",
                                   (name,)).fetchone()
                if row is None:
                    raise NotFoundError("name", f"no saved scenario '{name}'")
                version = int(row[0])
            return _version_row(conn, name, version)

    def versions(self, name: str) -> list[ScenarioVersion]:
        """Every version of a saved scenario, oldest first (`NotFoundError` when none)."""
        with self._connect() as conn:
            rows = conn.execute("SELECT name, version, title, format, text, sha256, created_at "
                                "FROM scenario_versions WHERE name = ? ORDER BY version",
                                (name,)).fetchall()
        if not rows:
            raise NotFoundError("name", f"no saved scenario '{name}'")
        return [ScenarioVersion(*r) for r in rows]

    # -- runs --------------------------------------------------------------------------

    def save_run(self, kind: str, scenario_source: str, scenario_name: str,
                 scenario_version: int | None, scenario_sha256: str,
                 parameters: dict[str, Any], seed: int | None, accord_version: str,
                 result: dict[str, Any], label: str | None = None) -> Run:
        """Store a run (one transaction). A saved scenario's version must exist."""
        if kind not in RUN_KINDS:
            raise InputError([Problem("kind", f"unknown run kind '{kind}'")])
        params_json = json.dumps(parameters, sort_keys=True, allow_nan=False)
        result_json = json.dumps(result, allow_nan=False)
        created = _now()
        with self._connect() as conn, conn:
            conn.execute("BEGIN IMMEDIATE")
            if scenario_source == "saved":
                _version_row(conn, scenario_name, int(scenario_version or 0))
            cur = conn.execute(
                "INSERT INTO runs (kind, scenario_source, scenario_name, scenario_version, "
                "scenario_sha256, label, parameters, seed, accord_version, result, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (kind, scenario_source, scenario_name, scenario_version, scenario_sha256, label,
                 params_json, seed, accord_version, result_json, created))
            run_id = int(cur.lastrowid or 0)
        return Run(run_id, kind, scenario_source, scenario_name, scenario_version,
                   scenario_sha256, label, json.loads(params_json), seed, accord_version,
                   created, json.loads(result_json))

    def list_runs(self, scenario: str | None = None, limit: int = 100) -> list[Run]:
        """Stored runs, newest first, without their results (optionally of one scenario)."""
        query = ("SELECT id, kind, scenario_source, scenario_name, scenario_version, "
                 "scenario_sha256, label, parameters, seed, accord_version, created_at "
                 "FROM runs")
        args: tuple[Any, ...] = ()
        if scenario is not None:
            query += " WHERE scenario_name = ?"
            args = (scenario,)
        query += " ORDER BY id DESC LIMIT ?"
        with self._connect() as conn:
            rows = conn.execute(query, (*args, int(limit))).fetchall()
        return [Run(*r[:7], json.loads(r[7]), *r[8:]) for r in rows]

    def get_run(self, run_id: int) -> Run:
        """A stored run with its result (`NotFoundError` when there is none)."""
        with self._connect() as conn:
            r = conn.execute(
                "SELECT id, kind, scenario_source, scenario_name, scenario_version, "
                "scenario_sha256, label, parameters, seed, accord_version, created_at, result "
                "FROM runs WHERE id = ?", (int(run_id),)).fetchone()
        if r is None:
            raise NotFoundError("run_id", f"no run {run_id}")
        return Run(*r[:7], json.loads(r[7]), *r[8:11], json.loads(r[11]))


def _version_row(conn: sqlite3.Connection, name: str, version: int) -> ScenarioVersion:
    row = conn.execute("SELECT name, version, title, format, text, sha256, created_at "
                       "FROM scenario_versions WHERE name = ? AND version = ?",
                       (name, version)).fetchone()
    if row is None:
        raise NotFoundError("version", f"saved scenario '{name}' has no version {version}")
    saved = ScenarioVersion(*row)
    if sha256(saved.text) != saved.sha256:
        raise StoreError(f"saved scenario '{name}' version {version} does not match its "
                         "checksum: the store file is damaged")
    return saved


def _insert_version(conn: sqlite3.Connection, v: ScenarioVersion) -> None:
    conn.execute("INSERT INTO scenario_versions (name, version, title, format, text, sha256, "
                 "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                 (v.name, v.version, v.title, v.format, v.text, v.sha256, v.created_at))


def _touch_scenario(conn: sqlite3.Connection, v: ScenarioVersion) -> None:
    """Create or update the scenario row so that it points at version `v`."""
    conn.execute("INSERT INTO scenarios (name, title, latest_version, created_at, updated_at) "
                 "VALUES (?, ?, ?, ?, ?) ON CONFLICT(name) DO UPDATE SET "
                 "title = excluded.title, latest_version = excluded.latest_version, "
                 "updated_at = excluded.updated_at",
                 (v.name, v.title, v.version, v.created_at, v.created_at))
