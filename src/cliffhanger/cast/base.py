"""The cast's interface: providers draw actors (sprites in poses) and sets (depth layers).

A :class:`Caster` is chosen by name from :data:`CASTERS` (``[cast] provider`` in
``cliffhanger.toml``): ``puppet`` draws offline, ``files`` reads the user's PNGs, ``image``
asks an OpenAI-compatible images endpoint. Every provider hands back the same types, so the
renderer never knows which one drew a picture:

* :meth:`Actor.draw` → :class:`Sprite`: a half-body portrait, straight (not premultiplied)
  RGBA ``uint8`` of shape ``(height, width, 4)``, with the face and mouth boxes the
  storyboard frames close-ups on.
* :meth:`Caster.set` → :class:`SetPlate`: back-to-front :class:`SetLayer` s, each a little
  wider than the frame so the camera can pan with parallax.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Protocol, get_args

import numpy as np
import skia
from numpy.typing import NDArray

from cliffhanger.model.bible import Character, Location
from cliffhanger.model.emotions import EXPRESSIONS
from cliffhanger.model.look import Look, SetLook
from cliffhanger.registry import Registry
from cliffhanger.settings import Settings

Angle = Literal["front", "left", "right"]  # left/right: three-quarter, turned to that side
ANGLES: tuple[Angle, ...] = get_args(Angle)
Mouth = Literal["rest", "mbp", "a", "ei", "ou", "fv"]  # the lip-sync shapes (voice makes them)
MOUTHS: tuple[Mouth, ...] = get_args(Mouth)
Expression = str  # one of EXPRESSIONS: neutral, happy, smug, angry, sad, crying, shocked, ...

RGBA = NDArray[np.uint8]


@dataclass(frozen=True, order=True)
class Pose:
    angle: Angle = "front"
    expression: Expression = "neutral"
    mouth: Mouth = "rest"
    blink: bool = False

    def __post_init__(self) -> None:
        if self.expression not in EXPRESSIONS:
            raise ValueError(f"unknown expression {self.expression!r}; one of {EXPRESSIONS}")
        if self.angle not in ANGLES:
            raise ValueError(f"unknown angle {self.angle!r}; one of {ANGLES}")
        if self.mouth not in MOUTHS:
            raise ValueError(f"unknown mouth shape {self.mouth!r}; one of {MOUTHS}")

    @property
    def label(self) -> str:
        return f"{self.angle}/{self.expression}/{self.mouth}" + ("/blink" if self.blink else "")


Box = tuple[int, int, int, int]  # x0, y0, x1, y1 in pixels, x1/y1 exclusive


@dataclass(frozen=True, eq=False)
class Sprite:
    """One drawn pose. ``rgba`` is straight alpha; fully transparent pixels are all zero."""

    rgba: RGBA
    face: Box  # the head, hair included: what a close-up frames
    mouth: Box  # where the mouth shapes are drawn; nothing outside it changes between them

    @property
    def size(self) -> tuple[int, int]:
        return int(self.rgba.shape[1]), int(self.rgba.shape[0])


class Actor(Protocol):
    """A character ready to be drawn; cheap to make, holds no open resources."""

    @property
    def id(self) -> str: ...

    def draw(self, pose: Pose, height: int) -> Sprite:
        """The pose at ``height`` pixels tall (width follows the actor's own aspect)."""
        ...


@dataclass(frozen=True, eq=False)
class SetLayer:
    rgba: RGBA  # straight alpha; the back layer is opaque
    depth: float  # 0 = far (moves least when the camera pans), 1 = nearest
    blur: float  # gaussian sigma in pixels at this size: the depth of field


SET_MARGIN = 0.1  # how far past each edge of the frame a set reaches, for camera pans


def layer_size(width: int, height: int, margin: float = SET_MARGIN) -> tuple[int, int]:
    """The pixel size of a set layer: the frame grown by ``margin`` on every side."""
    return round(width * (1 + 2 * margin)), round(height * (1 + 2 * margin))


@dataclass(frozen=True, eq=False)
class SetPlate:
    """A set for a ``width`` × ``height`` frame; layers run back to front and are each
    ``margin`` × the frame's size on every side larger, so a pan never shows an edge."""

    width: int
    height: int
    margin: float
    layers: tuple[SetLayer, ...]


class Caster(Protocol):
    """A cast provider. Picklable (tasks run in worker processes); ``fingerprint`` names the
    settings that change its pictures, never secrets: it is part of every cache key."""

    name: str

    def fingerprint(self) -> str: ...

    def actor(self, character: Character, look: Look) -> Actor: ...

    def set(self, location: Location, look: SetLook, width: int, height: int) -> SetPlate: ...

    def close(self) -> None: ...


CasterFactory = Callable[[Settings, Path], Caster]  # (settings, project root)
CASTERS: Registry[Caster] = Registry(
    "cast provider",
    {
        "files": "cliffhanger.cast.files",
        "image": "cliffhanger.cast.image",
        "puppet": "cliffhanger.cast.puppet.caster",
    },
)


def premultiply(rgba: RGBA, *, bgra: bool = False) -> RGBA:
    """Straight → premultiplied alpha, rounding to nearest (skia's conversion: the same bytes
    as ``(c·a + 127) // 255``, several times faster than numpy). ``bgra``: with red and
    blue swapped in the same pass (what OpenCV and the encoder take; half the time of a
    numpy swizzle after it)."""
    image = skia.Image.fromarray(
        np.ascontiguousarray(rgba),
        colorType=skia.kRGBA_8888_ColorType,
        alphaType=skia.kUnpremul_AlphaType,
    )
    colour = skia.kBGRA_8888_ColorType if bgra else skia.kRGBA_8888_ColorType
    out: RGBA = image.toarray(colorType=colour, alphaType=skia.kPremul_AlphaType)
    return out


def unpremultiply(rgba: RGBA) -> RGBA:
    """Premultiplied → straight alpha; fully transparent pixels become all zero (no halos).
    Skia's conversion: ~18× numpy's integer division on a 1296×2304 set layer (13 against
    236 ms), within 1 of it on the 0.4 % of values it rounds the other way."""
    image = skia.Image.fromarray(
        np.ascontiguousarray(rgba),
        colorType=skia.kRGBA_8888_ColorType,
        alphaType=skia.kPremul_AlphaType,
    )
    out: RGBA = image.toarray(
        colorType=skia.kRGBA_8888_ColorType, alphaType=skia.kUnpremul_AlphaType
    )
    out[rgba[..., 3] == 0] = 0
    return out
