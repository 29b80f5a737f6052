"""Notes (``[[...]]``) and boneyard (``/* ... */``) inside text: finding and removing them.

The two never nest: inside a note ``/*`` is plain text, and inside a boneyard ``[[`` is.
"""

from __future__ import annotations

import re

NOTE = "[["
BONEYARD = "/*"
CLOSE = {NOTE: "]]", BONEYARD: "*/"}


def scan(text: str, state: str | None = None) -> str | None:
    """The span still open at the end of ``text`` (``"[["``, ``"/*"`` or None).

    ``state`` is the span open before ``text`` starts, so lines can be fed one at a time.
    """
    pos = 0
    while True:
        if state is None:
            state, pos = _next_opening(text, pos)
            if state is None:
                return None
        else:
            end = text.find(CLOSE[state], pos)
            if end < 0:
                return state
            state, pos = None, end + 2


def _next_opening(text: str, pos: int) -> tuple[str | None, int]:
    note = text.find(NOTE, pos)
    bone = text.find(BONEYARD, pos)
    if note < 0 and bone < 0:
        return None, pos
    if bone < 0 or 0 <= note < bone:
        return NOTE, note + 2
    return BONEYARD, bone + 2


def spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of every note and boneyard; an unclosed one runs to the end."""
    found: list[tuple[int, int]] = []
    pos = 0
    while True:
        kind, after = _next_opening(text, pos)
        if kind is None:
            return found
        end = text.find(CLOSE[kind], after)
        stop = len(text) if end < 0 else end + 2
        found.append((after - 2, stop))
        pos = stop


_SEAM = "\x00"
_AROUND_SEAM = re.compile(f"[ \t]*{_SEAM}+[ \t]*")


def strip_notes(text: str) -> str:
    """``text`` without notes and boneyard, as a reader or a voice would take it.

    A line left empty by the removal goes; spaces at the seam collapse to one:
    ``"He waits [[beat?]] and leaves."`` → ``"He waits and leaves."``.
    """
    if NOTE not in text and BONEYARD not in text:
        return text  # the common case: nothing to remove
    pieces: list[str] = []
    pos = 0
    for start, end in spans(text):
        pieces.append(text[pos:start])
        pieces.append(_SEAM)
        pos = end
    pieces.append(text[pos:])
    kept: list[str] = []
    for line in "".join(pieces).split("\n"):
        if _SEAM not in line:
            kept.append(line)
            continue
        cleaned = _AROUND_SEAM.sub(_seam, line)
        if cleaned.strip():
            kept.append(cleaned)
    return "\n".join(kept)


def _seam(match: re.Match[str]) -> str:
    # Keep one space between words the removal brought together, none at a line's edge.
    inside = match.start() > 0 and match.end() < len(match.string)
    return " " if inside else ""
