"""Rules on who is in the story: known speakers, and characters who have left it."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass

from cliffhanger.model import Outline
from cliffhanger.model.script import Line
from cliffhanger.writing.doctor.context import Episode, Series, each_episode, normalize_cue
from cliffhanger.writing.doctor.findings import Finding


@each_episode
def speakers(series: Series, ep: Episode) -> Iterator[Finding]:
    """unknown-speaker: every cue must resolve to a bible character (see SpeakerIndex)."""
    known = series.speakers.cues()
    candidates = series.speakers.candidates()
    for t, line in ep.spoken:
        if series.speakers.resolve(line.speaker) is not None:
            continue
        cue = normalize_cue(line.speaker)
        close = difflib.get_close_matches(cue, candidates, n=1)
        hint = f"did you mean {close[0]}?" if close else f"known: {', '.join(known)}"
        yield ep.at(
            "unknown-speaker", f"speaker '{cue}' is not a character of the bible; {hint}", t
        )


@dataclass(frozen=True, slots=True)
class Absence:
    character: str
    since: int  # the episode whose outline beat has them depart


def absences(outline: Outline) -> dict[int, dict[str, Absence]]:
    """Who is away from the story during each episode of the outline.

    A character who ``departs`` in episode *d* is away in every later episode until one
    whose beats have them ``returns`` (they are present in that episode). Within the
    episode of leaving or returning, the order of beats is not policed.
    """
    away: dict[str, Absence] = {}
    during: dict[int, dict[str, Absence]] = {}
    for plan in outline.episodes:
        returning = {c for beat in plan.beats for c in beat.returns}
        during[plan.number] = {c: a for c, a in away.items() if c not in returning}
        for beat in plan.beats:
            for c in beat.returns:
                away.pop(c, None)
            for c in beat.departs:
                away[c] = Absence(c, plan.number)
    return during


def departures(series: Series) -> Iterator[Finding]:
    """departed-present: a departed character in a later outline beat or speaking in a script.

    Lines marked V.O. are exempt: a voice-over may be a memory or a recording. Each
    character is reported once per episode and place (outline, script), at the first use.
    """
    if series.outline is None:
        return
    during = absences(series.outline)
    for plan in series.outline.episodes:
        away = during[plan.number]
        listed = sorted({c for beat in plan.beats for c in beat.characters if c in away})
        for c in listed:
            yield series.in_outline(
                "departed-present",
                f"{series.name_of(c)} is in a beat of this episode but left the story in "
                f"episode {away[c].since} and no beat returns them",
                plan.number,
            )
    for ep in series.episodes:
        away = during.get(ep.number, {})
        if not away:
            continue
        reported: dict[str, int] = {}
        first: dict[str, Finding] = {}
        for t, line in ep.spoken:
            who = series.speakers.resolve(line.speaker)
            if who is None or who.id not in away or _voice_over(line):
                continue
            reported[who.id] = reported.get(who.id, 0) + 1
            if who.id not in first:
                first[who.id] = ep.at(
                    "departed-present",
                    f"{who.name} speaks here but left the story in episode "
                    f"{away[who.id].since} and no beat returns them",
                    t,
                )
        for c, f in first.items():
            more = reported[c] - 1
            yield f if not more else _with_more(f, more)


def _with_more(f: Finding, more: int) -> Finding:
    return Finding(
        f.severity, f.code, f"{f.message} ({more} more line(s))", f.episode, f.scene, f.line, f.file
    )


def _voice_over(line: Line) -> bool:
    """A V.O. extension, parsed (``line.extension``) or left in the cue (``MEI (V.O.)``)."""
    marks = [line.extension or "", *re.findall(r"\((.*?)\)", line.speaker)]
    return any(m.upper().replace(".", "").replace(" ", "") == "VO" for m in marks)
