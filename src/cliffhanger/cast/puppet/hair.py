"""Hair: each style is a back mass (behind the head and shoulders), a cap (crown and fringe, in
front of the face) and optional pieces (bun, tail, braid), as control points in head units.

The silhouette is what tells characters apart at a glance, so styles differ most in their
outline: a bob squares off at the jaw, a ponytail swings out behind, a bun sits on top.
Cel shading is a darker band under the crown and a light "halo" highlight across it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import skia

from cliffhanger.cast.puppet.ink import RGB, Point, Turn, fill, ink_of, light, mirror, shade, stroke
from cliffhanger.cast.puppet.ink import spline as _spline


def spline(points: Sequence[Point], *, closed: bool = True) -> skia.Path:
    return _spline(points, closed=closed)


def _fringe(tips: int, top: float, tip_v: float, root_v: float, width: float = 0.98) -> list[Point]:
    """A fringe's lower edge from the right temple to the left: ``tips`` pointed locks."""
    pts: list[Point] = []
    n = tips * 2
    for i in range(n + 1):
        u = width - 2 * width * i / n
        v = tip_v if i % 2 else root_v
        pts.append((u, v + 0.12 * (abs(u) ** 2)))
    return [(width + 0.08, top), *pts, (-width - 0.08, top)]


def _cap(
    fringe: list[Point], crown: float = -1.72, side: float = 1.13, tufts: int = 0
) -> list[Point]:
    """A crown over the head joined to a fringe edge (listed right to left); ``tufts``
    breaks the crown's outline into that many locks, so short hair is not a helmet."""
    if not tufts:
        arc = [
            (-side + 0.02, -1.05),
            (-0.62, crown + 0.14),
            (0.0, crown),
            (0.62, crown + 0.14),
            (side - 0.02, -1.05),
        ]
    else:
        arc = []
        steps = tufts * 2
        for i in range(steps + 1):
            theta = math.pi * (0.9 - 0.8 * i / steps)  # from the left temple over to the right
            out = 1.09 if i % 2 else 1.0
            arc.append(
                (side * math.cos(theta) * out, -0.35 + (crown + 0.35) * math.sin(theta) * out)
            )
    return [*fringe, (-side, -0.35), *arc, (side, -0.35)]


@dataclass(frozen=True)
class Style:
    cap: list[Point]
    back: list[Point] = field(default_factory=list)  # behind the head (and the shoulders)
    buns: tuple[tuple[float, float, float], ...] = ()  # (u, v, radius)
    tail: list[Point] = field(default_factory=list)  # a ponytail, drawn behind the head
    braid: bool = False
    strands: int = 3  # strand lines drawn on the cap


def _long(length: float, flare: float, wave: float = 0.0) -> list[Point]:
    right = [
        (1.18, -0.9),
        (1.3, 0.2),
        (1.38 + flare * 0.5, 1.2 + wave),
        (1.45 + flare, length - 0.4),
        (1.2 + flare, length),
        (0.6, length - 0.15 - wave),
    ]
    return [(0.0, -1.8), *right, *mirror(right)]


