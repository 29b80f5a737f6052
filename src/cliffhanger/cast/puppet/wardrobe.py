"""Neck, shoulders, the fifteen outfits and the accessories, in body space.

The body turns half as far as the head. Horizontal positions are given in head units and
mapped onto a cylinder as wide as the shoulders (:class:`Body`); vertical ones in head units
below the face's centre. Each outfit is its garment colour over the torso, an opening at the
neck (what shows through it: skin, a shirt, a crossed collar) and a few details (lapels, a
tie, a placket, a sash), cel-shaded from the upper left like the face.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import skia

from cliffhanger.cast.puppet.ink import (
    RGB,
    Point,
    Turn,
    fill,
    ink_of,
    light,
    luma,
    mix,
    polygon,
    shade,
    spline,
    stroke,
)

WHITE: RGB = (0.97, 0.96, 0.94)


@dataclass(frozen=True)
class Body:
    head: Turn  # the head's turn: centre and scale
    span: float  # shoulder half-width in head units
    yaw: float
    neck_w: float

    def x(self, xh: float) -> float:
        """Screen x of a point ``xh`` head units right of the body's centre line."""
        t = Turn(self.head.cx, self.head.cy, self.head.r * self.span, self.yaw)
        return t.x(xh / self.span)

    def p(self, xh: float, v: float) -> Point:
        # The outfits are laid out on a long torso; a medium close-up wants it shorter.
        return (self.x(xh), self.head.cy + (v * 0.8 + 0.15) * self.head.r)

    def pts(self, pts: list[Point]) -> list[Point]:
        return [self.p(u, v) for u, v in pts]

    @property
    def lw(self) -> float:
        return 0.03 * self.head.r


BOTTOM = 8.0  # below the sprite's lower edge, in head units


def torso(b: Body) -> list[Point]:
    s, n = b.span, b.neck_w
    return [
        (n, 1.9),
        (n + 0.1, 2.3),
        (s * 0.72, 2.55),
        (s * 0.96, 2.9),
        (s * 1.02, 3.7),
        (s * 1.0, BOTTOM),
        (-s * 1.0, BOTTOM),
        (-s * 1.02, 3.7),
        (-s * 0.96, 2.9),
        (-s * 0.72, 2.55),
        (-n - 0.1, 2.3),
        (-n, 1.9),
    ]


def draw_neck(c: skia.Canvas, b: Body, skin: RGB) -> None:
    n = b.neck_w
    neck = spline(
        b.pts(
            [
                (n, 0.8),
                (n * 1.02, 1.9),
                (n * 1.1, 2.15),
                (-n * 1.1, 2.15),
                (-n * 1.02, 1.9),
                (-n, 0.8),
            ]
        )
    )
    c.drawPath(neck, fill(skin))
    shadow = spline(
        b.pts([(n * 1.05, 0.9), (n * 1.05, 1.45), (0.0, 1.62), (-n * 1.05, 1.45), (-n * 1.05, 0.9)])
    )
    c.drawPath(shadow, fill(shade(skin, 0.8)))
    for side in (-1, 1):  # the sides only: where it meets the chest there is no line
        edge = b.pts([(side * n, 0.8), (side * n * 1.02, 1.9), (side * n * 1.1, 2.15)])
        c.drawPath(spline(edge, closed=False), stroke(ink_of(shade(skin)), b.lw * 0.9))


def _shaded(
    c: skia.Canvas, b: Body, path: skia.Path, base: RGB, edge: skia.Path | None = None
) -> None:
    """Fill ``path`` cel-shaded from the upper left and line ``edge`` (default: all of it)."""
    c.drawPath(path, fill(shade(base, 0.8)))
    c.save()
    c.clipPath(path, doAntiAlias=True)
    lit = skia.Path(path)
    lit.offset(-0.35 * b.head.r, -0.15 * b.head.r)
    c.drawPath(lit, fill(base))
    c.restore()
    c.drawPath(edge or path, stroke(ink_of(shade(base)), b.lw))


