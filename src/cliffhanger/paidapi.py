"""What every client of a paid OpenAI-compatible API shares, so that none pays twice.

The image client (:mod:`cliffhanger.cast.image.client`) and the speech client
(:mod:`cliffhanger.voice.openai.client`) are both a :class:`PaidClient`: one server and model
behind a :class:`~cliffhanger.httpretry.RetryingHTTP`, answers kept on disk by
:func:`request_key`, and one ledger line per paid call. The chat client's store
(:mod:`cliffhanger.writing.openai.store`) uses the same key and ledger functions::

    key = request_key({"base_url": url, "path": "/audio/speech", "body": body})
    append_jsonl(state_dir / "speech-usage.jsonl", {"usd": 0.01, "key": key})

The API key is only ever sent in the ``Authorization`` header: it is not part of a request
key, a repr, a ledger line or an error message.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

import httpx

from cliffhanger.errors import ProviderError
from cliffhanger.httpretry import EndpointClient
from cliffhanger.pipeline.store import atomic_write


def request_key(payload: dict[str, Any]) -> str:
    """SHA-256 over ``payload`` as canonical JSON (sorted keys, no spaces, UTF-8).

    >>> request_key({"b": 1, "a": "x"}) == request_key({"a": "x", "b": 1})
    True
    """
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def append_jsonl(path: Path, line: dict[str, Any]) -> None:
    """Append ``line`` as one JSON line to ``path`` with a single ``write(2)`` on ``O_APPEND``.

    Lines far below ``PIPE_BUF`` never interleave, even between processes.
    """
    data = (json.dumps(line, ensure_ascii=False, separators=(",", ":")) + "\n").encode()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, data)
    finally:
        os.close(fd)


def cached_bytes(
    path: Path, validate: Callable[[bytes], object], fetch: Callable[[], bytes]
) -> tuple[bytes, bool]:
    """The bytes kept at ``path`` if ``validate`` accepts them, else ``fetch()``'s, kept there.

    Returns ``(data, fetched)``; a file that is absent or that ``validate`` rejects with a
    ``ValueError`` is fetched again and overwritten atomically.
    """
    try:
        data = path.read_bytes()
        validate(data)
        return data, False
    except (OSError, ValueError):
        pass  # absent or damaged: ask again, and overwrite it
    data = fetch()
    atomic_write(path, data)
    return data, True


class PaidClient(EndpointClient):
    """One server and model of a paid API; safe to share between threads, picklable.

    Subclasses name their settings section and what to say when the server fails them.
    """

    SECTION: ClassVar[str]  # "image" -> "the image server", CLIFFHANGER_IMAGE__...
    EXAMPLE_URL: ClassVar[str]  # where a local server usually listens
    FAKE_SERVER: ClassVar[str]  # the module that serves a fake one
    OFFLINE: ClassVar[str]  # how to work without it, after "or set "
    KEPT: ClassVar[str]  # what is kept on disk when a batch fails ("pictures")
    SERVES: ClassVar[str]  # the endpoints the server must serve
    CACHE_DIR: ClassVar[str]  # under the state dir
    SUFFIX: ClassVar[str]  # of a cached answer
    LEDGER: ClassVar[str]  # under the state dir

    def _cached(
        self,
        key: str,
        validate: Callable[[bytes], object],
        fetch: Callable[[], bytes],
        ledger: Callable[[], dict[str, Any]],
    ) -> bytes:
        """The answer cached under ``key``, else ``fetch()``'s, with a ledger line for it."""
        path = self.state_dir / self.CACHE_DIR / f"{key}{self.SUFFIX}"
        data, fetched = cached_bytes(path, validate, fetch)
        if fetched:
            line = {"time": round(time.time(), 3), **ledger(), "key": key}
            append_jsonl(self.state_dir / self.LEDGER, line)
        return data

    def _post(self, path: str, **request: Any) -> tuple[str, httpx.Response]:
        """The URL and its 200 answer; :class:`ProviderError` saying what to set otherwise."""
        url = self._http.url(path)
        try:
            response = self._http.post(path, **request)
        except httpx.TransportError as e:
            raise ProviderError(self._unreachable(url, e)) from e
        if response.status_code != 200:
            raise ProviderError(self._failed(url, response))
        return url, response

    # -- messages that say what to do ------------------------------------------------------

    def _exists_hint(self) -> str:
        """What must exist on the server, for a refusal with no better hint."""
        return f"model '{self.model}'"

    def _unreachable(self, url: str, error: Exception) -> str:
        env = f"CLIFFHANGER_{self.SECTION.upper()}__"
        return (
            f"cannot reach the {self.SECTION} server at {url} ({type(error).__name__}: "
            f"{self._http.scrub(str(error)) or 'no detail'}; {self._http.tries} tries). "
            f"Is it running? Point {env}BASE_URL at it, e.g. {self.EXAMPLE_URL} "
            f"(`python -m {self.FAKE_SERVER}` serves a fake one), or set {self.OFFLINE}."
        )

    def _failed(self, url: str, response: httpx.Response) -> str:
        env = f"CLIFFHANGER_{self.SECTION.upper()}__"
        server = f"the {self.SECTION} server at {url}"
        status = response.status_code
        detail = self._http.detail(response)
        if status == 429 or status >= 500:
            what = "is rate-limiting us" if status == 429 else "keeps failing"
            return (
                f"{server} {what} (HTTP {status} after {self._http.tries} tries: {detail}). "
                f"Try again later (finished {self.KEPT} are kept), lower {env}CONCURRENCY "
                f"or raise {env}MAX_RETRIES."
            )
        hint = {
            401: f"set {env}API_KEY (or OPENAI_API_KEY) to a valid key",
            403: f"the key may lack access to this model; check {env}API_KEY",
            404: f"check that {env}BASE_URL ends in /v1 and serves {self.SERVES}",
        }.get(status, f"check that {self._exists_hint()} exist there")
        return f"{server} refused the request (HTTP {status}: {detail}); {hint}."
