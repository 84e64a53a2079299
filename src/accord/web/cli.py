"""`accord serve`: run the web app (FastAPI on uvicorn), on loopback unless told otherwise."""

from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from types import FrameType

    import uvicorn

    from .workers import WorkerPool

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


def _server(config: "uvicorn.Config", pool: "WorkerPool") -> "uvicorn.Server":
    """A uvicorn server that kills the workers as soon as it is told to stop (SIGTERM,
    Ctrl-C), so that requests still computing answer at once and shutdown does not wait for
    them."""
    import uvicorn

    class Server(uvicorn.Server):
        def handle_exit(self, sig: int, frame: "FrameType | None") -> None:
            pool.close(wait=0)  # only signals the processes; reaped at shutdown
            super().handle_exit(sig, frame)

    return Server(config)


def register(app: typer.Typer) -> None:
    """Add the `serve` command to the `accord` app."""
    # no `from __future__ import annotations` here: typer reads the annotations below
    from ..cli import guarded

    @app.command("serve")
    @guarded
    def serve_cmd(host: HostOpt = "127.0.0.1", port: PortOpt = 8000, db: DbOpt = None,
                  budget: BudgetOpt = None, workers: WorkersOpt = 2) -> None:
        """Run the web app: pick or edit a scenario, see its utility space, build proposals,
        run mediations and forecasts, and save scenarios and runs. Computations run in
        worker processes, each within the --budget."""
        import uvicorn

        from ..errors import InputError, Problem
        from ..store import StoreError, default_path
        from .app import create_app
        from .runner import budget_seconds
        from .workers import WorkerPool

        path = db if db is not None else str(default_path())
        # the Host header check guards a loopback server against DNS rebinding
        hosts = ["127.0.0.1", "localhost"] if host in ("127.0.0.1", "localhost") else None
        seconds = budget_seconds(budget)
        pool = WorkerPool(workers)
        try:
            web = create_app(path, allowed_hosts=hosts, budget=seconds, pool=pool)
        except StoreError as exc:
            raise InputError([Problem("--db", str(exc))]) from None
        shown = f"[{host}]" if ":" in host else host
        print(f"Accord web app on http://{shown}:{port}/  (data: {path}; budget {seconds:g} s "
              f"per computation, {workers} worker{'s' if workers > 1 else ''}; Ctrl+C stops it)",
              flush=True)
        try:
            _server(uvicorn.Config(web, host=host, port=port, log_level="warning"), pool).run()
        finally:
            pool.close()
