"""A small synchronous client for OpenAI-compatible speech endpoints.

It speaks the real wire format — ``POST {base_url}/audio/speech`` with a JSON body, answered
with the audio bytes themselves — and keeps a season's worth of lines affordable::

    client = SpeechClient("http://127.0.0.1:8880/v1", "tts-1", state_dir=state_dir)
    wav = client.speech("Where were you?", voice="nova", speed=1.1, purpose="lily ep001")

* every answer is kept in ``<state_dir>/cache/speech/<sha256 of the request>.wav``, so the
  same line is never paid twice, in this process or the next;
* every paid call appends a line to ``<state_dir>/speech-usage.jsonl`` (characters, cost);
* retries, backoff and the limit on requests in flight come from :mod:`cliffhanger.httpretry`.

The API key is only ever sent in the ``Authorization`` header: it is not part of the cache
key, the repr, the ledger or any error message.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from cliffhanger.audio.base import decode_wav
from cliffhanger.errors import InvalidProviderOutput, ProviderError
from cliffhanger.httpretry import RetryingHTTP
from cliffhanger.pipeline.store import atomic_write
from cliffhanger.settings import SpeechSettings

CACHE_DIR = "cache/speech"
LEDGER = "speech-usage.jsonl"


class SpeechClient:
    """Speech from one server and model; safe to share between threads, picklable."""

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
        self.base_url = base_url.rstrip("/")
        self.model = model
        self.usd_per_1k_chars = usd_per_1k_chars
        self.state_dir = Path(state_dir)
        self._http = RetryingHTTP(
            self.base_url,
            api_key=api_key,
            timeout_s=timeout_s,
            max_retries=max_retries,
            concurrency=concurrency,
            backoff_s=backoff_s,
            max_backoff_s=max_backoff_s,
            sleep=sleep,
        )

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

    def __repr__(self) -> str:
        key = "set" if self._http.has_key else "none"
        return f"SpeechClient({self.base_url!r}, {self.model!r}, key={key})"

    def close(self) -> None:
        """Close pooled connections; the client stays usable and reconnects on the next call."""
        self._http.close()

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
        key = self.key_for(body)
        cached = self.state_dir / CACHE_DIR / f"{key}.wav"
        try:
            wav = cached.read_bytes()
            decode_wav(wav)
            return wav
        except (OSError, ValueError):
            pass  # absent or damaged: ask again, and overwrite it
        wav = self._request(body)
        atomic_write(cached, wav)
        self._record(body, purpose, key)
        return wav

    def key_for(self, body: dict[str, Any]) -> str:
        """SHA-256 over everything that shapes the audio (never the API key)."""
        payload = {"base_url": self.base_url, "path": "/audio/speech", "body": body}
        text = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def _request(self, body: dict[str, Any]) -> bytes:
        url = self._http.url("/audio/speech")
        try:
            response = self._http.post("/audio/speech", json=body)
        except httpx.TransportError as e:
            raise ProviderError(self._unreachable(url, e)) from e
        if response.status_code != 200:
            raise ProviderError(self._failed(url, response))
        try:
            decode_wav(response.content)
        except ValueError as e:
            kind = response.headers.get("content-type", "no content type")
            raise InvalidProviderOutput(
                f"{url} answered without a WAV ({e}; {kind}); "
                "is it an OpenAI-compatible speech endpoint that supports response_format wav?"
            ) from None
        return response.content

    def _record(self, body: dict[str, Any], purpose: str, key: str) -> None:
        """One ledger line, appended with a single write so concurrent writers never mix."""
        chars = len(body["input"])
        line = {
            "time": round(time.time(), 3),
            "purpose": purpose[:200],
            "model": self.model,
            "voice": body["voice"],
            "chars": chars,
            "usd": round(chars / 1000 * self.usd_per_1k_chars, 6),
            "key": key,
        }
        data = (json.dumps(line, ensure_ascii=False, separators=(",", ":")) + "\n").encode()
        ledger = self.state_dir / LEDGER
        ledger.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(ledger, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, data)
        finally:
            os.close(fd)

    # -- messages that say what to do ------------------------------------------------------

    def _unreachable(self, url: str, error: Exception) -> str:
        return (
            f"cannot reach the speech server at {url} ({type(error).__name__}: "
            f"{self._http.scrub(str(error)) or 'no detail'}; {self._http.tries} tries). "
            "Is it running? Point CLIFFHANGER_SPEECH__BASE_URL at it, e.g. "
            "http://127.0.0.1:8880/v1 (`python -m cliffhanger.voice.openai.fake_server` serves "
            'a fake one), or set [voice] provider = "piper" to speak offline.'
        )

    def _failed(self, url: str, response: httpx.Response) -> str:
        status = response.status_code
        detail = self._http.detail(response)
        if status == 429 or status >= 500:
            what = "is rate-limiting us" if status == 429 else "keeps failing"
            return (
                f"the speech server at {url} {what} (HTTP {status} after {self._http.tries} "
                f"tries: {detail}). Try again later (finished lines are kept), lower "
                "CLIFFHANGER_SPEECH__CONCURRENCY or raise CLIFFHANGER_SPEECH__MAX_RETRIES."
            )
        hint = {
            401: "set CLIFFHANGER_SPEECH__API_KEY (or OPENAI_API_KEY) to a valid key",
            403: "the key may lack access to this model; check CLIFFHANGER_SPEECH__API_KEY",
            404: "check that CLIFFHANGER_SPEECH__BASE_URL ends in /v1 and serves /audio/speech",
        }.get(status, f"check that model '{self.model}' and the [speech] voices exist there")
        return f"the speech server at {url} refused the request (HTTP {status}: {detail}); {hint}."
