"""HTTP plumbing for FakeSlack: the stdlib server/handler pair, and decoding a Web API request the
way Slack does (query string plus a form, multipart or JSON body)."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl

# Arguments that carry JSON inside form data (slack_sdk json-encodes them when sending a form).
JSON_ARGS = {"attachments", "blocks", "view", "files", "metadata", "outputs", "prefs", "unfurls"}


def _decode_json_args(args: dict) -> dict:
    for name in JSON_ARGS & args.keys():
        value = args[name]
        if isinstance(value, str) and value[:1] in ("[", "{"):
            # Not JSON after all: leave the string, the Block Kit checks report it.
            with contextlib.suppress(ValueError):
                args[name] = json.loads(value)
    return args


def _multipart(content_type: str, body: bytes) -> dict:
    message = BytesParser(policy=HTTP).parsebytes(b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body)
    args: dict = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not name:
            continue
        payload = part.get_payload(decode=True) or b""
        assert isinstance(payload, bytes)  # decode=True on a part that is not multipart itself
        args[name] = payload if part.get_filename() else payload.decode("utf-8")
    return args


def parse_args(query: str, content_type: str, body: bytes) -> dict:
    """All arguments of one call; raises ValueError for a body that is not what it claims to be."""
    args: dict = dict(parse_qsl(query, keep_blank_values=True))
    kind = content_type.split(";", 1)[0].strip().lower()
    if body and kind == "application/json":
        decoded = json.loads(body.decode("utf-8"))
        if not isinstance(decoded, dict):
            raise ValueError("JSON body must be an object")
        args.update(decoded)
    elif body and kind == "multipart/form-data":
        args.update(_multipart(content_type, body))
    elif body:  # Slack treats anything else as a form
        args.update(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
    return _decode_json_args(args)


def bearer_token(authorization: str | None) -> str | None:
    if authorization and authorization.lower().startswith("bearer "):
        return authorization[7:].strip() or None
    return None


class Server(ThreadingHTTPServer):
    daemon_threads = True
    dispatch: Callable[[Handler], None]


class Handler(BaseHTTPRequestHandler):
    server: Server

    def log_message(self, format: str, *args: Any) -> None:  # keep pytest output clean
        pass

    def do_GET(self) -> None:
        self.server.dispatch(self)

    def do_POST(self) -> None:
        self.server.dispatch(self)

    def reply(self, status: int, body: dict | str, headers: dict[str, str] | None = None) -> None:
        data = (json.dumps(body) if isinstance(body, dict) else body).encode("utf-8")
        self.send_response(status)
        kind = "application/json; charset=utf-8" if isinstance(body, dict) else "text/plain; charset=utf-8"
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)
