"""The FastAPI application: the /api routes, the page and its static files (plotly's
JavaScript comes from the installed plotly package, so the page works offline), strict
security headers, and the body limit."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import lru_cache
from importlib import resources
from pathlib import Path

from fastapi import FastAPI, Request, Response
from fastapi.responses import FileResponse
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .. import __version__
from ..store import Store, default_path
from . import errors, limits
from .hosts import HostCheck
from .routes import build_router
from .runner import Runner, budget_seconds
from .workers import WorkerPool

STATIC = Path(str(resources.files("accord.web").joinpath("static")))


_CSP = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; "
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
"""Content Security Policy of every response: nothing from outside the app, no inline
scripts. (Plotly sets inline styles on the elements it draws, hence 'unsafe-inline' for
styles only.)"""


def create_app(db_path: str | os.PathLike[str] | None = None,
               allowed_hosts: list[str] | None = None, *, budget: float | None = None,
               workers: int = 2, pool: WorkerPool | None = None,
               quick: WorkerPool | None = None) -> FastAPI:
    """The web app, storing saved scenarios and runs in the SQLite file `db_path` (default:
    `accord.store.default_path()`). `allowed_hosts` restricts the Host header to those names
    (`accord.web.hosts.LOOPBACK` stands for every loopback name; the `serve` command passes
    it when it binds to a loopback address, against DNS rebinding).

    Every computation runs in a worker process for at most `budget` seconds (default:
    $ACCORD_BUDGET, else 20; see `accord.web.runner`): in `pool` when given (the app starts
    its workers on startup and kills them on shutdown), else in the process's shared pool
    of `workers` workers (`accord.web.workers.shared_pool`, closed when Python exits).
    Validations and the utility cloud run in `quick` (the same rules; default: a shared
    pool of `limits.QUICK_WORKERS`)."""
    store = Store(db_path if db_path is not None else default_path())
    if pool is not None and quick is None:  # an app with its own pool owns both
        quick = WorkerPool(limits.QUICK_WORKERS, limits.QUICK_QUEUE)
    runner = Runner(budget_seconds(budget), pool, workers, quick)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        runner.pool.start()  # workers import the library before the first request
        runner.quick.start()
        try:
            yield
        finally:
            if runner.owns_pool:
                runner.pool.close()
                runner.quick.close()

    app = FastAPI(title="Accord", version=__version__,
                  description="Accord's JSON API: analyse scenarios, score deals, simulate "
                              "mediation, forecast, and keep scenarios and runs.",
                  docs_url=None, redoc_url=None, openapi_url="/openapi.json",
                  lifespan=lifespan)
    app.state.store = store
    app.state.runner = runner
    errors.install(app)
    app.include_router(build_router(store, runner))
    _static_routes(app)

    if allowed_hosts:  # inside SecurityHeaders, so that its refusals carry them too
        app.add_middleware(HostCheck, allowed=list(allowed_hosts))
    app.add_middleware(SecurityHeaders)
    app.add_middleware(errors.BodyLimit, limit=limits.MAX_BODY_BYTES)
    return app


class SecurityHeaders:
    """ASGI middleware: the strict headers of every response (CSP, nosniff, no referrer, no
    framing; no-store for the API). Plain ASGI rather than `BaseHTTPMiddleware`, which hides
    a client's disconnection from the routes (they poll it to stop their worker)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        api = str(scope.get("path", "")).startswith("/api/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                h = MutableHeaders(scope=message)
                h.setdefault("Content-Security-Policy", _CSP)
                h.setdefault("X-Content-Type-Options", "nosniff")
                h.setdefault("Referrer-Policy", "no-referrer")
                h.setdefault("X-Frame-Options", "DENY")
                if api and "cache-control" not in h:
                    h["Cache-Control"] = "no-store"
            await send(message)

        await self.app(scope, receive, send_with_headers)


@lru_cache(maxsize=1)
def plotly_js() -> bytes:
    """plotly.js from the installed plotly package (about 4.7 MB, read once)."""
    from plotly.offline import get_plotlyjs

    return get_plotlyjs().encode("utf-8")


def _static_routes(app: FastAPI) -> None:
    def static(name: str, media_type: str) -> FileResponse:
        return FileResponse(STATIC / name, media_type=media_type,
                            headers={"Cache-Control": "no-cache"})

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return static("index.html", "text/html; charset=utf-8")

    @app.get("/static/app.js", include_in_schema=False)
    def app_js() -> FileResponse:
        return static("app.js", "text/javascript; charset=utf-8")

    @app.get("/static/app.css", include_in_schema=False)
    def app_css() -> FileResponse:
        return static("app.css", "text/css; charset=utf-8")

    @app.get("/static/plotly.min.js", include_in_schema=False)
    def plotly(request: Request) -> Response:
        import plotly as _plotly

        etag = f'"plotly-{_plotly.__version__}"'
        headers = {"Cache-Control": "public, max-age=604800", "ETag": etag}
        if request.headers.get("if-none-match") == etag:
            return Response(status_code=304, headers=headers)
        return Response(plotly_js(), media_type="text/javascript; charset=utf-8",
                        headers=headers)

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        return Response(status_code=204)
