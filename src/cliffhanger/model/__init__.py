"""Frozen domain types: the bible, the outline and the script, and the words they share."""

from __future__ import annotations

from cliffhanger.model.bible import (
    Appearance,
    Bible,
    Character,
    Location,
    Relationship,
    Role,
    Secret,
    Twist,
    Voice,
)
from cliffhanger.model.look import Look, SetLook
from cliffhanger.model.outline import Beat, BeatKind, EpisodeOutline, Outline
from cliffhanger.model.script import Action, BeatMarker, Element, Line, Scene, Script, Transition

__all__ = [
    "Action",
    "Appearance",
    "Beat",
    "BeatKind",
    "BeatMarker",
    "Bible",
    "Character",
    "Element",
    "EpisodeOutline",
    "Line",
    "Location",
    "Look",
    "Outline",
    "Relationship",
    "Role",
    "Scene",
    "Script",
    "Secret",
    "SetLook",
    "Transition",
    "Twist",
    "Voice",
]
