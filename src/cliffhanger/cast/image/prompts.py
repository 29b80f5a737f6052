"""The words the ``image`` provider sends: a character or a set, described from the bible.

A portrait prompt joins the character's appearance words, their :class:`Look` (hair, skin,
eyes, outfit and accessories, colours named and given as hex), the house style and the pose;
every portrait ends with the same framing sentence so the pictures match. Edits (a mouth
shape, a blink) say only what changes inside the mask.
"""

from __future__ import annotations

from cliffhanger.cast.base import Angle, Expression, Mouth
from cliffhanger.model.bible import Character, Location
from cliffhanger.model.look import Look, SetLook

FRAMING = (
    "Half-body portrait, centred, head and shoulders fully in frame, plain transparent "
    "background, same character in every image, no text."
)
ANGLES: dict[Angle, str] = {
    "front": "facing the viewer",
    "left": "three-quarter view facing left",
    "right": "three-quarter view facing right",
}
EXPRESSIONS: dict[Expression, str] = {
    "neutral": "calm neutral expression",
    "happy": "warm happy smile",
    "smug": "smug half-smile, one eyebrow raised",
    "angry": "angry glare, furrowed brows",
    "sad": "sad, downcast eyes, corners of the mouth down",
    "crying": "crying, tears on the cheeks",
    "shocked": "shocked, eyes wide, eyebrows raised",
    "determined": "determined, jaw set, steady gaze",
}
MOUTHS: dict[Mouth, str] = {
    "rest": "mouth closed and relaxed",
    "mbp": "lips pressed together as if saying 'm'",
    "a": "mouth open saying 'ah'",
    "ei": "mouth wide, teeth showing, saying 'ee'",
    "ou": "lips rounded and pushed forward saying 'oo'",
    "fv": "upper teeth resting on the lower lip saying 'f'",
}
BLINK = "eyes closed in a blink, everything else unchanged"

# A few named colours: image models follow "auburn" far better than "#8d3f1f".
_COLOURS = {
    "black": (20, 20, 20),
    "charcoal": (60, 60, 64),
    "grey": (128, 128, 128),
    "silver": (192, 192, 196),
    "white": (245, 245, 245),
    "dark brown": (60, 40, 28),
    "brown": (110, 72, 44),
    "auburn": (141, 63, 31),
    "chestnut": (149, 90, 60),
    "honey blonde": (214, 170, 100),
    "platinum blonde": (230, 220, 190),
    "fair": (246, 222, 200),
    "light tan": (224, 184, 153),
    "tan": (198, 142, 100),
    "deep brown": (141, 85, 36),
    "red": (190, 40, 40),
    "burgundy": (110, 20, 40),
    "pink": (236, 150, 170),
    "orange": (230, 130, 40),
    "gold": (212, 175, 55),
    "green": (50, 130, 70),
    "teal": (40, 120, 120),
    "blue": (50, 90, 180),
    "navy": (30, 40, 80),
    "purple": (110, 60, 150),
    "beige": (232, 228, 220),
}


def colour(hex_colour: str) -> str:
    """``"#8d3f1f"`` → ``"auburn (#8d3f1f)"``: the nearest named colour, and the exact one."""
    rgb = tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    name = min(
        _COLOURS, key=lambda n: sum((a - b) ** 2 for a, b in zip(_COLOURS[n], rgb, strict=True))
    )
    return f"{name} ({hex_colour})"


def _words(identifier: str) -> str:
    return identifier.replace("_", " ")


def portrait(
    character: Character, look: Look, style: str, angle: Angle, expression: Expression
) -> str:
    """The prompt for one (angle, expression) of a character, mouth at rest, eyes open."""
    a = character.appearance
    accessories = [*a.accessories, *(_words(x) for x in look.accessories)]
    streak = f" with {colour(look.streak)} streaks" if look.streak else ""
    lips = f", {colour(look.lips)} lipstick" if look.lips else ""
    who = (
        f"a {a.age}-year-old {a.gender} character, {look.build} build ({a.build}), "
        f"{look.face} face, {a.skin_tone} skin, skin tone {colour(look.skin)}; "
        f"{_words(look.hair_style)} {colour(look.hair)} hair{streak} ({a.hair_style}, "
        f"{a.hair_color}); {colour(look.eyes)} eyes ({a.eye_color}){lips}; wearing a "
        f"{_words(look.outfit)} in {colour(look.colors[0])} with {colour(look.colors[1])} "
        f"accents ({a.outfit})"
    )
    if accessories:
        who += "; with " + ", ".join(dict.fromkeys(accessories))
    pose = f"{ANGLES[angle]}, {EXPRESSIONS.get(expression, expression)}, {MOUTHS['rest']}"
    return f"{style}. {who}. {pose}. {FRAMING}"


def from_reference(portrait_prompt: str) -> str:
    """A pose drawn from the front, neutral portrait given as the reference image."""
    return (
        "The same character as in the reference image: identical face, hair, skin, eyes, "
        f"outfit and colours; only the pose and expression change. {portrait_prompt}"
    )


def mouth(shape: Mouth) -> str:
    """The edit prompt that redraws only the mouth."""
    return f"The same character, {MOUTHS[shape]}; change only the mouth, keep the style."


def blink() -> str:
    return f"The same character, {BLINK}; keep the style."


def scene(location: Location, look: SetLook, style: str) -> str:
    """The prompt for a location's backdrop, empty of people."""
    where = "interior" if location.interior else "exterior"
    palette = ", ".join(colour(c) for c in look.palette)
    detail = f", {location.description}" if location.description else ""
    weather = "" if look.weather == "clear" else f", {look.weather}"
    return (
        f"{style}. Background plate for a vertical drama: {location.name}{detail}; a "
        f"{_words(look.kind)} {where} at {look.time_of_day}{weather}; palette {palette}. "
        "Vertical 9:16, eye-level camera, empty set, no people, no text."
    )
