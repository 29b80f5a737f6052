"""Appearance words → drawable looks: the bridge between what a writer wrote and what we draw.

A bible says "honey blonde", "a low chignon", "a crimson qipao"; the puppet needs ``#c99a50``,
``low_bun``, ``dress`` in ``#a3152b``. :func:`complete_looks` fills every missing
:class:`~cliffhanger.model.look.Look` and :class:`~cliffhanger.model.look.SetLook` in a bible
from those words (tables in ``cast/data/looks.yaml``), and keeps every look a person set.

The words win where they are specific; where they are not, a seeded choice fills the gap so that
a viewer can tell the cast apart: no two characters share a hair style in the same hair colour,
and no two wear outfits of nearly the same main colour.

>>> hair_style("a low chignon"), outfit_kind("a crimson qipao"), outfit_colours("a crimson qipao")
('low_bun', 'dress', ('#a3152b', None))
"""

from __future__ import annotations

import colorsys
import random
import re
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from importlib import resources
from typing import Any, TypeVar, cast

import yaml

from cliffhanger.model.bible import Bible, Character, Location, Role
from cliffhanger.model.look import (
    ACCESSORIES,
    Accessory,
    BuildKind,
    FaceShape,
    HairStyle,
    Look,
    OutfitKind,
    SetKind,
    SetLook,
    Weather,
)

OUTFIT_DISTANCE = 20.0
"""The least CIE76 ΔE between two characters' outfit colours that a seeded pick accepts."""
HAIR_DISTANCE = 12.0
"""Two heads of hair this close in colour (ΔE) and in the same style read as the same hair."""

_HEX = r"#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{3}\b"
_MODIFIERS = ("dark", "deep", "pale", "light", "soft", "bright", "dusty", "faded", "rich", "muted")
_DARK = "#26262c"  # "a dark suit": dark, but no hue
_NOT_A_TIE = re.compile(r"\b(?:hair tie|tie-dye|no tie|without an? tie)\b")
_SEGMENTS = re.compile(r"\s+(?:and|with|over|under|worn|at)\s+|,\s*")
_OUTFIT_ACCESSORIES = frozenset(
    {"glasses", "pearls", "tie", "bow_tie", "scarf", "badge", "stethoscope", "headband"}
)
_FACIAL_HAIR: tuple[tuple[Accessory, float], ...] = (
    ("stubble", 0.45),
    ("beard", 0.35),
    ("mustache", 0.2),
)
# what a named colour may be mixed with to stand apart: lighter, darker, or (a grey beside
# other greys) a little blue, brown, green or plum
_TINTS = ("#ffffff", "#000000", "#808080", "#2f4a7a", "#7a4a2a", "#3f6a4a", "#6a3a5a")
_PRIORITY = (Role.LEAD, Role.LOVE_INTEREST, Role.ANTAGONIST, Role.RIVAL)
_HERO = frozenset({Role.LEAD, Role.LOVE_INTEREST})
_VILLAIN = frozenset({Role.ANTAGONIST})

T = TypeVar("T", bound=str)


# --- the tables ----------------------------------------------------------------------------


class _Table:
    """Keywords → a value; a match is a whole word (a plural too), or any substring in CJK."""

    def __init__(self, rows: Iterable[tuple[str, Iterable[str]]]) -> None:
        self.rows = [(value, tuple(words)) for value, words in rows]
        self._patterns = [
            (order, value, re.compile(_word_pattern(w)))
            for order, (value, words) in enumerate(self.rows)
            for w in words
        ]

    def matches(self, text: str) -> list[tuple[int, int, int, str]]:
        """(start, end, row order, value) for every keyword found in ``text`` (lower case)."""
        found = []
        for order, value, pattern in self._patterns:
            for m in pattern.finditer(text):
                found.append((m.start(), m.end(), order, value))
        return found

    def first_row(self, text: str) -> str | None:
        """The value of the first row with any keyword in ``text``."""
        rows = [order for _, _, order, _ in self.matches(text)]
        return self.rows[min(rows)][0] if rows else None


def _word_pattern(word: str) -> str:
    if word.isascii():
        return r"(?<![\w'])" + re.escape(word) + r"(?:e?s)?(?!\w)"
    return re.escape(word)


