"""The public interiors: a wedding banquet hall, a hospital room, a restaurant.

Painted like :mod:`.rooms`: walls on ``back``, furniture to the sides on ``mid``, framing
foreground on ``near``.
"""

from __future__ import annotations

import itertools
import math

import skia

from cliffhanger.cast.puppet.sets.paint import RGB, WHITE, mix, shade
from cliffhanger.cast.puppet.sets.props import (
    block,
    bokeh,
    floor,
    fronds,
    shadow,
    window_frame,
    window_view,
)
from cliffhanger.cast.puppet.sets.rooms import FLOOR_Y, GOLD, LEAF, LINEN, STEEL, back_wall
from cliffhanger.cast.puppet.sets.stage import Stage

BANQUET_SCHEMES: tuple[RGB, ...] = ((0.66, 0.1, 0.13), (0.97, 0.95, 0.9))  # red/gold, white/gold
FLOWERS: tuple[RGB, ...] = ((0.98, 0.78, 0.82), (1.0, 1.0, 0.98), (0.92, 0.45, 0.55))


def _table(st: Stage, cx: float, y: float, r: float) -> None:
    """A round banquet table in a white cloth, chairs behind, flowers and candles on top."""
    m = st.mid
    cover = st.lit(LINEN)
    for dx in (-0.7, -0.25, 0.25, 0.7):  # chair backs in white covers with a sash
        x = cx + dx * r
        block(m, x - 0.035, y - 0.1, x + 0.035, y, shade(cover, 0.92), r=0.02)
        m.rect(x - 0.035, y - 0.05, x + 0.035, y - 0.035, st.lit(GOLD))
    m.ellipse(cx - r, y - 0.025, cx + r, y + 0.025, cover)
    m.grad(cx - r, y, cx + r, y + 0.17, [cover, shade(cover, 0.75)], r=0.01)
    for i in range(5):  # the cloth's folds
        x = cx - r + (i + 0.5) * 2 * r / 5
        m.line(x, y + 0.03, x + (x - cx) * 0.1, y + 0.16, 0.004, shade(cover, 0.85), 0.6)
    shadow(m, cx - r, cx + r, y + 0.17)
    for i in range(9):
        m.circle(
            cx + st.pick(-0.04, 0.04),
            y - 0.04 + st.pick(-0.02, 0.02),
            0.014,
            st.lit(FLOWERS[i % 3]),
        )
    for dx in (-0.08, 0.08):
        m.rect(cx + dx - 0.003, y - 0.045, cx + dx + 0.003, y - 0.01, st.lit(WHITE))
        m.glow(cx + dx, y - 0.05, 0.03, (1.0, 0.85, 0.5), 0.9)


def _chandelier(st: Stage, cx: float, y: float, w: float) -> None:
    m = st.mid
    m.line(cx, m.top, cx, y, 0.003, st.lit(GOLD))
    m.glow(cx, y + w * 0.5, w * 2.2, st.lamp_light(), 0.35 + 0.4 * st.light.lamps)
    for row in range(4):
        half = w * (1 - row * 0.22)
        yy = y + row * w * 0.35
        for i in range(7 - row):
            x = cx - half + 2 * half * i / max(6 - row, 1)
            m.line(x, yy, x, yy + w * 0.25, 0.003, WHITE, 0.8)
            m.circle(x, yy + w * 0.27, 0.005, (1.0, 0.95, 0.8))
    m.poly([(cx - w, y), (cx + w, y), (cx, y + w * 1.6)], st.lit(GOLD), 0.25)


