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
import time
from collections.abc import Callable
from typing import Any

from cliffhanger.fakehttp import FakeHandler, FakeServer, RecordedRequest, openai_error
from cliffhanger.writing.openai.fake_story import default_responder

Responder = Callable[[dict[str, Any]], str]
"""Given a chat-completion request body, the text of the assistant's answer."""

INVALID_ANSWER = "Sure! Here is the JSON you asked for: {not json"


__all__ = ["FakeLLMServer", "RecordedRequest", "Responder", "main"]


class FakeLLMServer(FakeServer):
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
        super().__init__(
            _Handler,
            api_key=api_key,
            fail_times=fail_times,
            fail_status=fail_status,
            retry_after=retry_after,
            port=port,
        )
        self.responder = responder or default_responder
        self.model = model
        self.invalid_times = invalid_times
        self.reject_json_schema = reject_json_schema
        self.delay_s = delay_s
        self._answers_sent: list[dict[str, Any]] = []
        self._chat_calls = 0
        self._answers = 0
        self._in_flight = 0
        self._peak = 0
        self._ids = itertools.count(1)

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

    # -- called from handler threads -------------------------------------------------------

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


class _Handler(FakeHandler):
    @property
    def fake(self) -> FakeLLMServer:
        fake = self.server.fake
        assert isinstance(fake, FakeLLMServer)
        return fake

    def do_GET(self) -> None:
        fake = self.fake
        self.record("GET", None)
        if self.path.rstrip("/") != "/v1/models":
            self.send_json(404, openai_error(f"no route {self.path}", "not_found"))
        elif not self.authorized():
            self.send_json(401, openai_error("Incorrect API key provided", "invalid_request_error"))
        else:
            model = {"id": fake.model, "object": "model", "created": 0, "owned_by": "cliffhanger"}
            self.send_json(200, {"object": "list", "data": [model]})

    def do_POST(self) -> None:
        fake = self.fake
        raw = self.read_body()
        try:
            body = json.loads(raw or b"null")
        except ValueError:
            body = None
        self.record("POST", body)
        if self.path.rstrip("/") != "/v1/chat/completions":
            self.send_json(404, openai_error(f"no route {self.path}", "not_found"))
        elif not self.authorized():
            self.send_json(401, openai_error("Incorrect API key provided", "invalid_request_error"))
        elif not isinstance(body, dict) or not isinstance(body.get("messages"), list):
            self.send_json(
                400, openai_error("body must be a JSON object with messages", "invalid_request")
            )
        elif fake.reject_json_schema and _wants_schema(body):
            self.send_json(
                400, openai_error("response_format json_schema unsupported", "invalid_request")
            )
        else:
            outcome = fake._next_outcome()
            if outcome == "fail":
                self.send_failure()
                return
            try:
                answer = fake._answer(body, invalid=outcome == "invalid")
            except Exception as e:  # a responder bug is the server's 500, as on a real one
                self.send_json(500, openai_error(f"responder failed: {e!r}", "server_error"))
                return
            self.send_json(200, answer)


def _wants_schema(body: dict[str, Any]) -> bool:
    fmt = body.get("response_format")
    return isinstance(fmt, dict) and fmt.get("type") == "json_schema"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Serve the fake OpenAI-compatible LLM.")
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args(argv)
    server = FakeLLMServer(port=args.port)
    url = server.base_url
    server.serve_until_interrupted(f"fake LLM at {url}  (CLIFFHANGER_LLM__BASE_URL={url})")


if __name__ == "__main__":
    main()
