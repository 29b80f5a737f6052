"""An episode's timeline once its lines are spoken: the real durations replace the estimate.

The same plain model as :mod:`cliffhanger.writing.timing`, with measured speech: a spoken
line lasts its audio plus a breath; action, transitions and beats keep their estimated
time (the picture acts them out); a dual line starts with the line before it. The episode
starts after a short lead-in (:data:`LEAD_IN_S`), so the hook is heard at once.

Every element starts on a video frame (``1/FRAME_RATE``): each duration is rounded up to
whole frames. So when one line is re-voiced and runs longer, everything after it moves by
whole frames, and the picture of a shot that only moved is the same picture (the render
re-uses it).
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from cliffhanger.model.script import Line, Script
from cliffhanger.writing.timing import LINE_PAUSE_S, Timed, element_seconds

LEAD_IN_S = 0.3  # silence before the first element
SCENE_GAP_S = 0.35  # a breath between scenes, for the cut
FRAME_RATE = 30  # elements start on frames of this rate (and of any rate dividing it)


def place(
    script: Script, spoken: Mapping[int, float], words_per_minute: float = 140.0
) -> list[Timed]:
    """Every element in order with its start and end; ``spoken`` maps a line's index among
    ``script.lines`` to its audio's length in seconds (a line without audio is estimated)."""
    timed: list[Timed] = []
    cursor = _frames(LEAD_IN_S)  # in frames, so sums never drift off the frame grid
    line_index = 0
    last_line_start: int | None = None
    for scene_index, scene in enumerate(script.scenes):
        if scene_index:
            cursor += _frames(SCENE_GAP_S)
        last_line_start = None  # a dual line overlaps the line just before it, in its scene
        for element in scene.elements:
            if isinstance(element, Line):
                audio = spoken.get(line_index)
                length = _frames(
                    audio + LINE_PAUSE_S
                    if audio is not None
                    else element_seconds(element, words_per_minute)
                )
                line_index += 1
                start = cursor
                if element.dual and last_line_start is not None:
                    start = last_line_start
                last_line_start = start
            else:
                length = _frames(element_seconds(element, words_per_minute))
                start = cursor
                if length > 0:  # action or a transition between them: no overlap across it
                    last_line_start = None
            end = start + length
            timed.append(Timed(element, scene_index, start / FRAME_RATE, end / FRAME_RATE))
            cursor = max(cursor, end)
    return timed


def _frames(seconds: float) -> int:
    """Whole frames covering ``seconds`` (a hair of float noise never adds a frame)."""
    return math.ceil(seconds * FRAME_RATE - 1e-6)
