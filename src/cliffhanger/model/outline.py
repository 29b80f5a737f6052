"""The outline: every episode as a run of beats, with who learns which secret when.

Stored as ``outline.yaml``; a person may edit it, and the scripts are realized from it.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field, model_validator

from cliffhanger.model.base import Frozen
from cliffhanger.model.bible import Slug


class BeatKind(StrEnum):
    HOOK = "hook"  # the cold open: mid-crisis, often the payoff of the last cliffhanger
    SETUP = "setup"
    REVERSAL = "reversal"  # the situation flips against expectation
    REVEAL = "reveal"  # a secret comes out (to someone)
    HUMILIATION = "humiliation"
    FACE_SLAP = "face_slap"  # the underestimated one is vindicated in public
    CONFRONTATION = "confrontation"
    RESCUE = "rescue"
    ROMANCE = "romance"
    BETRAYAL = "betrayal"
    THREAT = "threat"
    CLIFFHANGER = "cliffhanger"  # the unresolved ending

    @property
    def is_jolt(self) -> bool:
        """Beats that deliver the emotional jolt the format needs every 30-45 s."""
        return self in _JOLTS


_JOLTS = {
    BeatKind.REVERSAL,
    BeatKind.REVEAL,
    BeatKind.HUMILIATION,
    BeatKind.FACE_SLAP,
    BeatKind.RESCUE,
    BeatKind.BETRAYAL,
    BeatKind.THREAT,
}


class Beat(Frozen):
    kind: BeatKind
    summary: str
    location: Slug
    characters: tuple[Slug, ...] = ()
    emotion: str = "neutral"
    seconds: float = Field(gt=0, default=10.0)
    reveals: Slug | None = None  # a secret that comes out in this beat
    learned_by: tuple[Slug, ...] = ()  # who learns it here
    departs: tuple[Slug, ...] = ()  # characters who leave the story here (arrest, death, exile)
    returns: tuple[Slug, ...] = ()  # characters who come back here
    cliffhanger_kind: str | None = None  # for cliffhanger beats: door, call, name, threat, ...


class EpisodeOutline(Frozen):
    number: int = Field(ge=1)
    title: str
    summary: str
    seconds: int = Field(ge=15)
    paywall: bool = False
    beats: tuple[Beat, ...]

    @model_validator(mode="after")
    def _shape(self) -> EpisodeOutline:
        if not self.beats:
            raise ValueError(f"episode {self.number} has no beats")
        return self

    @property
    def cliffhanger(self) -> Beat | None:
        last = self.beats[-1]
        return last if last.kind is BeatKind.CLIFFHANGER else None


class Outline(Frozen):
    episodes: tuple[EpisodeOutline, ...]

    @model_validator(mode="after")
    def _numbered(self) -> Outline:
        numbers = [e.number for e in self.episodes]
        if numbers != list(range(1, len(numbers) + 1)):
            raise ValueError(f"episodes must be numbered 1..{len(numbers)} in order, got {numbers}")
        return self

    def episode(self, number: int) -> EpisodeOutline:
        return self.episodes[number - 1]
