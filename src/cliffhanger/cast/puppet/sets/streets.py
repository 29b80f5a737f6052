"""The sets seen in depth: a neon street, a car's back seat, a school corridor.

The street and the corridor are drawn in one-point perspective: :func:`_at` maps a point on a
wall or the ground, ``depth`` away from the camera, onto the frame.
"""

from __future__ import annotations

import skia

from cliffhanger.cast.puppet.sets.paint import RGB, WHITE, argb, mix, shade
from cliffhanger.cast.puppet.sets.props import (
    block,
    bokeh,
    sky,
    skyline,
    weather,
)
from cliffhanger.cast.puppet.sets.stage import Stage

NEON: tuple[RGB, ...] = ((1.0, 0.2, 0.55), (0.2, 0.9, 1.0), (1.0, 0.75, 0.2), (0.6, 0.4, 1.0))
ASPHALT: RGB = (0.16, 0.17, 0.2)


def _at(st: Stage, vy: float, x: float, y: float, depth: float) -> tuple[float, float]:
    """A point ``x`` across and ``y`` down from the eye, ``depth`` away, on the frame."""
    return st.a / 2 + x / depth, vy + y / depth


def _quad(
    st: Stage, vy: float, x: float, y0: float, y1: float, z0: float, z1: float
) -> list[tuple[float, float]]:
    """A panel on the wall at ``x``, from height ``y0`` to ``y1`` and depth ``z0`` to ``z1``."""
    return [
        _at(st, vy, x, y0, z0),
        _at(st, vy, x, y0, z1),
        _at(st, vy, x, y1, z1),
        _at(st, vy, x, y1, z0),
    ]


