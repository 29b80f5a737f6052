"""The render stage's shared values: output formats, shots and subtitle cues.

The storyboard (:mod:`cliffhanger.render.storyboard`) turns a voiced script into
:class:`Shot` s; the picture (:mod:`cliffhanger.render.picture`) draws each shot's frames;
the encoder writes one closed-GOP segment per shot, and the episode is joined from them
without re-encoding. Every time here is in seconds from the start of the episode.

Frames are BGRA ``uint8`` of shape ``(height, width, 4)``: skia's native raster order on
the machines we run on, and what OpenCV and FFmpeg convert from fastest.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Literal, Self, get_args

import numpy as np
from numpy.typing import NDArray

Frame = NDArray[np.uint8]  # BGRA, shape (H, W, 4)

QualityName = Literal["draft", "final"]
QUALITY_NAMES: tuple[QualityName, ...] = get_args(QualityName)


@dataclass(frozen=True)
class Quality:
    """An output format. ``crf``/``preset`` are libx264's; ``keyint`` is the longest GOP in
    frames (HLS cuts segments at key frames, so it bounds a segment's length)."""

    name: QualityName
    width: int
    height: int
    fps: int = 30
    crf: int = 20
    preset: str = "veryfast"
    keyint: int = 60
    audio_kbps: int = 128

    @property
    def scale(self) -> float:
        """This size against the 1080-wide reference every layout is designed at."""
        return self.width / 1080


QUALITIES: dict[QualityName, Quality] = {
    "draft": Quality("draft", 540, 960, crf=24, preset="veryfast"),
    "final": Quality("final", 1080, 1920, crf=20, preset="veryfast"),
}

# -- the safe area (fractions of the frame) ---------------------------------------------------
# Platforms lay their buttons over the right edge and the caption block over the bottom:
# subtitles and labels stay out of both.
SAFE_BOTTOM = 0.20  # keep clear: the bottom 20 %
SAFE_RIGHT = 0.15  # keep clear: the right 15 %
SAFE_TOP = 0.06  # status bar / notch
SAFE_LEFT = 0.05


def safe_box(width: int, height: int) -> tuple[int, int, int, int]:
    """The safe area in pixels: x0, y0, x1, y1 (x1/y1 exclusive)."""
    return (
        round(width * SAFE_LEFT),
        round(height * SAFE_TOP),
        round(width * (1 - SAFE_RIGHT)),
        round(height * (1 - SAFE_BOTTOM)),
    )


# -- shots --------------------------------------------------------------------------------------

Framing = Literal["wide", "medium", "close", "extreme"]
FRAMINGS: tuple[Framing, ...] = get_args(Framing)
Move = Literal["static", "push_in", "pull_out", "pan_left", "pan_right", "shake", "zoom_punch"]
MOVES: tuple[Move, ...] = get_args(Move)
TransitionIn = Literal["cut", "flash", "whip"]
ShotKind = Literal["scene", "title", "end"]


@dataclass(frozen=True)
class Figure:
    """A character on screen: where (``x``: the centre as a fraction of the set's width),
    which way they face, and their expression at each moment of the shot."""

    character: str  # bible id
    x: float
    angle: Literal["front", "left", "right"] = "front"
    expressions: tuple[tuple[float, str], ...] = ((0.0, "neutral"),)  # (from, expression)
    mouth: tuple[tuple[float, str], ...] = ()  # (time, shape) keys; empty: mouth at rest

    def expression_at(self, t: float) -> str:
        current = self.expressions[0][1]
        for start, name in self.expressions:
            if start <= t:
                current = name
        return current


@dataclass(frozen=True)
class Shot:
    """One camera set-up. ``start``/``end`` are episode seconds; ``focus`` is whom the
    framing is on (None: the whole group); ``lines`` are indices into ``lines.json``."""

    index: int
    kind: ShotKind
    start: float
    end: float
    location: str = ""  # bible location id ("" for cards)
    scene: int = -1  # index of the script's scene (-1 for cards)
    framing: Framing = "medium"
    move: Move = "static"
    transition: TransitionIn = "cut"
    figures: tuple[Figure, ...] = ()
    focus: str | None = None
    lines: tuple[int, ...] = ()
    freeze: bool = False  # the last frame holds (the cliffhanger)
    text: tuple[str, ...] = ()  # cards: the lines of text they show
    beat: str = ""  # the outline beat this shot plays (hook, reversal, cliffhanger ...)

    @property
    def seconds(self) -> float:
        return self.end - self.start

    def with_(self, **changes: object) -> Self:
        return replace(self, **changes)  # type: ignore[arg-type]


# -- subtitles ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cue:
    """One subtitle: what a speaker says from ``start`` to ``end`` (episode seconds).
    ``colour`` is the speaker's "#rrggbb"; ``lines`` is the text as broken for the screen
    (at most two lines)."""

    index: int
    start: float
    end: float
    speaker: str  # bible id
    name: str
    text: str
    colour: str = "#ffffff"
    lines: tuple[str, ...] = field(default=())
