"""The palace hall, the forest at night and the rooftop: sets of open space and ornament."""

from __future__ import annotations

import itertools
import math

from cliffhanger.cast.puppet.sets.paint import RGB, WHITE, mix, shade
from cliffhanger.cast.puppet.sets.props import block, fronds, shadow, sky, skyline, weather
from cliffhanger.cast.puppet.sets.stage import Stage

GOLD: RGB = (0.88, 0.68, 0.28)
PALACE_RED: RGB = (0.62, 0.1, 0.08)
JADE: RGB = (0.15, 0.45, 0.42)


def _lantern(st: Stage, x: float, y: float, r: float) -> None:
    """A red palace lantern with gold caps and a tassel, glowing when the lamps are on."""
    m = st.mid
    red = (0.9, 0.2, 0.12) if st.light.lamps > 0 else st.lit((0.85, 0.15, 0.1))
    m.line(x, m.top, x, y - r, 0.003, st.lit(GOLD))
    if st.light.lamps > 0:
        m.glow(x, y, r * 4, (1.0, 0.55, 0.25), 0.6)
    m.ellipse(x - r, y - r * 0.8, x + r, y + r * 0.8, red)
    for k in (-0.5, 0.0, 0.5):
        m.ellipse(
            x - r * (1 - abs(k)),
            y - r * 0.8,
            x + r * (1 - abs(k)),
            y + r * 0.8,
            shade(red, 0.7),
            0.0 if k == 0 else 0.5,
        )
    m.rect(x - r * 0.5, y - r * 0.9, x + r * 0.5, y - r * 0.7, st.lit(GOLD))
    m.rect(x - r * 0.5, y + r * 0.7, x + r * 0.5, y + r * 0.9, st.lit(GOLD))
    m.line(x, y + r * 0.9, x, y + r * 1.8, r * 0.25, st.lit((0.8, 0.1, 0.1)))


def _pillar(st: Stage, x: float, w: float) -> None:
    """A red lacquered pillar wound with a gold dragon."""
    m = st.mid
    red = st.lit(PALACE_RED)
    m.grad(
        x - w / 2,
        m.top,
        x + w / 2,
        m.bottom,
        [shade(red, 0.6), shade(red, 1.3), red, shade(red, 0.5)],
        stops=[0.0, 0.3, 0.6, 1.0],
        horizontal=True,
    )
    gold = st.lit(GOLD)
    pts = [(x + w / 2 * math.sin(t / 6), 0.06 + t * 0.011) for t in range(60)]
    for t, ((x0, y0), (x1, y1)) in enumerate(itertools.pairwise(pts)):
        front = math.cos(t / 6) > 0  # the coils sweeping one way pass in front of the pillar
        m.line(x0, y0, x1, y1, w * 0.28, shade(gold, 1.0 if front else 0.6))
    for x0, y0 in pts[::4]:  # scales along the dragon's body
        m.circle(x0, y0, w * 0.06, shade(gold, 1.3))
    hx, hy = pts[-1]
    m.circle(hx, hy, w * 0.22, gold)  # the dragon's head
    m.rect(x - w * 0.65, 0.74, x + w * 0.65, 0.78, st.lit((0.7, 0.68, 0.62)))  # the plinth


