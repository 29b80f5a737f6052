"""Subtitles as a viewer sees them: readable breaks, cues timed to the voice, sidecar files
that parse back, and burned-in text in the speaker's colour inside the safe area."""

from __future__ import annotations

import itertools
import re
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import skia
from hypothesis import given, settings
from hypothesis import strategies as st

from cliffhanger.render.base import Cue, safe_box
from cliffhanger.render.fonts import bold_typeface, has_cjk, typeface_for
from cliffhanger.render.subtitles import (
    SubtitleRenderer,
    active,
    blend,
    break_lines,
    cues,
    readable,
    to_srt,
    to_vtt,
)


def line(
    text: str, start: float, end: float, speaker: str = "claire", **extra: Any
) -> dict[str, Any]:
    return {
        "speaker": speaker,
        "name": speaker.title(),
        "text": text,
        "start": start,
        "end": end,
        **extra,
    }


def cue(text: str, colour: str = "#ffcc00", start: float = 0.0, speaker: str = "claire") -> Cue:
    return Cue(1, start, start + 2, speaker, speaker.title(), text, colour, break_lines(text))


# -- line breaking and timing ---------------------------------------------------------------

WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyzé", min_size=1, max_size=14)
PUNCT = st.sampled_from(["", "", "", ",", ".", "?", "!", ";"])
TEXT = st.lists(st.tuples(WORD, PUNCT).map("".join), min_size=1, max_size=40).map(" ".join)


@settings(max_examples=60, deadline=None)
@given(text=TEXT, max_chars=st.integers(14, 42), seconds=st.floats(0.2, 20))
def test_cues_keep_every_word_in_order_on_at_most_two_short_lines(
    text: str, max_chars: int, seconds: float
) -> None:
    made = cues([line(text, 1.0, 1.0 + seconds)], {}, max_chars=max_chars)
    assert made
    for c in made:
        assert 1 <= len(c.lines) <= 2
        assert all(0 < len(row) <= max_chars for row in c.lines)
    shown = " ".join(row for c in made for row in c.lines)
    assert shown.replace(" ", "") == text.replace(" ", "")
    if all(len(word) <= max_chars for word in text.split()):  # only over-long words split
        assert shown.split() == text.split()
        assert all(" ".join(c.lines) == c.text for c in made)


def test_a_word_longer_than_a_line_is_the_only_thing_split() -> None:
    text = "a" * 40 + " end"
    rows = break_lines(text, 32)
    assert len(rows) == 2 and all(len(r) <= 32 for r in rows)
    assert "".join(rows).replace(" ", "") == text.replace(" ", "")
    assert cues([line(text, 0, 2)], {})[0].text == text


def test_breaks_are_balanced_and_prefer_punctuation() -> None:
    assert break_lines("Short and sweet.") == ("Short and sweet.",)
    top, bottom = break_lines("one two three four five six seven eight nine ten")
    assert abs(len(top) - len(bottom)) <= 6
    assert break_lines("Stop right there, or I will call the police now")[0] == "Stop right there,"


def test_a_long_speech_becomes_consecutive_cues_split_at_sentences() -> None:
    text = (
        "You walked out on this family ten years ago. "
        "Now you come back and want the company? "
        "Not while I am still breathing."
    )
    made = cues([line(text, 2.0, 11.0)], {"claire": "#ff3366"}, max_seconds=6.0)
    assert len(made) >= 3
    assert made[0].start == 2.0 and made[-1].end == 11.0
    assert all(a.end == b.start for a, b in itertools.pairwise(made))
    assert all(c.end - c.start <= 6.0 for c in made)
    assert [c.text[-1] for c in made][-1] == "."
    assert sum(c.text.endswith((".", "?")) for c in made) >= 3  # every sentence ends a cue
    # Time follows the characters: the longer cue is up longer.
    per_char = [(c.end - c.start) / len(c.text) for c in made]
    assert max(per_char) - min(per_char) < 0.02
    assert [c.index for c in made] == list(range(1, len(made) + 1))
    assert {c.colour for c in made} == {"#ff3366"}