STYLES: dict[str, Style] = {
    "crop": Style(_cap(_fringe(4, -0.4, -0.62, -0.86), tufts=4), strands=2),
    "buzz": Style(
        [
            *_fringe(1, -0.5, -0.86, -0.9),
            (-1.05, -0.5),
            (-0.98, -1.1),
            (0.0, -1.6),
            (0.98, -1.1),
            (1.05, -0.5),
        ],
        strands=0,
    ),
    "side_part": Style(
        _cap(
            [
                (1.04, -0.3),
                (0.95, -0.6),
                (0.5, -0.82),
                (0.1, -0.78),
                (-0.35, -0.92),
                (-0.75, -0.62),
                (-1.0, -0.42),
            ]
        ),
        strands=3,
    ),
    "slicked": Style(
        _cap(
            [(1.02, -0.45), (0.7, -0.98), (0.0, -1.08), (-0.7, -0.98), (-1.02, -0.45)], crown=-1.78
        ),
        strands=5,
    ),
    "tousled": Style(
        _cap(_fringe(5, -0.3, -0.48, -0.8, 1.02), crown=-1.86, side=1.2, tufts=6), strands=4
    ),
    "curly": Style(
        _cap(_fringe(6, -0.2, -0.62, -0.82, 1.05), crown=-2.0, side=1.32),
        back=[
            (0.0, -1.9),
            (1.4, -1.2),
            (1.5, 0.0),
            (1.25, 0.5),
            (0.0, 0.3),
            (-1.25, 0.5),
            (-1.5, 0.0),
            (-1.4, -1.2),
        ],
        strands=0,
    ),
    "pixie": Style(
        _cap(
            [(1.02, -0.25), (0.9, -0.45), (0.4, -0.5), (-0.2, -0.7), (-0.7, -0.78), (-1.0, -0.5)],
            crown=-1.74,
        ),
        strands=3,
    ),
    "bob": Style(
        _cap(_fringe(3, -0.2, -0.5, -0.62)),
        back=[
            (0.0, -1.8),
            (1.22, -1.0),
            (1.3, 0.3),
            (1.26, 0.88),
            (0.9, 0.96),
            (0.0, 0.6),
            (-0.9, 0.96),
            (-1.26, 0.88),
            (-1.3, 0.3),
            (-1.22, -1.0),
        ],
        strands=2,
    ),
    "long_straight": Style(
        _cap(
            [
                (1.08, 0.2),
                (0.95, -0.6),
                (0.3, -0.95),
                (0.0, -0.9),
                (-0.55, -0.82),
                (-0.95, -0.5),
                (-1.08, 0.2),
            ]
        ),
        back=_long(4.0, 0.1),
    ),
    "long_wavy": Style(
        _cap(_fringe(4, 0.0, -0.5, -0.78, 1.0)), back=_long(3.6, 0.45, 0.25), strands=4
    ),
    "ponytail": Style(
        _cap(
            [(1.04, -0.25), (0.8, -0.7), (0.3, -0.92), (-0.3, -0.92), (-0.8, -0.7), (-1.04, -0.25)]
        ),
        tail=[
            (0.7, -1.6),
            (1.55, -1.45),
            (1.75, -0.4),
            (1.55, 1.1),
            (1.35, 1.6),
            (1.3, 0.3),
            (1.15, -0.9),
        ],
    ),
    "high_bun": Style(
        _cap(
            [
                (1.04, -0.25),
                (0.85, -0.75),
                (0.2, -0.98),
                (-0.4, -0.9),
                (-0.85, -0.7),
                (-1.04, -0.25),
            ]
        ),
        buns=((0.0, -1.92, 0.42),),
        strands=3,
    ),
    "low_bun": Style(
        _cap(
            [(1.06, -0.1), (0.9, -0.6), (0.45, -0.9), (-0.25, -0.85), (-0.8, -0.68), (-1.06, -0.1)]
        ),
        buns=((0.55, 0.2, 0.42),),
        strands=3,
    ),
    "braid": Style(
        _cap(
            [
                (1.06, -0.2),
                (0.85, -0.72),
                (0.25, -0.95),
                (-0.4, -0.88),
                (-0.85, -0.66),
                (-1.06, -0.2),
            ]
        ),
        braid=True,
    ),
    "topknot": Style(
        _cap(
            [(1.02, -0.35), (0.7, -0.92), (0.0, -1.02), (-0.7, -0.92), (-1.02, -0.35)], crown=-1.76
        ),
        buns=((0.0, -1.95, 0.3),),
        strands=4,
    ),
    "ancient_long": Style(
        _cap(
            [
                (1.1, 0.4),
                (1.0, -0.45),
                (0.45, -0.96),
                (0.0, -1.04),
                (-0.45, -0.96),
                (-1.0, -0.45),
                (-1.1, 0.4),
            ]
        ),
        back=_long(4.3, 0.05),
        buns=((0.0, -1.86, 0.26),),
        strands=4,
    ),
    "bald": Style([], strands=0),
}


