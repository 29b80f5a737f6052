"""The ``openai`` speech provider: lines from any OpenAI-compatible speech server.

Importing this package registers it as ``openai`` in :data:`cliffhanger.voice.base.SPEAKERS`::

    [voice]
    provider = "openai"
    [speech]
    base_url = "https://api.openai.com/v1"   # key: CLIFFHANGER_SPEECH__API_KEY or OPENAI_API_KEY

:mod:`.fake_server` is a real HTTP server with the same wire format for tests and offline demos.
"""

from __future__ import annotations

from cliffhanger.voice.base import SPEAKERS
from cliffhanger.voice.openai.client import SpeechClient
from cliffhanger.voice.openai.provider import OpenAISpeaker

SPEAKERS.register("openai", OpenAISpeaker.from_settings)

__all__ = ["OpenAISpeaker", "SpeechClient"]
