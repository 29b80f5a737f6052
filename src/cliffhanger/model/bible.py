"""The series bible: who is in the story, where it happens, and the secrets the season turns on.

Stored as ``bible.yaml``; a person may edit it, and every later stage reads it.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Literal

from pydantic import Field, field_validator, model_validator

from cliffhanger.model.base import Frozen
from cliffhanger.model.look import Look, SetKind, SetLook
from cliffhanger.model.voicing import VoiceTune

Slug = str
"""A lower-case identifier, ``[a-z0-9_]+``, stable across edits of a display name."""

_SLUG = re.compile(r"^[a-z0-9][a-z0-9_]*$")


def slugify(text: str) -> Slug:
    """A stable identifier from a display name (non-Latin names keep a hash-free fallback)."""
    slug = re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")
    return slug or "x" + "".join(f"{ord(c):x}" for c in text)[:16]


class Role(StrEnum):
    LEAD = "lead"
    LOVE_INTEREST = "love_interest"
    ANTAGONIST = "antagonist"
    RIVAL = "rival"
    ALLY = "ally"
    MENTOR = "mentor"
    PARENT = "parent"
    SIBLING = "sibling"
    CHILD = "child"
    SERVANT = "servant"
    AUTHORITY = "authority"
    EXTRA = "extra"


Gender = Literal["female", "male", "nonbinary"]


class Appearance(Frozen):
    """How a character looks; the cast stage draws exactly this, in every shot."""

    age: int = Field(ge=1, le=120)
    gender: Gender
    build: str = "average"
    skin_tone: str = "medium"
    hair_style: str = "short"
    hair_color: str = "black"
    eye_color: str = "brown"
    outfit: str = "casual clothes"
    accessories: tuple[str, ...] = ()


class Voice(Frozen):
    """How a character sounds; the voice stage turns this into synthesis settings."""

    pitch: Literal["low", "mid", "high"] = "mid"
    pace: Literal["slow", "measured", "quick"] = "measured"
    temperament: str = "even"
    description: str = ""
    tune: VoiceTune | None = None  # the synthesis settings; derived from the words when absent


class Relationship(Frozen):
    to: Slug
    kind: str
    note: str = ""


class Character(Frozen):
    id: Slug
    name: str
    role: Role
    want: str
    secret: str = ""
    relationships: tuple[Relationship, ...] = ()
    appearance: Appearance
    look: Look | None = None  # how the puppet draws them; derived from appearance when absent
    voice: Voice = Voice()

    @field_validator("id")
    @classmethod
    def _slug(cls, v: str) -> str:
        if not _SLUG.match(v):
            raise ValueError(f"'{v}' is not a slug (lower-case letters, digits, _)")
        return v

    @property
    def cue(self) -> str:
        """The character cue as it appears in a screenplay (upper case)."""
        return self.name.upper()


LocationKind = Literal[SetKind, "other"]  # "other": the nearest set kind is chosen by name


class Location(Frozen):
    id: Slug
    name: str
    kind: LocationKind = "other"
    interior: bool = True
    time_of_day: Literal["day", "night", "dusk", "dawn"] = "day"
    description: str = ""
    look: SetLook | None = None  # the painted set; derived from kind and name when absent

    @property
    def heading(self) -> str:
        """A Fountain scene heading for this place, e.g. ``INT. CEO OFFICE - NIGHT``."""
        prefix = "INT." if self.interior else "EXT."
        return f"{prefix} {self.name.upper()} - {self.time_of_day.upper()}"


class Secret(Frozen):
    """Something one character knows and others must not, until ``revealed_in``."""

    id: Slug
    holder: Slug
    text: str
    known_by: tuple[Slug, ...] = ()
    revealed_in: int = Field(ge=1)
    revealed_to: tuple[Slug, ...] = ()


class Twist(Frozen):
    """A turn of the season arc placed on an episode."""

    episode: int = Field(ge=1)
    kind: str
    description: str
    secret: Slug | None = None
    paywall: bool = False


class Bible(Frozen):
    title: str
    logline: str
    premise: str
    language: str = "en"
    genre: str
    tropes: tuple[str, ...]
    setting: str
    tone: str = ""
    episodes: int = Field(ge=1, le=500)
    seconds: int = Field(ge=15, le=1200)
    paywall_episode: int = Field(ge=1)
    characters: tuple[Character, ...]
    locations: tuple[Location, ...]
    secrets: tuple[Secret, ...] = ()
    arc: tuple[Twist, ...] = ()

    @model_validator(mode="after")
    def _references(self) -> Bible:
        ids = [c.id for c in self.characters]
        if len(set(ids)) != len(ids):
            raise ValueError(
                f"duplicate character ids: {sorted(i for i in ids if ids.count(i) > 1)}"
            )
        known = set(ids)
        for c in self.characters:
            for r in c.relationships:
                if r.to not in known:
                    raise ValueError(f"character '{c.id}' relates to unknown character '{r.to}'")
        for s in self.secrets:
            for who in (s.holder, *s.known_by, *s.revealed_to):
                if who not in known:
                    raise ValueError(f"secret '{s.id}' names unknown character '{who}'")
        secret_ids = {s.id for s in self.secrets}
        for t in self.arc:
            if t.secret is not None and t.secret not in secret_ids:
                raise ValueError(f"twist in episode {t.episode} names unknown secret '{t.secret}'")
        return self

    def character(self, ident: str) -> Character:
        """A character by id or by (case-insensitive) name; KeyError if absent."""
        for c in self.characters:
            if c.id == ident or c.name.upper() == ident.upper():
                return c
        raise KeyError(ident)

    def location(self, ident: str) -> Location:
        for loc in self.locations:
            if loc.id == ident:
                return loc
        raise KeyError(ident)

    def secret(self, ident: str) -> Secret:
        for s in self.secrets:
            if s.id == ident:
                return s
        raise KeyError(ident)