def draw_back(c: skia.Canvas, t: Turn, style: str, hair: RGB) -> None:
    """What goes behind the head and body: long hair, a ponytail, a low bun."""
    s = STYLES[style]
    ink = ink_of(shade(hair))
    for shape in (s.back, s.tail):
        if not shape:
            continue
        side = 1 if t.yaw <= 0 else -1
        pts = shape if shape is s.back else [(u * side, v) for u, v in shape]
        path = spline(t.pts(pts, depth=-0.3))
        c.drawPath(path, fill(shade(hair, 0.82)))
        c.drawPath(path, stroke(ink, 0.03 * t.r))
    for u, v, r in s.buns:
        if v > -1.0:  # low buns sit behind the head
            side = 1 if t.yaw <= 0 else -1
            x, y = t.p(u * side, v, depth=-0.4)
            c.drawCircle(x, y, r * t.r, fill(shade(hair, 0.9)))
            c.drawCircle(x, y, r * t.r, stroke(ink, 0.03 * t.r))


def draw_cap(c: skia.Canvas, t: Turn, style: str, hair: RGB, streak: RGB | None) -> None:
    """The crown and fringe, over the face; buns on top; a braid over the shoulder."""
    s = STYLES[style]
    ink = ink_of(shade(hair))
    for u, v, r in s.buns:
        if v <= -1.0:
            x, y = t.p(u, v, depth=0.4)
            c.drawCircle(x, y, r * t.r, fill(hair))
            c.drawCircle(x, y, r * t.r, stroke(ink, 0.03 * t.r))
            c.drawArc(
                skia.Rect.MakeXYWH(
                    x - r * 0.6 * t.r, y - r * 0.6 * t.r, r * 1.2 * t.r, r * 1.2 * t.r
                ),
                200,
                90,
                False,
                stroke(light(hair, 0.4), 0.04 * t.r, 0.7),
            )
    if s.cap:
        path = spline(t.pts(s.cap, depth=0.75))
        c.drawPath(path, fill(hair))
        c.save()
        c.clipPath(path, doAntiAlias=True)
        dark = skia.Path(path)
        dark.offset(0.2 * t.r, 0.16 * t.r)
        c.drawPath(dark, fill(shade(hair, 0.72), 0.55))
        halo = spline(
            t.pts(
                [
                    (-0.8, -1.18),
                    (0.0, -1.42),
                    (0.8, -1.18),
                    (0.7, -1.06),
                    (0.0, -1.28),
                    (-0.7, -1.06),
                ],
                depth=0.75,
            )
        )
        c.drawPath(halo, fill(light(hair, 0.45), 0.55))
        for i in range(s.strands):
            u = -0.7 + 1.4 * (i + 0.5) / max(1, s.strands)
            line = t.pts([(u * 0.4, -1.6), (u * 0.8, -1.2), (u, -0.75)], depth=0.75)
            c.drawPath(
                spline(line, closed=False),
                stroke(streak or shade(hair, 0.6), 0.025 * t.r, 0.8 if streak else 0.5),
            )
        c.restore()
        c.drawPath(path, stroke(ink, 0.03 * t.r))
    if s.braid:
        side = -1 if t.yaw <= 0 else 1
        for i in range(7):
            u, v = side * (1.0 + 0.04 * i), 0.4 + 0.42 * i
            x, y = t.p(u, v)
            r = (0.25 - 0.012 * i) * t.r
            rect = skia.Rect.MakeXYWH(x - r, y - r * 0.8, 2 * r, r * 1.6)
            c.drawOval(rect, fill(hair))
            c.drawOval(rect, stroke(ink, 0.028 * t.r))
        x, y = t.p(side * 1.3, 3.45)
        c.drawCircle(x, y, 0.07 * t.r, fill((0.85, 0.25, 0.3)))


def crown_top(style: str) -> float:
    """How far above the face's centre the hair reaches, in head units (for framing)."""
    s = STYLES[style]
    tops = [v for _, v in s.cap] + [v - r for _, v, r in s.buns] + [-1.3]
    return min(tops)
