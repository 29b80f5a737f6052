"""Text the episode wears besides subtitles: the AI label, episode 1's title and credits,
and the end card that sells the next episode.

The label is required on AI-generated video in China and expected elsewhere: small, always
on, top-left inside the safe area. Overlays are premultiplied BGRA patches blended like
subtitles (:func:`cliffhanger.render.subtitles.blend`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import skia

from cliffhanger.render.base import Frame, safe_box
from cliffhanger.render.fonts import font_for
from cliffhanger.render.subtitles import Overlay, _overlay

LABEL_FRACTION = 0.019  # the AI label's text height, against the frame's height
TITLE_FRACTION = 0.06
CARD_FRACTION = 0.05


def _text_block(
    rows: Sequence[tuple[str, float, tuple[int, int, int, int]]],
    max_width: float,
    *,
    shadow: bool = True,
    band: tuple[int, int, int, int] | None = None,
) -> np.ndarray:
    """Rows of (text, size, RGBA colour) centred in a premultiplied BGRA block, each row
    shrunk to fit ``max_width``; an optional translucent ``band`` behind them."""
    fonts, widths, sizes = [], [], []
    for text, wanted, _ in rows:
        font = font_for(text, wanted)
        width = font.measureText(text)
        size = wanted
        if width > max_width:
            size = wanted * max_width / width
            font = font_for(text, size)
            width = font.measureText(text)
        fonts.append(font)
        widths.append(width)
        sizes.append(size)
    pad = max(sizes) * 0.5
    w = math.ceil(min(max_width, max(widths)) + 2 * pad)
    h = math.ceil(sum(s * 1.3 for s in sizes) + 2 * pad)
    block = np.zeros((h, w, 4), np.uint8)
    surface = skia.Surface(
        block, colorType=skia.kBGRA_8888_ColorType, alphaType=skia.kPremul_AlphaType
    )
    canvas = surface.getCanvas()
    if band is not None:
        canvas.drawRoundRect(
            skia.Rect.MakeWH(w, h),
            pad * 0.6,
            pad * 0.6,
            skia.Paint(AntiAlias=True, Color=skia.Color(*band)),
        )
    y = pad
    for (text, _, colour), font, width, size in zip(rows, fonts, widths, sizes, strict=True):
        y += size * 1.05
        x = (w - width) / 2
        if shadow:
            blur = skia.MaskFilter.MakeBlur(skia.kNormal_BlurStyle, size * 0.08)
            paint = skia.Paint(AntiAlias=True, Color=skia.Color(0, 0, 0, 200), MaskFilter=blur)
            canvas.drawString(text, x, y + size * 0.05, font, paint)
        canvas.drawString(text, x, y, font, skia.Paint(AntiAlias=True, Color=skia.Color(*colour)))
        y += size * 0.25
    del canvas, surface
    return block


def label_overlay(width: int, height: int, text: str = "AI-generated") -> Overlay:
    """The small always-on AI label, top-left in the safe area."""
    x0, y0, x1, _ = safe_box(width, height)
    size = max(9.0, height * LABEL_FRACTION)
    block = _text_block(
        [(text, size, (255, 255, 255, 230))], (x1 - x0) / 2, shadow=False, band=(0, 0, 0, 110)
    )
    return _overlay(block, x0, y0)


def title_overlay(width: int, height: int, title: str, credits: Sequence[str] = ()) -> Overlay:
    """Episode 1's opening title (and credits such as a filing number) in the upper third."""
    x0, y0, x1, y1 = safe_box(width, height)
    size = height * TITLE_FRACTION
    rows = [(w, size, (255, 244, 214, 255)) for w in _wrap(title, 18)]
    rows += [(c, size * 0.34, (235, 235, 235, 255)) for c in credits if c]
    block = _text_block(rows, x1 - x0, band=(10, 8, 14, 150))
    x = x0 + max(0, ((x1 - x0) - block.shape[1]) // 2)
    y = y0 + round((y1 - y0) * 0.16)
    return _overlay(block, x, y)


def end_card(
    width: int, height: int, lines: Sequence[str], accent: tuple[int, int, int] = (200, 40, 70)
) -> Frame:
    """The closing card: a dark field lit by the series' accent, the next episode's
    number and title, opaque BGRA."""
    frame = np.zeros((height, width, 4), np.uint8)
    canvas = skia.Canvas(
        frame, colorType=skia.kBGRA_8888_ColorType, alphaType=skia.kPremul_AlphaType
    )
    r, g, b = accent
    shader = skia.GradientShader.MakeRadial(
        skia.Point(width / 2, height * 0.42),
        height * 0.7,
        [skia.Color(r, g, b), skia.Color(r // 5, g // 5, b // 5), skia.Color(6, 5, 9)],
        [0.0, 0.55, 1.0],
    )
    canvas.drawPaint(skia.Paint(Shader=shader))
    x0, y0, x1, y1 = safe_box(width, height)
    size = height * CARD_FRACTION
    rows: list[tuple[str, float, tuple[int, int, int, int]]] = []
    for i, line in enumerate(lines):
        scale = (0.6, 1.4, 0.8)[min(i, 2)] if len(lines) > 1 else 1.0
        colour = (255, 214, 102, 255) if i == 1 else (255, 255, 255, 255)
        rows += [(w, size * scale, colour) for w in _wrap(line, 20)]
    block = _text_block(rows, x1 - x0)
    bh, bw = block.shape[:2]
    x = x0 + max(0, ((x1 - x0) - bw) // 2)
    y = y0 + max(0, ((y1 - y0) - bh) // 2)
    canvas.drawImage(
        skia.Image.fromarray(
            block, colorType=skia.kBGRA_8888_ColorType, alphaType=skia.kPremul_AlphaType
        ),
        x,
        y,
    )
    del canvas
    return frame


def _wrap(text: str, chars: int) -> list[str]:
    """Greedy word wrap at about ``chars`` characters (titles are short)."""
    rows: list[str] = []
    for word in text.split():
        if rows and len(rows[-1]) + 1 + len(word) <= chars:
            rows[-1] += " " + word
        else:
            rows.append(word)
    return rows or [""]
