"""From a script to a cue sheet: which music under which scene, which effect at which moment.

Pure: it reads the script and the times the voice stage measured, and names moods and effects
(:data:`~cliffhanger.score.music.MOODS`, :data:`~cliffhanger.score.effects.EFFECTS`) without
making a sound.

``timings`` maps an element's index in the script (every scene's elements in order, counted
from 0 across the whole episode, as :func:`cliffhanger.writing.timing.estimate` lists them) to
its ``(start, end)`` in seconds. Elements without a time are not placed.

The rules, in a sentence each:

* a scene's mood is voted by its beats (weight 2) and its lines' emotions (weight 1); ties go
  to the earlier mood in ``MOODS``, and a scene with no votes gets ``mystery``;
* adjacent scenes with the same mood share one music cue;
* the episode's final beat, when it is a cliffhanger, ends on ``cliffhanger_hit``;
* a reversal gets a ``reversal_whoosh`` that swells to its peak as the beat lands, a reveal a
  ``boom``, and a reveal in a tense scene a ``heartbeat`` under it until the next beat;
* an action that slaps, rings a phone or opens/slams a door gets ``slap``, ``phone_ring``
  or ``door`` at the verb's place in the paragraph; a shocked line gets ``crowd_gasp``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from cliffhanger.model.outline import BeatKind
from cliffhanger.model.script import Action, BeatMarker, Element, Line, Scene, Script
from cliffhanger.score.music import MOODS

Timings = Mapping[int, tuple[float, float]]

DEFAULT_MOOD = "mystery"

BEAT_MOODS: dict[str, str] = {
    BeatKind.HOOK: "tension",
    BeatKind.SETUP: "mystery",
    BeatKind.REVERSAL: "tension",
    BeatKind.REVEAL: "mystery",
    BeatKind.HUMILIATION: "sorrow",
    BeatKind.FACE_SLAP: "triumph",
    BeatKind.CONFRONTATION: "tension",
    BeatKind.RESCUE: "triumph",
    BeatKind.ROMANCE: "romance",
    BeatKind.BETRAYAL: "sorrow",
    BeatKind.THREAT: "tension",
    BeatKind.CLIFFHANGER: "tension",
}

EMOTION_MOODS: dict[str, str] = {
    "happy": "comedy",
    "sarcastic": "comedy",
    "angry": "tension",
    "shocked": "tension",
    "fearful": "tension",
    "cold": "tension",
    "shouting": "tension",
    "desperate": "tension",
    "mocking": "tension",
    "sad": "sorrow",
    "crying": "sorrow",
    "pleading": "sorrow",
    "hurt": "sorrow",
    "tender": "romance",
    "determined": "triumph",
    "whisper": "mystery",
}
"""Emotions that vote; neutral and smug (a hero's or a villain's?) do not."""

TENSE_MOODS = ("tension", "mystery")

GAINS_DB: dict[str, float] = {
    "cliffhanger_hit": 0.0,
    "reversal_whoosh": -3.0,
    "boom": -3.0,
    "slap": -2.0,
    "phone_ring": -6.0,
    "door": -4.0,
    "crowd_gasp": -8.0,
    "heartbeat": -12.0,
}

WHOOSH_PEAK_S = 0.72
"""How long the whoosh takes to swell to its peak (60 % of its 1.2 s), so it can be started
that much before the beat it lands on."""

HEARTBEAT_BPM = 96.0
MIN_HEARTBEAT_S = 1.5
REPEAT_GAP_S = 1.0
"""The same effect again within this many seconds is dropped: one slap, not two."""

_SLAP = re.compile(r"\bslap(?:s|ped|ping)?\b", re.IGNORECASE)
_PHONE = re.compile(r"\b(?:phone|cellphone|mobile)\b", re.IGNORECASE)
_RING = re.compile(r"\b(?:rings?|ringing|buzz(?:es|ing)?|vibrat\w*)\b|\bincoming call\b", re.I)
_DOOR = re.compile(r"\bdoors?\b", re.IGNORECASE)
_SLAM = re.compile(r"\b(?:slam\w*|bang\w*|kick\w*|burst\w*)\b", re.IGNORECASE)
_OPEN = re.compile(r"\b(?:opens?|opened|opening|creak\w*|swings?|swung)\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class MusicCue:
    start: float
    end: float
    mood: str


@dataclass(frozen=True, slots=True)
class EffectCue:
    """An effect starting at ``start`` seconds; ``params`` are its synthesizer's keywords."""

    start: float
    name: str
    gain_db: float = 0.0
    params: tuple[tuple[str, float | str], ...] = ()

    @property
    def kwargs(self) -> dict[str, float | str]:
        return dict(self.params)


@dataclass(frozen=True, slots=True)
class CueSheet:
    music: tuple[MusicCue, ...]
    effects: tuple[EffectCue, ...]  # by start time


