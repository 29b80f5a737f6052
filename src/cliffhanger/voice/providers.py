"""Registers every built-in speech provider with :data:`~cliffhanger.voice.base.SPEAKERS`."""

from __future__ import annotations


def load_speakers() -> None:
    """Import the built-in speakers so their registrations run (idempotent)."""
    import cliffhanger.voice.espeak
    import cliffhanger.voice.openai
    import cliffhanger.voice.piper  # noqa: F401
