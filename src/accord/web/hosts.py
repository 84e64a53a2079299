"""Which Host headers the app answers, against DNS rebinding.

A server bound to a loopback address is reachable only from this machine, but a web page
elsewhere can point a name it controls at 127.0.0.1 and make the browser send requests to
it ("DNS rebinding"); those requests carry the attacker's name in their Host header. So a
loopback server answers only requests whose Host is a loopback name: `localhost` or a
loopback address (127.0.0.0/8, ::1), with any port. A server bound to any other address
is reachable by name from the network and cannot know its names; `accord serve` warns that
it has no authentication.

`HostCheck` is the ASGI middleware; a refused request gets the API's JSON error shape
(`{"errors": [{"path": "host", "message": ...}]}`, status 400).
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Sequence

from starlette.types import ASGIApp, Receive, Scope, Send

LOOPBACK = "loopback"
"""The entry of `allowed` that stands for every loopback name (see the module doc)."""


def is_loopback(name: str) -> bool:
    """`localhost` or a loopback address (127.0.0.0/8, ::1, also in brackets)."""
    name = name.strip().lower().rstrip(".")
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name.strip("[]")).is_loopback
    except ValueError:
        return False


def host_name(header: str) -> str:
    """The name of a Host header without its port: `[::1]:8000` -> `::1`,
    `example.org:80` -> `example.org`."""
    header = header.strip().lower()
    if header.startswith("["):  # an IPv6 literal, maybe with a port
        return header[1:].split("]", 1)[0]
    if header.count(":") == 1:
        return header.split(":", 1)[0]
    return header  # no port (or a bare IPv6 address, which a Host header should not be)


def host_allowed(header: str, allowed: Sequence[str]) -> bool:
    """Whether a request with this Host header is answered: its name is one of `allowed`,
    or `allowed` holds `LOOPBACK` and the name is a loopback name."""
    name = host_name(header)
    if not name:
        return False
    if LOOPBACK in allowed and is_loopback(name):
        return True
    return name in {a.lower() for a in allowed if a != LOOPBACK}


class HostCheck:
    """ASGI middleware: refuse requests whose Host header is not allowed (see the module
    doc), with the JSON error shape of the API."""

    def __init__(self, app: ASGIApp, allowed: Sequence[str]):
        self.app = app
        self.allowed = tuple(allowed)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        header = ""
        for key, value in scope.get("headers", ()):
            if key == b"host":
                header = value.decode("latin-1")
                break
        if host_allowed(header, self.allowed):
            await self.app(scope, receive, send)
            return
        shown = header[:100] or "(none)"
        body = json.dumps({"errors": [{
            "path": "host",
            "message": f"the Host header {shown!r} is not a name of this server: it answers "
                       "only requests to localhost or a loopback address (a guard against "
                       "DNS rebinding)"}]}).encode()
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008})
            return
        await send({"type": "http.response.start", "status": 400,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})
