"""The web app never hangs: every computation runs in a worker process within the server's
budget, and is killed when the budget runs out, when its client goes away or when the server
stops; /api/info answers while workers compute.

No test asserts a duration: the heavy requests below take seconds to minutes on any machine
(hundreds of Pareto frontiers of a 5-party problem), far longer than the tiny budgets, and
the loops that wait for something to happen are bounded by generous deadlines."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

pytest.importorskip("fastapi")
pytest.importorskip("httpx")
with warnings.catch_warnings():  # starlette prefers httpx2 to the httpx this project pins
    warnings.filterwarnings("ignore", message="Using `httpx` with")
    from fastapi.testclient import TestClient  # noqa: E402

from accord.generate import random_scenario_data  # noqa: E402
from accord.web import create_app  # noqa: E402
from accord.web.compute import comparable  # noqa: E402
from accord.web.runner import budget_seconds  # noqa: E402
from accord.web.workers import WorkerPool  # noqa: E402

from .conftest import free_port  # noqa: E402

DEADLINE = 60.0
"""Seconds any bounded wait below gives up after (a sanity bound, never the point)."""


def scenario_text(parties: int, issues: int, options: int, uncertain: bool = False) -> str:
    """A random scenario as YAML; with `uncertain`, every actor's weight of issue i0 is
    uncertain, so that each draw of a sweep computes its own Pareto frontier."""
    data = random_scenario_data(parties, issues, options, seed=5)
    if uncertain:
        for actor in data["actors"]:
            actor["salience"]["i0"] = {"low": 0.05, "high": 1.0}
    return yaml.safe_dump(data, sort_keys=False)


MANY_PARTIES = {"scenario": {"text": scenario_text(8, 30, 5)}}
"""A scenario whose frontier merge is far beyond any budget: a mediation on it is refused
on the estimate."""
SWEEP = {"scenario": {"text": scenario_text(3, 10, 5, uncertain=True)}, "samples": 500}
"""Cheap to estimate (one small frontier) but 500 frontiers to compute: seconds of work."""
LONG_SWEEP = {"scenario": {"text": scenario_text(5, 8, 5, uncertain=True)}, "samples": 500}
"""500 frontiers of 5 parties: minutes of work, under an estimate of about a second."""


def wait_for(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + DEADLINE
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"gave up waiting for {what}")
        time.sleep(0.02)


def gone(pid: int) -> bool:
    """Whether process `pid` has exited (and was reaped, or is a zombie)."""
    try:
        import psutil
    except ImportError:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        return False
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def time_limit_error(response: Any) -> str:
    assert response.status_code == 422, response.text
    body = response.json()
    assert set(body) == {"errors"}, body
    [error] = body["errors"]
    assert error["path"] == "time_limit", error
    return error["message"]


@pytest.fixture
def pool() -> Iterator[WorkerPool]:
    p = WorkerPool(1)
    yield p
    p.close()


# -- in-process: TestClient --------------------------------------------------------------


def test_budget_comes_from_argument_environment_or_default(monkeypatch) -> None:
    monkeypatch.delenv("ACCORD_BUDGET", raising=False)
    assert budget_seconds() == 20.0
    monkeypatch.setenv("ACCORD_BUDGET", "7.5")
    assert budget_seconds() == 7.5
    assert budget_seconds(3) == 3.0
    for bad in (0, -1, "soon", float("nan")):
        with pytest.raises(Exception, match="--budget"):
            budget_seconds(bad)


def test_estimate_over_the_budget_is_refused_before_any_work(tmp_path: Path,
                                                             pool: WorkerPool) -> None:
    client = TestClient(create_app(tmp_path / "web.db", budget=0.05, pool=pool))
    # a mediation needs the frontier (an analysis is answered directly, without it)
    message = time_limit_error(client.post("/api/mediate",
                                           json={**MANY_PARTIES, "rounds": 10, "seed": 1}))
    assert "not started" in message and "fewer parties" in message
    assert pool.counts["jobs"] == 0
    assert pool.busy == 0


def test_out_of_budget_kills_the_worker(tmp_path: Path, pool: WorkerPool) -> None:
    client = TestClient(create_app(tmp_path / "web.db", budget=0.05, pool=pool))
    for url, body in (("/api/sweep", SWEEP), ("/api/runs", {**SWEEP, "kind": "sweep"})):
        message = time_limit_error(client.post(url, json=body))
        assert "0.05 s" in message and "fewer samples" in message
    assert pool.counts["timeouts"] == 2
    assert len(pool.killed) == 2 and all(gone(pid) for pid in pool.killed)
    assert pool.busy == 0
    assert client.get("/api/runs").json() == []  # nothing stored for a run out of time


def test_normal_requests_are_unchanged_and_reuse_their_worker(tmp_path: Path,
                                                              pool: WorkerPool) -> None:
    client = TestClient(create_app(tmp_path / "web.db", pool=pool))
    first = client.post("/api/analyze", json={"scenario": {"builtin": "logrolling"}})
    again = client.post("/api/analyze", json={"scenario": {"builtin": "logrolling"}})
    assert first.status_code == again.status_code == 200
    assert comparable(first.json()) == comparable(again.json())
    bad = client.post("/api/evaluate", json={"scenario": {"builtin": "logrolling"},
                                             "proposal": "nope"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["path"] == "proposal"
    assert pool.counts["started"] == 1 and pool.killed == []
    info = client.get("/api/info").json()["limits"]
    assert info["budget_seconds"] == 20.0 and info["workers"] == 1


def test_busy_server_answers_503(tmp_path: Path) -> None:
    pool = WorkerPool(1, queue=0)
    try:
        client = TestClient(create_app(tmp_path / "web.db", pool=pool))
        pool.close()  # a stopping server: nothing more is computed
        r = client.post("/api/analyze", json={"scenario": {"builtin": "logrolling"}})
        assert r.status_code == 503 and r.headers["retry-after"]
        assert "stopping" in r.json()["errors"][0]["message"]
    finally:
        pool.close()


# -- a real server -----------------------------------------------------------------------



class Served:
    """The app on uvicorn in a thread, with its own pool."""

    def __init__(self, tmp: Path, budget: float, workers: int = 2):
        import uvicorn

        self.pool = WorkerPool(workers)
        self.port = free_port()
        app = create_app(tmp / "web.db", budget=budget, pool=self.pool)
        self.quick = app.state.runner.quick
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port,
                                                    log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        wait_for(lambda: self.server.started or not self.thread.is_alive(), "uvicorn")
        assert self.server.started

    def connection(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=DEADLINE)

    def stop(self) -> None:
        self.pool.close()
        self.server.should_exit = True
        self.thread.join(DEADLINE)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    s = Served(tmp_path, budget=600)
    yield s
    s.stop()


def _started(fn: Callable[[], None], n: int) -> list[threading.Thread]:
    """`n` daemon threads running `fn`, started."""
    threads = [threading.Thread(target=fn, daemon=True) for _ in range(n)]
    for t in threads:
        t.start()
    return threads


def _post(conn: http.client.HTTPConnection, url: str, body: dict) -> None:
    conn.request("POST", url, body=json.dumps(body),
                 headers={"Content-Type": "application/json"})


def test_info_answers_while_workers_compute(served: Served) -> None:
    answers: dict[str, Any] = {}

    def heavy() -> None:
        conn = served.connection()
        _post(conn, "/api/sweep", LONG_SWEEP)
        answers["heavy"] = conn.getresponse().status

    threads = _started(heavy, 2)
    wait_for(lambda: served.pool.busy == 2, "both workers to compute")
    conn = served.connection()
    conn.request("GET", "/api/info")
    response = conn.getresponse()
    assert response.status == 200
    assert json.loads(response.read())["limits"]["budget_seconds"] == 600
    assert "heavy" not in answers and served.pool.busy == 2  # info did not wait for them
    served.pool.close()  # stop them: the heavy requests answer 503 at once
    for t in threads:
        t.join(DEADLINE)
    assert answers["heavy"] == 503


def test_client_disconnect_kills_its_worker(served: Served) -> None:
    conn = served.connection()
    _post(conn, "/api/sweep", LONG_SWEEP)
    wait_for(lambda: served.pool.busy == 1, "the worker to compute")
    [pid] = served.pool.pids()["busy"]
    conn.sock.shutdown(socket.SHUT_RDWR)
    conn.close()
    wait_for(lambda: served.pool.counts["cancelled"] == 1, "the request to be cancelled")
    wait_for(lambda: gone(pid), "the worker to exit")
    assert served.pool.busy == 0 and pid in served.pool.killed
    conn = served.connection()  # the server goes on, with a fresh worker
    _post(conn, "/api/analyze", {"scenario": {"builtin": "logrolling"}})
    assert conn.getresponse().status == 200


def test_serve_stops_promptly_on_sigterm_with_workers_computing(tmp_path: Path) -> None:
    psutil = pytest.importorskip("psutil")
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-c", "from accord.cli import main; main()", "serve", "--port",
         str(port), "--db", str(tmp_path / "web.db"), "--budget", "600", "--workers", "1"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert "Accord web app on" in (proc.stdout.readline() if proc.stdout else "")
        server = psutil.Process(proc.pid)

        def workers() -> list[Any]:  # not multiprocessing's resource tracker
            return [c for c in server.children() if "spawn_main" in " ".join(c.cmdline())]

        # one computing worker (--workers 1) and one for validations and the cloud
        wait_for(lambda: len(workers()) == 2, "the workers to start")
        started = workers()
        answer: dict[str, Any] = {}

        def heavy() -> None:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=DEADLINE)
            try:
                _post(conn, "/api/sweep", LONG_SWEEP)
                answer["status"] = conn.getresponse().status
            except OSError as exc:
                answer["status"] = exc

        thread = threading.Thread(target=heavy, daemon=True)
        thread.start()
        # a worker is computing once it has used a good deal more CPU than its start-up
        start = [sum(w.cpu_times()[:2]) for w in started]
        wait_for(lambda: any(sum(w.cpu_times()[:2]) > s + 1.0
                             for w, s in zip(started, start, strict=True)),
                 "the worker to compute")
        proc.send_signal(signal.SIGTERM)
        proc.wait(DEADLINE)  # far less than the minutes the sweep would take
        thread.join(DEADLINE)
        assert answer["status"] == 503
        assert all(gone(w.pid) for w in started)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def _slow_hostile_text() -> str:
    """A scenario of two actors scoring 5,000 options (a few tenths of a second to
    validate) with one number written as text (`step: 1e-300`, which once made validation
    run forever)."""
    n = 5_000
    opts = [f"o{i}" for i in range(n)]
    data = {"accord": 1, "id": "slow", "title": "Slow",
            "issues": [{"id": "y", "options": opts}, {"id": "x", "range": [0, 1], "step": 1}],
            "actors": [{"id": a, "preferences": {"y": {o: (i * k) % 101
                                                       for i, o in enumerate(opts)},
                                                 "x": {"ideal": 0.5}}}
                       for k, a in ((1, "p"), (3, "q"))]}
    return yaml.safe_dump(data, sort_keys=False).replace("step: 1\n", "step: 1e-300\n", 1)


def test_hostile_validations_never_hold_the_server(served: Served) -> None:
    """40 concurrent validations of a hostile text: each answers (the problem named, or 503
    while the validation worker and its queue are full), none holds one of the server's
    threads, and /api/info and an analysis answer while they are validated."""
    body = {"text": _slow_hostile_text(), "format": "yaml"}
    answers: list[tuple[int, dict]] = []

    def validate() -> None:
        conn = served.connection()
        _post(conn, "/api/validate", body)
        r = conn.getresponse()
        answers.append((r.status, json.loads(r.read())))

    threads = _started(validate, 40)
    wait_for(lambda: served.quick.busy == 1, "the validation worker to validate")
    conn = served.connection()
    conn.request("GET", "/api/info")
    assert conn.getresponse().status == 200
    assert served.quick.busy == 1  # info did not wait for a worker
    conn = served.connection()  # nor does a computation: it has workers of its own
    _post(conn, "/api/analyze", {"scenario": {"builtin": "logrolling"}})
    assert conn.getresponse().status == 200
    for t in threads:
        t.join(DEADLINE)
    assert len(answers) == 40
    assert {s for s, _ in answers} <= {200, 503}
    refused = [b for s, b in answers if s == 200]
    assert refused and all(not b["valid"] for b in refused)
    assert all(any("write 1.0e-300" in e["message"] for e in b["errors"]) for b in refused)