def banquet_hall(st: Stage) -> None:
    """A wedding banquet: a floral arch, draped walls, round tables in white, chandeliers."""
    b, n, a = st.back, st.near, st.a
    st.lamplit(0.6)
    scheme = BANQUET_SCHEMES[st.look.variant % 2]
    wall = mix(st.wall, scheme, 0.65)
    back_wall(st, wall)
    for i in range(9):  # draped fabric swags along the wall
        x = b.left + i * 0.09
        b.grad(
            x,
            b.top,
            x + 0.09,
            FLOOR_Y,
            [st.lit(shade(wall, 1.1)), st.lit(shade(wall, 0.8))],
            horizontal=True,
        )
    for x in (a * 0.02, a * 0.98):  # gilt pillars
        block(b, x - 0.03, 0.0, x + 0.03, FLOOR_Y, st.lit(GOLD), r=0.0)
    b.rect(b.left, 0.0, b.right, 0.015, st.lit(GOLD))
    floor(st, b, FLOOR_Y, st.lit(mix(st.wood, (0.9, 0.88, 0.85), 0.5)), 10)
    b.poly(
        [(a * 0.4, FLOOR_Y), (a * 0.6, FLOOR_Y), (a * 0.85, b.bottom), (a * 0.15, b.bottom)],
        st.lit((0.7, 0.12, 0.15)),
    )  # the aisle runner
    # The floral arch framing the couple: gauze, a gilt frame, flowers all along it.
    cx, half = a * 0.5, a * 0.38
    arch = _arch(cx, 0.14 + half, half)
    b.path(arch, st.lit(mix(LINEN, st.lamp, 0.2)), 0.55)
    for i in range(1, 8):  # the gauze's folds
        x = cx - half + 2 * half * i / 8
        b.line(x, 0.2, x, FLOOR_Y, 0.006, st.lit(WHITE), 0.3)
    b.path(arch, st.lit(GOLD), stroke=0.012)
    leaf = st.lit((0.3, 0.5, 0.3))
    for i in range(110):
        x, y = _along(cx, 0.14 + half, half, i / 109)
        x, y = x + st.pick(-0.012, 0.012), y + st.pick(-0.012, 0.012)
        if i % 4 == 0:
            b.ellipse(x - 0.012, y - 0.005, x + 0.012, y + 0.005, leaf)
        b.circle(x, y, st.pick(0.01, 0.02), st.lit(FLOWERS[i % 3]))
        b.circle(x, y, 0.004, st.lit(shade(FLOWERS[i % 3], 0.8)))
    _chandelier(st, a * 0.12, 0.04, 0.07)
    _chandelier(st, a * 0.88, 0.06, 0.06)
    _table(st, a * 0.02, 0.76, 0.13)
    _table(st, a * 0.98, 0.78, 0.13)
    bokeh(
        st, n, (n.left, n.top, n.right, 0.25), 10, [(1.0, 0.85, 0.55), st.lamp_light()], alpha=0.25
    )
    for _ in range(14):  # falling petals
        n.ellipse(*_petal(st), st.lit(mix(FLOWERS[0], WHITE, 0.4)), 0.9)


def _arch(cx: float, cy: float, r: float) -> skia.Path:
    """An arch: two legs down to the floor under a half circle of radius ``r`` at (cx, cy)."""
    path = skia.Path()
    path.moveTo(cx - r, FLOOR_Y)
    path.lineTo(cx - r, cy)
    path.arcTo(skia.Rect(cx - r, cy - r, cx + r, cy + r), 180, 180, False)
    path.lineTo(cx + r, FLOOR_Y)
    return path


def _along(cx: float, cy: float, r: float, t: float) -> tuple[float, float]:
    """The point ``t`` (0..1) of the way along :func:`_arch`, from its left foot."""
    leg, bow = FLOOR_Y - cy, math.pi * r
    d = t * (2 * leg + bow)
    if d < leg:
        return cx - r, FLOOR_Y - d
    if d < leg + bow:
        ang = math.pi + (d - leg) / r
        return cx + r * math.cos(ang), cy + r * math.sin(ang)
    return cx + r, cy + (d - leg - bow)


def _petal(st: Stage) -> tuple[float, float, float, float]:
    x = st.pick(st.near.left, st.near.right)
    x = x if abs(x - st.a / 2) > st.a * 0.2 else x + st.a * 0.4
    y = st.pick(0.0, 1.0)
    return x, y, x + 0.02, y + 0.012


HOSPITAL_WALLS: tuple[RGB, ...] = ((0.78, 0.9, 0.86), (0.8, 0.88, 0.95))  # pale green, pale blue
CURTAIN: RGB = (0.62, 0.78, 0.85)
ECG: RGB = (0.3, 1.0, 0.45)


