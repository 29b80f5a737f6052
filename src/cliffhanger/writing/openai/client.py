"""A small synchronous client for OpenAI-compatible chat servers (Ollama, llama.cpp, vLLM, clouds).

It speaks the plain wire format — ``POST {base_url}/chat/completions`` — and adds what a
season-long batch of calls needs: retries with backoff and a process-wide limit on requests in
flight per server (:mod:`cliffhanger.httpretry`), a prompt cache and a usage log with token
costs (see :mod:`.store`)::

    client = ChatClient("http://127.0.0.1:11434/v1", "llama3.1", state_dir=Path(".cliffhanger"))
    answer = client.chat("develop", [{"role": "user", "content": "..."}], schema=..., name="bible")
    answer.content  # the model's text; answer.cached says whether it came from disk

The API key is only ever sent in the ``Authorization`` header: it is not part of the cache
key, the repr, the usage log or any error message.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from cliffhanger.errors import ProviderError
from cliffhanger.httpretry import EndpointClient, excerpt
from cliffhanger.settings import LLMSettings
from cliffhanger.writing.openai.store import (
    CACHE_DIR,
    USAGE_FILE,
    CachedAnswer,
    ResponseCache,
    UsageLog,
    cache_key,
)

Message = dict[str, str]
"""One chat message: ``{"role": "system" | "user" | "assistant", "content": str}``."""


@dataclass(frozen=True, slots=True)
class ChatResult:
    """One answer. ``key`` is its cache key; ``usd`` is 0 for a cached answer."""

    content: str
    model: str
    prompt_tokens: int
    completion_tokens: int
    usd: float
    cached: bool
    key: str
    finish_reason: str | None = None


class ChatClient(EndpointClient):
    """Chat completions against one server and model; safe to share between threads."""

    def __init__(
        self,
        base_url: str,
        model: str,
        *,
        state_dir: Path,
        api_key: str | None = None,
        temperature: float = 0.8,
        timeout_s: float = 120.0,
        max_retries: int = 3,
        concurrency: int = 4,
        usd_per_1k_prompt_tokens: float = 0.0,
        usd_per_1k_completion_tokens: float = 0.0,
        backoff_s: float = 0.5,
        max_backoff_s: float = 60.0,
        cache: bool = True,
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
        self.temperature = temperature
        self.usd_per_1k_prompt_tokens = usd_per_1k_prompt_tokens
        self.usd_per_1k_completion_tokens = usd_per_1k_completion_tokens
        self._cache = ResponseCache(self.state_dir / CACHE_DIR) if cache else None
        self._usage = UsageLog(self.state_dir / USAGE_FILE)
        self._json_schema_ok = True  # flips once the server refuses json_schema with a 400

    @classmethod
    def from_settings(
        cls,
        llm: LLMSettings,
        state_dir: Path,
        *,
        fallback_api_key: str | None = None,
        **options: Any,
    ) -> ChatClient:
        """A client for ``llm``; ``fallback_api_key`` (e.g. ``$OPENAI_API_KEY``) if none set."""
        key = llm.api_key.get_secret_value() if llm.api_key is not None else fallback_api_key
        return cls(
            llm.base_url,
            llm.model,
            state_dir=state_dir,
            api_key=key,
            temperature=llm.temperature,
            timeout_s=llm.timeout_s,
            max_retries=llm.max_retries,
            concurrency=llm.concurrency,
            usd_per_1k_prompt_tokens=llm.usd_per_1k_prompt_tokens,
            usd_per_1k_completion_tokens=llm.usd_per_1k_completion_tokens,
            **options,
        )

    @property
    def max_retries(self) -> int:
        return self._http.max_retries

    def __enter__(self) -> ChatClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the call --------------------------------------------------------------------------

    def key_for(
        self,
        messages: list[Message],
        *,
        schema: dict[str, Any] | None = None,
        seed: int | None = None,
    ) -> str:
        """The cache key of a request: server, model, temperature, messages, schema, seed."""
        return cache_key(
            self.base_url, self.model, self.temperature, messages, schema=schema, seed=seed
        )

    def chat(
        self,
        stage: str,
        messages: list[Message],
        *,
        schema: dict[str, Any] | None = None,
        name: str = "answer",
        seed: int | None = None,
        store: bool = True,
    ) -> ChatResult:
        """Ask once (retrying transport failures); answer from the cache when it can.

        ``schema`` asks for JSON matching it (``response_format`` json_schema, or json_object
        where the server refuses schemas). ``store=False`` leaves the answer out of the cache,
        for callers that first validate it and then call :meth:`store`.
        """
        key = self.key_for(messages, schema=schema, seed=seed)
        if self._cache is not None and (hit := self._cache.get(key)) is not None:
            self._usage.record(
                stage=stage,
                model=hit.model or self.model,
                prompt_tokens=0,
                completion_tokens=0,
                usd=0.0,
                cached=True,
            )
            return ChatResult(hit.content, hit.model or self.model, 0, 0, 0.0, cached=True, key=key)
        body: dict[str, Any] = {
            "model": self.model,
            "messages": messages,
            "temperature": self.temperature,
            "stream": False,
        }
        if seed is not None:
            body["seed"] = seed
        data = self._post(body, schema, name)
        result = self._result(data, messages, key)
        self._usage.record(
            stage=stage,
            model=result.model,
            prompt_tokens=result.prompt_tokens,
            completion_tokens=result.completion_tokens,
            usd=result.usd,
            cached=False,
        )
        if store:
            self.store(key, result)
        return result

    def store(self, key: str, result: ChatResult) -> None:
        """Cache ``result`` under ``key`` (a no-op when caching is off)."""
        if self._cache is not None:
            self._cache.put(
                key,
                CachedAnswer(
                    result.content, result.model, result.prompt_tokens, result.completion_tokens
                ),
            )

    def _post(self, body: dict[str, Any], schema: dict[str, Any] | None, name: str) -> Any:
        url = self._http.url("/chat/completions")
        while True:
            with_schema = schema is not None and self._json_schema_ok
            if with_schema:
                body["response_format"] = {
                    "type": "json_schema",
                    "json_schema": {"name": name, "schema": schema, "strict": False},
                }
            elif schema is not None:
                body["response_format"] = {"type": "json_object"}
            try:
                response = self._http.post("/chat/completions", json=body)
            except httpx.TransportError as e:
                raise ProviderError(self._unreachable(url, e)) from e
            status = response.status_code
            if status == 200:
                return self._json(url, response)
            if status == 400 and with_schema:
                # Older servers know json_object but not json_schema; ask again, once.
                self._json_schema_ok = False
                continue
            if status != 429 and status < 500:
                raise ProviderError(self._rejected(url, response))
            raise ProviderError(self._gave_up(url, response))

    def _json(self, url: str, response: httpx.Response) -> Any:
        try:
            return response.json()
        except ValueError:
            raise ProviderError(
                f"{url} answered 200 but not with JSON ({excerpt(response.text)!r}); "
                "is CLIFFHANGER_LLM__BASE_URL an OpenAI-compatible endpoint ending in /v1?"
            ) from None

    def _result(self, data: Any, messages: list[Message], key: str) -> ChatResult:
        try:
            choice = data["choices"][0]
            content = choice["message"]["content"] or ""
        except (KeyError, IndexError, TypeError):
            raise ProviderError(
                f"{self.base_url}/chat/completions answered without choices[0].message.content "
                f"({excerpt(str(data))!r}); is it an OpenAI-compatible chat endpoint?"
            ) from None
        usage = data.get("usage") or {}
        # Servers that report no usage get an estimate (about 4 characters a token).
        prompt = _int(usage.get("prompt_tokens"), sum(len(m["content"]) for m in messages) // 4)
        completion = _int(usage.get("completion_tokens"), len(content) // 4)
        usd = (
            prompt / 1000 * self.usd_per_1k_prompt_tokens
            + completion / 1000 * self.usd_per_1k_completion_tokens
        )
        return ChatResult(
            content=str(content),
            model=str(data.get("model") or self.model),
            prompt_tokens=prompt,
            completion_tokens=completion,
            usd=usd,
            cached=False,
            key=key,
            finish_reason=choice.get("finish_reason"),
        )

    # -- messages that say what to do ------------------------------------------------------

    def _unreachable(self, url: str, error: Exception) -> str:
        return (
            f"cannot reach the LLM server at {url} ({type(error).__name__}: "
            f"{self._http.scrub(str(error)) or 'no detail'}; {self._http.tries} tries). "
            "Is the server running (for Ollama: `ollama serve`)? "
            "Point CLIFFHANGER_LLM__BASE_URL at it, "
            "e.g. http://127.0.0.1:11434/v1."
        )

    def _gave_up(self, url: str, response: httpx.Response) -> str:
        status = response.status_code
        what = "is rate-limiting us" if status == 429 else "keeps failing"
        return (
            f"the LLM server at {url} {what} (HTTP {status} after {self._http.tries} tries: "
            f"{self._http.detail(response)}). Try again later, lower CLIFFHANGER_LLM__CONCURRENCY "
            "or raise CLIFFHANGER_LLM__MAX_RETRIES."
        )

    def _rejected(self, url: str, response: httpx.Response) -> str:
        status = response.status_code
        hint = {
            401: "set CLIFFHANGER_LLM__API_KEY (or OPENAI_API_KEY) to a valid key",
            403: "the key may lack access to this model; check CLIFFHANGER_LLM__API_KEY",
            404: (
                f"check that CLIFFHANGER_LLM__BASE_URL ends in /v1 and that model "
                f"'{self.model}' exists (for Ollama: `ollama pull {self.model}`)"
            ),
        }.get(status, "check CLIFFHANGER_LLM__MODEL and CLIFFHANGER_LLM__BASE_URL")
        return (
            f"the LLM server at {url} refused the request "
            f"(HTTP {status}: {self._http.detail(response)}); {hint}."
        )


def _int(value: object, default: int) -> int:
    return value if isinstance(value, int) and value >= 0 else default
