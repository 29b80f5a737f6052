"""Subtitle text: cues timed from the voiced lines, broken for a phone screen, and written
as SubRip and WebVTT.

The voice stage knows when each line is spoken (``epNNN.lines.json``); here that becomes
:class:`~cliffhanger.render.base.Cue` s a viewer can read: at most two short screen lines,
long speeches split into consecutive cues at sentence or clause ends, each cue shown long
enough to read but never over the next one. The picture draws them
(:mod:`cliffhanger.render.subtitles`); the same cues are exported as sidecar files.

>>> [c.lines for c in cues([{"speaker": "a", "name": "A", "text": "Hi there.",
...                          "start": 0.0, "end": 1.0}], {})]
[('Hi there.',)]
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from cliffhanger.render.base import Cue

SENTENCE_END = (".", "!", "?", "…", "。", "！", "？")
CLAUSE_END = (",", ";", ":", "—", "–", "、", "，", "；", "：")
DEFAULT_COLOUR = "#ffffff"


@dataclass(frozen=True)
class _Token:
    """A word, or a piece of a word too long for one screen line (``glued`` to the piece
    before it: pieces are joined without a space in the cue's text)."""

    text: str
    glued: bool = False


def _tokens(text: str, max_chars: int) -> list[_Token]:
    out: list[_Token] = []
    for word in text.split():
        pieces = [word[i : i + max_chars] for i in range(0, len(word), max_chars)]
        out.extend(_Token(p, glued=i > 0) for i, p in enumerate(pieces))
    return out


def _join(tokens: Sequence[_Token]) -> str:
    return "".join(("" if t.glued or i == 0 else " ") + t.text for i, t in enumerate(tokens))


def _break_penalty(word: str) -> int:
    """What ending a line (or a cue) after ``word`` costs: free at a sentence end, cheap
    after a clause, dear mid-phrase."""
    if word.endswith(SENTENCE_END):
        return 0
    if word.endswith(CLAUSE_END):
        return 2
    return 6


def _split_two(tokens: Sequence[_Token], max_chars: int) -> tuple[str, ...] | None:
    """The best one- or two-line layout of ``tokens``, or None when they need more.

    Balance counts most (a ragged pair reads slower), then breaking after punctuation.
    A break between two pieces of one long word never shares a line, so joining lines
    with spaces is exact.
    """
    whole = _join(tokens)
    if len(whole) <= max_chars:
        return (whole,) if whole else ()
    best: tuple[float, tuple[str, str]] | None = None
    for i in range(1, len(tokens)):
        top, bottom = _join(tokens[:i]), _join(tokens[i:])
        if len(top) > max_chars or len(bottom) > max_chars:
            continue
        cost = abs(len(top) - len(bottom)) + 4 * _break_penalty(tokens[i - 1].text)
        if best is None or cost < best[0]:
            best = (cost, (top, bottom))
    return None if best is None else best[1]


def break_lines(text: str, max_chars: int = 32) -> tuple[str, ...]:
    """``text`` as at most two screen lines of at most ``max_chars`` characters; text too
    long for that comes back in as many lines as it needs (see :func:`cues`, which splits
    it into several cues first)."""
    tokens = _tokens(text, max_chars)
    layout = _split_two(tokens, max_chars)
    if layout is not None:
        return layout
    return tuple(line for seg in _segments(tokens, max_chars, math.inf) for line in seg[1])


def _segments(
    tokens: Sequence[_Token], max_chars: int, max_share: float
) -> list[tuple[list[_Token], tuple[str, ...]]]:
    """Split ``tokens`` into the fewest, most natural cues that each fit two lines and hold
    at most ``max_share`` characters (the reading-time cap), by dynamic programming over
    the break points: cues ending at a sentence cost least, mid-phrase most."""
    n = len(tokens)
    best: list[float] = [0.0] + [math.inf] * n
    back: list[int] = [0] * (n + 1)
    layouts: dict[tuple[int, int], tuple[str, ...]] = {}
    for j in range(1, n + 1):
        for i in range(j - 1, -1, -1):
            if best[i] == math.inf:
                continue
            layout = _split_two(tokens[i:j], max_chars)
            if layout is None:
                break  # longer spans only get longer
            chars = len(_join(tokens[i:j]))
            if chars > max_share and j - i > 1:
                break
            cost = 10.0 + (0 if j == n else 3 * _break_penalty(tokens[j - 1].text))
            cost += 4 if chars < 12 and n > 1 else 0  # a lone word flashes by
            if best[i] + cost < best[j]:
                best[j], back[j] = best[i] + cost, i
                layouts[i, j] = layout
    spans: list[tuple[int, int]] = []
    j = n
    while j > 0:
        spans.append((back[j], j))
        j = back[j]
    return [(list(tokens[i:j]), layouts[i, j]) for i, j in reversed(spans)]


def _line_cues(
    line: Mapping[str, Any], colour: str, max_chars: int, max_seconds: float
) -> list[Cue]:
    tokens = _tokens(str(line.get("text", "")), max_chars)
    if not tokens:
        return []
    # Work in whole milliseconds (what SRT/VTT can say), every piece at least one long.
    start_ms = round(float(line["start"]) * 1000)
    end_ms = max(round(float(line["end"]) * 1000), start_ms)
    total = len(_join(tokens))
    seconds = (end_ms - start_ms) / 1000
    max_share = total * max_seconds / seconds if seconds > max_seconds else math.inf
    segments = _segments(tokens, max_chars, max_share)
    weights = [len(_join(seg)) for seg, _ in segments]
    span = max(end_ms - start_ms, len(segments) if len(segments) > 1 else 0)
    bounds = [0]
    for k in range(1, len(segments) + 1):
        ideal = round(span * sum(weights[:k]) / sum(weights))
        bounds.append(min(max(ideal, bounds[-1] + 1), span - (len(segments) - k)))
    bounds[-1] = span
    speaker = str(line.get("speaker", ""))
    name = str(line.get("name") or speaker)
    return [
        Cue(
            0,
            (start_ms + t0) / 1000,
            (start_ms + t1) / 1000,
            speaker,
            name,
            _join(seg),
            colour,
            layout,
        )
        for (seg, layout), t0, t1 in zip(segments, bounds, bounds[1:], strict=False)
    ]


def cues(
    lines: Sequence[Mapping[str, Any]],
    colours: Mapping[str, str],
    *,
    max_chars: int = 32,
    min_seconds: float = 0.8,
    max_seconds: float = 6.0,
) -> list[Cue]:
    """The subtitle cues for an episode's voiced ``lines`` (``lines.json``'s entries).

    Each line gives one cue, or several consecutive ones when it is too long to read at
    once; each cue gets a share of the line's time proportional to its characters. A
    cue shorter than ``min_seconds`` stays up into the silence after it, but never past
    the next cue's start. Only ``dual`` lines (spoken over the previous one) overlap.
    """
    # (line number, the line it is spoken over or -1, cue), in the order they appear.
    timed: list[tuple[int, int, Cue]] = []
    for n, line in enumerate(lines):
        colour = colours.get(str(line.get("speaker", "")), DEFAULT_COLOUR)
        partner = n - 1 if line.get("dual", False) else -1
        timed.extend((n, partner, c) for c in _line_cues(line, colour, max_chars, max_seconds))
    timed.sort(key=lambda item: item[2].start)  # stable: a dual line stays after its partner
    # A cue that starts before an earlier one ends cuts that one short, unless one is a
    # dual line spoken over the other's line; the same speaker never holds two cues at once.
    covered: set[int] = set()  # cut to nothing by a line starting at the same moment
    for k, (n, partner, cue) in enumerate(timed):
        for m in range(k):
            prev_n, prev_partner, prev = timed[m]
            if prev_n == n or not (prev.end > cue.start or prev.start >= cue.start):
                continue
            together = partner == prev_n or prev_partner == n
            if prev.speaker == cue.speaker or not (together or partner >= 0):
                timed[m] = (prev_n, prev_partner, replace(prev, end=max(prev.start, cue.start)))
                if prev.start >= cue.start:
                    covered.add(m)
    out: list[Cue] = []
    for k, (_, _, cue) in enumerate(timed):
        if k in covered:
            continue
        end = cue.end
        if end - cue.start < min_seconds:
            following = [
                c.start for _, _, c in timed[k + 1 :] if c.start >= max(cue.end, cue.start + 1e-6)
            ]
            end = max(min([cue.start + min_seconds, *following]), cue.end)
        out.append(replace(cue, index=len(out) + 1, start=round(cue.start, 3), end=round(end, 3)))
    return out


# -- sidecar formats --------------------------------------------------------------------------


def _stamp(seconds: float, sep: str) -> str:
    ms = max(0, round(seconds * 1000))
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{ms:03d}"


def _screen_lines(cue: Cue) -> tuple[str, ...]:
    return cue.lines or break_lines(cue.text)


def to_srt(cues: Sequence[Cue]) -> str:
    """SubRip: numbered blocks, ``HH:MM:SS,mmm`` times, blank-line separated."""
    blocks = [
        f"{n}\n{_stamp(c.start, ',')} --> {_stamp(c.end, ',')}\n" + "\n".join(_screen_lines(c))
        for n, c in enumerate(cues, 1)
    ]
    return "\n\n".join(blocks) + "\n" if blocks else ""


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _css_string(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")


def to_vtt(cues: Sequence[Cue]) -> str:
    """WebVTT with each speaker as a ``<v Name>`` voice, coloured by a ``STYLE`` block so
    players that honour it show the same colours as the burned-in subtitles."""
    colours: dict[str, str] = {}
    for cue in cues:
        colours.setdefault(cue.name or cue.speaker, cue.colour)
    parts = ["WEBVTT"]
    if colours:
        rules = [
            f'::cue(v[voice="{_css_string(name)}"]) {{ color: {colour}; }}'
            for name, colour in colours.items()
        ]
        parts.append("STYLE\n" + "\n".join(rules))
    for n, cue in enumerate(cues, 1):
        voice = _escape(cue.name or cue.speaker)
        text = "\n".join(_escape(line) for line in _screen_lines(cue))
        stamps = f"{_stamp(cue.start, '.')} --> {_stamp(cue.end, '.')}"
        parts.append(f"{n}\n{stamps}\n<v {voice}>{text}</v>")
    return "\n\n".join(parts) + "\n"