def test_a_long_but_short_text_line_is_split_by_reading_time() -> None:
    made = cues([line("Fine. Go then. I do not care anymore.", 0.0, 14.0)], {}, max_seconds=6.0)
    assert len(made) >= 3 and all(c.end - c.start <= 6.0 for c in made)


def test_short_cues_linger_into_silence_but_never_over_the_next() -> None:
    made = cues(
        [line("No.", 1.0, 1.2), line("Why?", 5.0, 5.1, "max"), line("Because.", 5.3, 6.5)],
        {"max": "#3366ff"},
        min_seconds=0.8,
    )
    assert (made[0].start, made[0].end) == (1.0, 1.8)
    assert (made[1].start, made[1].end) == (5.0, 5.3)
    assert made[1].colour == "#3366ff" and made[0].colour == "#ffffff"


def test_only_dual_lines_share_the_screen() -> None:
    made = cues(
        [
            line("I never loved you.", 1.0, 3.0),
            line("Liar!", 1.0, 2.0, "max", dual=True),
            line("Both of you, stop.", 2.5, 4.0, "eve"),
        ],
        {},
    )
    claire, max_, eve = made
    assert max_.start < claire.end  # shown together
    assert claire.end <= eve.start and max_.end <= eve.start
    assert {c.speaker for c in active(made, 1.5)} == {"claire", "max"}


def test_a_dual_reply_stays_up_while_the_long_line_it_answers_moves_on() -> None:
    speech = "I gave you everything I had, every single year. And this is how you repay me?"
    made = cues([line(speech, 0.0, 9.0), line("No, no, no!", 0.0, 3.0, "max", dual=True)], {})
    reply = next(c for c in made if c.speaker == "max")
    assert len(made) >= 3 and (reply.start, reply.end) == (0.0, 3.0)
    assert [c.start for c in made] == sorted(c.start for c in made)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.floats(0, 5), st.floats(0, 8), st.sampled_from(["a", "b", "c"]), st.booleans()
        ),
        min_size=1,
        max_size=8,
    )
)
def test_timelines_never_overlap(spec: list[tuple[float, float, str, bool]]) -> None:
    t, lines = 0.0, []
    for gap, seconds, who, dual in spec:
        t += gap * (not dual)  # a dual line starts with the one before it
        text = "Hold on. " * 4 + "Listen to me, please!"
        lines.append(line(text, t, t + seconds, who, dual=dual and bool(lines)))
    made = cues(lines, {})
    assert all(c.end > c.start for c in made)
    assert [c.start for c in made] == sorted(c.start for c in made)
    any_dual = any(entry["dual"] for entry in lines)
    for a, b in itertools.combinations(made, 2):
        if a.speaker == b.speaker or not any_dual:
            assert a.end <= b.start + 1e-9 or b.end <= a.start + 1e-9


# -- sidecar files ----------------------------------------------------------------------------

STAMP = r"(\d\d):(\d\d):(\d\d)[,.](\d\d\d)"


def seconds(match: tuple[str, ...]) -> float:
    h, m, s, ms = map(int, match)
    return h * 3600 + m * 60 + s + ms / 1000


def parse(text: str, *, vtt: bool) -> list[tuple[float, float, list[str]]]:
    blocks = text.strip().split("\n\n")
    if vtt:
        assert blocks[0] == "WEBVTT"
        blocks = [b for b in blocks[1:] if not b.startswith("STYLE")]
    out = []
    for block in blocks:
        index, stamps, *rows = block.split("\n")
        assert index.isdigit()
        times = re.fullmatch(f"{STAMP} --> {STAMP}", stamps)
        assert times, stamps
        out.append((seconds(times.groups()[:4]), seconds(times.groups()[4:]), rows))
    return out


SPEECH = [
    line("Where were you last night?", 0.35, 1.9),
    line("Out.", 2.0, 2.4, "max"),
    line(
        "With her? With Vivian & her <lawyers>? Tell me the truth, for once in your life.",
        62.5,
        71.25,
    ),
]