class _Colours:
    """Colour words (with an optional modifier, "pale blue") and ``#rrggbb`` → hex."""

    def __init__(self, table: Mapping[str, str], *, dark: bool = False) -> None:
        self.table = {k.lower(): v.lower() for k, v in table.items()}
        keys = "|".join(_word_pattern(k) for k in sorted(self.table, key=len, reverse=True))
        mods = "|".join(_MODIFIERS)
        alts = [rf"(?P<hex>{_HEX})", f"(?P<key>{keys})", rf"(?P<mod>{mods})[\s-]+(?P<base>{keys})"]
        if dark:
            alts.append(r"(?<!\w)(?P<dark>dark|deep)(?!\w)")
        self.pattern = re.compile("|".join(alts))

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, hex) for each colour named in ``text``, in order."""
        return [(m.start(), m.end(), self._hex(m)) for m in self.pattern.finditer(text.lower())]

    def first(self, text: str) -> str | None:
        found = self.find(text)
        return found[0][2] if found else None

    def _lookup(self, word: str) -> str:
        word = word.strip()
        if word in self.table:
            return self.table[word]
        return self.table.get(word[:-1]) or self.table[word[:-2]]  # the plural it allowed

    def _hex(self, m: re.Match[str]) -> str:
        if m["hex"]:
            v = m["hex"].lower()
            return v if len(v) == 7 else "#" + "".join(c * 2 for c in v[1:])
        if m["key"]:
            return self._lookup(m["key"])
        if m["base"]:
            return _modified(self._lookup(m["base"]), m["mod"])
        return _DARK


@cache
def _data() -> dict[str, Any]:
    res = resources.files("cliffhanger.cast") / "data" / "looks.yaml"
    data: dict[str, Any] = yaml.safe_load(res.read_text(encoding="utf-8"))
    return data


@cache
def _colours(table: str) -> _Colours:
    return _Colours(_data()[table], dark=table == "colours")


@cache
def _table(name: str) -> _Table:
    return _Table((row[0], row[1]) for row in _data()[name])


# --- colour arithmetic ---------------------------------------------------------------------


def _rgb(hex_: str) -> tuple[float, float, float]:
    return int(hex_[1:3], 16) / 255, int(hex_[3:5], 16) / 255, int(hex_[5:7], 16) / 255


def _to_hex(r: float, g: float, b: float) -> str:
    return "#" + "".join(f"{round(min(max(c, 0.0), 1.0) * 255):02x}" for c in (r, g, b))


def _mix(hex_: str, other: str, t: float) -> str:
    a, b = _rgb(hex_), _rgb(other)
    return _to_hex(*(x + (y - x) * t for x, y in zip(a, b, strict=True)))


def _modified(hex_: str, modifier: str) -> str:
    if modifier in ("dark", "deep", "rich"):
        return _mix(hex_, "#000000", 0.4)
    if modifier in ("pale", "light", "soft"):
        return _mix(hex_, "#ffffff", 0.45)
    if modifier in ("faded", "dusty", "muted"):
        return _mix(hex_, "#9a9a9a", 0.35)
    h, s, v = colorsys.rgb_to_hsv(*_rgb(hex_))  # bright
    return _to_hex(*colorsys.hsv_to_rgb(h, min(1.0, s * 1.2), min(1.0, v * 1.15)))


def _lab(hex_: str) -> tuple[float, float, float]:
    def lin(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (lin(c) for c in _rgb(hex_))
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    fx, fy, fz = f(x), f(y), f(z)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def colour_distance(a: str, b: str) -> float:
    """CIE76 ΔE between two ``#rrggbb`` colours: about 2.3 is just noticeable, 20 is clear."""
    la, lb = _lab(a), _lab(b)
    return float(sum((x - y) ** 2 for x, y in zip(la, lb, strict=True)) ** 0.5)


def _nearest_free(candidates: Sequence[str], taken: Sequence[str], least: float) -> str:
    """The first candidate at least ``least`` from every taken colour, else the farthest one."""

    def room(c: str) -> float:
        return min((colour_distance(c, t) for t in taken), default=1e9)

    return next((c for c in candidates if room(c) >= least), max(candidates, key=room))


# --- words → parts of a look ---------------------------------------------------------------