def _torso(b: Body) -> tuple[skia.Path, skia.Path]:
    """The torso's shape, and its outline without the edge across the neck (which is hidden
    under the neck or a collar and would otherwise show as a line)."""
    pts = b.pts(torso(b))
    return spline(pts, tension=0.8), spline(pts, closed=False, tension=0.8)


def _poly(b: Body, pts: list[Point]) -> skia.Path:
    return polygon(b.pts(pts))


def _opening(b: Body, depth: float, width: float) -> list[Point]:
    n = b.neck_w
    return [(n + width, 2.2), (0.0, depth), (-n - width, 2.2), (-n, 1.9), (n, 1.9)]


def _collar(c: skia.Canvas, b: Body, colour: RGB) -> None:
    n = b.neck_w
    for side in (-1, 1):
        pts = [
            (side * (n - 0.05), 1.95),
            (side * (n + 0.32), 2.35),
            (side * 0.16, 2.75),
            (side * 0.02, 2.35),
        ]
        path = _poly(b, pts)
        c.drawPath(path, fill(colour))
        c.drawPath(path, stroke(ink_of(shade(colour)), b.lw * 0.8))


def _lapels(c: skia.Canvas, b: Body, colour: RGB, depth: float) -> None:
    n = b.neck_w
    for side in (-1, 1):
        pts = [
            (side * (n + 0.12), 2.2),
            (side * (n + 0.55), 2.9),
            (side * (n + 0.2), 3.05),
            (side * 0.05, depth),
        ]
        path = _poly(b, pts)
        c.drawPath(path, fill(shade(colour, 0.9)))
        c.drawPath(path, stroke(ink_of(shade(colour)), b.lw * 0.8))


def _tie(c: skia.Canvas, b: Body, colour: RGB, bow: bool = False) -> None:
    if bow:
        knot = b.p(0.0, 2.3)
        for side in (-1, 1):
            wing = _poly(b, [(0.0, 2.3), (side * 0.34, 2.12), (side * 0.34, 2.5)])
            c.drawPath(wing, fill(colour))
            c.drawPath(wing, stroke(ink_of(colour), b.lw * 0.8))
        c.drawCircle(knot[0], knot[1], 0.08 * b.head.r, fill(shade(colour)))
        return
    knot = _poly(b, [(-0.12, 2.3), (0.12, 2.3), (0.08, 2.55), (-0.08, 2.55)])
    blade = _poly(b, [(-0.08, 2.55), (0.08, 2.55), (0.2, 4.7), (0.0, 4.95), (-0.2, 4.7)])
    for part in (blade, knot):
        c.drawPath(part, fill(colour))
        c.drawPath(part, stroke(ink_of(colour), b.lw * 0.8))
    c.drawPath(
        spline(b.pts([(-0.05, 2.9), (0.1, 3.6), (0.0, 4.3)]), closed=False),
        stroke(light(colour, 0.3), b.lw * 0.6, 0.6),
    )


def _buttons(c: skia.Canvas, b: Body, vs: tuple[float, ...], colour: RGB, xh: float = 0.0) -> None:
    for v in vs:
        x, y = b.p(xh, v)
        c.drawCircle(x, y, 0.05 * b.head.r, fill(colour))


