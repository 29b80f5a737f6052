"""The voice's interface: speech providers turn a line into :class:`Speech`.

A :class:`Speaker` is chosen by name from :data:`SPEAKERS` (``[voice] provider``): ``piper``
(the bundled neural English voice, offline), ``espeak`` (Debian's espeak-ng, many
languages), ``openai`` (any OpenAI-compatible ``/v1/audio/speech``). It says a line in the
base voice named by the character's :class:`~cliffhanger.model.voicing.VoiceTune`, at the
tune's rate and the delivery's; the voice-design step (``voice/design.py``) then moves its
pitch and formants to the tune and shapes the delivery (louder, breathier, ...).

:class:`Speech` carries the samples at :data:`~cliffhanger.audio.base.RATE` and, where the
provider knows them, the phones with their times; where it does not, the mouth track is
measured from the audio instead (``voice/mouth.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from cliffhanger.audio.base import RATE, Samples
from cliffhanger.model.voicing import VoiceTune
from cliffhanger.registry import Registry
from cliffhanger.settings import Settings


@dataclass(frozen=True)
class Phone:
    """One speech sound and when it is heard, in seconds from the start of the line."""

    symbol: str  # IPA as the provider's phonemizer writes it (espeak-ng style for piper)
    start: float
    end: float


@dataclass(frozen=True, eq=False)
class Speech:
    samples: Samples  # mono float32 at ``rate``
    rate: int = RATE
    phones: tuple[Phone, ...] = ()  # empty: the provider does not know them

    @property
    def seconds(self) -> float:
        return len(self.samples) / self.rate


@dataclass(frozen=True)
class Delivery:
    """How a line is said, from its emotion (see ``voice/prosody.py``): multipliers and
    offsets on top of the character's tune."""

    rate: float = 1.0  # speaking speed multiplier
    pitch_semitones: float = 0.0  # median pitch shift
    pitch_range: float = 1.0  # intonation width multiplier
    gain_db: float = 0.0  # loudness change
    breathiness: float = 0.0  # 0..1 extra air (a whisper is ~1)


class Speaker(Protocol):
    """A speech provider. Picklable; ``fingerprint`` names what changes its audio (never
    secrets) and is part of every line's cache key."""

    name: str

    def fingerprint(self) -> str: ...

    def languages(self) -> tuple[str, ...]:
        """BCP-47-ish codes it can speak (``en``, ``es``, ``zh`` ...)."""
        ...

    def speak(self, text: str, tune: VoiceTune, delivery: Delivery, language: str) -> Speech:
        """``text`` in the tune's base voice at ``tune.rate × delivery.rate``, at :data:`RATE`;
        pitch, formants and the rest of the delivery are applied by the design step."""
        ...

    def close(self) -> None: ...


SpeakerFactory = Callable[[Settings, Path], Speaker]  # (settings, project root)
SPEAKERS: Registry[Speaker] = Registry(
    "voice provider",
    {
        "espeak": "cliffhanger.voice.espeak",
        "openai": "cliffhanger.voice.openai",
        "piper": "cliffhanger.voice.piper",
    },
)
