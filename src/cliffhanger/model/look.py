"""How a character and a place are drawn: the concrete, editable half of their appearance.

The bible's :class:`~cliffhanger.model.bible.Appearance` says in words what a person looks
like ("a low chignon", "honey blonde"); a :class:`Look` says it in things a renderer can draw
the same way in every shot: colours as ``#rrggbb``, a hair style and an outfit from fixed
lists, and accessories. ``cliffhanger write`` derives both from the words and writes them
into ``bible.yaml``; edit the look to change the drawing. A :class:`SetLook` does the same for
a location: which of the twelve sets it uses, its palette and weather.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal, get_args

from pydantic import AfterValidator, Field

from cliffhanger.model.base import Frozen

_HEX = re.compile(r"^#[0-9a-f]{6}$")


def _hex(v: str) -> str:
    v = v.strip().lower()
    if len(v) == 4 and v.startswith("#"):  # "#abc" → "#aabbcc"
        v = "#" + "".join(c * 2 for c in v[1:])
    if not _HEX.match(v):
        raise ValueError(f"{v!r} is not a colour: write it as #rrggbb, e.g. #8d5524")
    return v


Hex = Annotated[str, AfterValidator(_hex)]

HairStyle = Literal[
    "crop",  # short, neat
    "buzz",
    "side_part",
    "slicked",
    "tousled",
    "curly",
    "pixie",
    "bob",
    "long_straight",
    "long_wavy",
    "ponytail",
    "high_bun",
    "low_bun",
    "braid",
    "topknot",  # ancient / wuxia
    "ancient_long",  # long hair, half tied up with an ornament
    "bald",
]
HAIR_STYLES: tuple[HairStyle, ...] = get_args(HairStyle)

OutfitKind = Literal[
    "suit",  # jacket, shirt, tie
    "blazer",  # jacket over a blouse or open shirt
    "shirt",
    "blouse",
    "dress",
    "tshirt",
    "hoodie",
    "sweater",
    "leather_jacket",
    "uniform",  # school or staff uniform: jacket with a badge
    "scrubs",
    "coat",  # doctor's white coat, trench coat
    "apron",
    "robe",  # hanfu: crossed collar
    "gown",  # evening or wedding gown
]
OUTFITS: tuple[OutfitKind, ...] = get_args(OutfitKind)

Accessory = Literal[
    "glasses",
    "earrings",
    "necklace",
    "pearls",
    "tie",
    "bow_tie",
    "hairpin",
    "crown",
    "headband",
    "scarf",
    "stethoscope",
    "badge",
    "beard",
    "stubble",
    "mustache",
    "mole",
    "scar",
    "flower",
]
ACCESSORIES: tuple[Accessory, ...] = get_args(Accessory)

FaceShape = Literal["oval", "round", "long", "square", "heart"]
BuildKind = Literal["slim", "average", "athletic", "broad", "heavy"]


class Look(Frozen):
    """A character as the puppet draws them; identical in every shot of every episode."""

    skin: Hex
    hair: Hex
    hair_style: HairStyle
    eyes: Hex
    face: FaceShape = "oval"
    build: BuildKind = "average"
    outfit: OutfitKind = "shirt"
    colors: tuple[Hex, Hex] = ("#3b4a6b", "#e8e4dc")  # the outfit's main colour, then its accent
    accessories: tuple[Accessory, ...] = ()
    streak: Hex | None = None  # silver or dyed streaks in the hair
    lips: Hex | None = None  # lipstick; None: a tone of the skin
    height: float = Field(default=1.0, ge=0.7, le=1.2)  # relative, for two-shots


SetKind = Literal[
    "ceo_office",
    "mansion_living_room",
    "banquet_hall",
    "hospital_room",
    "street_night",
    "restaurant",
    "bedroom",
    "car_interior",
    "school_corridor",
    "palace_hall",
    "forest_night",
    "rooftop",
]
SET_KINDS: tuple[SetKind, ...] = get_args(SetKind)
TimeOfDay = Literal["day", "night", "dusk", "dawn"]
Weather = Literal["clear", "rain", "snow", "fog"]


class SetLook(Frozen):
    """A location as a painted set: one of the twelve kinds, lit for its time of day."""

    kind: SetKind
    time_of_day: TimeOfDay = "day"
    palette: tuple[Hex, Hex, Hex] = ("#d9d2c5", "#6b4f3a", "#f2c46d")  # walls, wood/trim, light
    weather: Weather = "clear"
    variant: int = Field(default=0, ge=0, le=999)  # layout variation within the kind