def draw_outfit(
    c: skia.Canvas,
    b: Body,
    kind: str,
    main: RGB,
    accent: RGB,
    skin: RGB,
    accessories: tuple[str, ...],
) -> None:
    """The neck, then the garment over the torso; ``kind`` is one of
    :data:`~cliffhanger.model.look.OUTFITS`. Bare shoulders go under the neck, clothes over it."""
    bare = kind in ("dress", "gown")
    body, edge = _torso(b)
    if bare:
        _shaded(c, b, body, skin, edge)
        draw_neck(c, b, skin)
        neckline = 3.25 if kind == "dress" else 3.55
        s = b.span
        gown = [
            (s * 1.02, neckline - 0.25),
            (s * 1.02, BOTTOM),
            (-s * 1.02, BOTTOM),
            (-s * 1.02, neckline - 0.25),
            (-s * 0.45, neckline - 0.15),
            (0.0, neckline + 0.3),
            (s * 0.45, neckline - 0.15),
        ]
        _shaded(c, b, spline(b.pts(gown), tension=0.6), main)
        if kind == "dress":
            for side in (-1, 1):
                strap = [b.p(side * s * 0.55, 2.62), b.p(side * s * 0.6, neckline - 0.1)]
                c.drawPath(spline(strap, closed=False), stroke(main, 0.09 * b.head.r))
            belt = _poly(b, [(s, 5.55), (-s, 5.55), (-s, 5.8), (s, 5.8)])
            c.drawPath(belt, fill(accent))
        else:
            sheen = spline(
                b.pts(
                    [
                        (-s * 0.6, neckline + 0.6),
                        (-s * 0.3, neckline + 0.4),
                        (-s * 0.2, neckline + 1.6),
                        (-s * 0.5, neckline + 1.9),
                    ]
                )
            )
            c.drawPath(sheen, fill(light(main, 0.5), 0.35))
        return
    _shaded(c, b, body, main, edge)
    draw_neck(c, b, skin)  # over the garment's top edge; the collar goes over the neck
    OUTFIT_DETAILS[kind](c, b, main, accent, skin, accessories)


def _inner_v(c: skia.Canvas, b: Body, colour: RGB, depth: float, width: float) -> None:
    """What shows in a V opening at the neck; its top edge hides under the neck, unlined."""
    pts = _opening(b, depth, width)
    c.drawPath(_poly(b, pts), fill(colour))
    v = b.pts(pts[:3])
    edge = skia.Path()
    edge.moveTo(*v[0])
    edge.lineTo(*v[1])
    edge.lineTo(*v[2])
    c.drawPath(edge, stroke(ink_of(shade(colour)), b.lw * 0.7))


def _suit(c: skia.Canvas, b: Body, main: RGB, accent: RGB, skin: RGB, acc: tuple[str, ...]) -> None:
    shirt = accent if luma(accent) > 0.6 else WHITE
    _inner_v(c, b, shirt, 4.5, 0.45)
    _collar(c, b, shirt)
    tie = accent if luma(accent) <= 0.6 else mix(main, (0.55, 0.1, 0.16), 0.55)
    if "bow_tie" not in acc:
        _tie(c, b, tie)
    _lapels(c, b, main, 4.5)
    _buttons(c, b, (5.2, 5.9), ink_of(main), 0.1)


def _blazer(
    c: skia.Canvas, b: Body, main: RGB, accent: RGB, skin: RGB, acc: tuple[str, ...]
) -> None:
    _inner_v(c, b, accent, 4.6, 0.5)
    _inner_v(c, b, skin, 2.75, 0.02)
    _lapels(c, b, main, 4.6)
    _buttons(c, b, (5.4,), ink_of(main), 0.1)


def _shirt(
    c: skia.Canvas, b: Body, main: RGB, accent: RGB, skin: RGB, acc: tuple[str, ...]
) -> None:
    _inner_v(c, b, skin, 2.85, 0.05)
    _collar(c, b, main)
    c.drawPath(
        spline(b.pts([(0.0, 2.85), (0.0, BOTTOM)]), closed=False), stroke(ink_of(main), b.lw * 0.7)
    )
    _buttons(c, b, (3.3, 4.1, 4.9, 5.7), light(main, 0.5), 0.07)
    if "tie" in acc:
        _tie(c, b, accent)


