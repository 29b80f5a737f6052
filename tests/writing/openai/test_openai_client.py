"""The chat client over real HTTP against the fake server: wire format, retries, cache, usage."""

from __future__ import annotations

import json
import pickle
import socket
import threading
from pathlib import Path

import pytest

from cliffhanger.errors import ProviderError
from cliffhanger.settings import LLMSettings
from cliffhanger.writing.openai import ChatClient, usage_summary
from tests.writing.openai.conftest import Connect, Serve

HELLO = [{"role": "user", "content": "Say hello as JSON."}]
SCHEMA = {"type": "object", "properties": {"hello": {"type": "string"}}}


def _hello(_: object) -> str:
    return '{"hello": "world"}'


def test_chat_speaks_the_openai_wire_format(serve: Serve, connect: Connect) -> None:
    server = serve(responder=_hello)
    client = connect(server, model="llama3.1", temperature=0.3)

    result = client.chat("develop", HELLO, schema=SCHEMA, name="greeting", seed=7)

    assert json.loads(result.content) == {"hello": "world"}
    (request,) = server.requests
    assert (request.method, request.path) == ("POST", "/v1/chat/completions")
    assert request.headers["content-type"] == "application/json"
    assert "authorization" not in request.headers
    body = request.body
    assert body["model"] == "llama3.1"
    assert body["messages"] == HELLO
    assert body["temperature"] == 0.3
    assert body["seed"] == 7
    assert body["response_format"] == {
        "type": "json_schema",
        "json_schema": {"name": "greeting", "schema": SCHEMA, "strict": False},
    }
    usage = server.answers[0]["usage"]
    assert (result.prompt_tokens, result.completion_tokens) == (
        usage["prompt_tokens"],
        usage["completion_tokens"],
    )
    assert result.finish_reason == "stop" and not result.cached


def test_bearer_key_is_sent_when_set(serve: Serve, connect: Connect) -> None:
    server = serve(responder=_hello, api_key="sk-test-123")

    connect(server, api_key="sk-test-123").chat("develop", HELLO)

    assert server.requests[-1].headers["authorization"] == "Bearer sk-test-123"


def test_a_wrong_key_is_a_clear_error_that_never_shows_the_key(
    serve: Serve, connect: Connect
) -> None:
    server = serve(responder=_hello, api_key="sk-right")

    with pytest.raises(ProviderError) as caught:
        connect(server, api_key="sk-wrong-secret").chat("develop", HELLO)

    message = str(caught.value)
    assert "401" in message and server.base_url in message
    assert "CLIFFHANGER_LLM__API_KEY" in message
    assert "sk-wrong-secret" not in message and "sk-wrong-secret" not in repr(caught.value)
    assert len(server.requests) == 1  # a 401 is not retried


def test_settings_key_wins_and_env_key_is_the_fallback(serve: Serve, state_dir: Path) -> None:
    server = serve(responder=_hello)
    cases = [
        (LLMSettings(base_url=server.base_url, api_key="sk-settings"), "Bearer sk-settings"),
        (LLMSettings(base_url=server.base_url), "Bearer sk-env"),
    ]
    for llm, expected in cases:
        with ChatClient.from_settings(llm, state_dir, fallback_api_key="sk-env", cache=False) as c:
            c.chat("develop", HELLO)
            assert "sk-" not in repr(c)
        assert server.requests[-1].headers["authorization"] == expected


def test_server_errors_and_rate_limits_are_retried(serve: Serve, connect: Connect) -> None:
    server = serve(responder=_hello, fail_times=2, fail_status=500)
    sleeps: list[float] = []

    result = connect(server, max_retries=3, backoff_s=0.5, sleep=sleeps.append).chat(
        "develop", HELLO
    )

    assert json.loads(result.content) == {"hello": "world"}
    assert len(server.chat_bodies) == 3
    assert 0.5 <= sleeps[0] <= 0.625 and 1.0 <= sleeps[1] <= 1.25  # exponential backoff


def test_retry_after_is_honoured_on_429(serve: Serve, connect: Connect) -> None:
    server = serve(responder=_hello, fail_times=2, fail_status=429, retry_after=3)
    sleeps: list[float] = []

    connect(server, sleep=sleeps.append).chat("develop", HELLO)

    assert sleeps == [3.0, 3.0]
    assert len(server.chat_bodies) == 3


def test_persistent_failure_names_the_status_and_what_to_do(serve: Serve, connect: Connect) -> None:
    server = serve(responder=_hello, fail_times=100, fail_status=503)

    with pytest.raises(ProviderError, match=r"HTTP 503 after 3 tries") as caught:
        connect(server, max_retries=2).chat("develop", HELLO)

    assert server.base_url in str(caught.value)
    assert len(server.chat_bodies) == 3
    assert usage_summary(connect(server).state_dir)["calls"] == 0  # failures cost nothing