def street_night(st: Stage) -> None:
    """A wet street between shop fronts, neon signs and lamps mirrored in the puddles."""
    b, m, n, a = st.back, st.mid, st.near, st.a
    vy, ground, half = 0.42, 0.38, 0.38
    sky(st, b, b.left, b.top, b.right, vy + 0.05)
    skyline(st, b, b.left, b.right, vy + 0.02, 0.05, 0.2, 0.8)
    road = st.lit(ASPHALT)
    b.grad(b.left, vy, b.right, b.bottom, [shade(road, 1.4), road, shade(road, 0.8)])
    horizon = st.sky()[2]
    b.poly(
        [
            _at(st, vy, -0.05, ground, 12),
            _at(st, vy, 0.05, ground, 12),
            (a * 0.7, b.bottom),
            (a * 0.3, b.bottom),
        ],
        mix(road, horizon, 0.25),
        0.6,
    )  # the sky in the wet road
    kerb = st.lit(mix(ASPHALT, st.wall, 0.35))
    for side in (-1, 1):  # the pavements
        inner = side * (half - 0.1)
        b.poly(
            [
                _at(st, vy, side * half, ground, 12),
                _at(st, vy, inner, ground, 12),
                _at(st, vy, inner, ground, 0.7),
                _at(st, vy, side * half, ground, 0.7),
            ],
            kerb,
        )
        b.line(
            *_at(st, vy, inner, ground, 12),
            *_at(st, vy, inner, ground, 0.7),
            0.004,
            shade(kerb, 1.4),
        )
    signs: list[tuple[float, float, float, RGB]] = []
    for side in (-1, 1):
        z = 9.0
        while z > 0.9:
            z1 = z - st.pick(0.6, 1.4) * z * 0.25
            face = st.lit(mix(st.wall, (0.35, 0.3, 0.32), st.pick(0.3, 0.7)))
            b.poly(_quad(st, vy, side * half, ground, -1.4, z, z1), face)
            inside = mix(st.lamp, WHITE, 0.2) if st.night else st.lit((0.5, 0.58, 0.66))
            b.poly(_quad(st, vy, side * half, ground, ground - 0.24, z, z1), shade(inside, 0.55))
            cut = z1 + (z - z1) * 0.3  # a display window, then a door
            b.poly(_quad(st, vy, side * half, ground - 0.05, ground - 0.21, z, cut), inside, 0.9)
            b.poly(
                _quad(st, vy, side * half, ground, ground - 0.19, cut - (z - z1) * 0.05, z1),
                shade(inside, 0.8),
                0.9,
            )
            b.poly(
                _quad(st, vy, side * half, ground - 0.24, ground - 0.29, z, z1),
                st.lit(NEON[int(st.pick(0, 4))]),
            )  # the awning
            b.line(
                *_at(st, vy, side * half, ground, z1),
                *_at(st, vy, side * half, -1.4, z1),
                0.006 / z1,
                shade(face, 0.6),
            )  # the party wall between two shops
            for row in range(3):  # upper-floor windows
                yy = ground - 0.4 - row * 0.3
                on = st.night and st.pick(0, 1) < 0.5
                b.poly(
                    _quad(
                        st, vy, side * half, yy, yy - 0.15, z - (z - z1) * 0.2, z1 + (z - z1) * 0.2
                    ),
                    (1.0, 0.8, 0.5) if on else st.lit((0.3, 0.35, 0.45)),
                    0.85,
                )
            signs.append(
                (
                    side * (half - 0.01),
                    (z + z1) / 2,
                    st.pick(-1.2, -0.45),
                    NEON[int(st.pick(0, len(NEON)))],
                )
            )
            z = z1
    for x, z, top, colour in sorted(signs, key=lambda s: -s[1]):
        sx, sy = _at(st, vy, x, top, z)
        w, h = 0.09 / z, 0.4 / z
        on = st.light.lamps > 0
        if on:
            b.glow(sx, sy + h / 2, h * 0.9, colour, 0.45)
            _, ry = _at(st, vy, x, ground + (ground - top) * 0.5, z)
            b.rect(sx - w / 2, ry - h * 0.3, sx + w / 2, ry + h * 1.2, colour, 0.3, blur=w * 0.4)
        b.rrect(sx - w / 2, sy, sx + w / 2, sy + h, w * 0.2, shade(colour, 0.25))
        b.rrect(
            sx - w / 2 + 0.003 / z,
            sy + 0.003 / z,
            sx + w / 2 - 0.003 / z,
            sy + h - 0.003 / z,
            w * 0.2,
            colour if on else st.lit(shade(colour, 0.7)),
            0.9,
        )
        for i in range(3):  # the glyphs
            gy = sy + h * (0.12 + i * 0.3)
            b.rect(sx - w * 0.25, gy, sx + w * 0.25, gy + h * 0.18, WHITE if on else colour, 0.9)
    # Street lamps, nearer and brighter, on the mid layer; puddles on the road.
    for side, z in ((-1, 1.3), (1, 2.4), (-1, 4.5)):
        bx, by = _at(st, vy, side * (half - 0.05), ground, z)
        tx, ty = _at(st, vy, side * (half - 0.05), -0.38, z)
        m.line(bx, by, tx, ty, 0.012 / z, st.lit((0.15, 0.16, 0.18)))
        hx = tx - side * 0.08 / z
        m.line(tx, ty, hx, ty, 0.01 / z, st.lit((0.15, 0.16, 0.18)))
        m.rrect(hx - 0.02 / z, ty, hx + 0.02 / z, ty + 0.015 / z, 0.005 / z, (1.0, 0.92, 0.7))
        if st.light.lamps > 0:
            m.glow(hx, ty + 0.01, 0.3 / z, (1.0, 0.85, 0.55), st.light.lamps)
            b.glow(hx, by, 0.25 / z, (1.0, 0.85, 0.55), 0.35 * st.light.lamps)  # its pool
    for _ in range(4):
        px, py = st.pick(a * 0.1, a * 0.9), st.pick(0.82, 1.05)
        c = NEON[int(st.pick(0, len(NEON)))] if st.light.lamps > 0 else horizon
        w = st.pick(0.05, 0.12)
        m.ellipse(px - w, py - w * 0.13, px + w, py + w * 0.13, c, 0.35)
        m.ellipse(px - w * 0.6, py - w * 0.06, px + w * 0.6, py + w * 0.06, WHITE, 0.2)
    weather(st, m, (m.left, m.top, m.right, m.bottom), 0.5)
    weather(st, n, (n.left, n.top, n.right, n.bottom), 1.0)
    if st.light.lamps > 0:
        bokeh(st, n, (n.left, n.top, a * 0.15, 0.6), 4, list(NEON), (0.03, 0.06), 0.3)
        bokeh(st, n, (a * 0.85, n.top, n.right, 0.6), 4, list(NEON), (0.03, 0.06), 0.3)