def _blouse(
    c: skia.Canvas, b: Body, main: RGB, accent: RGB, skin: RGB, acc: tuple[str, ...]
) -> None:
    n = b.neck_w
    hole = spline(b.pts([(n + 0.15, 2.15), (0.0, 2.75), (-n - 0.15, 2.15), (0.0, 1.95)]))
    c.drawPath(hole, fill(skin))
    ruffle = [(n + 0.2, 2.2), (n * 0.6, 2.55), (0.0, 2.85), (-n * 0.6, 2.55), (-n - 0.2, 2.2)]
    c.drawPath(spline(b.pts(ruffle), closed=False), stroke(light(main, 0.3), 0.1 * b.head.r))
    _tie(c, b, accent, bow=True)


def _tshirt(
    c: skia.Canvas, b: Body, main: RGB, accent: RGB, skin: RGB, acc: tuple[str, ...]
) -> None:
    n = b.neck_w
    hole = spline(b.pts([(n + 0.12, 2.1), (0.0, 2.5), (-n - 0.12, 2.1), (0.0, 1.95)]))
    c.drawPath(hole, fill(skin))
    c.drawPath(hole, stroke(shade(main, 0.7), 0.07 * b.head.r))
    for side in (-1, 1):
        seam = [(side * b.span * 0.8, 2.7), (side * b.span * 0.86, 3.8)]
        c.drawPath(spline(b.pts(seam), closed=False), stroke(ink_of(main), b.lw * 0.6, 0.6))


def _hoodie(
    c: skia.Canvas, b: Body, main: RGB, accent: RGB, skin: RGB, acc: tuple[str, ...]
) -> None:
    _tshirt(c, b, main, accent, skin, acc)
    n = b.neck_w
    cowl = spline(
        b.pts(
            [
                (n + 0.75, 2.2),
                (0.0, 3.0),
                (-n - 0.75, 2.2),
                (-n - 0.1, 2.15),
                (0.0, 2.55),
                (n + 0.1, 2.15),
            ]
        )
    )
    c.drawPath(cowl, fill(shade(main, 0.85)))
    c.drawPath(cowl, stroke(ink_of(main), b.lw))
    for side in (-1, 1):
        cord = [(side * 0.25, 2.75), (side * 0.3, 3.8)]
        c.drawPath(spline(b.pts(cord), closed=False), stroke(accent, 0.05 * b.head.r))


def _sweater(
    c: skia.Canvas, b: Body, main: RGB, accent: RGB, skin: RGB, acc: tuple[str, ...]
) -> None:
    n = b.neck_w
    roll = spline(b.pts([(n * 1.15, 1.55), (n * 1.3, 2.5), (-n * 1.3, 2.5), (-n * 1.15, 1.55)]))
    _shaded(c, b, roll, main)
    for i in range(1, 4):
        v = 1.55 + i * 0.24
        c.drawPath(
            spline(b.pts([(-n * 1.2, v), (0.0, v + 0.05), (n * 1.2, v)]), closed=False),
            stroke(ink_of(main), b.lw * 0.5, 0.5),
        )


def _leather(
    c: skia.Canvas, b: Body, main: RGB, accent: RGB, skin: RGB, acc: tuple[str, ...]
) -> None:
    _inner_v(c, b, accent, 4.8, 0.45)
    _lapels(c, b, main, 3.6)
    zip_line = [(0.35, 3.6), (0.4, BOTTOM)]
    c.drawPath(spline(b.pts(zip_line), closed=False), stroke((0.75, 0.75, 0.78), b.lw))
    c.drawPath(
        spline(b.pts([(-b.span * 0.7, 3.1), (-b.span * 0.55, 3.9)]), closed=False),
        stroke(light(main, 0.5), 0.07 * b.head.r, 0.5),
    )


