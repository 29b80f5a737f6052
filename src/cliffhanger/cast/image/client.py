"""A small synchronous client for OpenAI-compatible images endpoints.

It speaks the real wire format — ``POST {base_url}/images/generations`` with a JSON body and
``POST {base_url}/images/edits`` as multipart/form-data with an ``image`` and a ``mask`` — and
keeps a season's worth of pictures affordable::

    client = ImageClient("http://127.0.0.1:8080/v1", "gpt-image-1", state_dir=state_dir)
    png = client.generate("a half-body portrait ...", transparent=True, purpose="lily front/happy")
    mouth = client.edit("mouth open saying 'ah'", png, mask, purpose="lily front/happy/a")

* every answer is kept in ``<state_dir>/cache/images/<sha256 of the request>.png``, so the
  same request is never paid twice, in this process or the next;
* every paid call appends a line to ``<state_dir>/image-usage.jsonl`` with its cost;
* retries, backoff and the limit on requests in flight come from :mod:`cliffhanger.httpretry`.

The API key is only ever sent in the ``Authorization`` header: it is not part of the cache
key, the repr, the ledger or any error message.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from cliffhanger.cast.pictures import decode_png
from cliffhanger.errors import InvalidProviderOutput, ProviderError
from cliffhanger.httpretry import RetryingHTTP, excerpt
from cliffhanger.pipeline.store import atomic_write
from cliffhanger.settings import ImageSettings

CACHE_DIR = "cache/images"
LEDGER = "image-usage.jsonl"
SIZE = "1024x1536"  # portrait 2:3, the tallest size OpenAI's image models make


class ImageClient:
    """Generations and edits against one server and model; safe to share between threads."""

    def __init__(
        self,
        base_url: str,
        model: str,
        *,
        state_dir: Path,
        api_key: str | None = None,
        quality: str = "medium",
        usd_per_image: float = 0.0,
        timeout_s: float = 300.0,
        max_retries: int = 3,
        concurrency: int = 2,
        backoff_s: float = 0.5,
        max_backoff_s: float = 60.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.model = model
        self.quality = quality
        self.usd_per_image = usd_per_image
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
        image: ImageSettings,
        state_dir: Path,
        *,
        fallback_api_key: str | None = None,
        **options: Any,
    ) -> ImageClient:
        """A client for ``image``; ``fallback_api_key`` (e.g. ``$OPENAI_API_KEY``) if none set."""
        key = image.api_key.get_secret_value() if image.api_key is not None else fallback_api_key
        return cls(
            image.base_url,
            image.model,
            state_dir=state_dir,
            api_key=key,
            quality=image.quality,
            usd_per_image=image.usd_per_image,
            timeout_s=image.timeout_s,
            max_retries=image.max_retries,
            concurrency=image.concurrency,
            **options,
        )

    def __repr__(self) -> str:
        key = "set" if self._http.has_key else "none"
        return f"ImageClient({self.base_url!r}, {self.model!r}, key={key})"

    def close(self) -> None:
        """Close pooled connections; the client stays usable and reconnects on the next call."""
        self._http.close()

    # -- the calls -------------------------------------------------------------------------

    def generate(self, prompt: str, *, transparent: bool, purpose: str) -> bytes:
        """A new ``SIZE`` picture as PNG bytes; ``transparent`` asks for no background."""
        body: dict[str, Any] = {
            "model": self.model,
            "prompt": prompt,
            "size": SIZE,
            "quality": self.quality,
            "output_format": "png",
            "n": 1,
        }
        if transparent:
            body["background"] = "transparent"
        return self._cached("/images/generations", body, {}, purpose)

    def edit(
        self,
        prompt: str,
        image: bytes,
        mask: bytes | None,
        *,
        purpose: str,
        transparent: bool = False,
    ) -> bytes:
        """``image`` (PNG) redrawn where ``mask`` (RGBA PNG, same size) is transparent; with
        no mask, a new picture that takes ``image`` as its reference (same person, new pose)."""
        fields = {"model": self.model, "prompt": prompt, "size": SIZE, "n": "1"}
        if transparent:
            fields |= {"background": "transparent", "output_format": "png"}
        files = {"image": image} | ({"mask": mask} if mask is not None else {})
        return self._cached("/images/edits", fields, files, purpose)

    def key_for(self, path: str, fields: dict[str, Any], files: dict[str, bytes]) -> str:
        """SHA-256 over everything that shapes the picture (never the API key)."""
        payload = {
            "base_url": self.base_url,
            "path": path,
            "fields": fields,
            "files": {name: hashlib.sha256(data).hexdigest() for name, data in files.items()},
        }
        text = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def _cached(
        self, path: str, fields: dict[str, Any], files: dict[str, bytes], purpose: str
    ) -> bytes:
        key = self.key_for(path, fields, files)
        cached = self.state_dir / CACHE_DIR / f"{key}.png"
        try:
            png = cached.read_bytes()
            decode_png(png)
            return png
        except (OSError, ValueError):
            pass  # absent or damaged: ask again, and overwrite it
        png = self._request(path, fields, files)
        atomic_write(cached, png)
        self._record(path, purpose, key)
        return png

    def _request(self, path: str, fields: dict[str, Any], files: dict[str, bytes]) -> bytes:
        url = self._http.url(path)
        if files:
            uploads = {name: (f"{name}.png", data, "image/png") for name, data in files.items()}
            request: dict[str, Any] = {"data": fields, "files": uploads}
        else:
            request = {"json": fields}
        try:
            response = self._http.post(path, **request)
        except httpx.TransportError as e:
            raise ProviderError(self._unreachable(url, e)) from e
        if response.status_code != 200:
            raise ProviderError(self._failed(url, response))
        try:
            encoded = response.json()["data"][0]["b64_json"]
            png = base64.b64decode(encoded, validate=True)
            decode_png(png)
        except (ValueError, KeyError, IndexError, TypeError, binascii.Error) as e:
            raise InvalidProviderOutput(
                f"{url} answered without a PNG in data[0].b64_json ({e}; "
                f"{excerpt(response.text, 120)!r}); is it an OpenAI-compatible images endpoint?"
            ) from None
        return png

    def _record(self, path: str, purpose: str, key: str) -> None:
        """One ledger line, appended with a single write so concurrent writers never mix."""
        line = {
            "time": round(time.time(), 3),
            "endpoint": path.rsplit("/", 1)[-1],
            "purpose": purpose[:200],
            "model": self.model,
            "quality": self.quality,
            "size": SIZE,
            "usd": self.usd_per_image,
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
            f"cannot reach the image server at {url} ({type(error).__name__}: "
            f"{self._http.scrub(str(error)) or 'no detail'}; {self._http.tries} tries). "
            "Is it running? Point CLIFFHANGER_IMAGE__BASE_URL at it, e.g. "
            "http://127.0.0.1:8080/v1 (`python -m cliffhanger.cast.image.fake_server` serves "
            'a fake one), or set [cast] provider = "puppet" to draw offline.'
        )

    def _failed(self, url: str, response: httpx.Response) -> str:
        status = response.status_code
        detail = self._http.detail(response)
        if status == 429 or status >= 500:
            what = "is rate-limiting us" if status == 429 else "keeps failing"
            return (
                f"the image server at {url} {what} (HTTP {status} after {self._http.tries} "
                f"tries: {detail}). Try again later (finished pictures are kept), lower "
                "CLIFFHANGER_IMAGE__CONCURRENCY or raise CLIFFHANGER_IMAGE__MAX_RETRIES."
            )
        hint = {
            401: "set CLIFFHANGER_IMAGE__API_KEY (or OPENAI_API_KEY) to a valid key",
            403: "the key may lack access to this model; check CLIFFHANGER_IMAGE__API_KEY",
            404: (
                "check that CLIFFHANGER_IMAGE__BASE_URL ends in /v1 and serves "
                "/images/generations and /images/edits"
            ),
        }.get(status, f"check that model '{self.model}' and quality '{self.quality}' exist there")
        return f"the image server at {url} refused the request (HTTP {status}: {detail}); {hint}."
