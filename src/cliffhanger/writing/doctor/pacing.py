"""Rules on how much is said and how fast: word budget, running time, reading speed, repeats."""

from __future__ import annotations

import re
from collections.abc import Iterator

from cliffhanger.model.script import Line
from cliffhanger.writing.doctor.context import Episode, Series, each_episode
from cliffhanger.writing.doctor.findings import Finding
from cliffhanger.writing.timing import Timed

MIN_SUBTITLE_S = 1.0
"""A subtitle stays up at least this long, however short the line: "Unbelievable!" is said in
0.7 s but read in a second, so one-word exclamations are not flagged."""

_PUNCTUATION = re.compile(r"[^\w\s]+")

SHORT_LINE_WORDS = 3
"""Lines this short ("What?", "Get out!") may repeat freely."""


@each_episode
def words(series: Series, ep: Episode) -> Iterator[Finding]:
    """words-low and words-high: spoken words against the budget scaled to the target length."""
    if not ep.spoken:
        return  # empty-episode says it better
    scale = ep.target_seconds / 90.0
    low = series.settings.min_words_per_90s * scale
    high = series.settings.max_words_per_90s * scale
    count = ep.script.words
    budget = f"a {ep.target_seconds} s episode needs {low:.0f}-{high:.0f}"
    if count < low:
        yield ep.at("words-low", f"{count} spoken words; {budget}")
    elif count > high:
        yield ep.at("words-high", f"{count} spoken words; {budget}")


@each_episode
def length(series: Series, ep: Episode) -> Iterator[Finding]:
    """length-off: estimated running time more than ``length_tolerance`` (25%) off the target."""
    if not ep.timed:
        return
    target = ep.target_seconds
    tolerance = series.settings.length_tolerance
    if abs(ep.seconds - target) > tolerance * target:
        direction = "long" if ep.seconds > target else "short"
        yield ep.at(
            "length-off",
            f"estimated at {ep.seconds:.0f} s against a target of {target} s: too {direction} "
            f"by more than {tolerance:.0%}",
        )


@each_episode
def reading_speed(series: Series, ep: Episode) -> Iterator[Finding]:
    """reading-speed: characters (spaces included) per second of the line's estimated time."""
    limit = series.settings.max_chars_per_second
    for t, line in ep.spoken:
        chars = len(line.text.strip())
        seconds = max(t.duration, MIN_SUBTITLE_S)
        if chars / seconds > limit:
            yield ep.at(
                "reading-speed",
                f"{line.speaker}'s line needs {chars / seconds:.1f} characters per second "
                f"({chars} in {seconds:.1f} s); the limit is {limit:g}",
                t,
            )


def normalize_line(text: str) -> str:
    """Case, punctuation and spacing folded: ``"Get OUT, now!"`` → ``"get out now"``."""
    return " ".join(_PUNCTUATION.sub("", text.lower().replace("’", "'")).split())


def line_repeat(series: Series) -> Iterator[Finding]:
    """line-repeat: a line spoken more than max_line_repeats times across the series.

    Reported once, at the first use past the limit, listing every use.
    """
    uses: dict[str, list[tuple[Episode, Timed, Line]]] = {}
    for ep in series.episodes:
        for t, line in ep.spoken:
            key = normalize_line(line.text)
            if len(key.split()) > SHORT_LINE_WORDS:
                uses.setdefault(key, []).append((ep, t, line))
    allowed = series.settings.max_line_repeats
    for places in uses.values():
        if len(places) <= allowed:
            continue
        ep, t, line = places[allowed]
        listed = ", ".join(_place(e, u) for e, u, _ in places)
        yield ep.at(
            "line-repeat",
            f'"{line.text.strip()}" is spoken {len(places)} times in the series '
            f"(at most {allowed}): {listed}",
            t,
        )


def _place(ep: Episode, t: Timed) -> str:
    line = t.element.source_line
    where = f"episode {ep.number} scene {t.scene_index + 1}"
    return f"{where} line {line}" if line else where