def _uniform(
    c: skia.Canvas, b: Body, main: RGB, accent: RGB, skin: RGB, acc: tuple[str, ...]
) -> None:
    _inner_v(c, b, WHITE, 4.0, 0.45)
    _collar(c, b, WHITE)
    _tie(c, b, accent, bow="tie" not in acc and "bow_tie" not in acc)
    _lapels(c, b, main, 4.0)
    x, y = b.p(b.span * 0.55, 3.7)
    c.drawCircle(x, y, 0.16 * b.head.r, fill((0.86, 0.7, 0.3)))
    c.drawCircle(x, y, 0.16 * b.head.r, stroke(ink_of((0.86, 0.7, 0.3)), b.lw * 0.7))


def _scrubs(
    c: skia.Canvas, b: Body, main: RGB, accent: RGB, skin: RGB, acc: tuple[str, ...]
) -> None:
    _inner_v(c, b, skin, 3.2, 0.08)
    v_edge = _opening(b, 3.2, 0.08)[:3]
    c.drawPath(
        spline(b.pts(v_edge), closed=False, tension=0.0), stroke(shade(main, 0.75), 0.08 * b.head.r)
    )
    pocket = _poly(
        b, [(b.span * 0.3, 3.6), (b.span * 0.7, 3.6), (b.span * 0.7, 4.3), (b.span * 0.3, 4.3)]
    )
    c.drawPath(pocket, stroke(ink_of(main), b.lw * 0.7))


def _coat(c: skia.Canvas, b: Body, main: RGB, accent: RGB, skin: RGB, acc: tuple[str, ...]) -> None:
    _inner_v(c, b, accent, 5.0, 0.5)
    _collar(c, b, light(accent, 0.4))
    _lapels(c, b, main, 5.0)
    pocket = _poly(
        b,
        [
            (-b.span * 0.75, 3.7),
            (-b.span * 0.3, 3.7),
            (-b.span * 0.3, 3.75),
            (-b.span * 0.75, 3.75),
        ],
    )
    c.drawPath(pocket, stroke(ink_of(main), b.lw * 0.8))


def _apron(
    c: skia.Canvas, b: Body, main: RGB, accent: RGB, skin: RGB, acc: tuple[str, ...]
) -> None:
    # The garment drawn so far is the apron's colour; repaint the shirt under it.
    body, edge = _torso(b)
    _shaded(c, b, body, accent, edge)
    _shirt(c, b, accent, main, skin, ())
    bib = spline(
        b.pts(
            [
                (b.span * 0.5, 3.3),
                (b.span * 0.56, BOTTOM),
                (-b.span * 0.56, BOTTOM),
                (-b.span * 0.5, 3.3),
            ]
        ),
        tension=0.2,
    )
    _shaded(c, b, bib, main)
    for side in (-1, 1):
        strap = [(side * b.span * 0.48, 3.32), (side * (b.neck_w + 0.2), 2.2)]
        c.drawPath(spline(b.pts(strap), closed=False), stroke(main, 0.1 * b.head.r))


def _robe(c: skia.Canvas, b: Body, main: RGB, accent: RGB, skin: RGB, acc: tuple[str, ...]) -> None:
    n = b.neck_w
    inner = _poly(b, [(n + 0.1, 2.1), (0.0, 3.3), (-n - 0.1, 2.1), (0.0, 1.95)])
    c.drawPath(inner, fill(WHITE))
    # The wearer's right panel goes under, its collar band stopping at the centre; the left
    # panel's band crosses over it down to the wearer's right: a "y", not an "x".
    under = [(-(n + 0.12), 2.1), (-(n + 0.42), 2.25), (0.22, 3.55), (0.05, 3.3)]
    over = [(n + 0.12, 2.1), (n + 0.42, 2.25), (-0.55, 4.55), (-0.8, 4.2)]
    for band in (under, over):
        path = _poly(b, band)
        c.drawPath(path, fill(accent))
        c.drawPath(path, stroke(ink_of(accent), b.lw * 0.8))
    sash = _poly(b, [(b.span, 5.3), (-b.span, 5.3), (-b.span, 5.9), (b.span, 5.9)])
    c.drawPath(sash, fill(accent))
    c.drawPath(sash, stroke(ink_of(accent), b.lw * 0.8))
    for side in (-1, 1):
        fold = [(side * b.span * 0.9, 3.2), (side * b.span * 0.95, 5.2)]
        c.drawPath(spline(b.pts(fold), closed=False), stroke(ink_of(main), b.lw * 0.6, 0.5))


