"""Casting voices: women above men, each voice steady, and no two characters alike."""

from __future__ import annotations

import math
import random
from itertools import combinations

from cliffhanger.model.bible import Role
from cliffhanger.model.voicing import VoiceTune
from cliffhanger.voice.casting import complete_voices, distance, presentation, tune_for_cast
from cliffhanger.writing.base import SeriesRequest
from cliffhanger.writing.local.develop import develop
from tests.voice.cast import person
from tests.voice.speech import designed, median_pitch
from tests.writing.test_series_suite import PREMISES

LINE = "Where were you last night?"
LINES = (LINE, "I never loved you, and you know it.", "Give me the money. Now!")


def _semitones(a: float, b: float) -> float:
    return 12 * math.log2(a / b)


def test_women_speak_clearly_above_men() -> None:
    cast = (
        person("ana", "female", 26, Role.LEAD, pitch="low"),
        person("bea", "female", 62, Role.MENTOR, pitch="low", temperament="warm"),
        person("carl", "male", 30, Role.LOVE_INTEREST, pitch="high"),
        person("dan", "male", 19, Role.RIVAL, pitch="high", temperament="lively"),
    )
    heard = [median_pitch(designed(LINE, tune)) for tune in tune_for_cast(cast, 3)]
    women, men = heard[:2], heard[2:]
    assert _semitones(min(women), max(men)) >= 4.0, heard


def test_a_child_is_higher_still() -> None:
    kid, woman = tune_for_cast((person("kid", "male", 8), person("mum", "female", 35)), 1)
    assert median_pitch(designed(LINE, kid)) > median_pitch(designed(LINE, woman))


def test_one_voice_holds_its_pitch_across_lines() -> None:
    (tune,) = tune_for_cast((person("ana", "female", 28),), 5)
    heard = [median_pitch(designed(line, tune)) for line in LINES]
    assert max(heard) / min(heard) <= 1.1 * 1.1, heard
    assert all(abs(h - tune.pitch_hz) <= 0.1 * tune.pitch_hz for h in heard), (tune, heard)


def test_no_two_characters_share_a_voice_in_a_suite_of_casts() -> None:
    for seed in range(25):
        rng = random.Random(seed)
        cast = tuple(
            person(
                f"c{i}",
                rng.choice(("female", "male", "female", "male", "nonbinary")),
                rng.randint(16, 70),
                rng.choice(list(Role)),
                pitch=rng.choice(("low", "mid", "high")),
                pace=rng.choice(("slow", "measured", "quick")),
            )
            for i in range(7)
        )
        tunes = tune_for_cast(cast, seed)
        for (a, ta), (b, tb) in combinations(zip(cast, tunes, strict=True), 2):
            assert ta != tb
            if presentation(a) == presentation(b):
                assert distance(ta, tb) >= 1.0, (seed, a.id, b.id, ta, tb)


def test_words_shape_the_voice() -> None:
    slow, quick, warm, sharp, soft = tune_for_cast(
        (
            person("a", "male", pace="slow"),
            person("b", "female", pace="quick"),
            person("c", "nonbinary", temperament="warm"),
            person("d", "male", 40, temperament="sharp and cold"),
            person("e", "female", 45, temperament="soft, gentle"),
        ),
        11,
    )
    assert slow.rate < 1.0 < quick.rate
    assert warm.brightness < 0 < sharp.brightness
    assert soft.breathiness > max(slow.breathiness, quick.breathiness, sharp.breathiness)


def test_older_voices_are_lower_and_narrower() -> None:
    young, old = tune_for_cast((person("y", "female", 25), person("o", "female", 75)), 2)
    assert old.pitch_hz < young.pitch_hz and old.pitch_range < young.pitch_range


def test_casting_is_deterministic_and_keeps_a_set_tune() -> None:
    mine = VoiceTune(pitch_hz=300.0, formant=1.3)
    cast = (person("a", "female"), person("b", "male"))
    assert tune_for_cast(cast, 4) == tune_for_cast(cast, 4)
    set_one = cast[0].model_copy(update={"voice": cast[0].voice.with_(tune=mine)})
    assert tune_for_cast((set_one, cast[1]), 4)[0] == mine


def test_every_developed_series_gets_distinct_voices_and_keeps_a_set_one() -> None:
    for seed, premise in enumerate(PREMISES.values()):
        bible = complete_voices(
            develop(SeriesRequest(premise=premise, episodes=60, seconds=90, seed=seed)), seed
        )
        tunes = [c.voice.tune for c in bible.characters]
        assert all(t is not None for t in tunes)
        pairs = combinations(bible.characters, 2)
        for a, b in pairs:
            assert a.voice.tune is not None and b.voice.tune is not None
            if presentation(a) == presentation(b):
                assert distance(a.voice.tune, b.voice.tune) >= 1.0, (premise, a.id, b.id)
    mine = VoiceTune(pitch_hz=222.0)
    first = bible.characters[0]
    edited = bible.with_(
        characters=(first.with_(voice=first.voice.with_(tune=mine)), *bible.characters[1:])
    )
    assert complete_voices(edited, 9).characters[0].voice.tune == mine
