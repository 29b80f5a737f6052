"""The ``puppet`` cast provider: offline, deterministic vector drawing of actors and sets."""

from __future__ import annotations

from pathlib import Path

from cliffhanger.cast.base import CASTERS, SetPlate
from cliffhanger.cast.puppet.actor import PuppetActor
from cliffhanger.model.bible import Character, Location
from cliffhanger.model.look import Look, SetLook
from cliffhanger.settings import Settings

VERSION = 3  # bump when the drawing changes: it is part of every cast cache key


class PuppetCaster:
    name = "puppet"

    def fingerprint(self) -> str:
        return f"puppet/{VERSION}"

    def actor(self, character: Character, look: Look) -> PuppetActor:
        return PuppetActor.of(character.id, character.appearance, look)

    def set(self, location: Location, look: SetLook, width: int, height: int) -> SetPlate:
        from cliffhanger.cast.puppet.sets import draw_set

        return draw_set(look, width, height)

    def close(self) -> None:
        pass


def _factory(settings: Settings, root: Path) -> PuppetCaster:
    return PuppetCaster()


CASTERS.register("puppet", _factory)
