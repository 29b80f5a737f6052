"""The homes and offices: a CEO's office, a mansion's living room, a bedroom.

Each function paints a :class:`~.stage.Stage`: walls and windows on ``back``, furniture on
``mid`` (kept to the sides and low, where the actors do not stand), framing foreground on
``near``. The floor line sits at about two thirds of the frame's height.
"""

from __future__ import annotations

from cliffhanger.cast.puppet.sets.paint import RGB, WHITE, mix, shade
from cliffhanger.cast.puppet.sets.props import (
    block,
    floor,
    fronds,
    shadow,
    window_frame,
    window_view,
)
from cliffhanger.cast.puppet.sets.stage import Stage

FLOOR_Y = 0.68
STEEL: RGB = (0.16, 0.17, 0.2)
LEATHER: RGB = (0.2, 0.13, 0.1)
LEAF: RGB = (0.2, 0.42, 0.24)
BOOKS: tuple[RGB, ...] = ((0.55, 0.2, 0.18), (0.2, 0.3, 0.45), (0.75, 0.65, 0.45), (0.3, 0.4, 0.3))
LINEN: RGB = (0.95, 0.94, 0.9)
GOLD: RGB = (0.85, 0.68, 0.3)


def back_wall(st: Stage, color: RGB) -> None:
    """The back wall down to the floor line, shaded towards the ceiling."""
    p = st.back
    c = st.lit(color)
    p.grad(p.left, p.top, p.right, FLOOR_Y, [shade(c, 0.82), c, shade(c, 0.92)])


def _shelves(st: Stage, x0: float, x1: float, y0: float, y1: float, rows: int) -> None:
    p = st.back
    wood = st.lit(st.wood)
    block(p, x0, y0, x1, y1, shade(wood, 0.8), r=0.0)
    h = (y1 - y0) / rows
    for i in range(rows):
        top = y0 + i * h + 0.01
        p.rect(x0 + 0.008, top, x1 - 0.008, top + h - 0.018, shade(wood, 0.45))
        x = x0 + 0.012
        while x < x1 - 0.03:
            if st.pick(0, 1) < 0.2:  # a gap, a vase
                p.ellipse(x, top + h * 0.45, x + 0.025, top + h - 0.018, st.lit(WHITE))
                x += 0.035
                continue
            bw, bh = st.pick(0.007, 0.013), h * st.pick(0.55, 0.8)
            c = st.lit(BOOKS[int(st.pick(0, len(BOOKS)))])
            p.rect(x, top + h - 0.018 - bh, x + bw, top + h - 0.018, c)
            x += bw + 0.002
        p.rect(x0, top + h - 0.018, x1, top + h - 0.008, shade(wood, 1.1))