def test_srt_round_trips() -> None:
    made = cues(SPEECH, {})
    srt = to_srt(made)
    assert "00:01:02,500 --> " in srt
    parsed = parse(srt, vtt=False)
    assert [(s, e) for s, e, _ in parsed] == [(c.start, c.end) for c in made]
    assert [rows for _, _, rows in parsed] == [list(c.lines) for c in made]


def test_vtt_round_trips_with_voices_colours_and_escapes() -> None:
    made = cues(SPEECH, {"claire": "#ff3366", "max": "#33ccff"})
    vtt = to_vtt(made)
    assert vtt.startswith("WEBVTT\n\nSTYLE\n")
    assert '::cue(v[voice="Claire"]) { color: #ff3366; }' in vtt
    assert '::cue(v[voice="Max"]) { color: #33ccff; }' in vtt
    assert "&amp;" in vtt and "&lt;lawyers&gt;" in vtt and "<lawyers>" not in vtt
    parsed = parse(vtt, vtt=True)
    assert [(s, e) for s, e, _ in parsed] == [(c.start, c.end) for c in made]
    for (_, _, rows), c in zip(parsed, made, strict=True):
        voice = re.match(r"<v ([^>]*)>", rows[0])
        assert voice and voice.group(1) == c.name
        plain = re.sub(r"</?v[^>]*>", "", "\n".join(rows))
        plain = plain.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
        assert plain.split("\n") == list(c.lines)


# -- burned-in overlay ----------------------------------------------------------------------


def ink(o: Any) -> tuple[np.ndarray, np.ndarray]:
    ys, xs = np.nonzero(o.bgra[:, :, 3])
    return ys + o.y, xs + o.x


@pytest.mark.parametrize("size", [(1080, 1920), (540, 960)])
@pytest.mark.parametrize(
    "texts",
    [
        ["Where were you last night?"],
        ["W" * 32],
        ["I never loved you.", "Liar! Liar! You did, you did!"],
    ],
)
def test_overlay_stays_in_the_safe_area_just_above_the_captions(
    size: tuple[int, int], texts: list[str]
) -> None:
    width, height = size
    o = SubtitleRenderer(width, height).overlay([cue(t, start=i) for i, t in enumerate(texts)])
    x0, y0, x1, y1 = safe_box(width, height)
    ys, xs = ink(o)
    assert xs.min() >= x0 and xs.max() < x1 and ys.min() >= y0 and ys.max() < y1
    assert y1 - ys.max() < 0.03 * height  # sits on the keep-clear line, not mid-frame
    assert abs((xs.min() + xs.max()) / 2 - (x0 + x1) / 2) < 0.02 * width


def dominant(o: Any) -> tuple[int, int, int]:
    opaque = o.bgra[o.bgra[:, :, 3] == 255][:, :3]
    opaque = opaque[opaque.astype(int).sum(axis=1) > 150]  # the letters, not their outline
    b, g, r = Counter(map(tuple, opaque)).most_common(1)[0][0]
    return int(r), int(g), int(b)


def test_text_is_big_bold_and_in_the_speakers_colour() -> None:
    o = SubtitleRenderer(1080, 1920).overlay(cue("Where were you?", "#ffcc00"))
    assert dominant(o) == (255, 0xCC, 0)
    assert 60 <= o.height <= 110  # one line of ~62 px type plus its outline
    dark = SubtitleRenderer(1080, 1920).overlay(cue("Where were you?", "#101040"))
    r, g, b = dominant(dark)
    assert 0.2126 * r + 0.7152 * g + 0.0722 * b >= 110 and b > r  # lightened, still blue
    assert readable("#ffcc00") == (255, 204, 0)


def bands(o: Any, rgb: tuple[int, int, int]) -> int:
    fill = np.all(np.abs(o.bgra[:, :, 2::-1].astype(int) - rgb) < 8, axis=2)
    rows = fill.any(axis=1).astype(int)
    return int(np.sum(np.diff(np.concatenate([[0], rows])) == 1))


