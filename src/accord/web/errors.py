"""Errors as JSON: every failure is `{"errors": [{"path", "message", ...}]}` with a 4xx
status naming the field at fault, and request bodies over the limit are refused with 413
before anything reads them."""

from __future__ import annotations

import json
import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..errors import InputError, Problem
from ..store import NotFoundError, StoreError
from .scenarios import ScenarioError
from .workers import JobCancelled, ServerBusy, WorkerFailed

log = logging.getLogger("accord.web")

# A discriminated union puts the tag of the branch it chose into an error's location, right
# after the field (scenario.builtin.builtin) or first for a union body (mediation.rounds).
_REF_TAGS = {"builtin", "saved", "text"}
_RUN_TAGS = {"analysis", "mediation", "forecast", "sweep"}
_PLACES = ("body", "query", "path", "header", "cookie")


def errors(status: int, items: list[dict[str, Any]]) -> JSONResponse:
    return JSONResponse({"errors": items}, status_code=status)


def problem_items(problems: list[Problem], lines: list[int | None] | None = None
                  ) -> list[dict[str, Any]]:
    """Problems as JSON items; a problem inside the scenario keeps `file: "scenario"` and,
    when known, the `line` of the text it points at."""
    out = []
    for k, p in enumerate(problems):
        item: dict[str, Any] = {"path": p.path, "message": p.message}
        if p.file:
            item["file"] = p.file
        if lines is not None and lines[k] is not None:
            item["line"] = lines[k]
        out.append(item)
    return out


def _loc_path(loc: tuple[Any, ...]) -> str:
    """A pydantic error location as a field path: ("body", "scenario", "text", "text") ->
    "scenario.text", ("body", "deal", 0) -> "deal[0]"."""
    parts = list(loc)
    if parts and parts[0] in _PLACES:
        parts = parts[1:]
    if parts and parts[0] in _RUN_TAGS:
        parts = parts[1:]
    out = ""
    previous = None
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part == "[key]":
            out += " (key)"
        elif not (previous == "scenario" and part in _REF_TAGS):
            out += ("." if out else "") + str(part)
        previous = part
    return out


def validation_items(exc: RequestValidationError) -> list[dict[str, Any]]:
    items = []
    for e in exc.errors():
        path = _loc_path(tuple(e.get("loc", ())))
        message = str(e.get("msg", "invalid"))
        if e.get("type") == "json_invalid":
            path, message = "body", "the body is not valid JSON"
        elif e.get("type") == "union_tag_invalid":
            path = ".".join(x for x in (path, "kind") if x)
        items.append({"path": path or "body", "message": message})
    # a discriminated union may report one problem once per branch: keep each once
    seen: set[tuple[str, str]] = set()
    unique = []
    for item in items:
        key = (item["path"], item["message"])
        if key not in seen:
            seen.add(key)
            unique.append(item)
    return unique


def install(app: FastAPI) -> None:
    """Register the JSON error handlers on `app`."""

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        return errors(422, validation_items(exc))

    @app.exception_handler(ScenarioError)
    async def _scenario(request: Request, exc: ScenarioError) -> JSONResponse:
        return errors(422, problem_items(exc.problems, exc.lines))

    @app.exception_handler(InputError)
    async def _input(request: Request, exc: InputError) -> JSONResponse:
        return errors(422, problem_items(exc.problems))

    @app.exception_handler(NotFoundError)
    async def _missing(request: Request, exc: NotFoundError) -> JSONResponse:
        return errors(404, [{"path": exc.path, "message": exc.message}])

    @app.exception_handler(StoreError)
    async def _store(request: Request, exc: StoreError) -> JSONResponse:
        log.error("store error: %s", exc)
        return errors(503, [{"path": "", "message": str(exc)}])

    @app.exception_handler(ServerBusy)
    async def _busy(request: Request, exc: ServerBusy) -> JSONResponse:
        response = errors(503, [{"path": "", "message": exc.message}])
        response.headers["Retry-After"] = str(exc.retry_after)
        return response

    @app.exception_handler(JobCancelled)
    async def _gone(request: Request, exc: JobCancelled) -> JSONResponse:
        # nobody reads it: the client closed the connection (nginx's "client closed request")
        return errors(499, [{"path": "", "message": "the client went away; the computation "
                                                    "was stopped"}])

    @app.exception_handler(WorkerFailed)
    async def _worker(request: Request, exc: WorkerFailed) -> JSONResponse:
        log.error("worker failed on %s %s: %s", request.method, request.url.path, exc)
        return errors(500, [{"path": "", "message": "internal error in the computation "
                                                    "(please report it)"}])

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException) -> JSONResponse:
        message = exc.detail if isinstance(exc.detail, str) else json.dumps(exc.detail)
        if exc.status_code == 400 and message == "There was an error parsing the body":
            # FastAPI's answer to a body it cannot decode (not UTF-8, a broken form)
            return errors(422, [{"path": "body", "message": "the body is not valid JSON"}])
        response = errors(exc.status_code, [{"path": "", "message": message}])
        for k, v in (exc.headers or {}).items():
            response.headers[k] = v
        return response

    @app.exception_handler(Exception)
    async def _internal(request: Request, exc: Exception) -> JSONResponse:
        log.exception("internal error on %s %s", request.method, request.url.path)
        return errors(500, [{"path": "", "message": f"internal error: {type(exc).__name__} "
                                                    "(please report it)"}])


class BodyLimit:
    """ASGI middleware: a request body over `limit` bytes gets 413, whether its
    Content-Length says so or its bytes turn out to be more (chunked uploads). The body is
    read (up to the limit) before the app sees the request."""

    def __init__(self, app: ASGIApp, limit: int):
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None:
            try:
                size = int(declared)
            except ValueError:
                await self._refuse(send, 400, "Content-Length is not a number")
                return
            if size > self.limit:
                await self._refuse(send, 413, self._message())
                return
        chunks: list[bytes] = []
        total = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                return
            body = message.get("body", b"")
            total += len(body)
            if total > self.limit:
                await self._refuse(send, 413, self._message())
                return
            chunks.append(body)
            if not message.get("more_body", False):
                break
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": b"".join(chunks), "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    def _message(self) -> str:
        return f"the request body is larger than the limit of {self.limit:,} bytes"

    @staticmethod
    async def _refuse(send: Send, status: int, message: str) -> None:
        body = json.dumps({"errors": [{"path": "body", "message": message}]}).encode()
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", str(len(body)).encode()),
                                (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})