def ceo_office(st: Stage) -> None:
    """Floor-to-ceiling glass over the city, a shelf wall, a big desk and a leather chair."""
    st.lamplit(0.2)
    b, m, n, a = st.back, st.mid, st.near, st.a
    back_wall(st, st.wall)
    wx0 = a * 0.18
    window_view(st, b, wx0, -0.04, b.right, FLOOR_Y)
    window_frame(st, b, wx0, -0.04, b.right + 0.01, FLOOR_Y, 3 + int(st.pick(0, 2)), st.lit(STEEL))
    _shelves(st, b.left, wx0, 0.02, FLOOR_Y, 5)
    b.rect(b.left, b.top, b.right, -0.04, st.lit(shade(st.wall, 0.7)))
    floor(st, b, FLOOR_Y, st.lit(mix(st.wood, STEEL, 0.55)), 10)
    b.rect(wx0, FLOOR_Y + 0.01, b.right, FLOOR_Y + 0.12, WHITE, 0.08, blur=0.01)  # window sheen
    # The desk on the right, the chair behind it against the glass.
    dx0 = a * 0.56
    chair = st.lit(LEATHER)
    block(m, a * 0.7, 0.4, a * 1.02, 0.72, chair, r=0.04)
    for i in range(1, 4):
        y = 0.4 + 0.07 * i
        m.line(a * 0.72, y, a * 1.0, y, 0.003, shade(chair, 0.7))
    wood = st.lit(st.wood)
    block(m, dx0, 0.69, m.right, 0.705, shade(wood, 1.15), r=0.003)
    block(m, dx0 + 0.01, 0.705, m.right, 0.9, wood, r=0.0)
    m.rect(dx0 + 0.03, 0.73, dx0 + 0.033, 0.88, shade(wood, 0.75))
    shadow(m, dx0, m.right, 0.9)
    m.rect(a * 0.78, 0.6, a * 0.96, 0.67, st.lit(STEEL))  # the monitor
    m.rect(a * 0.86, 0.67, a * 0.88, 0.69, st.lit(STEEL))
    m.rect(dx0 + 0.02, 0.675, dx0 + 0.08, 0.69, st.lit(GOLD))  # the nameplate
    lamp_x = dx0 + 0.03
    m.line(lamp_x, 0.69, lamp_x + 0.02, 0.61, 0.004, st.lit(GOLD))
    m.poly(
        [(lamp_x, 0.6), (lamp_x + 0.05, 0.6), (lamp_x + 0.04, 0.58), (lamp_x + 0.01, 0.58)],
        st.lit(STEEL),
    )
    if st.light.lamps > 0:
        b.glow(lamp_x + 0.025, 0.62, 0.25, st.lamp_light(), 0.5 * st.light.lamps)
        m.glow(lamp_x + 0.025, 0.64, 0.1, st.lamp_light(), 0.6 * st.light.lamps)
    fronds(st, n, n.left + 0.02, n.bottom, 0.45, st.lit(LEAF), (45, 100))