def mood_for_scene(scene: Scene) -> str:
    """The music mood a scene's beats and lines call for."""
    votes: Counter[str] = Counter()
    for element in scene.elements:
        if isinstance(element, BeatMarker) and element.kind in BEAT_MOODS:
            votes[BEAT_MOODS[element.kind]] += 2
        elif isinstance(element, Line) and element.emotion in EMOTION_MOODS:
            votes[EMOTION_MOODS[element.emotion]] += 1
    if not votes:
        return DEFAULT_MOOD
    best = max(votes.values())
    return next(m for m in MOODS if votes[m] == best)


def _action_effects(action: Action, start: float, end: float) -> list[EffectCue]:
    """Effects an action paragraph describes, each at its verb's share of the paragraph."""
    text = action.text
    words = max(1, len(text.split()))

    def at(match: re.Match[str]) -> float:
        return start + (end - start) * len(text[: match.start()].split()) / words

    found: list[EffectCue] = []
    if slap := _SLAP.search(text):
        found.append(EffectCue(at(slap), "slap", GAINS_DB["slap"]))
    if _PHONE.search(text) and (ring := _RING.search(text)):
        found.append(EffectCue(at(ring), "phone_ring", GAINS_DB["phone_ring"]))
    if _DOOR.search(text):
        for pattern, kind in ((_SLAM, "slam"), (_OPEN, "open")):
            if verb := pattern.search(text):
                found.append(EffectCue(at(verb), "door", GAINS_DB["door"], (("kind", kind),)))
                break
    return found


def cues(script: Script, timings: Timings) -> CueSheet:
    """The cue sheet for ``script`` spoken at ``timings`` (see the module's docstring)."""
    elements: list[Element] = []
    scene_of: list[int] = []
    for index, scene in enumerate(script.scenes):
        elements.extend(scene.elements)
        scene_of.extend([index] * len(scene.elements))
    moods = [mood_for_scene(scene) for scene in script.scenes]

    def start_at(i: int) -> float | None:
        """When element ``i`` starts; for an untimed one (a beat marker), the next timed."""
        return next((timings[j][0] for j in range(i, len(elements)) if j in timings), None)

    def end_before(stop: int, first: int) -> float | None:
        ends = [timings[j][1] for j in range(first, stop) if j in timings]
        return max(ends) if ends else None

    markers = [i for i, e in enumerate(elements) if isinstance(e, BeatMarker)]
    effects: list[EffectCue] = []
    for n, i in enumerate(markers):
        marker = elements[i]
        assert isinstance(marker, BeatMarker)
        stop = markers[n + 1] if n + 1 < len(markers) else len(elements)
        begin, finish = start_at(i), end_before(stop, i)
        if begin is None or finish is None:
            continue
        if marker.kind == BeatKind.REVERSAL:
            whoosh_at = max(0.0, begin - WHOOSH_PEAK_S)
            effects.append(EffectCue(whoosh_at, "reversal_whoosh", GAINS_DB["reversal_whoosh"]))
        elif marker.kind == BeatKind.REVEAL:
            effects.append(EffectCue(begin, "boom", GAINS_DB["boom"]))
            if moods[scene_of[i]] in TENSE_MOODS and finish - begin >= MIN_HEARTBEAT_S:
                params = (("bpm", HEARTBEAT_BPM), ("seconds", round(finish - begin, 3)))
                effects.append(EffectCue(begin, "heartbeat", GAINS_DB["heartbeat"], params))
        elif marker.kind == BeatKind.CLIFFHANGER and n == len(markers) - 1:
            effects.append(EffectCue(finish, "cliffhanger_hit", GAINS_DB["cliffhanger_hit"]))

    for i, element in enumerate(elements):
        if i not in timings:
            continue
        start, end = timings[i]
        if isinstance(element, Action):
            effects.extend(_action_effects(element, start, end))
        elif isinstance(element, Line) and element.emotion == "shocked":
            effects.append(EffectCue(start, "crowd_gasp", GAINS_DB["crowd_gasp"]))

    kept: list[EffectCue] = []
    for cue in sorted(effects, key=lambda c: (c.start, c.name)):
        if any(k.name == cue.name and cue.start - k.start < REPEAT_GAP_S for k in kept):
            continue
        kept.append(cue)
    return CueSheet(_music_cues(script, moods, scene_of, timings), tuple(kept))


def _music_cues(
    script: Script, moods: list[str], scene_of: list[int], timings: Timings
) -> tuple[MusicCue, ...]:
    spans: dict[int, list[float]] = {}
    for i, (start, end) in timings.items():
        if 0 <= i < len(scene_of):
            span = spans.setdefault(scene_of[i], [start, end])
            span[0], span[1] = min(span[0], start), max(span[1], end)
    out: list[MusicCue] = []
    for index in range(len(script.scenes)):
        if index not in spans:
            continue
        start, end = spans[index]
        if out and out[-1].mood == moods[index]:
            out[-1] = MusicCue(out[-1].start, max(out[-1].end, end), moods[index])
        else:
            out.append(MusicCue(start, end, moods[index]))
    return tuple(out)
