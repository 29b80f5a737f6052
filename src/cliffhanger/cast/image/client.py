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
* retries, backoff and the limit on requests in flight come from :mod:`cliffhanger.httpretry`,
  the cache, the ledger and the error messages from :mod:`cliffhanger.paidapi`.

The API key is only ever sent in the ``Authorization`` header: it is not part of the cache
key, the repr, the ledger or any error message.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cliffhanger.cast.pictures import decode_png
from cliffhanger.errors import InvalidProviderOutput
from cliffhanger.httpretry import excerpt
from cliffhanger.paidapi import PaidClient, request_key
from cliffhanger.settings import ImageSettings

CACHE_DIR = "cache/images"
LEDGER = "image-usage.jsonl"
SIZE = "1024x1536"  # portrait 2:3, the tallest size OpenAI's image models make


class ImageClient(PaidClient):
    """Generations and edits against one server and model; safe to share between threads."""

    SECTION = "image"
    EXAMPLE_URL = "http://127.0.0.1:8080/v1"
    FAKE_SERVER = "cliffhanger.cast.image.fake_server"
    OFFLINE = '[cast] provider = "puppet" to draw offline'
    KEPT = "pictures"
    SERVES = "/images/generations and /images/edits"
    CACHE_DIR = CACHE_DIR
    SUFFIX = ".png"
    LEDGER = LEDGER

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
        self.quality = quality
        self.usd_per_image = usd_per_image

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
        return self._cached_png("/images/generations", body, {}, purpose)

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
        return self._cached_png("/images/edits", fields, files, purpose)

    def key_for(self, path: str, fields: dict[str, Any], files: dict[str, bytes]) -> str:
        """SHA-256 over everything that shapes the picture (never the API key)."""
        return request_key(
            {
                "base_url": self.base_url,
                "path": path,
                "fields": fields,
                "files": {name: hashlib.sha256(data).hexdigest() for name, data in files.items()},
            }
        )

    def _cached_png(
        self, path: str, fields: dict[str, Any], files: dict[str, bytes], purpose: str
    ) -> bytes:
        return self._cached(
            self.key_for(path, fields, files),
            decode_png,
            lambda: self._request(path, fields, files),
            lambda: {
                "endpoint": path.rsplit("/", 1)[-1],
                "purpose": purpose[:200],
                "model": self.model,
                "quality": self.quality,
                "size": SIZE,
                "usd": self.usd_per_image,
            },
        )

    def _request(self, path: str, fields: dict[str, Any], files: dict[str, bytes]) -> bytes:
        if files:
            uploads = {name: (f"{name}.png", data, "image/png") for name, data in files.items()}
            request: dict[str, Any] = {"data": fields, "files": uploads}
        else:
            request = {"json": fields}
        url, response = self._post(path, **request)
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

    def _exists_hint(self) -> str:
        return f"model '{self.model}' and quality '{self.quality}'"
