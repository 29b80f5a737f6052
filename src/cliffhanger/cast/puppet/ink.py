"""Drawing primitives the puppet shares: colours, smooth shapes through points, the head's turn.

Shapes are given as a few control points in *head units* (the face's half width is 1, x to the
right, y down, the origin between the cheekbones) and drawn as closed Catmull-Rom splines, so
a hairstyle is a short list of numbers, not a path by hand. :class:`Turn` maps a point on the
face to the screen for a head turned by a yaw angle: features on the near side spread, those
on the far side crowd together and the far cheek slips behind the profile, which is what makes
a three-quarter view read as the same face.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import skia

Point = tuple[float, float]
RGB = tuple[float, float, float]  # 0..1

LINE = (0.16, 0.10, 0.11)  # the ink of the outlines: a warm near-black


def rgb(hex_colour: str) -> RGB:
    h = hex_colour.lstrip("#")
    return (int(h[0:2], 16) / 255, int(h[2:4], 16) / 255, int(h[4:6], 16) / 255)


def mix(a: RGB, b: RGB, t: float) -> RGB:
    return (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t)


def shade(c: RGB, k: float = 0.78, warm: float = 0.06) -> RGB:
    """The cel-shadow tone of a colour: darker, a touch warmer (skin and cloth in shade)."""
    return (
        min(1.0, c[0] * k + warm * 0.5),
        c[1] * (k - warm * 0.4),
        min(1.0, c[2] * (k + warm * 0.2)),
    )


def light(c: RGB, t: float = 0.35) -> RGB:
    return mix(c, (1.0, 1.0, 1.0), t)


def ink_of(c: RGB) -> RGB:
    """An outline colour that belongs to its fill (webtoon line art is tinted, not black)."""
    return mix(c, LINE, 0.72)


def luma(c: RGB) -> float:
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]


def colour(c: RGB, alpha: float = 1.0) -> int:
    return int(
        skia.Color4f(c[0], c[1], c[2], alpha).toColor()  # packed ARGB
    )


def fill(c: RGB, alpha: float = 1.0) -> skia.Paint:
    return skia.Paint(AntiAlias=True, Color=colour(c, alpha), Style=skia.Paint.kFill_Style)


def stroke(c: RGB, width: float, alpha: float = 1.0) -> skia.Paint:
    p = skia.Paint(AntiAlias=True, Color=colour(c, alpha), Style=skia.Paint.kStroke_Style)
    p.setStrokeWidth(width)
    p.setStrokeCap(skia.Paint.kRound_Cap)
    p.setStrokeJoin(skia.Paint.kRound_Join)
    return p


def spline(points: Sequence[Point], *, closed: bool = True, tension: float = 1.0) -> skia.Path:
    """A smooth path through ``points`` (Catmull-Rom, as cubic Béziers)."""
    path = skia.Path()
    n = len(points)
    if n < 2:
        return path
    path.moveTo(*points[0])
    last = n if closed else n - 1
    for i in range(last):
        p0 = points[(i - 1) % n] if closed or i > 0 else points[0]
        p1 = points[i]
        p2 = points[(i + 1) % n]
        p3 = points[(i + 2) % n] if closed or i + 2 < n else points[-1]
        k = tension / 6
        c1 = (p1[0] + (p2[0] - p0[0]) * k, p1[1] + (p2[1] - p0[1]) * k)
        c2 = (p2[0] - (p3[0] - p1[0]) * k, p2[1] - (p3[1] - p1[1]) * k)
        path.cubicTo(c1[0], c1[1], c2[0], c2[1], p2[0], p2[1])
    if closed:
        path.close()
    return path


def polygon(points: Sequence[Point]) -> skia.Path:
    path = skia.Path()
    path.moveTo(*points[0])
    for p in points[1:]:
        path.lineTo(*p)
    path.close()
    return path


@dataclass(frozen=True)
class Turn:
    """Head (or body) space → screen: centre, scale and yaw.

    ``yaw`` is in radians; negative turns the face toward screen left. The face is a
    horizontal ellipse, ``depth`` deep for each unit of half width, and flatter toward the
    jaw, so when it turns the far cheek slips in behind the profile while the near side
    spreads: screen x of face coordinate ``u`` (−1 … 1) is
    ``cx + r·(u·cos yaw + k·√(1−u²)·sin yaw)``. Points beyond the face (hair, shoulders)
    continue straight out from the silhouette; a negative ``depth`` (the back of the hair)
    moves the other way.
    """

    cx: float
    cy: float
    r: float  # screen units per head unit
    yaw: float = 0.0

    def x(self, u: float, depth: float = 1.0, v: float = 0.0) -> float:
        edge = max(-1.0, min(1.0, u))
        k = (0.85 - 0.3 * max(0.0, min(v, 1.4)) / 1.4) * depth
        front = edge * math.cos(self.yaw) + k * math.sqrt(1 - edge * edge) * math.sin(self.yaw)
        return self.cx + self.r * (front + (u - edge) * math.cos(self.yaw))

    def p(self, u: float, v: float, depth: float = 1.0) -> Point:
        return (self.x(u, depth, v), self.cy + self.r * v)

    def pts(self, uv: Sequence[Point], depth: float = 1.0) -> list[Point]:
        return [self.p(u, v, depth) for u, v in uv]

    def scale_x(self, u: float) -> float:
        """How much a small feature at ``u`` is foreshortened (1 facing us, 0 edge-on)."""
        e = max(-0.99, min(0.99, u))
        d = math.cos(self.yaw) - 0.85 * e / math.sqrt(1 - e * e) * math.sin(self.yaw)
        return max(0.0, min(1.2, d))

    def visible(self, u: float) -> bool:
        return self.scale_x(u) > 0.12


def mirror(uv: Sequence[Point]) -> list[Point]:
    """The left half of a symmetric shape from its right half (reversed, to stay closed)."""
    return [(-u, v) for u, v in reversed(uv)]


def symmetric(right: Sequence[Point]) -> list[Point]:
    """A closed symmetric outline from its right half, listed top to bottom at u ≥ 0."""
    return list(right) + mirror(right)[1:-1] if right[-1][0] == 0 else list(right) + mirror(right)
