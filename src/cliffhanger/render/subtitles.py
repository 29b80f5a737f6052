"""Burned-in subtitles: each cue drawn once as a small premultiplied patch, then blended
onto every frame it is up for.

Micro-drama is watched on a phone, often muted, so the subtitles are big, bold and in the
speaker's colour with a thick dark outline that reads over any picture. They sit centred
just above the bottom keep-clear zone (where platforms put the caption block) and never
under the right-hand buttons (:func:`~cliffhanger.render.base.safe_box`). A cue is on
screen for ~100 frames, so its patch is drawn once and cached; blending the small patch
costs well under a millisecond a frame.

The cue text itself (timing, line breaks, SRT/WebVTT) lives in
:mod:`cliffhanger.render.captions` and is re-exported here.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field

import cv2
import numpy as np
import skia

from cliffhanger.render.base import Cue, Frame, safe_box
from cliffhanger.render.captions import break_lines, cues, to_srt, to_vtt
from cliffhanger.render.fonts import font_for

__all__ = [
    "Overlay",
    "SubtitleRenderer",
    "active",
    "blend",
    "break_lines",
    "cues",
    "readable",
    "to_srt",
    "to_vtt",
]

FONT_FRACTION = 0.0323  # of the frame height: 62 px at 1920, big enough on a phone
STROKE = 0.20  # outline width, of the font size (half of it lies outside the glyphs)
SHADOW_DY = 0.06  # shadow offset and blur, of the font size
SHADOW_SIGMA = 0.07
LINE_SPACING = 1.18  # baseline to baseline, of the font size
STACK_GAP = 0.35  # between two speakers' cues, of the font size
LIFT = 0.012  # gap above the bottom keep-clear zone, of the frame height
MIN_LUMA = 120  # speaker colours darker than this would vanish into the outline
OUTLINE = skia.Color(8, 8, 8, 255)
SHADOW = skia.Color(0, 0, 0, 150)
CACHE_SIZE = 64


@dataclass(frozen=True, eq=False)
class Overlay:
    """A drawn subtitle block: ``bgra`` is premultiplied BGRA ``uint8`` of shape
    ``(h, w, 4)``, tight around the ink; ``x``/``y`` are its top-left in frame pixels.
    ``inv_alpha`` (``255 - alpha`` on all four channels) is kept so blending a cached
    overlay does no per-frame setup."""

    bgra: Frame
    x: int
    y: int
    inv_alpha: Frame = field(repr=False)

    @property
    def width(self) -> int:
        return int(self.bgra.shape[1])

    @property
    def height(self) -> int:
        return int(self.bgra.shape[0])


def _overlay(bgra: Frame, x: int, y: int) -> Overlay:
    inv = np.repeat(255 - bgra[:, :, 3:4], 4, axis=2)
    bgra.setflags(write=False)  # shared through the cache
    inv.setflags(write=False)
    return Overlay(bgra, x, y, inv)


def readable(colour: str) -> tuple[int, int, int]:
    """``colour`` ("#rrggbb" or "#rgb") as RGB, mixed toward white until it stands out
    against the dark outline."""
    hexes = colour.strip().lstrip("#")
    if len(hexes) == 3:
        hexes = "".join(ch * 2 for ch in hexes)
    try:
        r, g, b = (int(hexes[i : i + 2], 16) for i in (0, 2, 4))
    except ValueError:
        r, g, b = 255, 255, 255
    luma = 0.2126 * r + 0.7152 * g + 0.0722 * b
    if luma >= MIN_LUMA:
        return r, g, b
    t = (MIN_LUMA - luma) / (255 - luma)
    return round(r + (255 - r) * t), round(g + (255 - g) * t), round(b + (255 - b) * t)


def active(all_cues: Sequence[Cue], t: float) -> tuple[Cue, ...]:
    """The cues on screen at episode time ``t``, earliest first (the order they stack)."""
    return tuple(sorted((c for c in all_cues if c.start <= t < c.end), key=lambda c: c.start))


class SubtitleRenderer:
    """Draws cues for frames of ``width`` × ``height`` pixels.

    >>> r = SubtitleRenderer(540, 960)
    >>> o = r.overlay(Cue(1, 0.0, 1.0, "a", "A", "Hello", "#ffcc00", ("Hello",)))
    >>> o.y + o.height <= 960 * 0.8
    True
    """

    def __init__(self, width: int, height: int) -> None:
        self.width = width
        self.height = height
        self.box = safe_box(width, height)
        self._cache: OrderedDict[tuple[tuple[tuple[str, ...], str], ...], Overlay] = OrderedDict()

    def overlay(self, cue_or_cues: Cue | Sequence[Cue]) -> Overlay:
        """The drawn block for one cue, or for cues shown together (stacked, earliest on
        top). Cached by what is drawn, so asking again per frame is free."""
        group = [cue_or_cues] if isinstance(cue_or_cues, Cue) else list(cue_or_cues)
        group.sort(key=lambda c: c.start)
        key = tuple((c.lines or break_lines(c.text), c.colour) for c in group)
        hit = self._cache.get(key)
        if hit is not None:
            self._cache.move_to_end(key)
            return hit
        made = self._draw(key)
        self._cache[key] = made
        if len(self._cache) > CACHE_SIZE:
            self._cache.popitem(last=False)
        return made

    def _fonts(self, rows: Sequence[str], size: float) -> list[skia.Font]:
        return [font_for(row, size) for row in rows]

    def _draw(self, key: tuple[tuple[tuple[str, ...], str], ...]) -> Overlay:
        rows = [(text, colour, n) for n, (lines, colour) in enumerate(key) for text in lines]
        if not rows:
            return _overlay(np.zeros((0, 0, 4), np.uint8), self.box[0], self.box[3])
        x0, _, x1, _ = self.box
        size = self.height * FONT_FRACTION
        texts = [text for text, _, _ in rows]
        # Shrink until the widest line and its outline and shadow fit the safe width.
        for _ in range(4):
            fonts = self._fonts(texts, size)
            widths = [font.measureText(text) for font, text in zip(fonts, texts, strict=True)]
            pad = size * (STROKE / 2 + SHADOW_DY + 3 * SHADOW_SIGMA + 0.04)
            need = max(widths) + 2 * pad
            if need <= x1 - x0:
                break
            size *= (x1 - x0) / need * 0.995
        stroke, spacing = size * STROKE, size * LINE_SPACING
        gaps = [row[2] for row in rows]
        block = spacing * len(rows) + size * STACK_GAP * (gaps[-1] - gaps[0])
        w, h = math.ceil(max(widths) + 2 * pad), math.ceil(block + 2 * pad)
        w = min(w, x1 - x0)
        bgra = np.zeros((h, w, 4), np.uint8)
        surface = skia.Surface(
            bgra, colorType=skia.kBGRA_8888_ColorType, alphaType=skia.kPremul_AlphaType
        )
        canvas = surface.getCanvas()
        metrics = fonts[0].getMetrics()
        # Centre the ascent-to-descent band in each row's slot.
        inset = (spacing - (metrics.fDescent - metrics.fAscent)) / 2 - metrics.fAscent
        places = [
            (pad + (max(widths) - width) / 2, pad + i * spacing + n * size * STACK_GAP + inset)
            for i, (width, n) in enumerate(zip(widths, gaps, strict=True))
        ]
        shadow = skia.Paint(
            AntiAlias=True,
            Color=SHADOW,
            Style=skia.Paint.kStrokeAndFill_Style,
            StrokeWidth=stroke,
            StrokeJoin=skia.Paint.kRound_Join,
            MaskFilter=skia.MaskFilter.MakeBlur(skia.kNormal_BlurStyle, size * SHADOW_SIGMA),
        )
        outline = skia.Paint(
            AntiAlias=True,
            Color=OUTLINE,
            Style=skia.Paint.kStroke_Style,
            StrokeWidth=stroke,
            StrokeJoin=skia.Paint.kRound_Join,
        )
        # All shadows, then all outlines, then all fills: a line's outline must not cut
        # into the letters of the line above.
        for paint, dy in ((shadow, size * SHADOW_DY), (outline, 0.0)):
            for (px, py), font, text in zip(places, fonts, texts, strict=True):
                canvas.drawString(text, px, py + dy, font, paint)
        for (px, py), font, (text, colour, _) in zip(places, fonts, rows, strict=True):
            fill = skia.Paint(AntiAlias=True, Color=skia.Color(*readable(colour), 255))
            canvas.drawString(text, px, py, font, fill)
        del canvas, surface  # release skia's hold on the array before cropping it
        return self._place(bgra)

    def _place(self, bgra: Frame) -> Overlay:
        """Crop to the ink and sit the block centred just above the keep-clear zone."""
        x0, y0, x1, y1 = self.box
        ys, xs = np.nonzero(bgra[:, :, 3])
        if len(ys) == 0:
            return _overlay(np.zeros((0, 0, 4), np.uint8), x0, y1)
        tight = np.ascontiguousarray(bgra[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1])
        h, w = tight.shape[:2]
        x = min(max(round((x0 + x1 - w) / 2), x0), x1 - w)
        y = max(round(y1 - self.height * LIFT) - h, y0)
        return _overlay(tight[: y1 - y], x, y)


def blend(frame: Frame, overlay: Overlay) -> None:
    """Composite ``overlay`` onto the BGRA ``frame`` in place (premultiplied "over"),
    touching only the patch's pixels."""
    h, w = overlay.bgra.shape[:2]
    fx0, fy0 = max(overlay.x, 0), max(overlay.y, 0)
    fx1, fy1 = min(overlay.x + w, frame.shape[1]), min(overlay.y + h, frame.shape[0])
    if fx1 <= fx0 or fy1 <= fy0:
        return
    sy, sx = slice(fy0 - overlay.y, fy1 - overlay.y), slice(fx0 - overlay.x, fx1 - overlay.x)
    region = frame[fy0:fy1, fx0:fx1]
    # cv2 rounds and saturates in one pass each: dst * (255 - a) / 255 + src.
    under = cv2.multiply(region, overlay.inv_alpha[sy, sx], scale=1 / 255)
    region[...] = cv2.add(overlay.bgra[sy, sx], under)
