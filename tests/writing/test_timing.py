from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cliffhanger.model import Action, BeatMarker, Element, Line, Scene, Script, Transition
from cliffhanger.writing.timing import (
    MAX_ACTION_S,
    MIN_ACTION_S,
    MIN_LINE_S,
    Timed,
    element_seconds,
    episode_seconds,
    estimate,
)


def script(*scenes: tuple[Element, ...]) -> Script:
    return Script(1, "t", tuple(Scene(f"INT. ROOM {i} - DAY", "", s) for i, s in enumerate(scenes)))


def test_a_line_lasts_its_words_at_the_speaking_rate_plus_a_breath() -> None:
    seven = Line("MEI", "You lied to me about everything, Ethan.")
    assert element_seconds(seven, 140.0) == pytest.approx(7 / 140 * 60 + 0.25)
    assert element_seconds(seven, 70.0) == pytest.approx(7 / 70 * 60 + 0.25)


def test_a_one_word_line_still_takes_a_moment() -> None:
    assert element_seconds(Line("MEI", "No!"), 200.0) == MIN_LINE_S
    assert element_seconds(Line("MEI", ""), 140.0) == MIN_LINE_S


def test_action_time_grows_with_words_between_a_floor_and_a_cap() -> None:
    assert element_seconds(Action("She turns."), 140.0) == MIN_ACTION_S
    assert element_seconds(Action(" ".join(["word"] * 10)), 140.0) == pytest.approx(2.5)
    assert element_seconds(Action(" ".join(["word"] * 80)), 140.0) == MAX_ACTION_S


def test_transitions_take_half_a_second_and_beat_markers_none() -> None:
    assert element_seconds(Transition("CUT TO:"), 140.0) == 0.5
    assert element_seconds(BeatMarker("hook", "a slap"), 140.0) == 0.0


def test_elements_follow_each_other_across_scenes() -> None:
    s = script(
        (BeatMarker("hook"), Action("Rain falls on the glass tower tonight."), Line("A", "Go.")),
        (Transition("CUT TO:"), Line("B", "I will never leave this place without her.")),
    )
    timed = estimate(s)
    assert [t.scene_index for t in timed] == [0, 0, 0, 1, 1]
    assert [t.start for t in timed[:3]] == [0.0, 0.0, pytest.approx(1.75)]
    for before, after in itertools.pairwise(timed):
        assert after.start == pytest.approx(before.end)
    assert episode_seconds(s) == pytest.approx(timed[-1].end)
    assert timed[-1].duration == pytest.approx(8 / 140 * 60 + 0.25)


def test_a_dual_line_is_spoken_over_the_line_before() -> None:
    s = script(
        (
            Line("A", "Stop this wedding right now!"),
            Line("B", "Stop!", dual=True),
            Action("Silence."),
        )
    )
    first, dual, action = estimate(s)
    assert dual.start == first.start == 0.0
    assert action.start == pytest.approx(first.end)


def test_the_estimate_is_deterministic_and_frozen() -> None:
    s = script((Line("A", "Again and again."), Action("She leaves.")))
    assert estimate(s) == estimate(s)
    t = estimate(s)[0]
    assert isinstance(t, Timed)
    with pytest.raises(AttributeError):
        t.start = 3.0  # type: ignore[misc]


def test_empty_scripts_last_nothing_and_bad_rates_are_refused() -> None:
    assert episode_seconds(Script(1, "t", ())) == 0.0
    with pytest.raises(ValueError, match="words_per_minute"):
        estimate(script((Line("A", "Hi."),)), 0.0)


_ELEMENT = st.one_of(
    st.builds(Line, st.just("A"), st.text(" abc", max_size=60), dual=st.booleans()),
    st.builds(Action, st.text(" xyz", max_size=200)),
    st.builds(Transition, st.just("CUT TO:")),
    st.builds(BeatMarker, st.sampled_from(["hook", "reversal", "cliffhanger"])),
)


@given(
    st.lists(st.lists(_ELEMENT, max_size=8).map(tuple), max_size=4),
    st.floats(min_value=60, max_value=260),
)
def test_the_timeline_is_ordered_and_ends_with_the_episode(
    scenes: list[tuple[Element, ...]], wpm: float
) -> None:
    timed = estimate(script(*scenes), wpm)
    assert [t.element for t in timed] == [e for s in scenes for e in s]
    cursor = 0.0
    for t in timed:
        assert t.end >= t.start >= 0.0
        dual = isinstance(t.element, Line) and t.element.dual
        # Everything but a dual line starts where the timeline had got to.
        assert dual or t.start == pytest.approx(cursor)
        cursor = max(cursor, t.end)
    assert episode_seconds(script(*scenes), wpm) == pytest.approx(cursor)
