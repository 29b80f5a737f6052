"""How a character's voice is made: the concrete, editable half of the bible's ``Voice``.

The bible says in words how someone sounds ("a young woman's voice, bright and quick"); a
:class:`VoiceTune` says it in numbers a synthesizer and a voice-design step apply the same
way in every episode: which base voice, the median pitch to move it to, the formant shift
that changes the apparent vocal tract (Praat's "Change gender"), the speaking rate and the
timbre. ``write`` derives one per character and records it in ``bible.yaml``.
"""

from __future__ import annotations

from pydantic import Field

from cliffhanger.model.base import Frozen


class VoiceTune(Frozen):
    base: str = "joe"  # the provider's base voice (piper: the bundled voice; espeak: a variant)
    pitch_hz: float = Field(default=120.0, ge=50.0, le=500.0)  # median F0 to move speech to
    pitch_range: float = Field(default=1.0, ge=0.3, le=2.5)  # intonation: 1 keeps it
    formant: float = Field(default=1.0, ge=0.7, le=1.4)  # >1 shorter tract (brighter, younger)
    rate: float = Field(default=1.0, ge=0.6, le=1.6)  # speaking speed: 1 is the base voice's
    brightness: float = Field(default=0.0, ge=-12.0, le=12.0)  # high-shelf tilt in dB (timbre)
    breathiness: float = Field(default=0.0, ge=0.0, le=1.0)  # air mixed into the voice
