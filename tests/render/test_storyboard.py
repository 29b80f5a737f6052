"""The storyboard: an editor's choices made from the beat, on the frame grid, stable when a
line before a shot changes length."""

from __future__ import annotations

import itertools
from dataclasses import replace
from typing import Any

import pytest

from cliffhanger.model.bible import Bible
from cliffhanger.model.script import Action, BeatMarker, Line, Scene, Script
from cliffhanger.render.storyboard import END_CARD_S, FREEZE_S, storyboard
from cliffhanger.voice.timeline import place
from tests.voice.cast import person

FPS = 30


def bible() -> Bible:
    from cliffhanger.model.bible import Location, Role

    return Bible.model_validate(
        {
            "title": "Heir of Lies",
            "logline": "A maid is the heir.",
            "premise": "A maid is secretly the heir.",
            "genre": "revenge",
            "tropes": [],
            "setting": "a mansion",
            "episodes": 3,
            "seconds": 60,
            "paywall_episode": 2,
            "characters": [
                person("mia", "female", role=Role.LEAD).model_dump(mode="json"),
                person("rex", "male", role=Role.RIVAL).model_dump(mode="json"),
            ],
            "locations": [Location(id="hall", name="Great Hall").model_dump(mode="json")],
        }
    )


def script(episode: int = 1, *, long_first: bool = False) -> Script:
    first = "You think I would forget what you did to my family, after all these years? Never."
    return Script(
        episode=episode,
        title="The Ring",
        scenes=(
            Scene(
                "INT. GREAT HALL - NIGHT",
                "hall",
                (
                    BeatMarker("hook"),
                    Action("Rex slams the door."),
                    Line("MIA", first if long_first else "You came back.", "furious"),
                    Line("REX", "Did you miss me?", "smirking"),
                    BeatMarker("reveal"),
                    Line("MIA", "I know who you are.", "cold"),
                    Line("REX", "What?", "shocked"),
                    Action("Mia holds up the ring."),
                ),
            ),
        ),
    )


def voiced(s: Script, lengths: dict[int, float] | None = None) -> dict[str, Any]:
    """A lines.json as the voice stage writes it, with made-up speech lengths."""
    lengths = lengths or {}
    spoken = {i: lengths.get(i, 0.4 + 0.07 * len(line.text)) for i, line in enumerate(s.lines)}
    timed = [t for t in place(s, spoken) if isinstance(t.element, Line)]
    records = []
    for i, t in enumerate(timed):
        line = t.element
        assert isinstance(line, Line)
        end = t.start + spoken[i]
        # As the voice stage writes them: on frames, the end at full precision.
        keys = [
            [round(t.start + round(k * 0.13 * FPS) / FPS, 3), "a" if k % 2 else "mbp"]
            for k in range(int(spoken[i] / 0.13))
        ]
        records.append(
            {
                "index": i,
                "speaker": line.speaker.lower(),
                "name": line.speaker.title(),
                "text": line.text,
                "emotion": line.emotion,
                "start": round(t.start, 6),
                "end": round(end, 6),
                "dual": False,
                "mouth": [*keys, [round(t.start + round(spoken[i] * FPS) / FPS, 3), "rest"]],
            }
        )
    return {"seconds": round(timed[-1].end + 2.0, 3), "lines": records}


def test_shots_cover_the_episode_back_to_back_on_frames() -> None:
    s = script()
    board = storyboard(s, bible(), voiced(s), next_title="The Ring, Part Two")
    shots = board.shots
    assert shots[0].start == 0.0
    for a, b in itertools.pairwise(shots):
        assert a.end == pytest.approx(b.start), "no gap, no overlap"
        assert a.end > a.start
    assert shots[-1].end == pytest.approx(board.seconds)
    for shot in shots:
        for t in (shot.start, shot.end):
            assert abs(t * FPS - round(t * FPS)) < 1e-6, f"{t} is not on a frame"