def hospital_room(st: Stage) -> None:
    """A bed with rails, an IV stand, a heart monitor, blinds and a privacy curtain."""
    st.lamplit(0.15)
    b, m, n, a = st.back, st.mid, st.near, st.a
    wall = mix(st.wall, HOSPITAL_WALLS[st.look.variant % 2], 0.7)
    back_wall(st, wall)
    b.rect(b.left, 0.5, b.right, 0.515, st.lit(shade(wall, 0.8)))  # the bumper rail
    wx0, wx1 = b.left + 0.01, a * 0.42
    window_view(st, b, wx0, 0.08, wx1, 0.46)
    for i in range(22):  # blinds, half open
        y = 0.08 + i * 0.017
        b.rect(wx0, y, wx1, y + 0.008, st.lit((0.93, 0.94, 0.92)), 0.9)
    b.frame(wx0, 0.08, wx1, 0.46, 0.01, st.lit(WHITE))
    b.rect(a * 0.45, 0.33, a * 0.95, 0.36, st.lit((0.88, 0.9, 0.9)))  # the gas panel
    for i in range(4):
        b.circle(a * (0.52 + i * 0.12), 0.345, 0.006, st.lit((0.3, 0.5, 0.8) if i % 2 else ECG))
    floor(st, b, FLOOR_Y, st.lit((0.72, 0.76, 0.74)), 8)
    # The curtain on its track, gathered on the right.
    cur = st.lit(mix(CURTAIN, st.wall, 0.2))
    m.rect(m.left, 0.02, m.right, 0.028, st.lit(STEEL))
    for i in range(6):
        x = a * 0.78 + i * 0.03
        m.grad(x, 0.028, x + 0.03, 0.92, [shade(cur, 0.8), cur, shade(cur, 1.12)], horizontal=True)
    # The monitor on its wall arm, the IV stand.
    mx0, my0 = a * 0.6, 0.08
    m.line(a * 0.95, 0.25, mx0 + 0.1, my0 + 0.08, 0.01, st.lit((0.8, 0.8, 0.82)))
    m.rrect(mx0, my0, mx0 + 0.19, my0 + 0.13, 0.01, st.lit((0.75, 0.77, 0.8)))
    m.rect(mx0 + 0.01, my0 + 0.01, mx0 + 0.18, my0 + 0.12, (0.03, 0.06, 0.08))
    beat = [
        (mx0 + 0.015, my0 + 0.06),
        (mx0 + 0.06, my0 + 0.06),
        (mx0 + 0.07, my0 + 0.03),
        (mx0 + 0.08, my0 + 0.09),
        (mx0 + 0.09, my0 + 0.06),
        (mx0 + 0.13, my0 + 0.06),
    ]
    for p0, p1 in itertools.pairwise(beat):
        m.line(*p0, *p1, 0.0025, ECG)
    m.glow(mx0 + 0.08, my0 + 0.06, 0.05, ECG, 0.2)
    m.rect(mx0 + 0.14, my0 + 0.03, mx0 + 0.17, my0 + 0.05, (1.0, 0.8, 0.3))
    m.rect(mx0 + 0.14, my0 + 0.07, mx0 + 0.17, my0 + 0.09, (0.4, 0.8, 1.0))
    ix = a * 0.72
    m.line(ix, 0.2, ix, 0.88, 0.005, st.lit((0.82, 0.83, 0.86)))
    m.line(ix - 0.04, 0.88, ix + 0.04, 0.88, 0.006, st.lit((0.6, 0.6, 0.65)))
    m.rrect(ix - 0.025, 0.22, ix + 0.025, 0.31, 0.012, st.lit((0.85, 0.93, 0.97)), 0.85)
    m.rect(ix - 0.02, 0.26, ix + 0.02, 0.3, st.lit((0.8, 0.9, 0.95)))
    m.curve([(ix, 0.31), (ix - 0.02, 0.5), (a * 0.5, 0.63)], 0.002, st.lit(WHITE), 0.8)
    # The bed, head to the left, rails up.
    frame_c = st.lit((0.85, 0.86, 0.88))
    block(m, m.left, 0.42, a * 0.08, 0.8, frame_c, r=0.015)  # the headboard
    sheet = st.lit(mix(LINEN, CURTAIN, 0.35))
    m.rrect(a * 0.05, 0.6, a * 0.6, 0.76, 0.02, st.lit(LINEN))
    m.grad(a * 0.2, 0.61, a * 0.6, 0.78, [sheet, shade(sheet, 0.8)], r=0.02)
    m.rrect(a * 0.06, 0.565, a * 0.26, 0.625, 0.025, st.lit(WHITE))  # the pillow
    m.rect(a * 0.05, 0.76, a * 0.6, 0.79, frame_c)
    for x in (a * 0.1, a * 0.55):
        m.line(x, 0.79, x, 0.87, 0.008, frame_c)
        m.circle(x, 0.875, 0.012, st.lit(STEEL))
    m.rrect(a * 0.1, 0.66, a * 0.5, 0.68, 0.01, frame_c)  # the side rail
    for i in range(6):
        x = a * (0.12 + i * 0.07)
        m.line(x, 0.67, x, 0.75, 0.004, frame_c)
    n.grad(n.left, n.top, a * 0.06, n.bottom, [cur, shade(cur, 0.85)], horizontal=True)


PENDANT: RGB = (0.12, 0.12, 0.13)
BOTTLES: tuple[RGB, ...] = (
    (0.25, 0.45, 0.25),
    (0.55, 0.3, 0.12),
    (0.75, 0.7, 0.6),
    (0.4, 0.1, 0.1),
)


