"""Warming up the speech provider's model while a command imports the rest."""

from __future__ import annotations

import threading
from pathlib import Path

from cliffhanger.settings import Settings


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