def palace_hall(st: Stage) -> None:
    """An imperial hall: red pillars wound with gold dragons, a throne on a dais before a
    golden screen, painted beams and lanterns."""
    b, n, a = st.back, st.near, st.a
    st.lamplit(0.4)
    wall = st.lit(mix(st.wall, (0.45, 0.12, 0.08), 0.6))
    b.fill(wall)
    for i in range(4):  # painted beams: jade, blue and gold bands
        y = b.top + 0.03 + i * 0.045
        b.rect(b.left, y, b.right, y + 0.035, st.lit(JADE if i % 2 else (0.15, 0.25, 0.55)))
        b.rect(b.left, y + 0.035, b.right, y + 0.045, st.lit(GOLD))
    gold = st.lit(GOLD)
    lacquer = st.lit(shade(PALACE_RED, 0.55))
    sx0, sx1, sy0, sy1 = a * 0.08, a * 0.92, 0.2, 0.6  # the folding screen behind the throne
    b.rect(sx0 - 0.012, sy0 - 0.012, sx1 + 0.012, sy1, gold)
    b.rect(sx0, sy0, sx1, sy1, lacquer)
    for i in range(5):  # five leaves, each a gilt lattice
        x0 = sx0 + (sx1 - sx0) * i / 5
        x1 = x0 + (sx1 - sx0) / 5
        b.frame(x0, sy0, x1, sy1, 0.006, gold)
        cell = (x1 - x0 - 0.02) / 3
        for k in range(1, 3):
            b.line(x0 + 0.01 + cell * k, sy0 + 0.02, x0 + 0.01 + cell * k, sy1 - 0.1, 0.002, gold)
        yy = sy0 + 0.02
        while yy < sy1 - 0.1:
            b.line(x0 + 0.01, yy, x1 - 0.01, yy, 0.002, gold, 0.9)
            yy += cell
        b.rect(x0 + 0.01, sy1 - 0.08, x1 - 0.01, sy1 - 0.02, shade(gold, 0.8))
    b.circle(a * 0.5, sy0 - 0.02, 0.06, gold)  # the crest: a pearl between clouds
    b.circle(a * 0.5, sy0 - 0.02, 0.042, st.lit((0.85, 0.2, 0.1)))
    for dx in (-0.1, 0.1):
        b.circle(a * 0.5 + dx, sy0 - 0.005, 0.03, gold)
    floor_c = st.lit(mix((0.3, 0.26, 0.22), st.wood, 0.4))  # polished "golden" bricks
    b.grad(b.left, 0.7, b.right, b.bottom, [shade(floor_c, 0.8), floor_c])
    b.rect(a * 0.2, 0.71, a * 0.8, 0.9, gold, 0.15, blur=0.02)  # the throne in the floor
    for i in range(8):
        y = 0.7 + 0.055 * i * (1 + i * 0.15)
        b.line(b.left, y, b.right, y, 0.002, shade(floor_c, 0.7))
    for i in range(3):  # the dais' steps
        y = 0.6 + i * 0.035
        block(
            b,
            a * 0.18 - i * 0.04,
            y,
            a * 0.82 + i * 0.04,
            y + 0.035,
            st.lit(mix(PALACE_RED, WHITE, 0.1 * i)),
            r=0.0,
        )
        b.rect(a * 0.18 - i * 0.04, y, a * 0.82 + i * 0.04, y + 0.005, gold)
    # The throne: its carved back rises above the actors' shoulders, its arms beside them.
    red = st.lit((0.75, 0.13, 0.08))
    block(b, a * 0.28, 0.3, a * 0.72, 0.62, gold, r=0.03)
    b.rrect(a * 0.32, 0.34, a * 0.68, 0.58, 0.02, red)
    b.circle(a * 0.5, 0.44, 0.04, gold, 0.8)  # the dragon medallion
    b.circle(a * 0.5, 0.44, 0.028, red)
    for x in (a * 0.28, a * 0.72):  # scrolled ends of the crest rail
        b.circle(x, 0.3, 0.028, gold)
        b.circle(x, 0.3, 0.014, shade(gold, 0.7))
    b.ellipse(a * 0.38, 0.255, a * 0.62, 0.33, gold)
    for x0, x1 in ((a * 0.2, a * 0.3), (a * 0.7, a * 0.8)):
        block(b, x0, 0.52, x1, 0.62, gold, r=0.02)
    _pillar(st, a * 0.02, 0.1)
    _pillar(st, a * 0.98, 0.1)
    _lantern(st, a * 0.22, 0.2 + st.pick(0.0, 0.05), 0.04)
    _lantern(st, a * 0.8, 0.18 + st.pick(0.0, 0.05), 0.04)
    gauze = mix(st.lamp, (0.9, 0.3, 0.3), 0.5)
    n.poly(
        [(n.left, n.top), (a * 0.45, n.top), (a * 0.05, 0.22), (n.left, 0.3)], st.lit(gauze), 0.55
    )
    n.poly(
        [(n.right, n.top), (a * 0.6, n.top), (a * 0.95, 0.2), (n.right, 0.28)], st.lit(gauze), 0.55
    )
    for x in (a * 0.05, a * 0.95):
        n.line(x, 0.22, x, 0.4, 0.008, st.lit(GOLD))
        n.circle(x, 0.22, 0.012, st.lit((0.85, 0.15, 0.1)))


