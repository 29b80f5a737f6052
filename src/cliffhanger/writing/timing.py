"""How long a script will run on screen, estimated before any audio exists.

This is the one place the pipeline guesses time from text; once the voice stage has spoken a
line, its real duration replaces the guess. The model is deliberately plain, so a writer can
predict it by hand and the same script always gets the same numbers:

* a spoken :class:`~cliffhanger.model.script.Line` lasts its words at ``words_per_minute``
  plus a breath (:data:`LINE_PAUSE_S`), never less than :data:`MIN_LINE_S`;
* an :class:`~cliffhanger.model.script.Action` paragraph lasts :data:`ACTION_S_PER_WORD`
  per word, between :data:`MIN_ACTION_S` and :data:`MAX_ACTION_S` (a long paragraph is
  described at length, not acted at length);
* a :class:`~cliffhanger.model.script.Transition` lasts :data:`TRANSITION_S`;
* a :class:`~cliffhanger.model.script.BeatMarker` takes no time;
* a ``dual`` line is spoken over the line before it: it starts when that line starts.

Elements otherwise follow each other without gaps; scene headings take no time of their own.

>>> from cliffhanger.model import Line, Scene, Script
>>> script = Script(1, "Pilot", (Scene("INT. OFFICE - DAY", "office", (
...     Line("MEI", "You lied to me about everything, Ethan."),)),))
>>> round(episode_seconds(script), 2)
3.25
"""

from __future__ import annotations

from dataclasses import dataclass

from cliffhanger.model.script import Action, BeatMarker, Element, Line, Script, Transition

LINE_PAUSE_S = 0.25
"""The breath after every spoken line."""
MIN_LINE_S = 0.6
"""The shortest a spoken line can last ("No!")."""
ACTION_S_PER_WORD = 0.25
MIN_ACTION_S = 0.8
MAX_ACTION_S = 4.0
TRANSITION_S = 0.5

DEFAULT_WORDS_PER_MINUTE = 140.0


@dataclass(frozen=True, slots=True)
class Timed:
    """One element of a script placed on the estimated timeline, in seconds from the start.

    ``scene_index`` is 0-based: ``script.scenes[timed.scene_index]`` holds the element.
    """

    element: Element
    scene_index: int
    start: float
    end: float

    @property
    def duration(self) -> float:
        return self.end - self.start


def element_seconds(element: Element, words_per_minute: float = DEFAULT_WORDS_PER_MINUTE) -> float:
    """The estimated screen time of one element on its own."""
    if words_per_minute <= 0:
        raise ValueError(f"words_per_minute must be positive, got {words_per_minute}")
    if isinstance(element, Line):
        return max(MIN_LINE_S, element.words / words_per_minute * 60.0 + LINE_PAUSE_S)
    if isinstance(element, Action):
        words = len(element.text.split())
        return min(MAX_ACTION_S, max(MIN_ACTION_S, words * ACTION_S_PER_WORD))
    if isinstance(element, Transition):
        return TRANSITION_S
    if isinstance(element, BeatMarker):
        return 0.0
    raise TypeError(f"not a script element: {element!r}")


def estimate(script: Script, words_per_minute: float = DEFAULT_WORDS_PER_MINUTE) -> list[Timed]:
    """Every element of ``script`` in order, with its estimated start and end."""
    timed: list[Timed] = []
    cursor = 0.0
    last_line_start: float | None = None
    for scene_index, scene in enumerate(script.scenes):
        for element in scene.elements:
            seconds = element_seconds(element, words_per_minute)
            start = cursor
            if isinstance(element, Line):
                if element.dual and last_line_start is not None:
                    start = last_line_start
                last_line_start = start
            end = start + seconds
            timed.append(Timed(element, scene_index, start, end))
            cursor = max(cursor, end)
    return timed


def episode_seconds(script: Script, words_per_minute: float = DEFAULT_WORDS_PER_MINUTE) -> float:
    """The estimated running time of a whole episode."""
    return max((t.end for t in estimate(script, words_per_minute)), default=0.0)
