"""The ``openai`` speech provider: lines said by an OpenAI-compatible ``/v1/audio/speech``.

The character's tune picks the server voice: ``tune.base`` itself when it is one of
``[speech] voices``, otherwise a stable pick from them by the SHA-256 of ``base`` (so a
bible written for piper still casts distinct, repeatable voices). The speed is
``tune.rate × delivery.rate``. The server reports no phone times, so :class:`Speech` has
none and the mouth is measured from the audio.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from pathlib import Path

from cliffhanger.audio.base import RATE, decode_wav, resample
from cliffhanger.errors import ProviderError
from cliffhanger.model.voicing import VoiceTune
from cliffhanger.project import Project
from cliffhanger.settings import Settings
from cliffhanger.voice.base import Delivery, Speech
from cliffhanger.voice.openai.client import SpeechClient


class OpenAISpeaker:
    """Speech from ``client`` in one of ``voices``."""

    name = "openai"

    def __init__(self, client: SpeechClient, voices: tuple[str, ...]) -> None:
        if not voices:
            raise ProviderError("[speech] voices is empty: name at least one server voice")
        self.client = client
        self.voices = voices

    @classmethod
    def from_settings(
        cls, settings: Settings, root: Path, *, environ: Mapping[str, str] | None = None
    ) -> OpenAISpeaker:
        """The registered factory. ``$OPENAI_API_KEY`` is the fallback when no key is set."""
        env = os.environ if environ is None else environ
        client = SpeechClient.from_settings(
            settings.speech,
            Project(Path(root)).state_dir,
            fallback_api_key=env.get("OPENAI_API_KEY"),
        )
        return cls(client, settings.speech.voices)

    def __repr__(self) -> str:
        return f"OpenAISpeaker({self.client!r}, voices={self.voices!r})"

    def fingerprint(self) -> str:
        return f"openai:{self.client.base_url}|{self.client.model}|{','.join(self.voices)}"

    def languages(self) -> tuple[str, ...]:
        # OpenAI's voices read the language of the text; the API does not list them.
        return ("en", "es", "fr", "de", "it", "pt", "nl", "pl", "ru", "ja", "ko", "zh")

    def voice(self, base: str) -> str:
        """``base`` if the server has it, else a stable pick from :attr:`voices`."""
        if base in self.voices:
            return base
        digest = hashlib.sha256(base.encode("utf-8")).digest()
        return self.voices[int.from_bytes(digest[:8], "big") % len(self.voices)]

    def speak(self, text: str, tune: VoiceTune, delivery: Delivery, language: str) -> Speech:
        voice = self.voice(tune.base)
        wav = self.client.speech(
            text, voice=voice, speed=tune.rate * delivery.rate, purpose=f"{voice} {language}"
        )
        samples, rate = decode_wav(wav)  # the client has checked it decodes
        return Speech(resample(samples, rate, RATE), RATE)

    def close(self) -> None:
        self.client.close()
