"""The web app of `accord serve`: a JSON API under /api and one page that uses only it.

`create_app(db_path)` builds the FastAPI application. FastAPI is imported only when the
app is built, so importing this package (as `accord --help` does) stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fastapi import FastAPI

__all__ = ["create_app"]


def create_app(*args: Any, **kwargs: Any) -> FastAPI:
    """Build the app (see `accord.web.app.create_app`)."""
    from .app import create_app as build

    return build(*args, **kwargs)
