"""The puppet's painted sets: twelve places drawn offline in a flat motion-comic style.

:func:`draw_set` paints a :class:`~cliffhanger.model.look.SetLook` as three depth layers
(``back`` opaque, ``mid`` furniture, ``near`` framing foreground) for the renderer to pan
with parallax and to put the actors between ``mid`` and ``near``; :func:`flatten` composites
them into one frame, for previews and tests::

    plate = draw_set(SetLook(kind="rooftop", time_of_day="dusk"), 540, 960)
    frame = flatten(plate)  # (960, 540, 4) opaque RGBA

The same look and size always give the same pixels: layout varies only with
``look.variant``, through a random stream seeded by the kind and the variant.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import skia

from cliffhanger.cast.base import RGBA, SET_MARGIN, SetLayer, SetPlate
from cliffhanger.cast.puppet.sets import outdoors, rooms, streets, venues
from cliffhanger.cast.puppet.sets.stage import Stage
from cliffhanger.model.look import SetKind, SetLook

__all__ = ["draw_set", "flatten"]

PAINTERS: dict[SetKind, Callable[[Stage], None]] = {
    "ceo_office": rooms.ceo_office,
    "mansion_living_room": rooms.mansion_living_room,
    "banquet_hall": venues.banquet_hall,
    "hospital_room": venues.hospital_room,
    "restaurant": venues.restaurant,
    "bedroom": rooms.bedroom,
    "street_night": streets.street_night,
    "car_interior": streets.car_interior,
    "school_corridor": streets.school_corridor,
    "palace_hall": outdoors.palace_hall,
    "forest_night": outdoors.forest_night,
    "rooftop": outdoors.rooftop,
}

# Depth of field, as gaussian sigmas in frame heights for (back, mid, near): the actors stand
# between mid and near, in focus. The car's outside rushes past, so it is blurred the most.
BLURS: dict[SetKind, tuple[float, float, float]] = {"car_interior": (0.012, 0.0015, 0.006)}
DEFAULT_BLUR = (0.006, 0.0015, 0.005)
DEPTHS = (0.0, 0.5, 1.0)
RGBA_8888 = skia.kRGBA_8888_ColorType


def draw_set(look: SetLook, width: int, height: int, margin: float = SET_MARGIN) -> SetPlate:
    """Paint ``look`` for a ``width`` × ``height`` frame, as back, mid and near layers each
    ``margin`` × the frame larger on every side."""
    stage = Stage(look, width, height, margin)
    PAINTERS[look.kind](stage)
    sigmas = BLURS.get(look.kind, DEFAULT_BLUR)
    painters = (stage.back, stage.mid, stage.near)
    layers = tuple(
        SetLayer(p.rgba(), depth, sigma * height)
        for p, depth, sigma in zip(painters, DEPTHS, sigmas, strict=True)
    )
    return SetPlate(width, height, margin, layers)


def _premultiplied(rgba: RGBA) -> RGBA:
    """Straight → premultiplied alpha, as skia does it (the same bytes as
    :func:`~cliffhanger.cast.base.premultiply`, several times faster). Blurring needs it:
    skia's image filters would blur a straight-alpha image's colours as they are, drawing
    light halos round dark shapes on a faint haze."""
    image = skia.Image.fromarray(rgba, colorType=RGBA_8888, alphaType=skia.kUnpremul_AlphaType)
    out: RGBA = image.toarray(colorType=RGBA_8888, alphaType=skia.kPremul_AlphaType)
    return out


def flatten(plate: SetPlate, *, blur: bool = True) -> RGBA:
    """The plate's layers composited at the frame's size (the margin cropped evenly), each
    blurred by its own sigma unless ``blur`` is false: opaque RGBA, shape (H, W, 4)."""
    out = np.zeros((plate.height, plate.width, 4), np.uint8)
    canvas = skia.Canvas(out, colorType=RGBA_8888, alphaType=skia.kPremul_AlphaType)
    canvas.clear(skia.ColorBLACK)
    for layer in plate.layers:
        lh, lw = layer.rgba.shape[:2]
        image = skia.Image.fromarray(
            _premultiplied(layer.rgba), colorType=RGBA_8888, alphaType=skia.kPremul_AlphaType
        )
        paint = skia.Paint()
        if blur and layer.blur > 0:
            paint.setImageFilter(
                skia.ImageFilters.Blur(layer.blur, layer.blur, skia.TileMode.kClamp)
            )
        canvas.drawImage(image, -(lw - plate.width) / 2, -(lh - plate.height) / 2, paint=paint)
    out[..., 3] = 255
    return out