def test_unreachable_server_names_the_url(connect: Connect) -> None:
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}/v1"

    with pytest.raises(ProviderError) as caught:
        connect(url, max_retries=1).chat("develop", HELLO)

    message = str(caught.value)
    assert f"{url}/chat/completions" in message
    assert "CLIFFHANGER_LLM__BASE_URL" in message and "2 tries" in message


def test_json_schema_refused_falls_back_to_json_object(serve: Serve, connect: Connect) -> None:
    server = serve(responder=_hello, reject_json_schema=True)
    client = connect(server)

    client.chat("develop", HELLO, schema=SCHEMA)
    client.chat("develop", [*HELLO, {"role": "user", "content": "again"}], schema=SCHEMA)

    kinds = [b["response_format"]["type"] for b in server.chat_bodies]
    assert kinds == ["json_schema", "json_object", "json_object"]  # remembered after one 400


def test_second_identical_call_is_served_from_the_cache(
    serve: Serve, connect: Connect, state_dir: Path
) -> None:
    server = serve(responder=_hello)
    client = connect(server, usd_per_1k_prompt_tokens=0.5, usd_per_1k_completion_tokens=1.5)

    first = client.chat("develop", HELLO, schema=SCHEMA)
    second = client.chat("develop", HELLO, schema=SCHEMA)
    other = client.chat("develop", HELLO, schema={"type": "object"})  # a new schema: a new key

    assert len(server.chat_bodies) == 2
    assert second.cached and second.content == first.content and second.usd == 0
    assert not other.cached
    lines = [json.loads(x) for x in (state_dir / "llm-usage.jsonl").read_text().splitlines()]
    assert [x["cached"] for x in lines] == [False, True, False]
    assert set(lines[0]) == {
        "stage",
        "model",
        "prompt_tokens",
        "completion_tokens",
        "usd",
        "cached",
    }
    assert len(list((state_dir / "llm-cache").glob("*.json"))) == 2


def test_usage_summary_matches_server_tokens_and_prices(
    serve: Serve, connect: Connect, state_dir: Path
) -> None:
    server = serve(responder=_hello)
    client = connect(server, usd_per_1k_prompt_tokens=0.5, usd_per_1k_completion_tokens=1.5)
    for stage, n in [("develop", 1), ("outline", 2), ("script", 3)]:
        for i in range(n):
            client.chat(stage, [{"role": "user", "content": f"{stage} {i} " * 50}])
    client.chat("script", [{"role": "user", "content": "script 0 " * 50}])  # cached

    summary = usage_summary(state_dir)

    prompt = sum(a["usage"]["prompt_tokens"] for a in server.answers)
    completion = sum(a["usage"]["completion_tokens"] for a in server.answers)
    assert (summary["calls"], summary["cached_calls"]) == (7, 1)
    assert (summary["prompt_tokens"], summary["completion_tokens"]) == (prompt, completion)
    assert summary["usd"] == pytest.approx(prompt / 1000 * 0.5 + completion / 1000 * 1.5)
    assert summary["by_stage"]["script"]["calls"] == 4
    assert summary["by_stage"]["script"]["cached_calls"] == 1


def test_the_key_never_reaches_disk(serve: Serve, connect: Connect, state_dir: Path) -> None:
    server = serve(responder=_hello, api_key="sk-very-secret")

    connect(server, api_key="sk-very-secret").chat("develop", HELLO)

    written = [p.read_text() for p in state_dir.rglob("*") if p.is_file()]
    assert written and not any("sk-very-secret" in text for text in written)


def test_at_most_concurrency_requests_are_in_flight(serve: Serve, connect: Connect) -> None:
    server = serve(responder=_hello, delay_s=0.05)
    client = connect(server, concurrency=3)
    errors: list[BaseException] = []

    def ask(i: int) -> None:
        try:
            client.chat("script", [{"role": "user", "content": f"episode {i}"}])
        except BaseException as e:
            errors.append(e)

    threads = [threading.Thread(target=ask, args=(i,)) for i in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert not errors
    assert len(server.chat_bodies) == 12
    assert server.peak_concurrency == 3


def test_the_limit_is_shared_by_every_client_of_a_server(serve: Serve, connect: Connect) -> None:
    server = serve(responder=_hello, delay_s=0.05)
    clients = [connect(server, concurrency=2) for _ in range(4)]
    threads = [
        threading.Thread(target=c.chat, args=("script", [{"role": "user", "content": f"{i}-{j}"}]))
        for i, c in enumerate(clients)
        for j in range(2)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert len(server.chat_bodies) == 8
    assert server.peak_concurrency == 2


def test_a_used_client_pickles_and_still_works(serve: Serve, connect: Connect) -> None:
    server = serve(responder=_hello)
    client = connect(server)
    client.chat("develop", HELLO)

    copy = pickle.loads(pickle.dumps(client))
    try:
        result = copy.chat("develop", [{"role": "user", "content": "new"}])
    finally:
        copy.close()

    assert json.loads(result.content) == {"hello": "world"}
    assert len(server.chat_bodies) == 2
