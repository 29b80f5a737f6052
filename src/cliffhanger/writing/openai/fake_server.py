"""A fake OpenAI-compatible server: real HTTP on 127.0.0.1, for tests and offline demos.

It answers ``POST /v1/chat/completions`` and ``GET /v1/models`` in the real wire format, takes
its answers from a ``responder(request_json) -> str`` (by default :func:`.fake_story.
default_responder`), can be told to fail, and records what it received::

    with FakeLLMServer(fail_times=2, fail_status=429) as server:
        client = ChatClient(server.base_url, "fake", state_dir=tmp)
        client.chat("develop", messages)          # two 429s, then an answer
        server.requests[-1].headers["authorization"], server.peak_concurrency

Run ``python -m cliffhanger.writing.openai.fake_server`` to serve it until Ctrl-C.
"""

from __future__ import annotations

import argparse
import itertools
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from cliffhanger.writing.openai.fake_story import default_responder

Responder = Callable[[dict[str, Any]], str]
"""Given a chat-completion request body, the text of the assistant's answer."""

INVALID_ANSWER = "Sure! Here is the JSON you asked for: {not json"


@dataclass(frozen=True, slots=True)
class RecordedRequest:
    """One request as received; ``headers`` has lower-case names, ``body`` is parsed JSON."""

    method: str
    path: str
    headers: dict[str, str]
    body: Any


class FakeLLMServer:
    """A background ``ThreadingHTTPServer``; use as a context manager, read ``base_url``.

    Failure knobs: ``fail_times`` chat calls answer ``fail_status`` (with ``Retry-After``
    when ``retry_after`` is set); the next ``invalid_times`` answer text that is not JSON;
    ``api_key`` makes a matching bearer key required (401 otherwise);
    ``reject_json_schema`` answers 400 to ``response_format`` json_schema; ``delay_s`` is
    how long each answer takes.
    """

    def __init__(
        self,
        responder: Responder | None = None,
        *,
        model: str = "fake-llm",
        api_key: str | None = None,
        fail_times: int = 0,
        fail_status: int = 500,
        retry_after: float | None = None,
        invalid_times: int = 0,
        reject_json_schema: bool = False,
        delay_s: float = 0.0,
        port: int = 0,
    ) -> None:
        self.responder = responder or default_responder
        self.model = model
        self.api_key = api_key
        self.fail_times = fail_times
        self.fail_status = fail_status
        self.retry_after = retry_after
        self.invalid_times = invalid_times
        self.reject_json_schema = reject_json_schema
        self.delay_s = delay_s
        self._lock = threading.Lock()
        self._requests: list[RecordedRequest] = []
        self._answers_sent: list[dict[str, Any]] = []
        self._chat_calls = 0
        self._answers = 0
        self._in_flight = 0
        self._peak = 0
        self._ids = itertools.count(1)
        self._httpd = _Server(("127.0.0.1", port), _Handler)
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

    @property
    def chat_bodies(self) -> list[dict[str, Any]]:
        """The JSON bodies of every ``/chat/completions`` request, in arrival order."""
        return [r.body for r in self.requests if r.path.endswith("/chat/completions")]

    @property
    def answers(self) -> list[dict[str, Any]]:
        """Every chat completion answered with 200, as sent (``usage`` included)."""
        with self._lock:
            return list(self._answers_sent)

    @property
    def peak_concurrency(self) -> int:
        """The most chat requests that were being answered at the same moment."""
        with self._lock:
            return self._peak

    def start(self) -> FakeLLMServer:
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._httpd.serve_forever,
                kwargs={"poll_interval": 0.05},
                name="fake-llm-server",
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

    def __enter__(self) -> FakeLLMServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- called from handler threads -------------------------------------------------------

    def _record(self, request: RecordedRequest) -> None:
        with self._lock:
            self._requests.append(request)

    def _next_outcome(self) -> str:
        """``fail``, ``invalid`` or ``answer`` for the next chat call."""
        with self._lock:
            self._chat_calls += 1
            if self._chat_calls <= self.fail_times:
                return "fail"
            self._answers += 1
            return "invalid" if self._answers <= self.invalid_times else "answer"

    def _answer(self, body: dict[str, Any], invalid: bool) -> dict[str, Any]:
        with self._lock:
            self._in_flight += 1
            self._peak = max(self._peak, self._in_flight)
        try:
            if self.delay_s:
                time.sleep(self.delay_s)
            text = INVALID_ANSWER if invalid else self.responder(body)
        finally:
            with self._lock:
                self._in_flight -= 1
        prompt = sum(len(str(m.get("content", ""))) for m in body.get("messages", []))
        answer = {
            "id": f"chatcmpl-fake-{next(self._ids)}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": body.get("model", self.model),
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": text},
                    "finish_reason": "stop",
                }
            ],
            "usage": {
                "prompt_tokens": prompt // 4,
                "completion_tokens": len(text) // 4,
                "total_tokens": prompt // 4 + len(text) // 4,
            },
        }
        with self._lock:
            self._answers_sent.append(answer)
        return answer


