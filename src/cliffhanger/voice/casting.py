"""Voice casting: the bible's words about a voice → a :class:`VoiceTune` per character.

A bible says "low", "quick", "warm and husky"; the design step needs a median pitch in Hz, a
formant ratio, a speaking rate and a timbre. :func:`complete_voices` fills every missing
``voice.tune`` in a bible (and keeps every tune a person set), from:

* who is speaking: the gender presentation and age set the pitch and formant region (women
  180–250 Hz with formants ×1.12–1.2, men 90–135 Hz at ×0.95–1.05, children 250–310 Hz at
  ×1.2–1.3, non-binary voices between); older voices are lower and narrower;
* the words: ``pitch`` low/mid/high places the voice inside its region, ``pace`` sets the rate,
  and temperament and description words colour it (warm → darker, sharp or cold → brighter,
  soft or gentle → breathier, lively → wider intonation);
* the role: an antagonist a shade colder and flatter, a love interest a shade warmer;
* distinctness: a seeded jitter, then a later character is moved until it stands at least one
  unit (:data:`PITCH_STEP` semitones, :data:`FORMANT_STEP`, :data:`RATE_STEP`, combined) from
  every earlier one of the same presentation, so that no two characters sound alike.

>>> tune_for_cast((), 7)
()
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from cliffhanger.model.bible import Bible, Character, Role
from cliffhanger.model.voicing import VoiceTune

PITCH_STEP = 2.0
"""Semitones of median pitch that, alone, make two voices of one presentation distinct."""
FORMANT_STEP = 0.04
RATE_STEP = 0.08


@dataclass(frozen=True)
class _Region:
    """Where one presentation's voices live: pitch (Hz) and formant ratio ranges."""

    pitch: tuple[float, float]
    formant: tuple[float, float]


_REGIONS = {
    "female": _Region((180.0, 250.0), (1.12, 1.2)),
    "male": _Region((90.0, 135.0), (0.95, 1.05)),
    "nonbinary": _Region((140.0, 175.0), (1.05, 1.12)),
    "child": _Region((250.0, 310.0), (1.2, 1.3)),
}
_PLACE = {"low": 0.2, "mid": 0.5, "high": 0.8}  # where in its region a pitch word puts a voice
_PACE = {"slow": 0.88, "measured": 1.0, "quick": 1.12}
_PRIORITY = (Role.LEAD, Role.LOVE_INTEREST, Role.ANTAGONIST, Role.RIVAL)

# (words, brightness dB, breathiness, intonation ×, pitch semitones)
_COLOURS: tuple[tuple[tuple[str, ...], float, float, float, float], ...] = (
    (("warm", "rich", "mellow", "velvet", "velvety", "kind", "honeyed"), -3.0, 0.0, 1.0, 0.0),
    (("soft", "gentle", "breathy", "airy", "shy", "timid", "sultry"), -1.0, 0.3, 0.9, 0.0),
    (("husky", "raspy", "gravelly", "smoky", "hoarse"), -2.0, 0.25, 0.9, -1.0),
    (("deep", "booming", "resonant"), -1.5, 0.0, 1.0, -1.5),
    (("sharp", "crisp", "clipped", "brisk", "bright", "shrill", "piercing"), 3.0, 0.0, 1.1, 0.5),
    (("cold", "icy", "cool", "clinical", "haughty", "arrogant", "imperious"), 2.5, 0.0, 0.75, 0.0),
    (("lively", "bubbly", "animated", "excitable", "playful", "cheerful"), 1.0, 0.0, 1.3, 0.5),
    (("flat", "calm", "stoic", "monotone", "measured", "reserved", "dry"), 0.0, 0.0, 0.8, 0.0),
    (("nervous", "anxious", "trembling", "fragile"), 0.0, 0.15, 1.15, 0.5),
)
_ROLE_COLOUR = {Role.ANTAGONIST: (1.0, 0.9), Role.LOVE_INTEREST: (-1.0, 1.0)}  # brightness, ×


def tune_for_cast(characters: Sequence[Character], seed: int) -> tuple[VoiceTune, ...]:
    """A tune for each character, in order; a character's own ``voice.tune`` is kept.

    Deterministic for the characters and the seed. Tunes a person set are placed first, then
    the lead, love interest, antagonist and rival, then everyone else; each is moved, if it
    must be, away from those placed before it.
    """
    fixed = [c for c in characters if c.voice.tune is not None]
    free = sorted(
        (c for c in characters if c.voice.tune is None),
        key=lambda c: _PRIORITY.index(c.role) if c.role in _PRIORITY else len(_PRIORITY),
    )
    placed: dict[str, VoiceTune] = {c.id: c.voice.tune for c in fixed if c.voice.tune}
    for c in free:
        group = presentation(c)
        near = [placed[o.id] for o in characters if o.id in placed and presentation(o) == group]
        placed[c.id] = _distinct(_draft(c, seed), _REGIONS[group], near)
    return tuple(placed[c.id] for c in characters)