def hair_colour(words: str) -> tuple[str, str | None] | None:
    """``(hair, streak)`` for "honey blonde" or "silver-streaked auburn"; None if unknown."""
    colours = _colours("hair_colours")
    text = words.lower()
    streaked = re.match(r"\s*(.+?)[\s-]streaked\s+(.+)", text)
    if streaked:
        base = colours.first(streaked[2]) or _colours("colours").first(streaked[2])
        streak = colours.first(streaked[1]) or _colours("colours").first(streaked[1])
        return (base, streak) if base else None
    found = colours.first(text) or _colours("colours").first(text)
    return (found, None) if found else None


def skin_colour(words: str) -> str | None:
    return _colours("skins").first(words)


def eye_colour(words: str) -> str | None:
    return _colours("eyes").first(words) or _colours("colours").first(words)


def hair_style(words: str) -> HairStyle | None:
    """The style the first matching row of the table names: "a low chignon" → ``low_bun``."""
    return cast("HairStyle | None", _table("hair_styles").first_row(words.lower()))


def outfit_kind(words: str) -> OutfitKind | None:
    """The outermost garment: "a black turtleneck under a camel overcoat" → ``coat``."""
    match = _main_garment(words.lower())
    return cast("OutfitKind", match[2]) if match else None


def outfit_colours(words: str) -> tuple[str | None, str | None]:
    """(main, accent) colours the outfit words name: the main garment's, then any other."""
    text = words.lower()
    found = _colours("colours").find(text)
    garment = _main_garment(text)
    lo, hi = garment[:2] if garment else (0, len(text))
    mine = [c for s, e, c in found if lo <= s and e <= hi]
    rest = [c for s, e, c in found if not (lo <= s and e <= hi)]
    return (mine[0] if mine else None), (rest[0] if rest else None)


def _main_garment(text: str) -> tuple[int, int, str] | None:
    """(start, end, kind) of the phrase naming the main garment, the one drawn on top."""
    cut = text.rfind(" under ")  # "pyjamas under a hoodie": the hoodie shows
    offset = cut + len(" under ") if cut >= 0 else 0
    matches = _table("outfits").matches(text[offset:])
    if not matches and offset:
        offset, matches = 0, _table("outfits").matches(text)
    if not matches:
        return None
    start, end, _, kind = min(matches, key=lambda m: (m[0], m[0] - m[1], m[2]))
    # the garment's own phrase, "a designer power suit in powder blue": from the joining word
    # before it to the one after it
    joins = list(_SEGMENTS.finditer(text))
    lo = max((j.end() for j in joins if j.end() <= offset + start), default=0)
    hi = min((j.start() for j in joins if j.start() >= offset + end), default=len(text))
    return lo, hi, kind


def accessories_of(phrases: Iterable[str]) -> tuple[Accessory, ...]:
    """The drawable accessories among ``phrases``, one per phrase; unknown ones are dropped."""
    out: list[Accessory] = []
    for phrase in phrases:
        value = _table("accessories").first_row(_NOT_A_TIE.sub(" ", phrase.lower()))
        if value is not None and value not in out:
            out.append(cast("Accessory", value))
    return tuple(out)


def build_kind(words: str) -> BuildKind | None:
    return cast("BuildKind | None", _table("builds").first_row(words.lower()))


def set_kind(words: str) -> SetKind | None:
    """The set a place's words suggest; the keyword nearest the end (the head noun) wins."""
    found = _table("set_kinds").matches(words.lower())
    if not found:
        return None
    return cast("SetKind", max(found, key=lambda m: (m[1], m[1] - m[0], -m[2]))[3])


# --- characters ----------------------------------------------------------------------------