def test_at_most_two_lines_per_cue_and_dual_cues_stack() -> None:
    renderer = SubtitleRenderer(1080, 1920)
    long = cues([line("Tell me the truth, for once in your miserable life.", 0, 3)], {})
    assert len(long) == 1
    two = renderer.overlay(Cue(**{**long[0].__dict__, "colour": "#ffcc00"}))
    assert bands(two, (255, 204, 0)) == 2
    single = renderer.overlay(cue("Liar!", "#33ccff"))
    both = renderer.overlay([cue("I never did.", "#ffcc00"), cue("Liar!", "#33ccff", start=0.1)])
    assert both.height > single.height * 1.6
    ys_first = np.nonzero(np.all(both.bgra[:, :, 2::-1] == (255, 204, 0), axis=2))[0]
    ys_second = np.nonzero(np.all(both.bgra[:, :, 2::-1] == (51, 204, 255), axis=2))[0]
    assert ys_first.max() < ys_second.min()  # earliest on top


def test_draft_overlay_is_half_the_final_one() -> None:
    for text in ["Where were you last night?", "Tell me the truth, for once in your life."]:
        big = SubtitleRenderer(1080, 1920).overlay(cue(text))
        small = SubtitleRenderer(540, 960).overlay(cue(text))
        assert abs(big.width / 2 - small.width) <= 2
        assert abs(big.height / 2 - small.height) <= 2
        assert abs(big.x / 2 - small.x) <= 2 and abs(big.y / 2 - small.y) <= 2


def test_overlays_are_cached_per_cue() -> None:
    renderer = SubtitleRenderer(540, 960)
    c = cue("Again and again")
    assert renderer.overlay(c) is renderer.overlay(c)
    assert renderer.overlay(c) is not renderer.overlay(cue("Something else"))


def test_blend_paints_only_inside_the_patch() -> None:
    rng = np.random.default_rng(0)
    frame = rng.integers(0, 256, (960, 540, 4), dtype=np.uint8)
    before = frame.copy()
    o = SubtitleRenderer(540, 960).overlay(cue("Where were you?", "#ffcc00"))
    blend(frame, o)
    changed = np.any(frame != before, axis=2)
    ys, xs = np.nonzero(changed)
    assert len(ys) > 0
    assert ys.min() >= o.y and ys.max() < o.y + o.height
    assert xs.min() >= o.x and xs.max() < o.x + o.width
    patch = frame[o.y : o.y + o.height, o.x : o.x + o.width]
    opaque = o.bgra[:, :, 3] == 255
    assert np.array_equal(patch[opaque], o.bgra[opaque])  # solid ink replaces the picture
    clear = o.bgra[:, :, 3] == 0
    assert np.array_equal(patch[clear], before[o.y : o.y + o.height, o.x : o.x + o.width][clear])


def test_blend_half_transparent_pixels_mix() -> None:
    frame = np.full((960, 540, 4), 200, np.uint8)
    o = SubtitleRenderer(540, 960).overlay(cue("Hmm", "#ffffff"))
    blend(frame, o)
    patch = frame[o.y : o.y + o.height, o.x : o.x + o.width].astype(int)
    half = (o.bgra[:, :, 3] > 100) & (o.bgra[:, :, 3] < 150)
    expected = o.bgra[half].astype(int) + 200 * (255 - o.bgra[half][:, 3:4].astype(int)) / 255
    assert np.abs(patch[half] - expected).max() <= 1


# -- fonts ---------------------------------------------------------------------------------------


def test_fonts_are_bold_and_fall_back_quietly() -> None:
    assert bold_typeface().isBold()
    fallback = bold_typeface((Path("/nonexistent/Font.ttf"),))
    assert isinstance(fallback, skia.Typeface)
    assert has_cjk("你好") and has_cjk("안녕") and not has_cjk("Hello, café!")
    assert isinstance(typeface_for("你好"), skia.Typeface)
    o = SubtitleRenderer(540, 960).overlay(cue("你好，世界"))
    assert o.width > 0 and o.height > 0
