"""The plumbing the in-package fake servers share (the chat fake, the images fake, and the
speech and other fakes to come): a background ``ThreadingHTTPServer`` on 127.0.0.1 that
records every request, checks a bearer key, injects failures, and answers JSON in the
OpenAI error shape.

A fake subclasses :class:`FakeServer` (its state and knobs) and :class:`FakeHandler` (its
routes, in ``do_POST``/``do_GET``), and passes the handler class to ``super().__init__``.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self


@dataclass(frozen=True, slots=True)
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: Any


def openai_error(message: str, kind: str) -> dict[str, Any]:
    """An error body as OpenAI-compatible servers send it."""
    return {"error": {"message": message, "type": kind, "param": None, "code": None}}


class FakeServer:
    """Serves ``handler`` in a thread; use as a context manager and read ``base_url``.

    ``api_key`` makes a matching bearer key required; the next ``fail_times`` requests that
    ask :meth:`take_failure` answer ``fail_status`` (with ``Retry-After`` when
    ``retry_after`` is set).
    """

    name = "fake-server"

    def __init__(
        self,
        handler: type[FakeHandler],
        *,
        api_key: str | None = None,
        fail_times: int = 0,
        fail_status: int = 500,
        retry_after: float | None = None,
        port: int = 0,
    ) -> None:
        self.api_key = api_key
        self.fail_times = fail_times
        self.fail_status = fail_status
        self.retry_after = retry_after
        self._lock = threading.Lock()
        self._requests: list[RecordedRequest] = []
        self._httpd = _Server(("127.0.0.1", port), handler)
        self._httpd.fake = self
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}/v1"

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._requests)

    def start(self) -> Self:
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._httpd.serve_forever,
                kwargs={"poll_interval": 0.05},
                name=self.name,
                daemon=True,
            )
            self._thread.start()
        return self

    def close(self) -> None:
        """Stop serving, wait for requests in progress, close the socket."""
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join()
            self._thread = None
        self._httpd.server_close()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    def serve_until_interrupted(self, banner: str) -> None:
        """For ``python -m …fake_server``: print where it is, serve until Ctrl-C."""
        with self:
            print(banner, flush=True)
            try:
                while True:
                    time.sleep(3600)
            except KeyboardInterrupt:
                pass

    # -- called from handler threads -------------------------------------------------------

    def record(self, request: RecordedRequest) -> None:
        with self._lock:
            self._requests.append(request)

    def take_failure(self) -> bool:
        """Whether this request is one of the injected failures (and count it)."""
        with self._lock:
            if self.fail_times > 0:
                self.fail_times -= 1
                return True
            return False


class _Server(ThreadingHTTPServer):
    daemon_threads = False  # server_close() waits for answers in progress
    block_on_close = True
    fake: FakeServer


class FakeHandler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass  # tests and demos stay quiet

    def headers_dict(self) -> dict[str, str]:
        return {k.lower(): v for k, v in self.headers.items()}

    def read_body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def record(self, method: str, body: Any) -> None:
        self.server.fake.record(RecordedRequest(method, self.path, self.headers_dict(), body))

    def authorized(self) -> bool:
        key = self.server.fake.api_key
        return key is None or self.headers.get("Authorization") == f"Bearer {key}"

    def send_failure(self) -> None:
        """The injected failure: ``fail_status``, with ``Retry-After`` when configured."""
        fake = self.server.fake
        headers = {}
        if fake.retry_after is not None:
            headers["Retry-After"] = f"{fake.retry_after:g}"
        self.send_json(fake.fail_status, openai_error("injected failure", "server_error"), headers)

    def send_json(self, status: int, payload: Any, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Connection", "close")  # one request per connection: clean shutdown
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)
