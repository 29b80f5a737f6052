"""The puppet's painted sets: twelve places drawn offline in a flat motion-comic style.

:func:`draw_set` paints a :class:`~cliffhanger.model.look.SetLook` as three depth layers
(``back`` opaque, ``mid`` furniture, ``near`` framing foreground) for the renderer to pan
with parallax and to put the actors between ``mid`` and ``near``; :func:`flatten` (from
:mod:`cliffhanger.cast.compose`) composites them into one frame, for previews and tests::

    plate = draw_set(SetLook(kind="rooftop", time_of_day="dusk"), 540, 960)
    frame = flatten(plate)  # (960, 540, 4) opaque RGBA

The same look and size always give the same pixels: layout varies only with
``look.variant``, through a random stream seeded by the kind and the variant.
"""

from __future__ import annotations

from collections.abc import Callable

from cliffhanger.cast.base import SET_MARGIN, SetLayer, SetPlate
from cliffhanger.cast.compose import flatten
from cliffhanger.cast.puppet.sets import outdoors, rooms, streets, venues
from cliffhanger.cast.puppet.sets.stage import Stage
from cliffhanger.model.look import SetKind, SetLook

__all__ = ["draw_set", "flatten"]  # flatten: re-exported from cast.compose

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
