"""The ``openai`` writer: the writers' room on any OpenAI-compatible chat endpoint.

Each step asks for JSON matching our models' schemas and checks the answer
(:mod:`.checks`); a failed answer goes back to the model with its errors, up to
``llm.max_retries`` times. Long seasons are outlined ``outline_chunk`` episodes per request,
each chunk seeing the bible, the season arc and the episode before, so small local models cope.
Only validated answers are cached, so a re-run never replays a rejected one.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from cliffhanger.errors import InvalidProviderOutput, PremiseError
from cliffhanger.model import Bible, EpisodeOutline, Outline, Script
from cliffhanger.settings import Settings
from cliffhanger.writing.base import SeriesRequest
from cliffhanger.writing.openai import prompts
from cliffhanger.writing.openai.checks import (
    Rejected,
    accept_bible,
    accept_outline_chunk,
    accept_script,
    parse_json,
)
from cliffhanger.writing.openai.client import ChatClient, Message
from cliffhanger.writing.openai.schemas import OutlineChunk, ScriptDraft, schema_of

T = TypeVar("T")

_ECHO_LIMIT = 12_000  # characters of a rejected answer sent back with its errors

BIBLE_SCHEMA = schema_of(Bible)
OUTLINE_SCHEMA = schema_of(OutlineChunk)
SCRIPT_SCHEMA = schema_of(ScriptDraft)


class OpenAIWriter:
    """A :class:`~cliffhanger.writing.base.Writer` backed by a :class:`ChatClient`.

    >>> writer = OpenAIWriter(ChatClient("http://127.0.0.1:11434/v1", "llama3.1",
    ...                                  state_dir=Path(".cliffhanger")))
    >>> writer.fingerprint()["model"]
    'llama3.1'
    """

    name: str = "openai"
    io_bound: bool = True

    def __init__(self, client: ChatClient, *, outline_chunk: int = 10) -> None:
        if outline_chunk < 1:
            raise ValueError("outline_chunk must be at least 1")
        self.client = client
        self.outline_chunk = outline_chunk

    @classmethod
    def from_settings(
        cls, settings: Settings, state_dir: Path, *, environ: Mapping[str, str] | None = None
    ) -> OpenAIWriter:
        """The registered factory. ``$OPENAI_API_KEY`` is the fallback when no key is set."""
        env = os.environ if environ is None else environ
        client = ChatClient.from_settings(
            settings.llm, Path(state_dir), fallback_api_key=env.get("OPENAI_API_KEY")
        )
        return cls(client, outline_chunk=settings.llm.outline_chunk)

    def close(self) -> None:
        self.client.close()

    def fingerprint(self) -> dict[str, object]:
        return {
            "writer": self.name,
            "base_url": self.client.base_url,
            "model": self.client.model,
            "temperature": self.client.temperature,
            "prompt_version": prompts.PROMPT_VERSION,
            "outline_chunk": self.outline_chunk,
        }

    def develop(self, request: SeriesRequest) -> Bible:
        if not request.premise.strip():
            raise PremiseError("the premise is empty: describe the story in a sentence or more")
        return self._ask(
            "develop",
            label="the bible",
            name="bible",
            schema=BIBLE_SCHEMA,
            messages=prompts.develop_messages(request, BIBLE_SCHEMA),
            seed=request.seed,
            accept=lambda data: accept_bible(data, request),
        )

    def outline(self, request: SeriesRequest, bible: Bible) -> Outline:
        episodes: list[EpisodeOutline] = []
        for first in range(1, bible.episodes + 1, self.outline_chunk):
            last = min(bible.episodes, first + self.outline_chunk - 1)
            messages = prompts.outline_messages(
                request,
                bible,
                first=first,
                last=last,
                previous=episodes[-1] if episodes else None,
                schema=OUTLINE_SCHEMA,
            )
            episodes += self._ask(
                "outline",
                label=f"episodes {first}-{last}",
                name="outline",
                schema=OUTLINE_SCHEMA,
                messages=messages,
                seed=request.seed,
                accept=partial(accept_outline_chunk, bible=bible, first=first, last=last),
            )
        return Outline(episodes=tuple(episodes))

    def script(
        self,
        request: SeriesRequest,
        bible: Bible,
        episode: EpisodeOutline,
        previous: EpisodeOutline | None,
    ) -> Script:
        return self._ask(
            "script",
            label=f"episode {episode.number}",
            name="script",
            schema=SCRIPT_SCHEMA,
            messages=prompts.script_messages(request, bible, episode, previous, SCRIPT_SCHEMA),
            seed=request.seed,
            accept=lambda data: accept_script(data, bible, episode),
        )

    def _ask(
        self,
        stage: str,
        *,
        label: str,
        name: str,
        schema: dict[str, Any],
        messages: list[Message],
        seed: int,
        accept: Callable[[dict[str, Any]], T],
    ) -> T:
        """Ask until ``accept`` takes the answer, feeding its errors back; cache the winner.

        The winner is cached under the first request's key, which is what a re-run asks.
        """
        conversation = list(messages)
        first_key = self.client.key_for(messages, schema=schema, seed=seed)
        errors: list[str] = []
        tries = self.client.max_retries + 1
        for _ in range(tries):
            result = self.client.chat(
                stage, conversation, schema=schema, name=name, seed=seed, store=False
            )
            try:
                value = accept(parse_json(result.content, name))
            except Rejected as e:
                errors = e.errors
                if result.finish_reason == "length":
                    errors = ["the answer was cut off (too long); answer more briefly", *errors]
                conversation += [
                    {"role": "assistant", "content": result.content[:_ECHO_LIMIT]},
                    prompts.correction("\n".join(f"- {e}" for e in errors)),
                ]
                continue
            if not result.cached:
                self.client.store(first_key, result)
            return value
        raise InvalidProviderOutput(
            f"stage '{stage}': the model '{self.client.model}' at {self.client.base_url} gave "
            f"no valid {name} for {label} in {tries} tries; last errors: {'; '.join(errors)}. "
            "Try a stronger model (CLIFFHANGER_LLM__MODEL), a lower CLIFFHANGER_LLM__TEMPERATURE "
            "or more CLIFFHANGER_LLM__MAX_RETRIES."
        )