def look_for_cast(characters: Sequence[Character], seed: int) -> tuple[Look, ...]:
    """A look for each character, in order; a character's own ``look`` is kept as it is.

    Deterministic for the characters and the seed. The lead and the love interest draw from
    saturated palettes and the antagonist from dark ones; a colour the outfit words name is
    kept, and the palette picks of the others move away from it.
    """
    drafts = {c.id: c.look or _draft(c, seed) for c in characters}
    fixed = [c for c in characters if c.look is not None]
    free = sorted(
        (c for c in characters if c.look is None),
        key=lambda c: _PRIORITY.index(c.role) if c.role in _PRIORITY else len(_PRIORITY),
    )
    # words first, then palettes: a colour someone wrote moves only for an earlier one
    # that wrote the same colour, and then only to a shade of it
    named = [c for c in free if outfit_colours(c.appearance.outfit)[0] is not None]
    order = fixed + named + [c for c in free if c not in named]
    looks: dict[str, Look] = {c.id: drafts[c.id] for c in fixed}
    for c in order[len(fixed) :]:
        looks[c.id] = _distinct(c, drafts[c.id], list(looks.values()), seed)
    return tuple(looks[c.id] for c in characters)


def _rng(seed: int, character: Character, what: str) -> random.Random:
    return random.Random(f"{seed}:{character.id}:{what}")


def _draft(c: Character, seed: int) -> Look:
    """A look from the words alone, before the rest of the cast is considered."""
    a = c.appearance
    hair, streak = hair_colour(a.hair_color) or (_default_hair(a.age), None)
    build = build_kind(a.build) or "average"
    face_pool = ("round",) if a.age < 13 else tuple(_data()["faces"][build])
    return Look(
        skin=skin_colour(a.skin_tone) or _data()["skins"]["medium"],
        hair=hair,
        streak=streak,
        hair_style=hair_style(a.hair_style) or _default_style(c, seed),
        eyes=eye_colour(a.eye_color) or _data()["eyes"]["brown"],
        face=cast("FaceShape", _rng(seed, c, "face").choice(face_pool)),
        build=build,
        outfit=outfit_kind(a.outfit) or _default_outfit(c),
        accessories=_accessories(c, seed),
        lips="#8f1d2c" if c.role in _VILLAIN and a.gender == "female" and a.age >= 18 else None,
        height=_height(c, build, seed),
    )


def _default_hair(age: int) -> str:
    return str(_data()["hair_colours"]["silver" if age >= 65 else "black"])


def _default_style(c: Character, seed: int) -> HairStyle:
    a = c.appearance
    pools: dict[str, tuple[HairStyle, ...]] = {
        "female": ("long_straight", "long_wavy", "ponytail", "bob"),
        "male": ("crop", "side_part", "tousled"),
        "nonbinary": ("bob", "pixie", "tousled"),
    }
    if a.age >= 60:
        pools = {"female": ("low_bun", "bob"), "male": ("side_part", "slicked")}
    elif a.age < 13:
        pools = {"female": ("ponytail", "braid"), "male": ("tousled", "crop")}
    pool = pools.get(a.gender, pools["female"] + pools["male"])
    return _rng(seed, c, "style").choice(pool)


def _default_outfit(c: Character) -> OutfitKind:
    gender = c.appearance.gender
    return "blouse" if gender == "female" else "shirt" if gender == "male" else "sweater"


def _accessories(c: Character, seed: int) -> tuple[Accessory, ...]:
    a = c.appearance
    worn = _SEGMENTS.split(a.outfit.lower())
    found = set(accessories_of(a.accessories))
    found |= {x for x in accessories_of(worn) if x in _OUTFIT_ACCESSORIES}
    r = _rng(seed, c, "accessories")
    shaven = a.gender == "male" and a.age >= 22 and not found & {"beard", "stubble", "mustache"}
    if shaven and r.random() < (0.5 if a.age >= 45 else 0.3):
        kinds, weights = zip(*_FACIAL_HAIR, strict=True)
        found.add(r.choices(kinds, weights)[0])
    older = a.age >= 50 or c.role in (Role.MENTOR, Role.AUTHORITY)
    if a.age >= 16 and r.random() < (0.3 if older else 0.08):
        found.add("glasses")
    return tuple(x for x in ACCESSORIES if x in found)


def _height(c: Character, build: BuildKind, seed: int) -> float:
    a = c.appearance
    h = {"female": 0.93, "male": 1.0}.get(a.gender, 0.96)
    if a.age < 16:
        h = 0.7 + max(0, a.age - 4) * 0.022 if a.age < 13 else h - 0.04
    elif a.age >= 70:
        h -= 0.02
    words = a.build.lower()
    h += 0.05 if "tall" in words else -0.04 if re.search(r"petite|short|small", words) else 0
    h += 0.02 if build == "broad" else 0.0
    h += _rng(seed, c, "height").uniform(-0.02, 0.02)
    return round(min(max(h, 0.7), 1.2), 2)


