"""The offline writers' room: premise → bible → outline → scripts, with no model and no network.

Registered as ``local`` in :data:`~cliffhanger.writing.base.WRITERS` when this module is
imported::

    writer = WRITERS.create("local", settings, state_dir)
    bible = writer.develop(request)
    outline = writer.outline(request, bible)
    script = writer.script(request, bible, outline.episode(1), None)
"""

from __future__ import annotations

from dataclasses import dataclass

from cliffhanger.model import Bible, EpisodeOutline, Outline, Script
from cliffhanger.writing.base import WRITERS, SeriesRequest

VERSION = 4
"""Bump whenever the same request would get a different bible, outline or script."""


@dataclass(frozen=True)
class LocalWriter:
    """The built-in story engine: deterministic for a seed, fast, CPU only, English text."""

    # plain class attributes, not fields: the Writer protocol reads them as variables
    name = "local"
    io_bound = False  # CPU work: the runner spreads episodes over processes

    def fingerprint(self) -> dict[str, object]:
        return {"engine": "local", "version": VERSION}

    def develop(self, request: SeriesRequest) -> Bible:
        from cliffhanger.writing.local.develop import develop

        return develop(request)

    # The engine's modules load when asked for work: a render that only checks the
    # scripts are fresh fingerprints the writer and needs none of them (0.03 s).
    def outline(self, request: SeriesRequest, bible: Bible) -> Outline:
        from cliffhanger.writing.local.outline import plan_outline

        return plan_outline(request, bible)

    def script(
        self,
        request: SeriesRequest,
        bible: Bible,
        episode: EpisodeOutline,
        previous: EpisodeOutline | None,
    ) -> Script:
        from cliffhanger.writing.local.realize import realize

        return realize(request, bible, episode, previous)

    def close(self) -> None:
        """Nothing to release: the local engine holds no connections or pools."""


WRITERS.register("local", lambda settings, state_dir: LocalWriter())