OUTFIT_DETAILS: dict[str, Callable[[skia.Canvas, Body, RGB, RGB, RGB, tuple[str, ...]], None]] = {
    "suit": _suit,
    "blazer": _blazer,
    "shirt": _shirt,
    "blouse": _blouse,
    "tshirt": _tshirt,
    "hoodie": _hoodie,
    "sweater": _sweater,
    "leather_jacket": _leather,
    "uniform": _uniform,
    "scrubs": _scrubs,
    "coat": _coat,
    "apron": _apron,
    "robe": _robe,
}


def draw_body_accessories(
    c: skia.Canvas, b: Body, acc: tuple[str, ...], main: RGB, accent: RGB
) -> None:
    gold, silver = (0.9, 0.74, 0.32), (0.82, 0.84, 0.88)
    if "necklace" in acc:
        chain = b.pts([(-0.5, 2.2), (0.0, 2.95), (0.5, 2.2)])
        c.drawPath(spline(chain, closed=False), stroke(gold, 0.025 * b.head.r))
        x, y = b.p(0.0, 3.0)
        c.drawCircle(x, y, 0.07 * b.head.r, fill((0.75, 0.2, 0.35)))
    if "pearls" in acc:
        for i in range(11):
            f = i / 10
            x, y = b.p(-0.55 + 1.1 * f, 2.25 + 0.5 * (1 - (2 * f - 1) ** 2))
            c.drawCircle(x, y, 0.055 * b.head.r, fill((0.97, 0.95, 0.9)))
            c.drawCircle(x, y, 0.055 * b.head.r, stroke((0.7, 0.68, 0.66), 0.01 * b.head.r))
    if "scarf" in acc:
        wrap = spline(
            b.pts(
                [
                    (b.neck_w + 0.35, 1.9),
                    (b.neck_w + 0.4, 2.55),
                    (-b.neck_w - 0.4, 2.55),
                    (-b.neck_w - 0.35, 1.9),
                    (0.0, 2.1),
                ]
            )
        )
        _shaded(c, b, wrap, accent)
        tail = _poly(b, [(0.3, 2.4), (0.7, 2.45), (0.8, 4.0), (0.35, 3.9)])
        _shaded(c, b, tail, accent)
    if "stethoscope" in acc:
        tube = b.pts([(-b.neck_w - 0.2, 2.0), (-0.7, 3.6), (-0.45, 4.1)])
        c.drawPath(spline(tube, closed=False), stroke((0.2, 0.22, 0.25), 0.06 * b.head.r))
        tube2 = b.pts([(b.neck_w + 0.2, 2.0), (0.55, 3.2), (0.3, 3.6)])
        c.drawPath(spline(tube2, closed=False), stroke((0.2, 0.22, 0.25), 0.06 * b.head.r))
        x, y = b.p(-0.45, 4.15)
        c.drawCircle(x, y, 0.12 * b.head.r, fill(silver))
        c.drawCircle(x, y, 0.12 * b.head.r, stroke(ink_of(silver), b.lw * 0.6))
    if "badge" in acc:
        tag = _poly(
            b,
            [
                (-b.span * 0.7, 3.55),
                (-b.span * 0.3, 3.55),
                (-b.span * 0.3, 3.85),
                (-b.span * 0.7, 3.85),
            ],
        )
        c.drawPath(tag, fill(WHITE))
        c.drawPath(tag, stroke(ink_of(main), b.lw * 0.6))
    if "bow_tie" in acc:
        _tie(c, b, mix(main, (0.1, 0.1, 0.12), 0.6), bow=True)