def _distinct(c: Character, look: Look, others: list[Look], seed: int) -> Look:
    """``look`` with its hair and outfit colours moved clear of the looks already placed."""
    style, hair = look.hair_style, look.hair
    neighbours: list[HairStyle] = [style, *_data()["hair_neighbours"][style]]
    style = next((s for s in neighbours if _hair_free(s, hair, others)), style)
    towards = "#ffffff" if _lab(hair)[0] < 60 else "#000000"
    for _ in range(16):  # every near style taken: a shade of the same hair
        if _hair_free(style, hair, others):
            break
        hair = _mix(hair, towards, 0.12)
    named, named_accent = outfit_colours(c.appearance.outfit)
    taken = [o.colors[0] for o in others]
    r = _rng(seed, c, "palette")
    if named is not None:  # the words' colour, or the nearest shade of it that stands apart
        shades = [_mix(named, tint, t) for t in (0.0, 0.15, 0.3, 0.45, 0.6) for tint in _TINTS]
        shades.sort(key=lambda shade: colour_distance(shade, named))
        main = _nearest_free(shades, taken, OUTFIT_DISTANCE)
    else:
        group = "hero" if c.role in _HERO else "villain" if c.role in _VILLAIN else "other"
        palettes = _data()["outfit_palettes"]
        everything = [hex_ for palette in palettes.values() for hex_ in palette]
        pool = _shuffled(r, palettes[group]) + _shuffled(r, everything)
        main = _nearest_free(pool, taken, OUTFIT_DISTANCE)
    side = "light" if _lab(main)[0] < 55 else "dark"
    accent = named_accent or r.choice(_data()["accents"][side])
    return look.model_copy(update={"hair_style": style, "hair": hair, "colors": (main, accent)})


def _hair_free(style: str, hair: str, others: Sequence[Look]) -> bool:
    return all(
        o.hair_style != style or colour_distance(o.hair, hair) >= HAIR_DISTANCE for o in others
    )


def _shuffled(r: random.Random, items: Sequence[T]) -> list[T]:
    out = list(items)
    r.shuffle(out)
    return out


# --- places --------------------------------------------------------------------------------


def set_look_for(location: Location, seed: int) -> SetLook:
    """The painted set for a place; its own ``look`` when it has one."""
    if location.look is not None:
        return location.look
    r = random.Random(f"{seed}:{location.id}:set")
    words = f"{location.name} {location.description}".lower()
    night = location.time_of_day in ("night", "dusk")
    kind = location.kind if location.kind != "other" else _kind_of_other(location, words, night)
    weather = cast("Weather | None", _table("weather").first_row(words))
    if weather is None:
        weather = "rain" if kind == "street_night" and r.random() < 0.4 else "clear"
    palette = r.choice(_data()["set_palettes"][kind])
    return SetLook(
        kind=kind,
        time_of_day=location.time_of_day,
        palette=(palette[0], palette[1], palette[2]),
        weather=weather,
        variant=r.randrange(1000),
    )


def _kind_of_other(location: Location, words: str, night: bool) -> SetKind:
    kind = set_kind(location.name) or set_kind(location.description)
    if kind is None:  # no telling words: the light decides
        if location.interior:
            return "bedroom" if night else "mansion_living_room"
        return "street_night" if night else "rooftop"
    if kind == "rooftop" and night and re.search(r"\bbridge\b", words):
        return "street_night"  # a bridge by day is open sky; by night, a lit street
    return kind


# --- the bible -----------------------------------------------------------------------------


def complete_looks(bible: Bible, seed: int) -> Bible:
    """``bible`` with every missing look filled in; the looks it already has are untouched."""
    looks = look_for_cast(bible.characters, seed)
    characters = tuple(
        c if c.look is not None else c.model_copy(update={"look": look})
        for c, look in zip(bible.characters, looks, strict=True)
    )
    locations = tuple(
        loc if loc.look is not None else loc.model_copy(update={"look": set_look_for(loc, seed)})
        for loc in bible.locations
    )
    return bible.with_(characters=characters, locations=locations)
