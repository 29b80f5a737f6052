"""The voiced timeline: lines follow each other; a dual line overlaps only the line it shares."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from cliffhanger.model.script import Action, Line, Scene, Script
from cliffhanger.voice.timeline import LEAD_IN_S, place

element = st.one_of(
    st.builds(Line, st.sampled_from(["MEI", "ETHAN"]), st.just("Say it."), dual=st.booleans()),
    st.builds(Action, st.sampled_from(["She turns.", "A long silence fills the room."])),
)
scenes = st.lists(st.lists(element, min_size=1, max_size=6), min_size=1, max_size=4)
seconds = st.lists(st.floats(0.3, 4.0), min_size=30, max_size=30)


@given(scenes, seconds)
def test_lines_never_overlap_unless_dual_with_the_line_just_before(
    layout: list[list[Line | Action]], spoken: list[float]
) -> None:
    script = Script(
        1, "t", tuple(Scene(f"INT. ROOM {i} - DAY", "", tuple(els)) for i, els in enumerate(layout))
    )
    timed = place(script, dict(enumerate(spoken)))
    assert timed[0].start >= LEAD_IN_S
    previous = None
    for t in timed:
        assert t.end >= t.start
        if isinstance(t.element, Line):
            if previous is not None and not (t.element.dual and previous[1] == t.scene_index):
                assert t.start >= previous[0] - 1e-9, "a line starts before the last one ended"
            if previous is not None and t.element.dual and t.start < previous[0]:
                assert previous[1] == t.scene_index, "a dual line reached into another scene"
            previous = (t.end, t.scene_index)
        else:
            previous = None if previous is None else (max(previous[0], t.end), previous[1])