def mansion_living_room(st: Stage) -> None:
    """A chandelier, a marble fireplace, gilt-framed paintings, a grand staircase, a sofa."""
    st.lamplit(0.45)
    b, m, n, a = st.back, st.mid, st.near, st.a
    back_wall(st, st.wall)
    trim = st.lit(mix(st.wood, GOLD, 0.3))
    b.rect(b.left, FLOOR_Y - 0.16, b.right, FLOOR_Y, st.lit(shade(st.wall, 0.85)))  # wainscot
    for i in range(7):
        x = b.left + 0.02 + i * 0.1
        b.frame(x, FLOOR_Y - 0.14, x + 0.08, FLOOR_Y - 0.02, 0.003, trim, 0.7)
    b.rect(b.left, FLOOR_Y - 0.17, b.right, FLOOR_Y - 0.16, trim)
    b.rect(b.left, b.top, b.right, 0.03, st.lit(shade(st.wall, 1.08)))
    b.rect(b.left, 0.03, b.right, 0.04, trim)  # the cornice
    # A grand staircase rising to the right.
    steps = 9
    stone = st.lit(mix(st.wall, WHITE, 0.5))
    for i in range(steps):
        x = a * 0.62 + i * 0.03
        y = FLOOR_Y - i * 0.035
        block(b, x, y - 0.035, b.right, y, shade(stone, 1.0 - 0.03 * (i % 2)), r=0.0)
    rail = [(a * 0.6, FLOOR_Y - 0.1), (b.right, FLOOR_Y - 0.1 - steps * 0.035 * 1.1)]
    for i in range(steps):
        x = a * 0.62 + i * 0.03 + 0.01
        y = FLOOR_Y - i * 0.035 - 0.035
        b.line(x, y, x, y - 0.075, 0.004, trim)
    b.line(*rail[0], *rail[1], 0.01, st.lit(st.wood))
    # Paintings and the fireplace.
    for x0, y0, w, h in ((a * 0.02, 0.12, 0.16, 0.2), (a * 0.62, 0.1, 0.12, 0.16)):
        b.rect(x0, y0, x0 + w, y0 + h, st.lit(GOLD))
        art = mix(st.lamp, (0.2, 0.35, 0.3), st.pick(0.3, 0.8))
        b.grad(
            x0 + 0.01,
            y0 + 0.01,
            x0 + w - 0.01,
            y0 + h - 0.01,
            [st.lit(shade(art, 1.2)), st.lit(shade(art, 0.6))],
        )
        b.circle(x0 + w * st.pick(0.3, 0.7), y0 + h * 0.45, w * 0.15, st.lit(shade(art, 1.5)), 0.7)
    fx0, fx1 = b.left + 0.01, a * 0.3
    b.rect(fx0 - 0.01, 0.4, fx1 + 0.01, 0.42, stone)
    block(b, fx0, 0.42, fx1, FLOOR_Y, stone, r=0.0)
    b.rrect(fx0 + 0.04, 0.48, fx1 - 0.04, FLOOR_Y + 0.01, 0.03, (0.08, 0.05, 0.04))
    fire = (1.0, 0.6, 0.2)
    b.glow((fx0 + fx1) / 2, FLOOR_Y - 0.02, 0.09, fire, 0.9)
    b.glow((fx0 + fx1) / 2, FLOOR_Y - 0.02, 0.25, fire, 0.25)
    floor(st, b, FLOOR_Y, st.lit(shade(st.wood, 1.15)), 12)
    rug = st.lit(mix((0.55, 0.15, 0.15), st.lamp, 0.3))
    b.poly(
        [(a * 0.1, FLOOR_Y + 0.05), (a * 0.9, FLOOR_Y + 0.05), (a * 1.1, 1.05), (-a * 0.1, 1.05)],
        rug,
    )
    b.poly(
        [
            (a * 0.14, FLOOR_Y + 0.065),
            (a * 0.86, FLOOR_Y + 0.065),
            (a * 1.03, 1.02),
            (-a * 0.03, 1.02),
        ],
        shade(rug, 1.25),
    )
    # The chandelier and the sofa.
    cx = a * (0.5 + st.pick(-0.1, 0.1))
    m.line(cx, m.top, cx, 0.06, 0.003, st.lit(GOLD))
    for i in range(7):
        x = cx + (i - 3) * 0.028
        m.curve([(cx, 0.1), (x, 0.13), (x, 0.1)], 0.003, st.lit(GOLD))
        m.rect(x - 0.003, 0.085, x + 0.003, 0.1, WHITE)
        m.circle(x, 0.08, 0.005, (1.0, 0.9, 0.6))
        m.line(x, 0.11, x, 0.15 + 0.01 * (3 - abs(i - 3)), 0.002, WHITE, 0.6)
    m.glow(cx, 0.1, 0.2, st.lamp_light(), 0.3 + 0.5 * st.light.lamps)
    sofa = st.lit(mix(st.lamp, (0.55, 0.3, 0.3), 0.4))
    block(m, m.left, 0.66, a * 0.3, 0.78, shade(sofa, 0.9), r=0.03)
    block(m, m.left, 0.74, a * 0.34, 0.88, sofa, r=0.02)
    block(m, a * 0.26, 0.7, a * 0.36, 0.88, shade(sofa, 1.1), r=0.03)
    m.rrect(a * 0.05, 0.68, a * 0.15, 0.75, 0.02, st.lit(st.lamp))  # a cushion
    shadow(m, m.left, a * 0.36, 0.88)
    n.circle(a * 1.05, 0.95, 0.09, st.lit(WHITE), 0.9)  # a vase of roses in the corner
    fronds(st, n, a * 1.0, 0.95, 0.22, st.lit(LEAF), (100, 170))
    for _ in range(5):
        n.circle(a * st.pick(0.85, 1.05), st.pick(0.78, 0.88), 0.02, st.lit((0.8, 0.2, 0.3)))


