"""The SQLite store: round trips, versions, atomic writes, reopening, and refusing files it
must not touch."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from accord import store as store_module
from accord.errors import InputError
from accord.io import builtin_path
from accord.store import (
    SCHEMA_VERSION,
    NotFoundError,
    Store,
    StoreError,
    default_path,
    sha256,
)

TEXT = builtin_path("logrolling").read_text(encoding="utf-8")


def edited(n: int) -> str:
    return TEXT.replace("title: Department A", f"title: Department A (edit {n})")


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "accord.db")


def test_round_trip(store: Store) -> None:
    saved, created = store.save_scenario(TEXT)
    assert created and (saved.name, saved.version) == ("logrolling", 1)
    assert saved.sha256 == sha256(TEXT)
    got = store.get_scenario("logrolling")
    assert got == saved and got.text == TEXT and got.format == "yaml"
    assert got.title.startswith("Logrolling")
    [summary] = store.list_scenarios()
    assert (summary.name, summary.latest_version) == ("logrolling", 1)


def test_versions_are_kept(store: Store) -> None:
    store.save_scenario(TEXT)
    assert store.save_scenario(TEXT)[1] is False  # identical text: no new version
    for n in (2, 3):
        saved, created = store.save_scenario(edited(n))
        assert created and saved.version == n
    assert [v.version for v in store.versions("logrolling")] == [1, 2, 3]
    assert store.get_scenario("logrolling", 1).text == TEXT
    assert store.get_scenario("logrolling", 2).text == edited(2)
    assert store.get_scenario("logrolling").version == 3
    assert store.list_scenarios()[0].latest_version == 3


def test_json_scenarios_and_formats(store: Store) -> None:
    import json

    import yaml

    text = json.dumps(yaml.safe_load(TEXT))
    saved, _ = store.save_scenario(text, "json")
    assert saved.format == "json" and store.get_scenario("logrolling").text == text
    with pytest.raises(InputError):
        store.save_scenario(TEXT, "xml")


def test_invalid_scenarios_are_not_stored(store: Store) -> None:
    with pytest.raises(InputError) as info:
        store.save_scenario(TEXT.replace("batna: 0", "batna: 2", 1))
    assert any(p.path == "actors[0].batna" for p in info.value.problems)
    with pytest.raises(InputError):
        store.save_scenario("accord: 1\nid: [broken\n")
    assert store.list_scenarios() == []


def test_failure_mid_save_leaves_nothing_half_written(store: Store,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    store.save_scenario(TEXT)

    def fail(conn, version):  # the scenario row is already updated when this runs
        raise RuntimeError("disk full")

    monkeypatch.setattr(store_module, "_insert_version", fail)
    with pytest.raises(RuntimeError, match="disk full"):
        store.save_scenario(edited(2))
    new = TEXT.replace("id: logrolling", "id: other")
    with pytest.raises(RuntimeError, match="disk full"):
        store.save_scenario(new)
    monkeypatch.undo()
    # the previous state, exactly: one scenario at version 1, no trace of the failures
    [only] = store.list_scenarios()
    assert (only.name, only.latest_version) == ("logrolling", 1)
    assert [v.version for v in store.versions("logrolling")] == [1]
    with pytest.raises(NotFoundError):
        store.get_scenario("other")
    # and the store still works
    assert store.save_scenario(edited(2))[0].version == 2


def test_runs_round_trip(store: Store) -> None:
    store.save_scenario(TEXT)
    params = {"protocol": "single-text", "rounds": 10, "parties": None}
    result = {"agreement": True, "gains": {"dept-a": 0.1, "dept-b": 1 / 3}, "trace": []}
    run = store.save_run("mediation", "saved", "logrolling", 1, sha256(TEXT), params, 5,
                         "0.1.0", result, label="first")
    got = store.get_run(run.id)
    assert got == run
    assert got.result == result and got.parameters == params and got.seed == 5
    assert got.to_dict()["scenario"] == {"source": "saved", "name": "logrolling",
                                         "version": 1, "sha256": sha256(TEXT)}
    builtin = store.save_run("analysis", "builtin", "logrolling", None, "abc", {}, None,
                             "0.1.0", {"x": 1})
    assert [r.id for r in store.list_runs()] == [builtin.id, run.id]
    assert store.list_runs()[0].result is None  # listed without results
    assert [r.id for r in store.list_runs("logrolling", limit=1)] == [builtin.id]
    with pytest.raises(NotFoundError):
        store.get_run(999)


def test_runs_must_point_at_a_stored_version(store: Store) -> None:
    with pytest.raises(NotFoundError):
        store.save_run("analysis", "saved", "ghost", 1, "x", {}, None, "0.1.0", {})
    with pytest.raises(InputError):
        store.save_run("poetry", "builtin", "logrolling", None, "x", {}, None, "0.1.0", {})
    with pytest.raises(sqlite3.IntegrityError):  # a built-in run has no version
        store.save_run("analysis", "builtin", "logrolling", 3, "x", {}, None, "0.1.0", {})
    assert store.list_runs() == []


def test_reopen_finds_the_data(tmp_path: Path) -> None:
    path = tmp_path / "accord.db"
    first = Store(path)
    first.save_scenario(TEXT)
    first.save_scenario(edited(2))
    run = first.save_run("forecast", "saved", "logrolling", 2, sha256(edited(2)),
                         {"model": "eu"}, 0, "0.1.0", {"forecast": {"equipment": 50.0}})
    del first
    again = Store(path)
    assert again.schema_version() == SCHEMA_VERSION
    assert [v.version for v in again.versions("logrolling")] == [1, 2]
    assert again.get_run(run.id).result == {"forecast": {"equipment": 50.0}}
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_concurrent_saves_get_distinct_versions(store: Store) -> None:
    errors: list[BaseException] = []

    def save(n: int) -> None:
        try:
            store.save_scenario(edited(n))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=save, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    versions = store.versions("logrolling")
    assert [v.version for v in versions] == [1, 2, 3, 4, 5, 6]
    assert sorted(v.text for v in versions) == sorted(edited(n) for n in range(6))


def test_refuses_files_it_must_not_touch(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match="not a usable Accord store"):
        Store(garbage)
    foreign = tmp_path / "foreign.db"
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE things (x)")
    with pytest.raises(StoreError, match="another program"):
        Store(foreign)
    newer = tmp_path / "newer.db"
    Store(newer)
    with sqlite3.connect(newer) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(StoreError, match="newer Accord"):
        Store(newer)


def test_damaged_text_is_detected(store: Store) -> None:
    store.save_scenario(TEXT)
    with sqlite3.connect(store.path) as conn:
        conn.execute("UPDATE scenario_versions SET text = 'tampered'")
    with pytest.raises(StoreError, match="checksum"):
        store.get_scenario("logrolling")


def test_default_path_uses_xdg_data_home(tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    path = default_path()
    assert path == tmp_path / "data" / "accord" / "accord.db"
    assert path.parent.is_dir()
    monkeypatch.delenv("XDG_DATA_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert default_path() == tmp_path / "home" / ".local" / "share" / "accord" / "accord.db"


def test_a_version_1_store_is_upgraded_with_its_runs(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "old.db"
    monkeypatch.setattr(store_module, "SCHEMA_VERSION", 1)
    old = Store(path)
    old.save_scenario(TEXT)
    first = old.save_run("mediation", "saved", "logrolling", 1, sha256(TEXT), {"rounds": 3},
                         1, "0.1.0", {"agreement": False})
    assert old.schema_version() == 1
    with pytest.raises(sqlite3.IntegrityError):  # version 1 knows no sweep runs
        old.save_run("sweep", "builtin", "ukraine-2023", None, "abc", {}, 0, "0.1.0", {})
    monkeypatch.undo()
    new = Store(path)
    assert new.schema_version() == SCHEMA_VERSION == 2
    assert new.get_run(first.id) == first
    sweep = new.save_run("sweep", "builtin", "ukraine-2023", None, "abc", {"samples": 5}, 0,
                         "0.1.0", {"zopa": {"probability": 0.0}})
    assert sweep.id == first.id + 1
    assert [r.id for r in new.list_runs()] == [sweep.id, first.id]
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