def car_interior(st: Stage) -> None:
    """The back seat at the side window: the world streaming past, the door, the seat, the
    glow of the dashboard."""
    b, m, n, a = st.back, st.mid, st.near, st.a
    sky(st, b, b.left, b.top, b.right, 0.5)
    skyline(st, b, b.left, b.right, 0.5, 0.05, 0.25, 0.4)
    b.rect(b.left, 0.5, b.right, b.bottom, st.lit((0.25, 0.27, 0.3)))
    for _ in range(14):  # the motion streaks of passing lights
        y = st.pick(0.15, 0.55)
        c = (1.0, 0.8, 0.5) if st.night else WHITE
        b.rect(b.left, y, b.right, y + st.pick(0.003, 0.012), c, st.pick(0.15, 0.4))
    if st.light.lamps > 0:
        bokeh(st, b, (b.left, 0.2, b.right, 0.55), 12, list(NEON[:3]), (0.02, 0.05), 0.5)
    weather(st, b, (b.left, 0.1, b.right, 0.55), 0.4)
    # The cabin: one panel with the window cut out.
    trim = st.lit(mix(st.wood, (0.12, 0.12, 0.13), 0.6))
    cabin = skia.Path()
    cabin.setFillType(skia.PathFillType.kEvenOdd)
    cabin.addRect(skia.Rect(m.left, m.top, m.right, m.bottom))
    cabin.addRRect(skia.RRect.MakeRectXY(skia.Rect(-0.02, 0.12, a * 0.74, 0.5), 0.05, 0.05))
    cabin.addRRect(skia.RRect.MakeRectXY(skia.Rect(a * 0.82, 0.14, m.right + 0.1, 0.5), 0.03, 0.03))
    shader = skia.GradientShader.MakeLinear(
        [skia.Point(0, m.top), skia.Point(0, m.bottom)],
        [argb(shade(trim, 1.3)), argb(trim), argb(shade(trim, 0.6))],
        [0.0, 0.4, 1.0],
    )
    m.canvas.drawPath(cabin, skia.Paint(AntiAlias=True, Shader=shader))
    m.rect(m.left, m.top, m.right, 0.06, st.lit((0.62, 0.6, 0.57)))  # the roof lining
    m.rect(m.left, 0.5, m.right, 0.52, st.lit((0.7, 0.72, 0.75)))  # the chrome sill
    m.rrect(a * 0.05, 0.6, a * 0.95, 0.64, 0.015, shade(trim, 1.25))  # the armrest
    m.rrect(a * 0.7, 0.56, a * 0.82, 0.58, 0.008, st.lit((0.75, 0.76, 0.8)))  # the handle
    seat = st.lit(mix(st.wood, (0.9, 0.85, 0.78), 0.35))
    block(m, a * 0.02, 0.62, a * 1.02, 1.1, seat, r=0.05)
    for i in range(1, 5):  # the stitched panels
        x = a * (0.02 + 0.2 * i)
        m.line(x, 0.66, x, 1.05, 0.003, shade(seat, 0.75))
    m.line(a * 0.97, 0.1, a * 0.88, 0.66, 0.016, st.lit((0.18, 0.18, 0.2)))  # the seatbelt
    dash = (0.3, 0.75, 1.0) if st.light.lamps > 0 else (1.0, 0.85, 0.6)
    m.glow(m.left, 0.62, 0.3, dash, 0.25 + 0.4 * st.light.lamps)
    block(n, n.left, 0.35, a * 0.12, n.bottom, shade(seat, 0.7), r=0.05)  # the front seat
    n.rrect(n.left, 0.2, a * 0.1, 0.33, 0.04, shade(seat, 0.7))
    n.glow(n.left, 0.45, 0.15, dash, 0.4 * st.light.lamps)


