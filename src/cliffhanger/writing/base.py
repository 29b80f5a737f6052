"""The writers' room interface: premise → bible → outline → one script per episode.

Every writer (the offline ``local`` story engine, the ``openai`` LLM writer, ...) implements
:class:`Writer` and registers a factory in :data:`WRITERS`. The pipeline calls the three
steps as separate stages so each is cached on its own inputs: editing one episode's outline
re-scripts that episode only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from cliffhanger.model import Bible, EpisodeOutline, Outline, Script
from cliffhanger.registry import Registry
from cliffhanger.settings import Settings


@dataclass(frozen=True, slots=True)
class SeriesRequest:
    """What the user asked for; everything a writer may use besides its own settings."""

    premise: str
    episodes: int = 60
    seconds: int = 90
    language: str = "en"
    seed: int = 0
    paywall_episode: int = 8
    words_per_minute: float = 140.0

    @classmethod
    def from_settings(cls, settings: Settings) -> SeriesRequest:
        s = settings.series
        return cls(
            premise=s.premise,
            episodes=s.episodes,
            seconds=s.seconds,
            language=s.lang,
            seed=s.seed,
            paywall_episode=min(s.paywall_episode, s.episodes),
            words_per_minute=settings.writing.words_per_minute,
        )


class Writer(Protocol):
    """A writers' room. Implementations must be picklable (stages run in worker processes)."""

    @property
    def name(self) -> str:
        """The registry name, e.g. ``"local"``."""
        ...

    @property
    def io_bound(self) -> bool:
        """True: the runner uses threads (``llm.concurrency`` of them), not processes."""
        ...

    def fingerprint(self) -> dict[str, object]:
        """Settings that change this writer's output; part of every cache key (no secrets)."""
        ...

    def develop(self, request: SeriesRequest) -> Bible:
        """Premise → series bible. Raises PremiseError for an unusable premise."""
        ...

    def outline(self, request: SeriesRequest, bible: Bible) -> Outline:
        """Bible → per-episode beats for ``bible.episodes`` episodes."""
        ...

    def script(
        self,
        request: SeriesRequest,
        bible: Bible,
        episode: EpisodeOutline,
        previous: EpisodeOutline | None,
    ) -> Script:
        """One episode's beats → its screenplay. ``previous`` is the episode before, if any."""
        ...

    def close(self) -> None:
        """Release connections or pools; the pipeline calls it when a command is done."""
        ...


WRITERS: Registry[Writer] = Registry(
    "writer",
    {"local": "cliffhanger.writing.local.writer", "openai": "cliffhanger.writing.openai"},
)
"""Factories are called as ``factory(settings, state_dir)``: the project
:class:`~cliffhanger.settings.Settings` and the project's private folder
(``<project>/.cliffhanger``) where a writer may keep caches and usage records."""
