"""The fake server answers like a real OpenAI-compatible one, to any HTTP client."""

from __future__ import annotations

import json
import threading
from typing import Any

import httpx
from hypothesis import given, settings
from hypothesis import strategies as st

from cliffhanger.model import Bible, Outline
from cliffhanger.writing.base import SeriesRequest
from cliffhanger.writing.openai import prompts
from cliffhanger.writing.openai.fake_server import FakeLLMServer
from cliffhanger.writing.openai.fake_story import default_responder, fake_bible, fake_outline
from tests.writing.openai.conftest import Serve


def _chat(base_url: str, body: dict[str, Any], key: str | None = None) -> httpx.Response:
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    with httpx.Client() as http:
        return http.post(f"{base_url}/chat/completions", json=body, headers=headers)


def test_chat_completion_has_the_real_shape(serve: Serve) -> None:
    server = serve(responder=lambda body: "hi " * 10)
    messages = [{"role": "user", "content": "x" * 400}]

    data = _chat(server.base_url, {"model": "m1", "messages": messages}).json()

    assert data["id"].startswith("chatcmpl-") and data["object"] == "chat.completion"
    assert data["model"] == "m1" and isinstance(data["created"], int)
    (choice,) = data["choices"]
    assert choice["message"] == {"role": "assistant", "content": "hi " * 10}
    assert choice["finish_reason"] == "stop" and choice["index"] == 0
    assert data["usage"] == {"prompt_tokens": 100, "completion_tokens": 7, "total_tokens": 107}


def test_models_route_and_unknown_routes(serve: Serve) -> None:
    server = serve(model="fake-7b")
    with httpx.Client() as http:
        models = http.get(f"{server.base_url}/models").json()
        missing = http.get(f"{server.base_url}/nope")

    assert models["object"] == "list" and models["data"][0]["id"] == "fake-7b"
    assert missing.status_code == 404 and "error" in missing.json()


def test_required_key_and_injected_failures(serve: Serve) -> None:
    server = serve(responder=lambda body: "{}", api_key="k", fail_times=1, fail_status=429)
    body = {"model": "m", "messages": [{"role": "user", "content": "hi"}]}

    unauthorized = _chat(server.base_url, body)
    limited = _chat(server.base_url, body, key="k")
    ok = _chat(server.base_url, body, key="k")

    assert unauthorized.status_code == 401
    assert unauthorized.json()["error"]["message"] == "Incorrect API key provided"
    assert limited.status_code == 429
    assert ok.status_code == 200
    assert [r.headers.get("authorization") for r in server.requests] == [
        None,
        "Bearer k",
        "Bearer k",
    ]


def test_a_responder_bug_is_a_500(serve: Serve) -> None:
    def broken(body: dict[str, Any]) -> str:
        raise RuntimeError("boom")

    server = serve(responder=broken)
    response = _chat(server.base_url, {"model": "m", "messages": []})

    assert response.status_code == 500 and "boom" in response.json()["error"]["message"]


def test_close_stops_serving_and_joins_threads() -> None:
    before = threading.active_count()
    with FakeLLMServer() as server:
        url = server.base_url
        _chat(url, {"model": "m", "messages": []})
    assert threading.active_count() == before
    try:
        _chat(url, {"model": "m", "messages": []})
    except httpx.ConnectError:
        pass
    else:
        raise AssertionError("the server still answers after close()")


def test_default_responder_reads_the_schema_name_from_the_prompt_too() -> None:
    request = SeriesRequest(premise="A twin swaps places", episodes=3, paywall_episode=2)
    body = {"messages": prompts.develop_messages(request, {}), "response_format": None}

    bible = Bible.model_validate(json.loads(default_responder(body)))

    assert bible.episodes == 3 and bible.paywall_episode == 2
    assert json.loads(default_responder({"messages": []})) == {}


@settings(max_examples=25, deadline=None)
@given(
    episodes=st.integers(min_value=1, max_value=60),
    paywall=st.integers(min_value=1, max_value=60),
    seconds=st.integers(min_value=15, max_value=300),
)
def test_fake_story_is_always_valid(episodes: int, paywall: int, seconds: int) -> None:
    facts = prompts.request_facts(
        SeriesRequest(premise="p", episodes=episodes, seconds=seconds, paywall_episode=paywall)
    )
    bible = Bible.model_validate(fake_bible(facts))
    outline = Outline.model_validate(fake_outline(prompts.bible_digest(bible), 1, episodes))

    assert len(outline.episodes) == episodes
    assert bible.paywall_episode == min(paywall, episodes)
