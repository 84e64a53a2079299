"""`accord serve`: run the web app (FastAPI on uvicorn), on loopback unless told otherwise."""

from typing import Annotated

import typer

HostOpt = Annotated[str, typer.Option(
    "--host", help="Address to listen on. The default, 127.0.0.1, accepts only this machine; "
                   "anything else exposes your saved scenarios to the network.")]
PortOpt = Annotated[int, typer.Option("--port", min=1, max=65535, help="Port to listen on.")]
DbOpt = Annotated[str | None, typer.Option(
    "--db", help="SQLite file for saved scenarios and runs (default: "
                 "$XDG_DATA_HOME/accord/accord.db, else ~/.local/share/accord/accord.db).",
    metavar="PATH")]


def register(app: typer.Typer) -> None:
    """Add the `serve` command to the `accord` app."""
    # no `from __future__ import annotations` here: typer reads the annotations below
    from ..cli import guarded

    @app.command("serve")
    @guarded
    def serve_cmd(host: HostOpt = "127.0.0.1", port: PortOpt = 8000, db: DbOpt = None
                  ) -> None:
        """Run the web app: pick or edit a scenario, see its utility space, build proposals,
        run mediations and forecasts, and save scenarios and runs."""
        import uvicorn

        from ..errors import InputError, Problem
        from ..store import StoreError, default_path
        from .app import create_app

        path = db if db is not None else str(default_path())
        # the Host header check guards a loopback server against DNS rebinding
        hosts = ["127.0.0.1", "localhost"] if host in ("127.0.0.1", "localhost") else None
        try:
            web = create_app(path, allowed_hosts=hosts)
        except StoreError as exc:
            raise InputError([Problem("--db", str(exc))]) from None
        shown = f"[{host}]" if ":" in host else host
        print(f"Accord web app on http://{shown}:{port}/  (data: {path}; Ctrl+C stops it)")
        uvicorn.run(web, host=host, port=port, log_level="warning")
