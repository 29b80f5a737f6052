"""A small synchronous client for OpenAI-compatible speech endpoints.

It speaks the real wire format — ``POST {base_url}/audio/speech`` with a JSON body, answered
with the audio bytes themselves — and keeps a season's worth of lines affordable::

    client = SpeechClient("http://127.0.0.1:8880/v1", "tts-1", state_dir=state_dir)
    wav = client.speech("Where were you?", voice="nova", speed=1.1, purpose="lily ep001")

* every answer is kept in ``<state_dir>/cache/speech/<sha256 of the request>.wav``, so the
  same line is never paid twice, in this process or the next;
* every paid call appends a line to ``<state_dir>/speech-usage.jsonl`` (characters, cost);
* retries, backoff and the limit on requests in flight come from :mod:`cliffhanger.httpretry`,
  the cache, the ledger and the error messages from :mod:`cliffhanger.paidapi`.

The API key is only ever sent in the ``Authorization`` header: it is not part of the cache
key, the repr, the ledger or any error message.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cliffhanger.audio.base import decode_wav
from cliffhanger.errors import InvalidProviderOutput
from cliffhanger.paidapi import PaidClient, request_key
from cliffhanger.settings import SpeechSettings

CACHE_DIR = "cache/speech"
LEDGER = "speech-usage.jsonl"


class SpeechClient(PaidClient):
    """Speech from one server and model; safe to share between threads, picklable."""

    SECTION = "speech"
    EXAMPLE_URL = "http://127.0.0.1:8880/v1"
    FAKE_SERVER = "cliffhanger.voice.openai.fake_server"
    OFFLINE = '[voice] provider = "piper" to speak offline'
    KEPT = "lines"
    SERVES = "/audio/speech"
    CACHE_DIR = CACHE_DIR
    SUFFIX = ".wav"
    LEDGER = LEDGER

    def __init__(
        self,
        base_url: str,
        model: str,
        *,
        state_dir: Path,
        api_key: str | None = None,
        usd_per_1k_chars: float = 0.0,
        timeout_s: float = 120.0,
        max_retries: int = 3,
        concurrency: int = 4,
        backoff_s: float = 0.5,
        max_backoff_s: float = 60.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        super().__init__(
            base_url,
            model,
            state_dir=state_dir,
            api_key=api_key,
            timeout_s=timeout_s,
            max_retries=max_retries,
            concurrency=concurrency,
            backoff_s=backoff_s,
            max_backoff_s=max_backoff_s,
            sleep=sleep,
        )
        self.usd_per_1k_chars = usd_per_1k_chars

    @classmethod
    def from_settings(
        cls,
        speech: SpeechSettings,
        state_dir: Path,
        *,
        fallback_api_key: str | None = None,
        **options: Any,
    ) -> SpeechClient:
        """A client for ``speech``; ``fallback_api_key`` (e.g. ``$OPENAI_API_KEY``) if none set."""
        key = speech.api_key.get_secret_value() if speech.api_key is not None else fallback_api_key
        return cls(
            speech.base_url,
            speech.model,
            state_dir=state_dir,
            api_key=key,
            usd_per_1k_chars=speech.usd_per_1k_chars,
            timeout_s=speech.timeout_s,
            max_retries=speech.max_retries,
            concurrency=speech.concurrency,
            **options,
        )

    # -- the call --------------------------------------------------------------------------

    def speech(self, text: str, *, voice: str, speed: float, purpose: str) -> bytes:
        """``text`` said by ``voice`` at ``speed`` (0.25–4), as WAV bytes."""
        body = {
            "model": self.model,
            "input": text,
            "voice": voice,
            "response_format": "wav",
            "speed": round(min(4.0, max(0.25, speed)), 4),
        }
        return self._cached(
            self.key_for(body),
            decode_wav,
            lambda: self._request(body),
            lambda: {
                "purpose": purpose[:200],
                "model": self.model,
                "voice": voice,
                "chars": len(text),
                "usd": round(len(text) / 1000 * self.usd_per_1k_chars, 6),
            },
        )

    def key_for(self, body: dict[str, Any]) -> str:
        """SHA-256 over everything that shapes the audio (never the API key)."""
        return request_key({"base_url": self.base_url, "path": "/audio/speech", "body": body})

    def _request(self, body: dict[str, Any]) -> bytes:
        url, response = self._post("/audio/speech", json=body)
        try:
            decode_wav(response.content)
        except ValueError as e:
            kind = response.headers.get("content-type", "no content type")
            raise InvalidProviderOutput(
                f"{url} answered without a WAV ({e}; {kind}); "
                "is it an OpenAI-compatible speech endpoint that supports response_format wav?"
            ) from None
        return response.content

    def _exists_hint(self) -> str:
        return f"model '{self.model}' and the [speech] voices"