def complete_voices(bible: Bible, seed: int) -> Bible:
    """``bible`` with every missing voice tune filled in; the tunes it has are untouched."""
    tunes = tune_for_cast(bible.characters, seed)
    characters = tuple(
        c
        if c.voice.tune is not None
        else c.model_copy(update={"voice": c.voice.model_copy(update={"tune": tune})})
        for c, tune in zip(bible.characters, tunes, strict=True)
    )
    return bible.with_(characters=characters)


def presentation(character: Character) -> str:
    """The voice region a character speaks in: ``child`` under 13, else their gender."""
    return "child" if character.appearance.age < 13 else character.appearance.gender


def _draft(c: Character, seed: int) -> VoiceTune:
    rng = random.Random(f"{seed}:{c.id}:voice")
    region = _REGIONS[presentation(c)]
    low, high = region.pitch
    age = c.appearance.age
    # older voices sit lower and move less; a teenager's a little higher than an adult's
    aging = max(0.0, min(1.0, (age - 45) / 30))
    place = _PLACE[c.voice.pitch] - 0.25 * aging + (0.1 if 13 <= age < 18 else 0.0)
    semis = 12 * math.log2(low / 1) + (12 * math.log2(high / low)) * place + rng.uniform(-0.7, 0.7)
    words = set(re.findall(r"[a-z]+", f"{c.voice.temperament} {c.voice.description}".lower()))
    brightness, air, width = rng.uniform(-1.0, 1.0), 0.05 + 0.1 * aging, 1.0 - 0.2 * aging
    for keys, bright, breath, wide, shift in _COLOURS:
        if words.intersection(keys):
            brightness, air, width, semis = (
                brightness + bright,
                air + breath,
                width * wide,
                semis + shift,
            )
    role_bright, role_width = _ROLE_COLOUR.get(c.role, (0.0, 1.0))
    f_low, f_high = region.formant
    return VoiceTune(
        pitch_hz=_clamp(2 ** (semis / 12), low, high),
        pitch_range=_clamp(width * role_width * (1.15 if age < 13 else 1.0), 0.5, 1.6),
        formant=round(f_low + (f_high - f_low) * rng.uniform(0.25, 0.75), 3),
        rate=round(
            _clamp(_PACE[c.voice.pace] * (1 - 0.06 * aging) + rng.uniform(-0.03, 0.03), 0.75, 1.3),
            3,
        ),
        brightness=round(_clamp(brightness + role_bright, -6.0, 6.0), 2),
        breathiness=round(_clamp(air, 0.0, 0.6), 3),
    )


def distance(a: VoiceTune, b: VoiceTune) -> float:
    """How far apart two voices are, in units where 1 is just distinct (see the steps)."""
    semis = 12 * math.log2(a.pitch_hz / b.pitch_hz) / PITCH_STEP
    return math.hypot(semis, (a.formant - b.formant) / FORMANT_STEP, (a.rate - b.rate) / RATE_STEP)


def _distinct(tune: VoiceTune, region: _Region, near: Sequence[VoiceTune]) -> VoiceTune:
    """``tune``, or the nearest move of it inside ``region`` that is distinct from ``near``."""
    best = tune
    for candidate in _moves(tune, region):
        if all(distance(candidate, other) >= 1.0 for other in near):
            return candidate
        best = candidate if _nearest_gap(candidate, near) > _nearest_gap(best, near) else best
    return best  # a crowded region: as far from the rest as it can be


def _moves(tune: VoiceTune, region: _Region) -> Iterator[VoiceTune]:
    """``tune`` and its moves, smallest first: pitch by half steps, then formant and rate."""
    steps = [(p / 2, f, r) for p in range(-8, 9) for f in (-1, 0, 1) for r in (-1, 0, 1)]
    steps.sort(key=lambda s: (abs(s[0]) / PITCH_STEP * 2 + abs(s[1]) + abs(s[2]), s))
    for semis, f, r in steps:
        pitch = tune.pitch_hz * 2 ** (semis / 12)
        formant = tune.formant + f * FORMANT_STEP
        if not (region.pitch[0] <= pitch <= region.pitch[1]):
            continue
        if not (region.formant[0] - 0.02 <= formant <= region.formant[1] + 0.02):
            continue
        yield tune.with_(
            pitch_hz=round(pitch, 1),
            formant=round(formant, 3),
            rate=round(_clamp(tune.rate + r * RATE_STEP, 0.75, 1.3), 3),
        )


def _nearest_gap(tune: VoiceTune, near: Sequence[VoiceTune]) -> float:
    return min((distance(tune, other) for other in near), default=math.inf)


def _clamp(x: float, low: float, high: float) -> float:
    return min(high, max(low, x))