def school_corridor(st: Stage) -> None:
    """A long corridor: windows down one wall, lockers and classroom doors down the other,
    ceiling lights and a notice board."""
    b, m, n, a = st.back, st.mid, st.near, st.a
    vy, ground, ceil, half = 0.44, 0.42, -0.46, 0.34
    wall = st.lit(st.wall)
    b.fill(shade(wall, 0.9))
    far = 14.0
    ex0, ey0 = _at(st, vy, -half, ceil, far)
    ex1, ey1 = _at(st, vy, half, ground, far)
    b.rect(ex0, ey0, ex1, ey1, shade(wall, 0.8))
    floor_c = st.lit(mix(st.wood, (0.7, 0.7, 0.68), 0.4))
    b.poly(
        [
            _at(st, vy, -half, ground, far),
            _at(st, vy, half, ground, far),
            _at(st, vy, half, ground, 0.6),
            _at(st, vy, -half, ground, 0.6),
        ],
        floor_c,
    )
    b.poly(
        [
            _at(st, vy, -half, ceil, far),
            _at(st, vy, half, ceil, far),
            _at(st, vy, half, ceil, 0.6),
            _at(st, vy, -half, ceil, 0.6),
        ],
        st.lit((0.92, 0.92, 0.9)),
    )
    b.poly(_quad(st, vy, half, ground, ground - 0.12, far, 0.6), st.lit(shade(st.wood, 0.8)))
    b.poly(_quad(st, vy, -half, ground, ground - 0.12, far, 0.6), st.lit(shade(st.wood, 0.8)))
    top, _, horizon = st.sky()
    z = far - 1
    while z > 0.8:  # windows on the left, their light pooled on the floor
        z1 = z * 0.78
        win = _quad(st, vy, -half, ground - 0.3, ceil + 0.15, z, z1 + (z - z1) * 0.25)
        b.poly_grad(win, top, horizon, win[2][1], win[0][1])
        b.poly(_quad(st, vy, -half + 0.12, ground, ground, z, z1), WHITE, 0.2)
        b.poly(
            [
                _at(st, vy, -half, ground, z),
                _at(st, vy, -half + 0.2, ground, z),
                _at(st, vy, -half + 0.2, ground, z1),
                _at(st, vy, -half, ground, z1),
            ],
            mix(horizon, WHITE, 0.5),
            0.25 if not st.night else 0.08,
        )
        z = z1
    z = far - 1
    door = st.lit(shade(st.wood, 1.1))
    i = 0
    while z > 1.1:  # doors and lockers on the right
        z1 = z * 0.8
        if i % 2 == 0:
            b.poly(_quad(st, vy, half, ground, ground - 0.62, z, z1), door)
            b.poly(
                _quad(
                    st,
                    vy,
                    half,
                    ground - 0.38,
                    ground - 0.56,
                    z - (z - z1) * 0.3,
                    z1 + (z - z1) * 0.3,
                ),
                mix(horizon, WHITE, 0.3),
            )
        else:
            locker = st.lit(mix((0.35, 0.5, 0.65), st.lamp, 0.2))
            b.poly(_quad(st, vy, half, ground, ground - 0.62, z, z1), locker)
            for k in range(1, 4):
                zz = z - (z - z1) * k / 4
                b.line(
                    *_at(st, vy, half, ground, zz),
                    *_at(st, vy, half, ground - 0.62, zz),
                    0.003 / zz,
                    shade(locker, 0.7),
                )
        z, i = z1, i + 1
    lamp = (0.95, 0.98, 1.0)
    z = far - 1
    while z > 0.9:  # the ceiling lights
        z1 = z - 0.3 * z / 3
        b.poly(
            [
                _at(st, vy, -0.06, ceil, z),
                _at(st, vy, 0.06, ceil, z),
                _at(st, vy, 0.06, ceil, z1),
                _at(st, vy, -0.06, ceil, z1),
            ],
            lamp,
        )
        b.poly(
            [
                _at(st, vy, -0.06, ground, z),
                _at(st, vy, 0.06, ground, z),
                _at(st, vy, 0.06, ground, z1),
                _at(st, vy, -0.06, ground, z1),
            ],
            WHITE,
            0.12,
        )
        z *= 0.72
    # The notice board on the right wall, a locker bank close by.
    board = _quad(st, vy, half, ground - 0.3, ground - 0.62, 1.6, 1.05)
    m.poly(board, st.lit(shade(st.wood, 0.9)))
    m.poly(_quad(st, vy, half, ground - 0.32, ground - 0.6, 1.57, 1.08), st.lit((0.78, 0.6, 0.4)))
    for k in range(5):
        z0 = st.pick(1.12, 1.5)
        y0 = ground - st.pick(0.36, 0.5)
        c = (WHITE, (1.0, 0.9, 0.5), (0.7, 0.9, 1.0))[k % 3]
        m.poly(_quad(st, vy, half, y0, y0 - 0.1, z0, z0 - 0.05), st.lit(c))
    plate_x = a * 0.08  # a class sign sticking out over the nearest door
    n.rrect(plate_x - 0.02, 0.04, plate_x + 0.09, 0.1, 0.006, st.lit(WHITE))
    n.rect(plate_x - 0.01, 0.055, plate_x + 0.06, 0.085, st.lit((0.2, 0.3, 0.5)))
    n.line(plate_x, n.top, plate_x, 0.04, 0.004, st.lit((0.4, 0.4, 0.4)))