def test_framing_follows_the_beat() -> None:
    s = script()
    board = storyboard(s, bible(), voiced(s), next_title="Next")
    scene = [sh for sh in board.shots if sh.kind in {"scene", "title"}]
    assert scene[0].framing == "wide", "a scene opens on an establishing wide"
    speakers = [line.speaker.lower() for line in s.lines]
    by_line = {
        i: next(sh for sh in scene if i in sh.lines and sh.focus == who)
        for i, who in enumerate(speakers)
    }
    assert by_line[0].focus == "mia" and by_line[0].framing == "close", "a furious line is close"
    shocked = by_line[3]
    assert shocked.focus == "rex" and shocked.framing == "extreme" and shocked.move == "shake"
    reveal = by_line[2]
    assert reveal.move == "zoom_punch" and reveal.framing == "close", "a reveal lands with a punch"
    moves = [sh.move for sh in scene]
    assert all(a != b or a == "shake" for a, b in itertools.pairwise(moves))


def test_the_hook_comes_first_and_episode_one_wears_the_title() -> None:
    s = script()
    board = storyboard(s, bible(), voiced(s), next_title="Next")
    first_line = voiced(s)["lines"][0]
    assert first_line["start"] < 3.0
    assert board.title == "Heir of Lies" and board.title_s > 0
    assert board.shots[0].kind == "title"
    later = storyboard(script(2), bible(), voiced(script(2)), next_title="Next")
    assert later.title == "" and later.shots[0].kind == "scene"


def test_the_episode_ends_on_a_freeze_then_the_next_episode_card() -> None:
    s = script()
    board = storyboard(s, bible(), voiced(s), next_title="The Ring, Part Two")
    *_, last, card = board.shots
    assert last.freeze and last.framing in {"close", "extreme"}, "the cliffhanger holds on a face"
    assert last.seconds >= FREEZE_S
    assert card.kind == "end" and card.text == ("Next", "Episode 2", "The Ring, Part Two")
    assert card.seconds >= END_CARD_S - 1 / FPS
    finale = storyboard(s, bible(), voiced(s), next_title=None)
    assert finale.shots[-1].text == ("To be continued",)


def test_a_long_line_cuts_to_the_listener() -> None:
    s = script(long_first=True)
    board = storyboard(s, bible(), voiced(s), next_title="Next")
    on_line = [sh for sh in board.shots if 0 in sh.lines]
    focuses = [sh.focus for sh in on_line]
    assert "mia" in focuses and "rex" in focuses, "the speaker, then the listener's reaction"
    reaction = next(sh for sh in on_line if sh.focus == "rex")
    rex = next(f for f in reaction.figures if f.character == "rex")
    assert rex.expression_at(0.0) != "neutral"


def test_mouth_keys_are_in_shot_time_and_only_for_who_speaks() -> None:
    s = script()
    v = voiced(s)
    board = storyboard(s, bible(), v, next_title="Next")
    for shot in board.shots:
        for f in shot.figures:
            for t, _ in f.mouth:
                assert 0.0 <= t <= shot.seconds + 1e-6
            speaking = {v["lines"][i]["speaker"] for i in shot.lines}
            if f.character not in speaking:
                assert all(shape == "rest" for _, shape in f.mouth) or not f.mouth


def test_a_longer_line_moves_later_shots_without_changing_them() -> None:
    """Re-voicing line 0 longer shifts everything after it by whole frames; those shots,
    seen in their own time, are identical (so the render re-uses them)."""
    s = script()
    before = storyboard(s, bible(), voiced(s), next_title="Next")
    after = storyboard(s, bible(), voiced(s, {0: 2.9}), next_title="Next")

    def local(board: Any) -> list[Any]:
        # Line 1's shot starts where line 0's speech ends: that cut moves against line 1's
        # own speech, so it is a changed shot; every shot from line 2 on is not.
        first = next(i for i, sh in enumerate(board.shots) if 2 in sh.lines)
        return [
            replace(sh, start=0.0, end=round(sh.seconds, 6), index=0) for sh in board.shots[first:]
        ]

    tail_before, tail_after = local(before), local(after)
    assert len(tail_before) >= 3
    assert tail_before == tail_after
    assert after.seconds > before.seconds
