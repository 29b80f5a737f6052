"""From a script to a cue sheet: moods per scene, effects where the story strikes."""

from __future__ import annotations

import pytest

from cliffhanger.model.script import Action, BeatMarker, Line, Scene, Script
from cliffhanger.score.cues import EffectCue, MusicCue, cues, mood_for_scene
from cliffhanger.score.effects import EFFECTS
from cliffhanger.score.music import MOODS
from cliffhanger.writing.timing import estimate

GALA = Scene(
    "INT. GALA - NIGHT",
    "gala",
    (
        BeatMarker("hook"),
        Action("Mei crosses the ballroom and slaps Ethan hard."),
        Line("ETHAN", "You will regret that.", "furious"),
        Line("GUEST", "Did she just hit him?", "stunned"),
        BeatMarker("reversal"),
        Line("MEI", "I own this hotel. Get out.", "coldly"),
    ),
)
HOSPITAL = Scene(
    "INT. HOSPITAL - NIGHT",
    "hospital",
    (
        BeatMarker("threat"),
        Action("The door slams open."),
        Line("ETHAN", "Where is she?", "shouting"),
        BeatMarker("reveal"),
        Line("DOCTOR", "The baby is not his. The test was switched.", "whisper"),
        Line("MEI", "No. That cannot be true.", "trembling"),
    ),
)
PENTHOUSE = Scene(
    "INT. PENTHOUSE - NIGHT",
    "penthouse",
    (
        BeatMarker("romance"),
        Line("LUCAS", "You are safe now.", "softly"),
        Action("On the table, her phone buzzes. Unknown number."),
        BeatMarker("cliffhanger"),
        Line("EMMA", "Hello, sister."),
    ),
)
SCRIPT = Script(1, "Pilot", (GALA, HOSPITAL, PENTHOUSE))


def _timings(script: Script) -> dict[int, tuple[float, float]]:
    return {i: (t.start, t.end) for i, t in enumerate(estimate(script))}


def _start_of(script: Script, scene: int, element: int) -> tuple[float, float]:
    index = sum(len(s.elements) for s in script.scenes[:scene]) + element
    return _timings(script)[index]


def test_scenes_get_the_moods_their_beats_and_lines_call_for() -> None:
    assert [mood_for_scene(s) for s in SCRIPT.scenes] == ["tension", "tension", "romance"]
    assert mood_for_scene(Scene("INT. X", "x", (BeatMarker("face_slap"),))) == "triumph"
    assert mood_for_scene(Scene("INT. X", "x", (BeatMarker("betrayal"),))) == "sorrow"
    assert mood_for_scene(Scene("INT. X", "x", (Line("A", "Ha!", "laughing"),))) == "comedy"
    assert mood_for_scene(Scene("INT. X", "x", (Line("A", "Hello."),))) == "mystery"


def test_adjacent_scenes_of_one_mood_share_a_music_cue() -> None:
    sheet = cues(SCRIPT, _timings(SCRIPT))
    end = max(t.end for t in estimate(SCRIPT))
    hospital_end = _start_of(SCRIPT, 1, 5)[1]
    assert sheet.music == (
        MusicCue(0.0, pytest.approx(hospital_end), "tension"),  # type: ignore[arg-type]
        MusicCue(pytest.approx(hospital_end), pytest.approx(end), "romance"),  # type: ignore[arg-type]
    )
    assert all(c.mood in MOODS for c in sheet.music)


def test_effects_land_where_the_story_strikes() -> None:
    sheet = cues(SCRIPT, _timings(SCRIPT))
    by_name = {c.name: c for c in sheet.effects}
    assert set(by_name) == {
        "slap",
        "crowd_gasp",
        "reversal_whoosh",
        "door",
        "boom",
        "heartbeat",
        "phone_ring",
        "cliffhanger_hit",
    }
    assert set(by_name) <= set(EFFECTS)
    assert [c.start for c in sheet.effects] == sorted(c.start for c in sheet.effects)

    slap_start, slap_end = _start_of(SCRIPT, 0, 1)
    assert slap_start < by_name["slap"].start < slap_end  # at "slaps", mid-paragraph
    assert by_name["crowd_gasp"].start == pytest.approx(_start_of(SCRIPT, 0, 3)[0])
    reversal = _start_of(SCRIPT, 0, 5)[0]
    assert by_name["reversal_whoosh"].start == pytest.approx(reversal - 0.72)
    assert by_name["door"].kwargs == {"kind": "slam"}
    assert by_name["door"].start == pytest.approx(_start_of(SCRIPT, 1, 1)[0], abs=0.5)
    reveal = _start_of(SCRIPT, 1, 4)[0]
    assert by_name["boom"].start == pytest.approx(reveal)
    heartbeat = by_name["heartbeat"]
    assert heartbeat.start == pytest.approx(reveal)
    assert heartbeat.kwargs["seconds"] == pytest.approx(
        _start_of(SCRIPT, 1, 5)[1] - reveal, abs=1e-3
    )
    assert heartbeat.gain_db < by_name["boom"].gain_db  # under, not over
    buzz = _start_of(SCRIPT, 2, 2)
    assert buzz[0] < by_name["phone_ring"].start < buzz[1]
    assert by_name["cliffhanger_hit"] == EffectCue(
        max(t.end for t in estimate(SCRIPT)), "cliffhanger_hit", 0.0
    )


def test_no_hit_without_a_final_cliffhanger_and_no_heartbeat_under_a_gentle_reveal() -> None:
    gentle = Scene(
        "INT. GARDEN - DAY",
        "garden",
        (
            BeatMarker("romance"),
            Line("LUCAS", "I kept every letter you wrote me.", "tender"),
            BeatMarker("reveal"),
            Line("EMMA", "Then you knew all along who I was to you.", "softly"),
        ),
    )
    script = Script(2, "Letters", (gentle,))
    names = [c.name for c in cues(script, _timings(script)).effects]
    assert names == ["boom"]


def test_untimed_elements_are_not_placed() -> None:
    timings = {i: t for i, t in _timings(SCRIPT).items() if i < 6}  # only the gala is spoken
    sheet = cues(SCRIPT, timings)
    assert [c.mood for c in sheet.music] == ["tension"]
    assert {c.name for c in sheet.effects} == {"slap", "crowd_gasp", "reversal_whoosh"}


def test_one_slap_is_one_sound() -> None:
    scene = Scene("INT. X", "x", (Action("She slaps him."), Action("Slap! Again.")))
    script = Script(1, "X", (scene,))
    assert [c.name for c in cues(script, _timings(script)).effects] == ["slap"]
