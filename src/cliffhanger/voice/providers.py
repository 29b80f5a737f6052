"""Registers every built-in speech provider with :data:`~cliffhanger.voice.base.SPEAKERS`."""

from __future__ import annotations

import threading
from importlib import import_module
from pathlib import Path

from cliffhanger.settings import Settings

BUILTIN = {
    "espeak": "cliffhanger.voice.espeak",
    "openai": "cliffhanger.voice.openai",
    "piper": "cliffhanger.voice.piper",
}


def load_speakers(name: str | None = None) -> None:
    """Import the built-in speakers so their registrations run (idempotent); given a
    ``name`` it knows, only that one. An unknown name loads them all, for the error to
    list."""
    for provider, module in BUILTIN.items():
        if name is None or name not in BUILTIN or provider == name:
            import_module(module)


def warm_up(settings: Settings, root: Path) -> threading.Thread | None:
    """Start loading the speech model in the background (about a second for piper), so it
    is ready when the first line is spoken; the caller imports the rest of the stage
    meanwhile. Nothing to do for providers without a model to load."""
    if settings.voice.provider != "piper":
        return None

    def load() -> None:
        from cliffhanger.voice.piper import PiperSpeaker

        try:
            PiperSpeaker.from_settings(settings, root).warm()
        except Exception:
            return

    thread = threading.Thread(target=load, name="voice-warm-up", daemon=True)
    thread.start()
    return thread