class _Server(ThreadingHTTPServer):
    daemon_threads = False  # server_close() waits for answers in progress
    block_on_close = True
    fake: FakeLLMServer


def _error(message: str, kind: str) -> dict[str, Any]:
    return {"error": {"message": message, "type": kind, "code": None}}


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass  # tests and demos stay quiet

    def do_GET(self) -> None:
        fake = self.server.fake
        fake._record(RecordedRequest("GET", self.path, self._headers(), None))
        if self.path.rstrip("/") != "/v1/models":
            self._send(404, _error(f"no route {self.path}", "not_found"))
        elif not self._authorized():
            self._send(401, _error("Incorrect API key provided", "invalid_request_error"))
        else:
            model = {"id": fake.model, "object": "model", "created": 0, "owned_by": "cliffhanger"}
            self._send(200, {"object": "list", "data": [model]})

    def do_POST(self) -> None:
        fake = self.server.fake
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        try:
            body = json.loads(raw or b"null")
        except ValueError:
            body = None
        fake._record(RecordedRequest("POST", self.path, self._headers(), body))
        if self.path.rstrip("/") != "/v1/chat/completions":
            self._send(404, _error(f"no route {self.path}", "not_found"))
        elif not self._authorized():
            self._send(401, _error("Incorrect API key provided", "invalid_request_error"))
        elif not isinstance(body, dict) or not isinstance(body.get("messages"), list):
            self._send(400, _error("body must be a JSON object with messages", "invalid_request"))
        elif fake.reject_json_schema and _wants_schema(body):
            self._send(400, _error("response_format json_schema unsupported", "invalid_request"))
        else:
            outcome = fake._next_outcome()
            if outcome == "fail":
                headers = {}
                if fake.retry_after is not None:
                    headers["Retry-After"] = f"{fake.retry_after:g}"
                self._send(fake.fail_status, _error("injected failure", "server_error"), headers)
                return
            try:
                answer = fake._answer(body, invalid=outcome == "invalid")
            except Exception as e:  # a responder bug is the server's 500, as on a real one
                self._send(500, _error(f"responder failed: {e!r}", "server_error"))
                return
            self._send(200, answer)

    def _headers(self) -> dict[str, str]:
        return {k.lower(): v for k, v in self.headers.items()}

    def _authorized(self) -> bool:
        key = self.server.fake.api_key
        return key is None or self.headers.get("Authorization") == f"Bearer {key}"

    def _send(self, status: int, payload: Any, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Connection", "close")  # one request per connection: clean shutdown
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)


def _wants_schema(body: dict[str, Any]) -> bool:
    fmt = body.get("response_format")
    return isinstance(fmt, dict) and fmt.get("type") == "json_schema"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Serve the fake OpenAI-compatible LLM.")
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args(argv)
    with FakeLLMServer(port=args.port) as server:
        print(
            f"fake LLM at {server.base_url}  (CLIFFHANGER_LLM__BASE_URL={server.base_url})",
            flush=True,
        )
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
