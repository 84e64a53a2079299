"""Hostile input: files and parameters that once hung, crashed or replaced what was not
Accord's (see issue 12). Every case here must end with exit 2 and a message naming the
file, the field and the problem (never a traceback, never a hang), and no write may
replace a device, a FIFO or a link.

The corpus is generated: each case is a scenario text (or a special file) with the words
its message must contain, run through every command that reads a scenario."""

from __future__ import annotations

import json
import os
import re
import socket
import stat
import warnings
from fractions import Fraction
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from accord import io
from accord.cli import app
from accord.web import create_app
from accord.web.hosts import LOOPBACK, host_allowed

from .conftest import free_port

with warnings.catch_warnings():  # starlette prefers httpx2 to the httpx this project pins
    warnings.filterwarnings("ignore", message="Using `httpx` with")
    from fastapi.testclient import TestClient

runner = CliRunner()

BASE = {
    "accord": 1, "id": "h", "title": "Hostile",
    "issues": [{"id": "x", "range": [0, 10], "step": 1},
               {"id": "y", "options": ["a", "b"]}],
    "actors": [{"id": "p", "batna": 0.2, "preferences": {"x": {"ideal": 2},
                                                         "y": {"a": 100, "b": 0}}},
               {"id": "q", "batna": 0.2, "preferences": {"x": {"ideal": 8},
                                                         "y": {"a": 0, "b": 100}}}],
}


def _yaml(**changes: str) -> str:
    """BASE as YAML with lines replaced: {"step: 1": "step: 1e-300"}."""
    text = yaml.safe_dump(BASE, sort_keys=False)
    for old, new in changes.items():
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


DIGITS = "9" * 5000

# (name, suffix, text, words the message must hold)
CASES = [
    ("exponent-as-text", ".yaml", _yaml(**{"step: 1": "step: 1e-300"}),
     ["issues[0].step", "YAML reads a number with an exponent as text", "write 1.0e-300"]),
    ("exponent-without-sign", ".yaml", _yaml(**{"- 10\n": "- 1.0e5\n"}),
     ["issues[0].range[1]", "sign in the exponent", "write 1.0e+5"]),
    ("quoted-number", ".yaml", _yaml(**{"step: 1": "step: '0.0001'"}),
     ["issues[0].step", "expected a number", "without quotes"]),
    ("range-as-text", ".yaml", _yaml(**{"- 10\n": "- '1e308'\n"}),
     ["issues[0].range", "expected a number"]),
    ("range-too-wide", ".yaml",
     _yaml(**{"- 0\n": "- -1.0e+308\n", "- 10\n": "- 1.0e+308\n"}),
     ["issues[0].range", "too wide"]),
    ("grid-too-fine", ".yaml",
     _yaml(**{"- 10\n": "- 1.0e+308\n", "step: 1": "step: 1.0e-300"}),
     ["issues[0].step", "grid values"]),
    ("boolean-number", ".yaml", _yaml(**{"batna: 0.2": "batna: yes"}),
     ["actors[0].batna", "expected a number", "boolean"]),
    ("huge-integer", ".yaml", _yaml(**{"batna: 0.2": "batna: " + "9" * 400}),
     ["actors[0].batna", "too large"]),
    ("integer-digit-limit-yaml", ".yaml", _yaml(**{"batna: 0.2": "batna: " + DIGITS}),
     ["4,300 digits"]),
    ("integer-digit-limit-json", ".json", json.dumps(BASE).replace('"batna": 0.2',
                                                                   '"batna": ' + DIGITS, 1),
     ["4,300 digits"]),
    ("deep-json", ".json", "[" * 100_000 + "]" * 100_000, ["nested too deeply"]),
    ("duplicate-key-yaml", ".yaml", "accord: 1\nid: a\nid: b\ntitle: T\n",
     ["line 3, column 1", "'id' is written twice", "also at line 2"]),
    ("duplicate-key-json", ".json",
     json.dumps(BASE).replace('"id": "p"', '"id": "p", "id": "r"', 1),
     ["actors[0]", "'id' is written twice"]),
    ("not-a-number-json", ".json", json.dumps(BASE).replace('"batna": 0.2', '"batna": NaN', 1),
     ["actors[0].batna", "finite"]),
]

COMMANDS = [["validate"], ["analyze"], ["report", "-o", "{out}"], ["sweep", "-n", "5"],
            ["mediate"]]


