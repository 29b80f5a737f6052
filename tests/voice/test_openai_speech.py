"""The ``openai`` speaker against the in-package fake over real HTTP: the wire format, voice
picks, a disk cache and usage ledger, retries, and a key that never leaves the header."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from cliffhanger.errors import ProviderError
from cliffhanger.model.voicing import VoiceTune
from cliffhanger.voice.base import Delivery
from cliffhanger.voice.openai import OpenAISpeaker, SpeechClient
from cliffhanger.voice.openai.client import CACHE_DIR, LEDGER
from cliffhanger.voice.openai.fake_server import FakeSpeechServer

KEY = "sk-speech-test-0000"
VOICES = ("alloy", "echo", "nova")


@pytest.fixture
def server() -> Iterator[FakeSpeechServer]:
    with FakeSpeechServer(api_key=KEY) as fake:
        yield fake


def speaker(url: str, state: Path, key: str | None = KEY, **options: Any) -> OpenAISpeaker:
    client = SpeechClient(
        url, "tts-1", state_dir=state, api_key=key, usd_per_1k_chars=15.0, **options
    )
    return OpenAISpeaker(client, VOICES)


def test_the_request_is_the_real_wire_format(server: FakeSpeechServer, tmp_path: Path) -> None:
    speaker(server.base_url, tmp_path).speak("Run!", VoiceTune(rate=1.2), Delivery(rate=1.5), "en")
    (request,) = server.requests
    assert request.path == "/v1/audio/speech"
    assert request.headers["authorization"] == f"Bearer {KEY}"
    assert request.body == {
        "model": "tts-1",
        "input": "Run!",
        "voice": request.body["voice"],
        "response_format": "wav",
        "speed": 1.8,
    }


def test_a_server_voice_is_kept_and_other_bases_pick_stably(tmp_path: Path) -> None:
    s = speaker("http://127.0.0.1:9/v1", tmp_path)
    assert s.voice("nova") == "nova"
    picks = {base: s.voice(base) for base in ("joe", "f3", "mara", "old-man")}
    assert set(picks.values()) <= set(VOICES) and len(set(picks.values())) > 1
    assert picks == {base: s.voice(base) for base in picks}


def test_a_line_is_paid_once_and_ledgered(server: FakeSpeechServer, tmp_path: Path) -> None:
    line = "I know what you did."
    first = speaker(server.base_url, tmp_path).speak(line, VoiceTune(), Delivery(), "en")
    again = speaker(server.base_url, tmp_path).speak(line, VoiceTune(), Delivery(), "en")
    assert len(server.requests) == 1
    assert first.samples.tobytes() == again.samples.tobytes()
    (entry,) = [json.loads(x) for x in (tmp_path / LEDGER).read_text().splitlines()]
    assert entry["chars"] == len(line) and entry["usd"] == pytest.approx(len(line) * 0.015)
    (cached,) = (tmp_path / CACHE_DIR).glob("*.wav")
    for text in (cached.name, (tmp_path / LEDGER).read_text()):
        assert KEY not in text


def test_429_is_retried_after_the_servers_retry_after(tmp_path: Path) -> None:
    waits: list[float] = []
    with FakeSpeechServer(fail_times=2, fail_status=429, retry_after=0.25) as server:
        s = speaker(server.base_url, tmp_path, sleep=waits.append)
        assert s.speak("Again.", VoiceTune(), Delivery(), "en").seconds > 0.1
    assert waits == [0.25, 0.25] and len(server.requests) == 3


def test_a_server_that_keeps_failing_says_what_to_do(tmp_path: Path) -> None:
    with FakeSpeechServer(fail_times=9, fail_status=503) as server:
        s = speaker(server.base_url, tmp_path, max_retries=1, sleep=lambda _: None)
        with pytest.raises(ProviderError, match=r"HTTP 503 after 2 tries.*CONCURRENCY"):
            s.speak("Again.", VoiceTune(), Delivery(), "en")


def test_a_wrong_key_is_a_clear_error_that_does_not_echo_it(
    server: FakeSpeechServer, tmp_path: Path
) -> None:
    wrong = "sk-wrong-key-1111"
    with pytest.raises(ProviderError, match=r"HTTP 401.*API_KEY") as caught:
        speaker(server.base_url, tmp_path, key=wrong).speak("Hi.", VoiceTune(), Delivery(), "en")
    assert wrong not in str(caught.value) and KEY not in str(caught.value)


def test_an_unreachable_server_says_how_to_point_at_one(tmp_path: Path) -> None:
    with FakeSpeechServer() as server:
        url = server.base_url
    s = speaker(url, tmp_path, max_retries=0)
    with pytest.raises(ProviderError, match=r"cannot reach.*SPEECH__BASE_URL"):
        s.speak("Hi.", VoiceTune(), Delivery(), "en")


def test_the_fake_refuses_bad_requests_in_the_openai_shape(server: FakeSpeechServer) -> None:
    auth = {"Authorization": f"Bearer {KEY}"}
    good = {"model": "tts-1", "input": "Hi.", "voice": "nova", "response_format": "wav"}
    with httpx.Client(headers=auth) as http:
        url = f"{server.base_url}/audio/speech"
        ok = http.post(url, json=good)
        no_voice = http.post(url, json={**good, "voice": "zed"})
        fast = http.post(url, json={**good, "speed": 9})
        empty = http.post(url, json={**good, "input": " "})
    assert ok.headers["content-type"] == "audio/wav" and ok.content[:4] == b"RIFF"
    for bad in (no_voice, fast, empty):
        assert bad.status_code == 400
        assert bad.json()["error"]["type"] == "invalid_request_error"
    assert "'voice'" in no_voice.json()["error"]["message"]
