"""A fake OpenAI-compatible speech server: real HTTP on 127.0.0.1, for tests and offline demos.

It answers ``POST /v1/audio/speech`` in the real wire format (a JSON body; the audio bytes
back, ``Content-Type: audio/wav``), checks the fields the real API requires (OpenAI-style
``{"error": {...}}`` with 400 otherwise, 401 for a wrong key when ``api_key`` is set), can
be told to fail, and records what it received::

    with FakeSpeechServer(fail_times=1, fail_status=429, retry_after=0.01) as server:
        client = SpeechClient(server.base_url, "tts-1", state_dir=tmp)
        client.speech("Hello.", voice="nova", speed=1.0, purpose="test")  # a 429, then a WAV

Its speech is deterministic and speech-shaped: a 24 kHz 16-bit mono buzz whose pitch comes
from the voice, about ``SECONDS_PER_CHAR / speed`` long per character, with a syllable-like
rise and fall every few characters and a pause at each space and punctuation mark.

Run ``python -m cliffhanger.voice.openai.fake_server --port 8880`` to serve it until Ctrl-C.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import wave
from typing import Any

import numpy as np

from cliffhanger.fakehttp import FakeHandler, FakeServer, RecordedRequest, openai_error

RATE = 24_000  # what OpenAI's speech endpoint sends
SECONDS_PER_CHAR = 0.06
FORMATS = ("mp3", "opus", "aac", "flac", "wav", "pcm")

__all__ = ["FakeSpeechServer", "RecordedRequest", "main", "speech_wav"]


class BadRequest(Exception):
    """A request the real API would refuse with 400; the message is what it would say."""


class FakeSpeechServer(FakeServer):
    """A background ``ThreadingHTTPServer``; use as a context manager, read ``base_url``.

    Failure knobs: the next ``fail_times`` valid requests answer ``fail_status`` (with
    ``Retry-After`` when ``retry_after`` is set); ``api_key`` makes a matching bearer key
    required (401 otherwise). ``voices`` are the voices it knows.
    """

    name = "fake-speech-server"

    def __init__(
        self,
        *,
        api_key: str | None = None,
        fail_times: int = 0,
        fail_status: int = 500,
        retry_after: float | None = None,
        voices: tuple[str, ...] = ("alloy", "echo", "fable", "onyx", "nova", "shimmer"),
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
        self.voices = voices

    def check(self, body: Any) -> dict[str, Any]:
        """``body`` if the real API would take it; BadRequest saying why not otherwise."""
        if not isinstance(body, dict):
            raise BadRequest("The body must be a JSON object.")
        for field in ("model", "input", "voice"):
            if not isinstance(body.get(field), str) or not body[field].strip():
                raise BadRequest(f"Missing required parameter: '{field}'.")
        if len(body["input"]) > 4096:
            raise BadRequest("'input' is too long: at most 4096 characters.")
        if body["voice"] not in self.voices:
            raise BadRequest(f"Invalid value for 'voice': must be one of {list(self.voices)}.")
        if body.get("response_format", "mp3") not in FORMATS:
            raise BadRequest(f"Invalid value for 'response_format': one of {list(FORMATS)}.")
        if body.get("response_format", "mp3") != "wav":
            raise BadRequest("This fake speaks only response_format 'wav'.")
        speed = body.get("speed", 1.0)
        if not isinstance(speed, int | float) or not 0.25 <= speed <= 4.0:
            raise BadRequest("Invalid value for 'speed': a number from 0.25 to 4.0.")
        return body


def speech_wav(text: str, voice: str, speed: float = 1.0) -> bytes:
    """The fake's WAV for ``text`` in ``voice`` (see the module doc)."""
    f0 = 90.0 + int(hashlib.sha256(voice.encode()).hexdigest()[:4], 16) % 140
    per_char = round(RATE * SECONDS_PER_CHAR / speed)
    n = per_char * len(text)
    t = np.arange(n) / RATE
    phase = 2 * np.pi * f0 * (t + 0.02 * np.sin(2 * np.pi * 3.0 * t))  # a little intonation
    buzz = sum(np.sin(k * phase) / k for k in range(1, 8))  # harmonics: a voiced sound
    syllable = np.sin(np.pi * (np.arange(n) % (3 * per_char)) / (3 * per_char)) ** 2
    sounding = np.repeat([ch.isalnum() for ch in text], per_char)  # quiet at spaces, marks
    signal = 0.3 * buzz * syllable * sounding
    pcm = np.clip(np.round(signal * 32767), -32768, 32767).astype("<i2")
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(pcm.tobytes())
    return out.getvalue()


class _Handler(FakeHandler):
    @property
    def fake(self) -> FakeSpeechServer:
        fake = self.server.fake
        assert isinstance(fake, FakeSpeechServer)
        return fake

    def do_POST(self) -> None:
        fake = self.fake
        raw = self.read_body()
        if self.path.rstrip("/") != "/v1/audio/speech":
            self.record("POST", {})
            self.send_json(404, openai_error(f"no route {self.path}", "not_found"))
            return
        if not self.authorized():  # the real API checks the key before the body
            self.record("POST", {})
            self.send_json(
                401, openai_error("Incorrect API key provided.", "invalid_request_error")
            )
            return
        try:
            body = fake.check(json.loads(raw or b"null"))
        except (BadRequest, ValueError) as e:
            self.record("POST", {})
            self.send_json(400, openai_error(str(e), "invalid_request_error"))
            return
        self.record("POST", body)
        if fake.take_failure():
            self.send_failure()
            return
        data = speech_wav(body["input"], body["voice"], float(body.get("speed", 1.0)))
        self.send_response(200)
        self.send_header("Content-Type", "audio/wav")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(data)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Serve the fake OpenAI-compatible speech API.")
    parser.add_argument("--port", type=int, default=8880)
    parser.add_argument("--api-key", default=None, help="require this bearer key")
    args = parser.parse_args(argv)
    server = FakeSpeechServer(api_key=args.api_key, port=args.port)
    url = server.base_url
    server.serve_until_interrupted(
        f"fake speech API at {url}  (CLIFFHANGER_SPEECH__BASE_URL={url})"
    )


if __name__ == "__main__":
    main()