def bedroom(st: Stage) -> None:
    """A bed with a tufted headboard and pillows, a lamp on the nightstand, a curtained
    window."""
    b, m, n, a = st.back, st.mid, st.near, st.a
    st.lamplit(0.4)
    back_wall(st, st.wall)
    wx0, wx1 = b.left + 0.02, a * 0.38
    window_view(st, b, wx0, 0.1, wx1, 0.55)
    window_frame(st, b, wx0, 0.1, wx1, 0.55, 2, st.lit(WHITE))
    drape = st.lit(mix(st.lamp, st.wall, 0.4))
    for x0, x1 in ((wx0 - 0.05, wx0 + 0.04), (wx1 - 0.04, wx1 + 0.05)):
        for i in range(3):
            x = x0 + (x1 - x0) * i / 3
            b.grad(
                x,
                0.06,
                x + (x1 - x0) / 3,
                FLOOR_Y,
                [shade(drape, 0.8), drape, shade(drape, 1.1)],
                horizontal=True,
            )
    b.rect(wx0 - 0.06, 0.055, wx1 + 0.06, 0.065, st.lit(shade(st.wood, 0.6)))  # the rod
    art = (a * 0.55, 0.16, a * 0.9, 0.32)
    b.rect(*art, st.lit(st.wood))
    b.grad(
        art[0] + 0.01,
        art[1] + 0.01,
        art[2] - 0.01,
        art[3] - 0.01,
        [st.lit(mix(st.lamp, WHITE, 0.5)), st.lit(mix(st.wall, (0.3, 0.4, 0.5), 0.5))],
    )
    floor(st, b, FLOOR_Y, st.lit(shade(st.wood, 1.1)), 10)
    # The bed against the wall, head to the right side of the frame.
    head = st.lit(mix(st.wall, st.wood, 0.6))
    hx0 = a * 0.42
    block(m, hx0, 0.36, m.right + 0.05, 0.72, head, r=0.04)
    for i in range(4):  # the tufting
        for j in range(3):
            m.circle(hx0 + 0.04 + i * 0.06, 0.41 + j * 0.06, 0.004, shade(head, 0.7))
    duvet = st.lit(mix(LINEN, st.lamp, 0.25))
    for x in (hx0 + 0.02, hx0 + 0.14):
        m.rrect(x, 0.52, x + 0.11, 0.6, 0.03, st.lit(LINEN))
        m.rrect(x + 0.005, 0.56, x + 0.105, 0.6, 0.02, st.lit(shade(LINEN, 0.88)))
    m.rrect(a * 0.3, 0.58, m.right + 0.05, 0.86, 0.03, duvet)
    m.grad(a * 0.3, 0.66, m.right + 0.05, 0.86, [shade(duvet, 0.95), shade(duvet, 0.75)], r=0.03)
    m.rect(a * 0.3, 0.62, m.right + 0.05, 0.64, st.lit(mix(st.lamp, st.wood, 0.5)))
    shadow(m, a * 0.3, m.right, 0.86)
    # The nightstand and its lamp.
    nx0, nx1 = a * 0.02, a * 0.26
    wood = st.lit(st.wood)
    block(m, nx0, 0.6, nx1, 0.8, wood, r=0.005)
    m.rect(nx0 + 0.01, 0.66, nx1 - 0.01, 0.662, shade(wood, 0.6))
    lx = (nx0 + nx1) / 2
    m.line(lx, 0.6, lx, 0.54, 0.005, st.lit(GOLD))
    shade_c = mix(st.lamp, WHITE, 0.5) if st.light.lamps > 0 else st.lit(mix(st.lamp, WHITE, 0.5))
    m.poly([(lx - 0.05, 0.55), (lx + 0.05, 0.55), (lx + 0.03, 0.48), (lx - 0.03, 0.48)], shade_c)
    if st.light.lamps > 0:  # the lamp lights the wall behind it and the bed beside it
        b.glow(lx, 0.5, 0.35, st.lamp_light(), 0.8 * st.light.lamps)
        m.glow(lx, 0.53, 0.22, st.lamp_light(), 0.7 * st.light.lamps)
    shadow(m, nx0, nx1, 0.8)
    sheer = st.lit(WHITE)
    n.grad(n.left, n.top, a * 0.1, n.bottom, [sheer, sheer], alphas=[0.7, 0.15], horizontal=True)
