"""`accord serve`: run the web app (FastAPI on uvicorn), on loopback unless told otherwise."""

import errno
import sys
from typing import TYPE_CHECKING, Annotated

import typer

from .common import guarded

if TYPE_CHECKING:
    from types import FrameType

    import uvicorn

    from ..web.workers import WorkerPool

HostOpt = Annotated[str, typer.Option(
    "--host", help="Address to listen on. The default, 127.0.0.1, accepts only this machine; "
                   "anything else exposes your saved scenarios to the network.")]
PortOpt = Annotated[int, typer.Option("--port", min=1, max=65535, help="Port to listen on.")]
DbOpt = Annotated[str | None, typer.Option(
    "--db", help="SQLite file for saved scenarios and runs (default: "
                 "$XDG_DATA_HOME/accord/accord.db, else ~/.local/share/accord/accord.db).",
    metavar="PATH")]
BudgetOpt = Annotated[float | None, typer.Option(
    "--budget", metavar="SECONDS",
    help="Seconds one computation may take; a request that needs more gets a 422 naming "
         "time_limit (default: $ACCORD_BUDGET, else 20).")]
WorkersOpt = Annotated[int, typer.Option(
    "--workers", min=1, max=64, help="Worker processes computing at once; more requests wait "
                                     "(a few), then get 503.")]


def _server(config: "uvicorn.Config", *pools: "WorkerPool") -> "uvicorn.Server":
    """A uvicorn server that kills the workers as soon as it is told to stop (SIGTERM,
    Ctrl-C), so that requests still computing answer at once and shutdown does not wait for
    them."""
    import uvicorn

    class Server(uvicorn.Server):
        def handle_exit(self, sig: int, frame: "FrameType | None") -> None:
            for pool in pools:
                pool.close(wait=0)  # only signals the processes; reaped at shutdown
            super().handle_exit(sig, frame)

    return Server(config)


def _check_port(host: str, port: int) -> None:
    """Refuse, before anything is printed, an address that cannot be listened on (a port in
    use, a host that is not an address of this machine): `InputError` naming the option."""
    import socket

    from ..errors import InputError, Problem

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM,
                                   flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise InputError([Problem("--host", f"'{host}' is not an address to listen on: "
                                            f"{exc.strerror}")]) from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does
        try:
            probe.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise InputError([Problem("--port", f"port {port} is already in use on "
                                                    f"{host}: stop what uses it, or give "
                                                    "another --port")]) from None
            raise InputError([Problem("--host", f"cannot listen on {host}:{port}: "
                                                f"{exc.strerror}")]) from None


def serve_cmd(host: HostOpt = "127.0.0.1", port: PortOpt = 8000, db: DbOpt = None,
              budget: BudgetOpt = None, workers: WorkersOpt = 2) -> None:
    """Run the web app: pick or edit a scenario, see its utility space, build proposals,
    run mediations and forecasts, and save scenarios and runs. Computations run in
    worker processes, each within the --budget."""
    import uvicorn

    from ..errors import InputError, Problem
    from ..store import StoreError, default_path
    from ..web import limits
    from ..web.app import create_app
    from ..web.hosts import LOOPBACK, is_loopback
    from ..web.runner import budget_seconds
    from ..web.workers import WorkerPool

    path = db if db is not None else str(default_path())
    # the Host header check guards a loopback server against DNS rebinding
    loopback = is_loopback(host)
    hosts = [LOOPBACK] if loopback else None
    seconds = budget_seconds(budget)
    _check_port(host, port)
    pool = WorkerPool(workers)
    quick = WorkerPool(limits.QUICK_WORKERS, limits.QUICK_QUEUE)
    try:
        web = create_app(path, allowed_hosts=hosts, budget=seconds, pool=pool,
                         quick=quick)
    except StoreError as exc:
        raise InputError([Problem("--db", str(exc))]) from None
    shown = f"[{host}]" if ":" in host else host
    if not loopback:
        print(f"warning: listening on {host}, not on a loopback address: anyone who can "
              "reach this machine can use the app, which has no authentication, and "
              "read and change your saved scenarios", file=sys.stderr, flush=True)
    print(f"Accord web app on http://{shown}:{port}/  (data: {path}; budget {seconds:g} s "
          f"per computation, {workers} worker{'s' if workers > 1 else ''}; Ctrl+C stops it)",
          flush=True)
    try:
        _server(uvicorn.Config(web, host=host, port=port, log_level="warning"), pool,
                quick).run()
    finally:
        pool.close()
        quick.close()


def register(app: typer.Typer) -> None:
    """Add the `serve` command to the `accord` app."""
    app.command("serve")(guarded(serve_cmd))