def _tree(st: Stage, x: float, w: float, c: RGB, top: float, bottom: float) -> None:
    m = st.mid
    m.poly([(x - w / 2, bottom), (x - w * 0.4, top), (x + w * 0.4, top), (x + w / 2, bottom)], c)
    m.rect(x + w * 0.1, top, x + w * 0.45, bottom, shade(c, 0.7), 0.6)
    for _ in range(4):  # bark
        y = st.pick(top, bottom)
        m.line(x - w * 0.3, y, x + w * 0.1, y + 0.02, 0.002, shade(c, 1.3), 0.5)


def forest_night(st: Stage) -> None:
    """Tree trunks receding into mist under the moon, with fireflies."""
    b, m, n, a = st.back, st.mid, st.near, st.a
    sky(st, b, b.left, b.top, b.right, 0.75)
    horizon = st.sky()[2]
    foliage = st.lit(mix(st.wall, (0.1, 0.25, 0.18), 0.75))
    for k, (base, alpha) in enumerate(((0.55, 0.45), (0.65, 0.7), (0.75, 0.95))):
        c = mix(foliage, horizon, 0.5 - 0.2 * k)
        for _ in range(9):
            x, h = st.pick(b.left, b.right), st.pick(0.15, 0.35)
            b.poly([(x - 0.07, base), (x, base - h), (x + 0.07, base)], c, alpha)
        b.rect(b.left, base, b.right, b.bottom, c, alpha)
        b.grad(b.left, base - 0.1, b.right, base + 0.05, [horizon, horizon], alphas=[0.0, 0.35])
    trunk = st.lit(mix(st.wood, (0.1, 0.08, 0.07), 0.5))
    for _ in range(8):  # far trunks, fading into the mist
        x = st.pick(b.left, b.right)
        b.rect(x, b.top, x + st.pick(0.008, 0.016), 0.72, mix(trunk, horizon, 0.55), 0.8)
    ground = st.lit(mix(st.wood, (0.12, 0.2, 0.1), 0.6))
    hill = [
        (m.left + (m.right - m.left) * i / 12, 0.74 + 0.012 * math.sin(i * 1.3)) for i in range(13)
    ]
    m.poly_grad(
        [*hill, (m.right, m.bottom), (m.left, m.bottom)],
        shade(ground, 1.2),
        shade(ground, 0.6),
        0.72,
        m.bottom,
    )
    for x, w in ((a * 0.06, 0.08), (a * 0.3, 0.035), (a * 0.7, 0.045), (a * 0.94, 0.09)):
        _tree(st, x + st.pick(-0.03, 0.03), w, shade(trunk, 1.3 - w * 4), m.top, 0.76 + w)
    for _ in range(12):  # grass tufts
        x = st.pick(m.left, m.right)
        for k in range(3):
            m.line(x, 0.8, x + (k - 1) * 0.012, 0.77, 0.003, shade(ground, 1.4))
    m.grad(m.left, 0.6, m.right, 0.95, [WHITE] * 3, alphas=[0.0, 0.2, 0.0])  # the mist
    for _ in range(16):  # the canopy overhead
        x, y = (
            st.pick(m.left, a * 0.3) + (a * 0.7 if st.pick(0, 1) < 0.5 else 0),
            st.pick(m.top, 0.04),
        )
        m.circle(x, y, st.pick(0.05, 0.09), shade(foliage, st.pick(0.45, 0.7)))
    weather(st, m, (m.left, m.top, m.right, m.bottom), 0.5)
    fly = mix(st.lamp, (0.8, 1.0, 0.4), 0.6)
    for painter, count in ((m, 14), (n, 6)) if st.light.lamps > 0 else ():
        for _ in range(count):
            x, y = st.pick(painter.left, painter.right), st.pick(0.3, 0.9)
            if painter is n and abs(x - a / 2) < a * 0.2:
                x += a * 0.45
            painter.glow(x, y, 0.03, fly, 0.8)
            painter.circle(x, y, 0.004, mix(fly, WHITE, 0.6))
    n.poly(
        [(n.left, n.top), (a * 0.1, n.top), (a * 0.06, n.bottom), (n.left, n.bottom)],
        shade(trunk, 0.5),
    )
    fronds(st, n, n.right, n.top + 0.05, 0.35, shade(foliage, 0.6), (190, 260))
    weather(st, n, (n.left, n.top, n.right, n.bottom), 1.0)


