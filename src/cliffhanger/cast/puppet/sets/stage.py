"""The lighting of each time of day, and the :class:`Stage` a set is painted on.

Surfaces (walls, furniture) go through :meth:`Stage.lit`, which tints them by the time of
day; light sources (the sky, lamps, neon, the moon) are drawn untinted, so a night set is dim
and blue with its lamps glowing warm, and a dusk set is amber.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from cliffhanger.cast.puppet.sets.paint import RGB, Painter, argb, mix, rgb, shade
from cliffhanger.model.look import SetLook, TimeOfDay


@dataclass(frozen=True)
class Light:
    """How one time of day lights a set."""

    sky: tuple[str, str, str]  # top, middle, horizon
    ambient: str  # multiplies every surface colour
    lamps: float  # 0: lamps off … 1: lamps are the main light
    sun: str | None  # the sun's (or moon's) disc colour
    stars: bool


LIGHTS: dict[TimeOfDay, Light] = {
    "day": Light(("#5d9fe0", "#a9d0f0", "#e4f1f8"), "#ffffff", 0.0, "#fffbe8", False),
    "dawn": Light(("#7d8fc9", "#e9b4bf", "#ffe2c2"), "#f2e4e6", 0.25, "#fff0d0", False),
    "dusk": Light(("#2f3f7e", "#e0787a", "#ffc27a"), "#f5c9a8", 0.6, "#ffd08a", False),
    "night": Light(("#050a1f", "#15224a", "#2e3d6e"), "#5f6f9e", 1.0, "#f4f1dc", True),
}


class Stage:
    """Three layers (``back``, ``mid``, ``near``) and what a set needs to paint them."""

    def __init__(self, look: SetLook, width: int, height: int, margin: float) -> None:
        self.look = look
        self.light = LIGHTS[look.time_of_day]
        self.rng = random.Random(f"{look.kind}:{look.variant}")
        self.back = Painter(width, height, margin)
        self.mid = Painter(width, height, margin)
        self.near = Painter(width, height, margin)
        self.a = self.back.a
        self.wall, self.wood, self.lamp = (rgb(c) for c in look.palette)
        self._ambient = rgb(self.light.ambient)
        # Shapes end at fractional pixels on the layer's edge: an opaque ground keeps the
        # back layer opaque there.
        self.back.canvas.clear(argb(self.lit(self.wall)))

    @property
    def night(self) -> bool:
        """Dark enough that lamps, lit windows and neon are on."""
        return self.light.lamps >= 0.5

    def lamplit(self, weight: float) -> None:
        """Let the room's own lamps (``weight`` 0..1 of the light) warm the ambient light
        when they are on; call before painting an interior."""
        lamp = shade(self.lamp, 0.9)
        self._ambient = mix(self._ambient, lamp, self.light.lamps * weight)

    def lit(self, c: RGB) -> RGB:
        """A surface colour as the time of day lights it."""
        am = self._ambient
        return (c[0] * am[0], c[1] * am[1], c[2] * am[2])

    def sky(self) -> tuple[RGB, RGB, RGB]:
        """The sky's top, middle and horizon colours."""
        top, middle, horizon = (rgb(c) for c in self.light.sky)
        return top, middle, horizon

    def lamp_light(self) -> RGB:
        """The palette's light colour, pushed towards white so it glows."""
        return mix(self.lamp, (1.0, 1.0, 1.0), 0.25)

    def pick(self, lo: float, hi: float) -> float:
        """A layout number from the variant's random stream."""
        return self.rng.uniform(lo, hi)
