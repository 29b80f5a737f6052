"""Drawing primitives for the painted sets: one skia canvas per layer, in frame units.

A :class:`Painter` draws in *frame units*: the frame's height is 1, so ``y`` runs 0 (top of
the frame) to 1 (bottom) and ``x`` runs 0 to :attr:`Painter.a` (width ÷ height, 0.5625 for
9:16). The layer is larger than the frame by the margin on every side, so shapes meant to
fill the layer reach from :attr:`~Painter.left`/:attr:`~Painter.top` to
:attr:`~Painter.right`/:attr:`~Painter.bottom`. Colours are :data:`RGB` float triples; the
set's lighting (:mod:`.light`) decides which of them are tinted by the time of day.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import skia

from cliffhanger.cast.base import RGBA, layer_size, unpremultiply
from cliffhanger.cast.puppet.ink import RGB, Point, mix, polygon, rgb

__all__ = ["RGB", "WHITE", "Painter", "Point", "argb", "mix", "rgb", "shade"]

WHITE: RGB = (1.0, 1.0, 1.0)


def shade(c: RGB, f: float) -> RGB:
    """``c`` darkened (``f`` < 1) or brightened (``f`` > 1), clamped to 1."""
    return (min(c[0] * f, 1.0), min(c[1] * f, 1.0), min(c[2] * f, 1.0))


def argb(c: RGB, alpha: float = 1.0) -> int:
    """A skia colour integer."""
    ch = [max(0, min(255, round(v * 255))) for v in (alpha, *c)]
    return int(skia.ColorSetARGB(ch[0], ch[1], ch[2], ch[3]))


class Painter:
    """A transparent layer to paint on, in frame units (see the module docstring)."""

    def __init__(self, width: int, height: int, margin: float) -> None:
        lw, lh = layer_size(width, height, margin)
        self.pixels = np.zeros((lh, lw, 4), np.uint8)  # premultiplied RGBA, drawn in place
        self.canvas = skia.Canvas(
            self.pixels, colorType=skia.kRGBA_8888_ColorType, alphaType=skia.kPremul_AlphaType
        )
        ox, oy = (lw - width) / 2, (lh - height) / 2
        self.canvas.translate(ox, oy)
        self.canvas.scale(height, height)
        self.a: float = width / height
        self.left, self.top = -ox / height, -oy / height
        self.right, self.bottom = self.a - self.left, 1 - self.top

    def rgba(self) -> RGBA:
        """The layer as straight-alpha RGBA ``uint8``, shape ``(H, W, 4)``."""
        return unpremultiply(self.pixels)

    # -- paints ---------------------------------------------------------------------------

    def _paint(
        self,
        color: RGB,
        alpha: float = 1.0,
        blur: float = 0.0,
        stroke: float = 0.0,
        shader: object = None,
    ) -> skia.Paint:
        paint = skia.Paint(AntiAlias=True, Color=argb(color, alpha))
        if blur > 0:
            paint.setMaskFilter(skia.MaskFilter.MakeBlur(skia.kNormal_BlurStyle, blur))
        if stroke > 0:
            paint.setStyle(skia.Paint.kStroke_Style)
            paint.setStrokeWidth(stroke)
            paint.setStrokeCap(skia.Paint.kRound_Cap)
        if shader is not None:
            paint.setShader(shader)
        return paint

    # -- shapes ---------------------------------------------------------------------------

    def fill(self, color: RGB) -> None:
        """Cover the whole layer."""
        self.rect(self.left, self.top, self.right, self.bottom, color)

    def rect(
        self,
        x0: float,
        y0: float,
        x1: float,
        y1: float,
        color: RGB,
        alpha: float = 1.0,
        blur: float = 0.0,
    ) -> None:
        self.canvas.drawRect(skia.Rect(x0, y0, x1, y1), self._paint(color, alpha, blur))

    def rrect(
        self, x0: float, y0: float, x1: float, y1: float, r: float, color: RGB, alpha: float = 1.0
    ) -> None:
        self.canvas.drawRoundRect(skia.Rect(x0, y0, x1, y1), r, r, self._paint(color, alpha))

    def frame(
        self, x0: float, y0: float, x1: float, y1: float, w: float, color: RGB, alpha: float = 1.0
    ) -> None:
        """A rectangle's outline, ``w`` thick, drawn inside the rectangle."""
        paint = self._paint(color, alpha, stroke=w)
        paint.setStrokeCap(skia.Paint.kButt_Cap)
        paint.setStrokeJoin(skia.Paint.kMiter_Join)
        h = w / 2
        self.canvas.drawRect(skia.Rect(x0 + h, y0 + h, x1 - h, y1 - h), paint)

    def grad(
        self,
        x0: float,
        y0: float,
        x1: float,
        y1: float,
        colors: Sequence[RGB],
        *,
        alphas: Sequence[float] | None = None,
        stops: Sequence[float] | None = None,
        horizontal: bool = False,
        r: float = 0.0,
    ) -> None:
        """A rectangle (rounded by ``r``) filled with a linear gradient, top to bottom
        (or left to right)."""
        ends = [(x0, y0), (x1, y0)] if horizontal else [(x0, y0), (x0, y1)]
        alpha = alphas or [1.0] * len(colors)
        shader = skia.GradientShader.MakeLinear(
            [skia.Point(*p) for p in ends],
            [argb(c, a) for c, a in zip(colors, alpha, strict=True)],
            list(stops) if stops is not None else None,
        )
        paint = self._paint(WHITE, shader=shader)
        self.canvas.drawRoundRect(skia.Rect(x0, y0, x1, y1), r, r, paint)

    def poly(self, pts: Sequence[Point], color: RGB, alpha: float = 1.0, blur: float = 0.0) -> None:
        """A closed polygon."""
        self.canvas.drawPath(polygon(pts), self._paint(color, alpha, blur))

    def poly_grad(self, pts: Sequence[Point], top: RGB, bottom: RGB, y0: float, y1: float) -> None:
        """A closed polygon with a vertical gradient from ``y0`` to ``y1``."""
        shader = skia.GradientShader.MakeLinear(
            [skia.Point(0, y0), skia.Point(0, y1)], [argb(top), argb(bottom)]
        )
        self.canvas.drawPath(polygon(pts), self._paint(WHITE, shader=shader))

    def circle(
        self, cx: float, cy: float, r: float, color: RGB, alpha: float = 1.0, blur: float = 0.0
    ) -> None:
        self.canvas.drawCircle(cx, cy, r, self._paint(color, alpha, blur))

    def ellipse(
        self,
        x0: float,
        y0: float,
        x1: float,
        y1: float,
        color: RGB,
        alpha: float = 1.0,
        blur: float = 0.0,
    ) -> None:
        self.canvas.drawOval(skia.Rect(x0, y0, x1, y1), self._paint(color, alpha, blur))

    def line(
        self, x0: float, y0: float, x1: float, y1: float, w: float, color: RGB, alpha: float = 1.0
    ) -> None:
        self.canvas.drawLine(x0, y0, x1, y1, self._paint(color, alpha, stroke=w))

    def curve(self, pts: Sequence[Point], w: float, color: RGB, alpha: float = 1.0) -> None:
        """An open stroke through quadratic curves: ``pts`` = start, (control, end)…"""
        path = skia.Path()
        path.moveTo(*pts[0])
        for i in range(1, len(pts) - 1, 2):
            path.quadTo(*pts[i], *pts[i + 1])
        self.canvas.drawPath(path, self._paint(color, alpha, stroke=w))

    def glow(self, cx: float, cy: float, r: float, color: RGB, alpha: float = 1.0) -> None:
        """A soft radial light: ``color`` at the centre fading to nothing at ``r``."""
        shader = skia.GradientShader.MakeRadial(
            skia.Point(cx, cy),
            r,
            [argb(color, alpha), argb(color, alpha * 0.35), argb(color, 0)],
            [0.0, 0.35, 1.0],
        )
        paint = self._paint(WHITE, shader=shader)
        paint.setBlendMode(skia.BlendMode.kScreen)
        self.canvas.drawCircle(cx, cy, r, paint)

    def path(self, path: skia.Path, color: RGB, alpha: float = 1.0, stroke: float = 0.0) -> None:
        """Fill a skia path, or stroke it ``stroke`` wide."""
        self.canvas.drawPath(path, self._paint(color, alpha, stroke=stroke))

    def clip(self, x0: float, y0: float, x1: float, y1: float, r: float = 0.0) -> None:
        """Save the canvas and clip to a (rounded) rectangle; pair with :meth:`restore`."""
        self.canvas.save()
        self.canvas.clipRRect(skia.RRect.MakeRectXY(skia.Rect(x0, y0, x1, y1), r, r), True)

    def restore(self) -> None:
        self.canvas.restore()