def rooftop(st: Stage) -> None:
    """A roof above the city: a wide sky, the skyline, a water tank, an antenna, a railing."""
    b, m, n, a = st.back, st.mid, st.near, st.a
    sky(st, b, b.left, b.top, b.right, 0.66)
    skyline(st, b, b.left, b.right, 0.66, 0.1, 0.3, 0.8)
    skyline(st, b, b.left, b.right, 0.68, 0.05, 0.18, 0.3)
    concrete = st.lit(mix(st.wall, (0.55, 0.55, 0.55), 0.6))
    b.grad(b.left, 0.66, b.right, b.bottom, [shade(concrete, 0.8), concrete])
    for i in range(6):
        y = 0.68 + i * i * 0.012
        b.line(b.left, y, b.right, y, 0.002, shade(concrete, 0.85))
    steel = st.lit(mix(st.wood, (0.45, 0.48, 0.5), 0.5))
    tx = a * (0.86 if st.look.variant % 2 else 0.14)  # the water tank on its legs
    for dx in (-0.06, 0.06):
        m.line(tx + dx, 0.5, tx + dx * 1.2, 0.72, 0.008, shade(steel, 0.7))
    m.line(tx - 0.07, 0.6, tx + 0.07, 0.66, 0.004, shade(steel, 0.7))
    block(m, tx - 0.085, 0.3, tx + 0.085, 0.5, steel, r=0.01)
    m.ellipse(tx - 0.085, 0.285, tx + 0.085, 0.315, shade(steel, 1.2))
    m.poly([(tx - 0.09, 0.3), (tx, 0.25), (tx + 0.09, 0.3)], shade(steel, 0.85))
    for y in (0.36, 0.44):
        m.rect(tx - 0.085, y, tx + 0.085, y + 0.006, shade(steel, 0.6))
    shadow(m, tx - 0.1, tx + 0.1, 0.72)
    ax = a - tx + (a * 0.1 if tx < a / 2 else -a * 0.1)  # the antenna on the other side
    m.line(ax, 0.2, ax, 0.7, 0.005, shade(steel, 0.8))
    for k, w in enumerate((0.06, 0.045, 0.03)):
        m.line(ax - w, 0.25 + k * 0.05, ax + w, 0.25 + k * 0.05, 0.003, shade(steel, 0.8))
    m.circle(ax, 0.2, 0.006, (1.0, 0.2, 0.2) if st.night else shade(steel, 0.8))
    if st.night:
        m.glow(ax, 0.2, 0.03, (1.0, 0.2, 0.2), 0.8)
    block(m, ax - 0.07, 0.66, ax + 0.05, 0.74, st.lit((0.75, 0.76, 0.74)))  # an AC unit
    m.circle(ax - 0.01, 0.7, 0.025, st.lit((0.4, 0.42, 0.44)))
    if st.light.lamps > 0:  # string lights
        bulb = st.lamp_light()
        m.curve([(m.left, 0.12), (a * 0.5, 0.26), (m.right, 0.1)], 0.002, (0.1, 0.1, 0.1))
        for i in range(14):
            t = i / 13
            x = m.left + (m.right - m.left) * t
            y = (1 - t) ** 2 * 0.12 + 2 * (1 - t) * t * 0.26 + t * t * 0.1
            m.glow(x, y + 0.01, 0.025, bulb, 0.7)
            m.circle(x, y + 0.01, 0.005, mix(bulb, WHITE, 0.5))
    weather(st, m, (m.left, m.top, m.right, m.bottom), 0.5)
    rail = st.lit(mix(st.wood, (0.3, 0.32, 0.35), 0.5))
    block(n, n.left, 0.9, n.right, n.bottom, concrete, r=0.0)  # the parapet
    for y in (0.76, 0.83):
        n.rect(n.left, y, n.right, y + 0.012, rail)
    for i in range(10):
        x = n.left + i * 0.08
        n.rect(x, 0.76, x + 0.01, 0.9, shade(rail, 0.8))
    weather(st, n, (n.left, n.top, n.right, n.bottom), 1.0)