def _run(args: list[str]):
    result = runner.invoke(app, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        result.exception
    return result


@pytest.mark.parametrize(("name", "suffix", "text", "words"), CASES,
                         ids=[c[0] for c in CASES])
@pytest.mark.parametrize("command", COMMANDS, ids=[c[0] for c in COMMANDS])
def test_hostile_file_is_refused_by_every_command(tmp_path: Path, name: str, suffix: str,
                                                  text: str, words: list[str],
                                                  command: list[str]) -> None:
    path = tmp_path / f"{name}{suffix}"
    path.write_text(text, encoding="utf-8")
    out = tmp_path / "out.html"
    args = [a.format(out=out) for a in command] + [str(path)]
    result = _run(args)
    assert result.exit_code == 2, result.output
    assert str(path) in result.output
    for w in words:
        assert w in result.output, (w, result.output)
    assert "Traceback" not in result.output
    assert not out.exists()


def _special(tmp_path: Path, kind: str) -> Path:
    path = tmp_path / f"{kind}.yaml"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "device-link":
        path.symlink_to("/dev/zero")
    return path


@pytest.mark.skipif(not hasattr(os, "mkfifo") or not Path("/dev/zero").exists(),
                    reason="needs a POSIX system")
@pytest.mark.parametrize("kind", ["fifo", "device-link"])
@pytest.mark.parametrize("command", [*COMMANDS, ["show"]], ids=lambda c: c[0])
def test_devices_and_fifos_are_not_read(tmp_path: Path, kind: str, command: list[str]
                                        ) -> None:
    """Reading /dev/zero or a FIFO would never end: they are refused before any read."""
    path = _special(tmp_path, kind)
    out = tmp_path / "out.html"
    result = _run([*(a.format(out=out) for a in command), str(path)])
    assert result.exit_code == 2
    assert f"{path}: is not a regular file" in result.output
    assert not out.exists()


def test_a_file_above_the_size_cap_is_refused_before_reading(tmp_path: Path,
                                                             monkeypatch) -> None:
    path = tmp_path / "big.yaml"
    path.write_text(_yaml(), encoding="utf-8")
    monkeypatch.setattr(io, "MAX_FILE_BYTES", 100)
    result = _run(["validate", str(path)])
    assert result.exit_code == 2
    assert f"{path}: is {path.stat().st_size:,} bytes; a scenario file may have at most 100" \
        in result.output


def test_merge_keys_may_override_without_a_duplicate_error() -> None:
    """`<<: *anchor` brings keys in that the mapping may set again: not a duplicate."""
    data = io.parse_text("base: &b {x: 1, y: 2}\nother:\n  <<: *b\n  y: 3\n", "m.yaml")
    assert data["other"] == {"x": 1, "y": 3}


# -- parameters that would put NaN or Infinity into JSON --------------------------------------

@pytest.mark.parametrize("args", [
    ["mediate", "logrolling", "--protocol", "mediator", "--sigma", "inf", "--json"],
    ["mediate", "logrolling", "--protocol", "mediator", "--sigma", "nan", "--json"],
    ["mediate", "logrolling", "--protocol", "mediator", "--interest", "inf", "--json"],
    ["mediate", "logrolling", "--protocol", "alternating", "--discount", "inf", "--json"],
    ["mediate", "logrolling", "--protocol", "mediator", "--bias", "a=nan", "--json"],
    ["analyze", "logrolling", "--nash-weights", "a=inf", "--json"],
    ["trust", "--noise", "nan", "--json"],
    ["game", "prisoners-dilemma", "--tol", "inf", "--json"],
], ids=lambda a: " ".join(a[:1] + a[-3:-1]))
def test_non_finite_parameters_are_refused(args: list[str]) -> None:
    result = _run(args)
    assert result.exit_code == 2, result.output
    assert "finite" in result.output
    assert "Infinity" not in result.stdout and "NaN" not in result.stdout


def test_json_output_is_strict() -> None:
    """`--json` never prints NaN or Infinity: the encoder refuses them."""
    from accord.cli.common import emit_json as _emit_json

    with pytest.raises(ValueError):
        _emit_json({"x": float("inf")})


# -- writes -----------------------------------------------------------------------------------

def test_report_never_replaces_a_device(tmp_path: Path) -> None:
    before = os.stat("/dev/null")
    result = _run(["report", "logrolling", "-o", "/dev/null", "--force"])
    assert result.exit_code == 2
    assert "/dev/null: is not a regular file" in result.output
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and after.st_ino == before.st_ino


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs a POSIX system")
def test_report_never_replaces_a_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "r.html"
    os.mkfifo(fifo)
    result = _run(["report", "logrolling", "-o", str(fifo), "--force"])
    assert result.exit_code == 2
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_a_link_is_written_through_with_force_and_kept(tmp_path: Path) -> None:
    real = tmp_path / "real.html"
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "link.html"
    link.symlink_to(real)
    refused = _run(["report", "logrolling", "-o", str(link)])
    assert refused.exit_code == 2
    assert f"a link to {real}" in refused.output
    assert real.read_text(encoding="utf-8") == "old"
    done = _run(["report", "logrolling", "-o", str(link), "--force"])
    assert done.exit_code == 0, done.output
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_sweep_file_through_a_link(tmp_path: Path) -> None:
    real = tmp_path / "draws.csv"
    real.write_text("old\n", encoding="utf-8")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    done = _run(["sweep", "ukraine-2023", "-n", "4", "--no-sensitivity", "-o",
                 str(link), "--force"])
    assert done.exit_code == 0, done.output
    assert link.is_symlink()
    assert len(real.read_text(encoding="utf-8").splitlines()) == 5  # header + 4 draws


@pytest.mark.parametrize("mask", [0o022, 0o027, 0o077])
def test_new_files_follow_the_umask(tmp_path: Path, mask: int) -> None:
    old = os.umask(mask)
    try:
        io.write_atomic(tmp_path / "r.txt", "x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "r.txt").stat().st_mode) == 0o666 & ~mask


def test_a_replaced_file_keeps_its_permissions(tmp_path: Path) -> None:
    path = tmp_path / "r.txt"
    path.write_text("old", encoding="utf-8")
    path.chmod(0o640)
    io.write_atomic(path, "new", overwrite=True)
    assert path.read_text(encoding="utf-8") == "new"
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def test_an_unwritable_place_is_exit_2_naming_the_path(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    target = folder / "r.html"
    try:
        result = _run(["report", "logrolling", "-o", str(target)])
    finally:
        folder.chmod(0o700)
    if os.geteuid() == 0:  # root writes anywhere; the path is then simply written
        assert result.exit_code == 0
    else:
        assert result.exit_code == 2
        assert f"{target}: cannot be written" in result.output


# -- the web app --------------------------------------------------------------------------------

@pytest.fixture
def client(tmp_path: Path):
    with TestClient(create_app(tmp_path / "web.db")) as c:
        yield c


@pytest.mark.parametrize(("name", "suffix", "text", "words"), CASES,
                         ids=[c[0] for c in CASES])
def test_hostile_text_in_validate_is_a_clear_answer(client, name: str, suffix: str,
                                                    text: str, words: list[str]) -> None:
    """The page validates on every edit: a hostile text is an answer naming the field,
    never a 500 and never a hang (the text is validated in a worker, within a budget)."""
    fmt = "json" if suffix == ".json" else "yaml"
    r = client.post("/api/validate", json={"text": text, "format": fmt})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["valid"] is False
    found = " ".join(f"{e['path']}: {e['message']}" for e in body["errors"])
    for w in words:
        assert w in found, (w, found)


def test_non_finite_numbers_in_a_request_are_refused(client) -> None:
    body = ('{"scenario": {"builtin": "logrolling"}, "protocol": "mediator", '
            '"sigma": Infinity}')
    r = client.post("/api/mediate", content=body,
                    headers={"content-type": "application/json"})
    assert r.status_code == 422
    assert r.json()["errors"][0]["path"] == "sigma"


@pytest.mark.parametrize(("header", "allowed"), [
    ("127.0.0.1:8000", True), ("127.0.0.5", True), ("localhost:8000", True),
    ("LOCALHOST", True), ("[::1]:8000", True), ("[::1]", True),
    ("evil.example", False), ("evil.example:8000", False), ("127.0.0.1.evil.example", False),
    ("[::2]:80", False), ("10.0.0.1", False), ("", False),
])
def test_loopback_host_check(header: str, allowed: bool) -> None:
    assert host_allowed(header, [LOOPBACK]) is allowed


def test_a_bad_host_gets_the_json_error_shape(tmp_path: Path) -> None:
    web = create_app(tmp_path / "h.db", allowed_hosts=[LOOPBACK])
    for base in ("http://[::1]:8000", "http://127.0.0.2:8000", "http://localhost"):
        assert TestClient(web, base_url=base).get("/api/info").status_code == 200
    r = TestClient(web, base_url="http://evil.example:8000").get("/api/info")
    assert r.status_code == 400
    assert r.headers["content-type"] == "application/json"
    [e] = r.json()["errors"]
    assert e["path"] == "host" and "evil.example" in e["message"]
    assert r.headers["x-content-type-options"] == "nosniff"  # the security headers too


def test_serve_refuses_a_port_in_use_before_its_banner(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = _run(["serve", "--port", str(port), "--db", str(tmp_path / "s.db")])
    assert result.exit_code == 2
    assert f"--port: port {port} is already in use" in result.output
    assert "Accord web app on" not in result.output


def test_serve_warns_when_not_on_loopback(tmp_path: Path, monkeypatch) -> None:
    from accord.cli import serve as web_cli

    seen = {}

    class Stub:
        def run(self) -> None:
            seen["ran"] = True

    def server(config, *pools):
        seen["hosts"] = config.app.user_middleware
        return Stub()

    monkeypatch.setattr(web_cli, "_server", server)
    port = free_port()
    result = _run(["serve", "--host", "0.0.0.0", "--port", str(port), "--db",
                   str(tmp_path / "s.db")])
    assert result.exit_code == 0, result.output
    assert "warning: listening on 0.0.0.0" in result.output
    assert "no authentication" in result.output
    assert seen["ran"]
    loopback = _run(["serve", "--host", "::1", "--port", str(port), "--db",
                     str(tmp_path / "s.db")]) if _has_ipv6() else None
    if loopback is not None:
        assert loopback.exit_code == 0, loopback.output
        assert "warning" not in loopback.output
        assert any(m.cls.__name__ == "HostCheck" for m in seen["hosts"])



def _has_ipv6() -> bool:
    try:
        with socket.socket(socket.AF_INET6) as s:
            s.bind(("::1", 0))
    except OSError:
        return False
    return True


# -- fuzz: valid scenarios with one value replaced ----------------------------------------------

_HOSTILE_VALUES = st.one_of(
    st.sampled_from(["1e-300", "0.0001", "1e308", "-0", "nan", "", "yes", "1_000", "0x10",
                     "∞", "1e-300e5", "00012", "   7  "]),
    st.sampled_from([None, True, False, [], {}, 0, -1, 10**400, 1e308, -1e308, 1e-308,
                     float("inf"), float("nan"), 2**63, 0.1 + 0.2]),
    st.integers(), st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=20),
    st.lists(st.integers(-5, 5), max_size=3),
    st.dictionaries(st.sampled_from(["a", "id", "ideal", "low", "high"]),
                    st.integers(-5, 200), max_size=2),
)


def _paths(node, path=()):
    yield path
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, (*path, k))
    elif isinstance(node, list):
        for j, v in enumerate(node):
            yield from _paths(v, (*path, j))


def _replace(node, path, value):
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(node, dict):
        return {k: (_replace(v, rest, value) if k == head else v) for k, v in node.items()}
    return [(_replace(v, rest, value) if j == head else v) for j, v in enumerate(node)]


_FUZZ_BASE = {sid: io.safe_load(io.builtin_path(sid).read_text(encoding="utf-8"))
              for sid in ("logrolling", "camp-david-1978")}


@given(st.sampled_from(sorted(_FUZZ_BASE)), st.data(), _HOSTILE_VALUES,
       st.sampled_from(["yaml", "json"]))
@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
def test_fuzzed_scenarios_end_in_exit_0_or_2(tmp_path_factory, sid, data, value, fmt):
    """A built-in scenario with one value (anywhere) replaced by a hostile one: `validate`
    and `analyze` end with exit 0 or 2 and never a traceback; `analyze` runs under a
    generous --time-limit, so a hang would show as exit 2, not as a stuck test."""
    base = _FUZZ_BASE[sid]
    path = data.draw(st.sampled_from(list(_paths(base))))
    mutated = _replace(base, path, value)
    folder = tmp_path_factory.mktemp("fuzz")
    target = folder / f"s.{fmt}"
    if fmt == "json":
        target.write_text(json.dumps(mutated, default=str), encoding="utf-8")
    else:
        target.write_text(yaml.safe_dump(mutated, allow_unicode=True), encoding="utf-8")
    for args in (["validate", str(target)],
                 ["analyze", str(target), "--json", "--time-limit", "60"]):
        result = _run(args)
        assert result.exit_code in (0, 2), (args, path, value, result.output)
        assert "Traceback" not in result.output and "internal error" not in result.output
        if result.exit_code == 2:
            assert result.output.strip(), (path, value)


def test_a_large_legal_file_is_validated_and_its_one_error_found(tmp_path: Path) -> None:
    """50,000 options with two full score tables (1.7 MB): every check is linear in the
    file (an option list searched per score made this quadratic: minutes at 100,000)."""
    n = 50_000
    opts = [f"o{i}" for i in range(n)]
    data = {**BASE, "issues": [{"id": "y", "options": opts}]}
    data["actors"] = [
        {"id": "p", "preferences": {"y": {o: i % 101 for i, o in enumerate(opts)}}},
        {"id": "q", "preferences": {"y": {o: 100 - i % 101 for i, o in enumerate(opts)}}}]
    path = tmp_path / "large.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    ok = _run(["validate", str(path)])
    assert ok.exit_code == 0, ok.output
    del data["actors"][1]["preferences"]["y"][f"o{n - 7}"]
    path.write_text(json.dumps(data), encoding="utf-8")
    bad = _run(["validate", str(path)])
    assert bad.exit_code == 2
    assert f"actors[1].preferences.y: no score for option(s) 'o{n - 7}'" in bad.output


@pytest.mark.parametrize(("value", "expected"), [
    (3, Fraction(3)), (0.1, Fraction(1, 10)), ("1/3", Fraction(1, 3)),
    (" 2.5e-3 ", Fraction(1, 400)), ("1e-400", Fraction(1, 10**400)), (-7, Fraction(-7)),
    ("1e-401", None), ("1e-100000000", None), (10**400, None), ("9" * 401, None),
    (True, None), ("abc", None), ("1/0", None), (float("inf"), None), (float("nan"), None),
    (None, None), ([1], None), ("0x10", None), ("1_000", None),
])
def test_exact_number(value, expected) -> None:
    """Exact numbers of the games files: decimals and fractions as written; what a float
    cannot hold, or what would take long to expand (10**100000000), is not a number."""
    from accord.numeric import exact_number

    assert exact_number(value) == expected


@pytest.mark.parametrize("value", ["9" * 400, "'1e-100000000'", "'1/0'", ".inf", "yes"])
def test_hostile_numbers_in_a_game_file(tmp_path: Path, value: str) -> None:
    path = tmp_path / "g.yaml"
    path.write_text("title: S\nplayers:\n  K: [w, h]\n  M: [w, h]\nmatrices:\n"
                    f"  K: [[{value}, 1], [4, 2]]\n  M: [[3, 4], [1, 2]]\n", encoding="utf-8")
    result = _run(["game", str(path), "--json"])
    assert result.exit_code == 2, result.output
    assert f"{path}: matrices.K[0][0]:" in result.output


def test_the_digit_limit_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "d.yaml"
    path.write_text(_yaml(**{"batna: 0.2": "batna: " + DIGITS}), encoding="utf-8")
    line = next(n for n, t in enumerate(path.read_text().splitlines(), 1) if DIGITS in t)
    result = _run(["validate", str(path)])
    assert result.exit_code == 2
    assert f"{path}: line {line}, column " in result.output


@pytest.mark.parametrize(("url", "body"), [
    ("/api/saved/scenarios", lambda text: {"text": text}),
    ("/api/analyze", lambda text: {"scenario": {"text": text}}),
    ("/api/deals", lambda text: {"scenario": {"text": text}}),
    ("/api/runs", lambda text: {"kind": "analysis", "scenario": {"text": text}}),
])
def test_hostile_text_is_refused_before_a_server_thread_reads_it(client, url, body) -> None:
    """Every route that takes a scenario as text has it validated in the validation worker
    first: the problem comes back with its field and line, nothing is stored."""
    text = _yaml(**{"step: 1": "step: 1e-300"})
    r = client.post(url, json=body(text))
    assert r.status_code == 422, r.text
    [e] = r.json()["errors"]
    assert e["path"] == "issues[0].step" and "write 1.0e-300" in e["message"]
    assert e["line"] == next(n for n, t in enumerate(text.splitlines(), 1) if "1e-300" in t)
    assert client.get("/api/saved/scenarios").json() == []


@pytest.mark.parametrize(("value", "words"), [
    ("1e-300", "write 1.0e-300"), ("-2E5", "write -2.0E+5"), ("1.0e308", "write 1.0e+308"),
    ("0.5", "write it without quotes"), ("nan", "expected a finite number"),
    ("abc", "expected a number, got the text 'abc'"), (True, "(YAML reads yes/no"),
    (10**400, "with 401 digits is too large"),
])
def test_what_stands_in_a_number_place_is_named_with_the_fix(value, words) -> None:
    from accord.numeric import written_number

    with pytest.raises(ValueError, match=re.escape(words)):
        written_number(value)


@pytest.mark.parametrize("value", [3, 0.25, -1e-300, 2**1000])
def test_numbers_pass_as_they_are(value) -> None:
    from accord.numeric import written_number

    assert written_number(value) is value
