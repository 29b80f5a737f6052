"""HTTP to one OpenAI-compatible server, with what a season-long batch of calls needs.

The chat client (:mod:`cliffhanger.writing.openai.client`) and the image client
(:mod:`cliffhanger.cast.image.client`) both talk through a :class:`RetryingHTTP`: pooled
connections made on first use, a process-wide limit on requests in flight per server, and
retries with exponential backoff for connection errors, 429 and 5xx, honouring
``Retry-After``::

    http = RetryingHTTP("http://127.0.0.1:8080/v1", api_key=key, max_retries=3)
    response = http.post("/images/generations", json=body)  # after retries; check the status

What a failure *means* (and which setting to change) is the caller's to say; this module
only keeps the API key out of it: the key travels in the ``Authorization`` header and
:meth:`RetryingHTTP.scrub` masks it in any text meant for a person.
"""

from __future__ import annotations

import email.utils
import random
import threading
import time
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from cliffhanger import __version__

_SEMAPHORES: dict[tuple[str, int], threading.BoundedSemaphore] = {}
_SEMAPHORES_LOCK = threading.Lock()


def server_semaphore(base_url: str, size: int) -> threading.BoundedSemaphore:
    """The one semaphore this process uses for ``base_url`` at ``size`` requests in flight.

    Shared by every client in the process, so a writer, a translator and a doctor pointed at
    the same local server cannot together overload it.
    """
    with _SEMAPHORES_LOCK:
        return _SEMAPHORES.setdefault((base_url, size), threading.BoundedSemaphore(size))


class RetryingHTTP:
    """Requests to the server at ``base_url``; safe to share between threads, picklable.

    :meth:`post` returns the first answer that is not worth retrying (any 2xx, 3xx or 4xx
    but 429), or the last one once ``max_retries`` retries are spent; it raises the
    ``httpx.TransportError`` of the last try when the server cannot be reached at all.
    """

    def __init__(
        self,
        base_url: str,
        *,
        api_key: str | None = None,
        timeout_s: float = 120.0,
        max_retries: int = 3,
        concurrency: int = 4,
        backoff_s: float = 0.5,
        max_backoff_s: float = 60.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout_s = timeout_s
        self.max_retries = max_retries
        self.concurrency = concurrency
        self.backoff_s = backoff_s
        self.max_backoff_s = max_backoff_s
        self._api_key = api_key or None
        self._sleep = sleep
        self._init_runtime()

    @property
    def tries(self) -> int:
        """How many times a failing request is sent before :meth:`post` gives up."""
        return self.max_retries + 1

    @property
    def has_key(self) -> bool:
        return self._api_key is not None

    # -- lifecycle: the connection pool is per process, made on first use ------------------

    def _init_runtime(self) -> None:
        self._http: httpx.Client | None = None
        self._http_lock = threading.Lock()
        self._closer: weakref.finalize[Any, Any] | None = None
        self._semaphore = server_semaphore(self.base_url, self.concurrency)

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        for name in ("_http", "_http_lock", "_closer", "_semaphore"):
            state.pop(name, None)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._init_runtime()

    def __repr__(self) -> str:
        return f"RetryingHTTP({self.base_url!r}, key={'set' if self.has_key else 'none'})"

    def close(self) -> None:
        """Close pooled connections; the next request reconnects."""
        with self._http_lock:
            if self._closer is not None:
                self._closer()
            self._http, self._closer = None, None

    def _client(self) -> httpx.Client:
        with self._http_lock:
            if self._http is None:
                timeout = httpx.Timeout(self.timeout_s, connect=min(self.timeout_s, 10.0))
                self._http = httpx.Client(timeout=timeout)
                # A client dropped without close() still releases its sockets.
                self._closer = weakref.finalize(self, self._http.close)
            return self._http

    # -- the call --------------------------------------------------------------------------

    def url(self, path: str) -> str:
        return self.base_url + path

    def post(self, path: str, **request: Any) -> httpx.Response:
        """POST to ``base_url + path``; ``request`` is passed to ``httpx`` (``json=``, ...)."""
        headers = {"User-Agent": f"cliffhanger/{__version__}"}
        if self._api_key:
            headers["Authorization"] = f"Bearer {self._api_key}"
        attempt = 0
        while True:
            try:
                with self._semaphore:
                    response = self._client().post(self.url(path), headers=headers, **request)
            except httpx.TransportError:
                if attempt >= self.max_retries:
                    raise
                delay = self.backoff(attempt, None)
            else:
                status = response.status_code
                if (status != 429 and status < 500) or attempt >= self.max_retries:
                    return response
                delay = self.backoff(attempt, response.headers.get("retry-after"))
            attempt += 1
            self._sleep(delay)

    def backoff(self, attempt: int, retry_after: str | None) -> float:
        """Seconds to wait before retry ``attempt + 1``: the server's word, else exponential."""
        if retry_after is not None and (seconds := parse_retry_after(retry_after)) is not None:
            return min(seconds, self.max_backoff_s)
        base = self.backoff_s * 2.0**attempt
        return min(self.max_backoff_s, base * (1 + 0.25 * random.random()))

    # -- text for people -------------------------------------------------------------------

    def scrub(self, text: str) -> str:
        """``text`` with the API key masked."""
        return text.replace(self._api_key, "***") if self._api_key else text

    def detail(self, response: httpx.Response) -> str:
        """The server's own error message (OpenAI-style ``{"error": ...}``), short, scrubbed."""
        try:
            data = response.json()
            message = data["error"]["message"] if isinstance(data["error"], dict) else data["error"]
        except (ValueError, KeyError, TypeError):
            message = response.text
        return self.scrub(excerpt(str(message))) or response.reason_phrase


def parse_retry_after(value: str) -> float | None:
    """Seconds from a ``Retry-After`` header: a number, or an HTTP date."""
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, float(when.timestamp()) - time.time())


def excerpt(text: str, limit: int = 300) -> str:
    """``text`` on one line, cut to ``limit`` characters."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class EndpointClient:
    """One server and model behind :class:`RetryingHTTP`: what every client of an
    OpenAI-compatible endpoint (chat, images, speech) starts from. Its repr names the server
    and model and whether a key is set, never the key."""

    def __init__(
        self,
        base_url: str,
        model: str,
        *,
        state_dir: Path,
        api_key: str | None,
        timeout_s: float,
        max_retries: int,
        concurrency: int,
        backoff_s: float,
        max_backoff_s: float,
        sleep: Callable[[float], None],
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.model = model
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

    def __repr__(self) -> str:
        key = "set" if self._http.has_key else "none"
        return f"{type(self).__name__}({self.base_url!r}, {self.model!r}, key={key})"

    def close(self) -> None:
        """Close pooled connections; the client stays usable and reconnects on the next call."""
        self._http.close()
