"""The FastAPI application: the /api routes, the page and its static files (plotly's
JavaScript comes from the installed plotly package, so the page works offline), strict
security headers, and the body limit."""

from __future__ import annotations

import os
from functools import lru_cache
from importlib import resources
from pathlib import Path

from fastapi import FastAPI, Request, Response
from fastapi.responses import FileResponse
from starlette.middleware.trustedhost import TrustedHostMiddleware

from .. import __version__
from ..store import Store, default_path
from . import errors, limits
from .routes import build_router

STATIC = Path(str(resources.files("accord.web").joinpath("static")))


_CSP = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; "
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
"""Content Security Policy of every response: nothing from outside the app, no inline
scripts. (Plotly sets inline styles on the elements it draws, hence 'unsafe-inline' for
styles only.)"""


def create_app(db_path: str | os.PathLike[str] | None = None,
               allowed_hosts: list[str] | None = None) -> FastAPI:
    """The web app, storing saved scenarios and runs in the SQLite file `db_path` (default:
    `accord.store.default_path()`). `allowed_hosts` restricts the Host header (the `serve`
    command passes the loopback names when it binds to loopback, against DNS rebinding)."""
    store = Store(db_path if db_path is not None else default_path())
    app = FastAPI(title="Accord", version=__version__,
                  description="Accord's JSON API: analyse scenarios, score deals, simulate "
                              "mediation, forecast, and keep scenarios and runs.",
                  docs_url=None, redoc_url=None, openapi_url="/openapi.json")
    app.state.store = store
    errors.install(app)
    app.include_router(build_router(store))
    _static_routes(app)

    @app.middleware("http")
    async def _headers(request: Request, call_next):  # type: ignore[no-untyped-def]
        response = await call_next(request)
        h = response.headers
        h.setdefault("Content-Security-Policy", _CSP)
        h.setdefault("X-Content-Type-Options", "nosniff")
        h.setdefault("Referrer-Policy", "no-referrer")
        h.setdefault("X-Frame-Options", "DENY")
        if request.url.path.startswith("/api/") and "cache-control" not in h:
            h["Cache-Control"] = "no-store"
        return response

    if allowed_hosts:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts))
    app.add_middleware(errors.BodyLimit, limit=limits.MAX_BODY_BYTES)
    return app


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