def _bar(st: Stage, x0: float, x1: float) -> None:
    """Backlit shelves of bottles over a counter, between ``x0`` and ``x1``."""
    b = st.back
    glow = st.lamp_light()
    b.grad(x0, 0.16, x1, 0.58, [shade(glow, 0.7), shade(glow, 0.95)])
    for row in range(3):
        y = 0.3 + row * 0.13
        b.rect(x0, y, x1, y + 0.008, st.lit(shade(st.wood, 0.8)))
        x = x0 + 0.008
        while x < x1 - 0.02:
            w, h = st.pick(0.012, 0.018), st.pick(0.06, 0.09)
            c = BOTTLES[int(st.pick(0, len(BOTTLES)))]
            b.rrect(x, y - h, x + w, y, 0.004, shade(c, 0.8))
            b.rect(x + w * 0.35, y - h - 0.02, x + w * 0.65, y - h + 0.005, shade(c, 0.8))
            x += w + st.pick(0.003, 0.01)
    b.frame(x0, 0.16, x1, 0.58, 0.008, st.lit(st.wood))


def restaurant(st: Stage) -> None:
    """A warm dining room: a window on the city, a backlit bar, pendant lamps, set tables."""
    b, m, n, a = st.back, st.mid, st.near, st.a
    st.lamplit(0.55)
    back_wall(st, st.wall)
    left = st.look.variant % 2 == 0  # which side the window is on
    win = (b.left + 0.01, a * 0.45) if left else (a * 0.55, b.right - 0.01)
    bar = (a * 0.55, b.right) if left else (b.left, a * 0.45)
    window_view(st, b, win[0], 0.1, win[1], 0.6)
    window_frame(st, b, win[0], 0.1, win[1], 0.6, 2, st.lit(shade(st.wood, 0.7)))
    _bar(st, *bar)
    wood = st.lit(st.wood)
    floor(st, b, FLOOR_Y, st.lit(shade(st.wood, 0.8)), 12)
    block(b, bar[0], 0.6, bar[1], FLOOR_Y + 0.02, shade(wood, 0.9), r=0.0)  # the counter
    b.rect(bar[0], 0.595, bar[1], 0.61, shade(wood, 1.3))
    for x in (a * 0.2, a * 0.5, a * 0.8):  # pendant lamps over the room
        y = 0.12 + st.pick(0.0, 0.06)
        m.line(x, m.top, x, y, 0.002, PENDANT)
        m.poly(
            [(x - 0.035, y + 0.04), (x + 0.035, y + 0.04), (x + 0.012, y), (x - 0.012, y)],
            st.lit(mix(PENDANT, st.lamp, 0.3)),
        )
        m.ellipse(x - 0.03, y + 0.032, x + 0.03, y + 0.048, st.lamp_light())
        m.glow(x, y + 0.06, 0.16, st.lamp_light(), 0.35 + 0.45 * st.light.lamps)
    for cx in (a * 0.02, a * 1.0):  # tables in white, a candle, glasses, chairs
        chair = shade(wood, 0.8)
        block(m, cx - 0.09, 0.62, cx - 0.065, 0.86, chair, r=0.01)
        block(m, cx + 0.065, 0.62, cx + 0.09, 0.86, chair, r=0.01)
        m.ellipse(cx - 0.12, 0.7, cx + 0.12, 0.73, st.lit(LINEN))
        m.grad(
            cx - 0.12, 0.715, cx + 0.12, 0.8, [st.lit(LINEN), st.lit(shade(LINEN, 0.75))], r=0.01
        )
        m.line(cx, 0.8, cx, 0.9, 0.012, shade(wood, 0.6))
        shadow(m, cx - 0.08, cx + 0.08, 0.9)
        m.rect(cx - 0.004, 0.68, cx + 0.004, 0.712, st.lit(WHITE))
        m.glow(cx, 0.675, 0.05, (1.0, 0.8, 0.45), 0.9)
        for dx in (-0.05, 0.05):
            m.line(cx + dx, 0.685, cx + dx, 0.712, 0.002, WHITE, 0.7)
            m.ellipse(cx + dx - 0.01, 0.665, cx + dx + 0.01, 0.69, WHITE, 0.35)
    bokeh(st, n, (n.left, 0.0, a * 0.2, 0.5), 5, [st.lamp_light()], alpha=0.3)
    bokeh(st, n, (a * 0.8, 0.0, n.right, 0.5), 5, [st.lamp_light()], alpha=0.3)
    fronds(st, n, n.right - 0.02, n.bottom, 0.35, st.lit(LEAF), (95, 160))
