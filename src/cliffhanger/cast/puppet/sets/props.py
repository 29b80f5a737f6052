"""Pieces several sets share: skies, skylines, windows, floors, furniture blocks, leaves,
bokeh and weather."""

from __future__ import annotations

import math

import skia

from cliffhanger.cast.puppet.sets.paint import RGB, WHITE, Painter, mix, rgb, shade
from cliffhanger.cast.puppet.sets.stage import Stage

WINDOW_LIGHT: RGB = (1.0, 0.82, 0.5)  # a lit window in a far building


def sky(st: Stage, p: Painter, x0: float, y0: float, x1: float, y1: float) -> None:
    """The sky of the time of day in a rectangle, with its sun or moon and stars."""
    top, middle, horizon = st.sky()
    p.grad(x0, y0, x1, y1, [top, middle, horizon], stops=[0.0, 0.55, 1.0])
    p.clip(x0, y0, x1, y1)
    if st.light.stars:
        for _ in range(int(60 * (x1 - x0) * (y1 - y0)) + 6):
            x, y = st.pick(x0, x1), st.pick(y0, y0 + (y1 - y0) * 0.6)
            p.circle(x, y, st.pick(0.0008, 0.0022), WHITE, st.pick(0.4, 0.9))
    if st.light.sun is not None:
        cx, cy = st.pick(x0 + 0.25 * (x1 - x0), x1 - 0.2 * (x1 - x0)), y0 + 0.22 * (y1 - y0)
        disc = rgb(st.light.sun)
        p.glow(cx, cy, 0.16, disc, 0.5)
        p.circle(cx, cy, 0.035 if st.night else 0.045, disc)
        if st.night:  # a crescent: the sky bites the moon
            p.circle(cx + 0.014, cy - 0.008, 0.03, mix(top, middle, 0.4))
    p.restore()


def skyline(
    st: Stage, p: Painter, x0: float, x1: float, base: float, lo: float, hi: float, far: float
) -> None:
    """A row of city towers standing on ``base``, each ``lo``..``hi`` tall; ``far`` (0..1)
    fades them into the haze. Windows light up at night."""
    _, middle, horizon = st.sky()
    body = mix(st.lit((0.28, 0.33, 0.42)), horizon, 0.25 + 0.5 * far)
    if st.night:
        body = mix((0.06, 0.08, 0.16), middle, 0.5 * far)
    x = x0 - st.pick(0.0, 0.05)
    while x < x1:
        w = st.pick(0.04, 0.11)
        top = base - st.pick(lo, hi)
        p.rect(x, top, x + w, base, body)
        p.rect(x + w * 0.7, top, x + w, base, shade(body, 0.85))  # the shaded side
        if st.pick(0, 1) < 0.3:  # a spire or a stepped crown
            p.rect(x + w * 0.3, top - 0.025, x + w * 0.7, top, body)
        if st.night or far < 0.5:
            lit = st.night
            step = 0.014 + 0.006 * far
            yy = top + step
            while yy < base - step:
                xx = x + step * 0.5
                while xx < x + w - step * 0.6:
                    on = lit and st.pick(0, 1) < 0.45
                    colour = WINDOW_LIGHT if on else mix(body, horizon, 0.35)
                    p.rect(xx, yy, xx + step * 0.5, yy + step * 0.55, colour, 0.9 if on else 0.5)
                    xx += step
                yy += step
        x += w + st.pick(0.0, 0.02)


def window_view(st: Stage, p: Painter, x0: float, y0: float, x1: float, y1: float) -> None:
    """What a window shows: the sky, a far skyline and the weather."""
    sky(st, p, x0, y0, x1, y1)
    p.clip(x0, y0, x1, y1)
    h = y1 - y0
    skyline(st, p, x0, x1, y1, h * 0.25, h * 0.5, 0.8)
    skyline(st, p, x0, x1, y1, h * 0.1, h * 0.3, 0.3)
    weather(st, p, (x0, y0, x1, y1), 0.5)
    p.restore()


def window_frame(
    st: Stage, p: Painter, x0: float, y0: float, x1: float, y1: float, panes: int, color: RGB
) -> None:
    """Mullions and a frame over a window opening, with a glint on the glass."""
    w = 0.008
    p.frame(x0, y0, x1, y1, w * 1.6, color)
    for i in range(1, panes):
        x = x0 + (x1 - x0) * i / panes
        p.rect(x - w / 2, y0, x + w / 2, y1, color)
    p.poly(
        [
            (x0 + (x1 - x0) * 0.15, y0),
            (x0 + (x1 - x0) * 0.35, y0),
            (x0, y0 + (y1 - y0) * 0.5),
            (x0, y0 + (y1 - y0) * 0.3),
        ],
        WHITE,
        0.12 if not st.night else 0.05,
    )


def floor(st: Stage, p: Painter, y: float, color: RGB, boards: int = 9, vx: float = -1) -> None:
    """A floor from ``y`` down, with boards running to a vanishing point at ``vx``."""
    vx = st.a / 2 if vx < 0 else vx
    p.grad(p.left, y, p.right, p.bottom, [shade(color, 0.85), color, shade(color, 1.1)])
    line = shade(color, 0.78)
    for i in range(boards + 1):
        x = p.left + (p.right - p.left) * i / boards
        p.line(vx + (x - vx) * 0.35, y, x + (x - vx) * 1.5, p.bottom, 0.002, line, 0.6)
    p.rect(p.left, y - 0.004, p.right, y + 0.004, shade(color, 0.6))  # the skirting board


def block(p: Painter, x0: float, y0: float, x1: float, y1: float, c: RGB, r: float = 0.006) -> None:
    """A piece of furniture's face, cel-shaded: lit top edge, body, darker foot."""
    p.grad(x0, y0, x1, y1, [shade(c, 1.25), c, shade(c, 0.72)], stops=[0.0, 0.12, 1.0], r=r)


def shadow(p: Painter, x0: float, x1: float, y: float, alpha: float = 0.35) -> None:
    """A soft contact shadow on the floor under something standing at ``y``."""
    p.ellipse(x0, y - 0.012, x1, y + 0.012, (0.0, 0.0, 0.0), alpha, blur=0.008)


def leaf(p: Painter, base: tuple[float, float], tip: tuple[float, float], w: float, c: RGB) -> None:
    """One pointed leaf from ``base`` to ``tip``, ``w`` wide, with a lighter vein."""
    (bx, by), (tx, ty) = base, tip
    nx, ny = -(ty - by), tx - bx
    n = math.hypot(nx, ny) or 1.0
    nx, ny = nx / n * w, ny / n * w
    mx, my = (bx + tx) / 2, (by + ty) / 2
    path = skia.Path()
    path.moveTo(bx, by)
    path.quadTo(mx + nx, my + ny, tx, ty)
    path.quadTo(mx - nx, my - ny, bx, by)
    p.path(path, c)
    p.line(bx, by, tx, ty, w * 0.08, shade(c, 1.35), 0.6)


def fronds(
    st: Stage, p: Painter, x: float, y: float, size: float, c: RGB, spread: tuple[float, float]
) -> None:
    """A spray of leaves from ``(x, y)``, fanning over the angles in ``spread`` (degrees)."""
    for i in range(9):
        ang = math.radians(st.pick(*spread))
        ln = size * st.pick(0.55, 1.0)
        tip = (x + math.cos(ang) * ln, y - math.sin(ang) * ln)
        leaf(p, (x, y), tip, ln * 0.22, shade(c, 0.75 + 0.08 * (i % 4)))


def bokeh(
    st: Stage,
    p: Painter,
    region: tuple[float, float, float, float],
    n: int,
    colours: list[RGB],
    size: tuple[float, float] = (0.015, 0.045),
    alpha: float = 0.35,
) -> None:
    """Out-of-focus light discs scattered over ``region`` (x0, y0, x1, y1)."""
    x0, y0, x1, y1 = region
    for i in range(n):
        c = colours[i % len(colours)]
        r = st.pick(*size)
        x, y = st.pick(x0, x1), st.pick(y0, y1)
        p.circle(x, y, r, c, alpha * st.pick(0.5, 1.0))
        p.circle(x, y, r, mix(c, WHITE, 0.4), alpha * 0.4, blur=r * 0.2)


def weather(
    st: Stage, p: Painter, region: tuple[float, float, float, float], strength: float
) -> None:
    """Rain streaks or snowflakes over ``region``; ``strength`` 1 = a foreground downpour."""
    x0, y0, x1, y1 = region
    area = (x1 - x0) * (y1 - y0)
    if st.look.weather == "rain":
        tint = (0.8, 0.86, 0.95)
        for _ in range(int(500 * area * strength) + 4):
            x, y = st.pick(x0, x1), st.pick(y0, y1)
            ln = st.pick(0.03, 0.09) * strength
            p.line(x, y, x - ln * 0.12, y + ln, 0.0012 + 0.0016 * strength, tint, st.pick(0.2, 0.5))
    elif st.look.weather == "snow":
        for _ in range(int(260 * area * strength) + 4):
            r = st.pick(0.0015, 0.004) * (0.5 + strength)
            p.circle(st.pick(x0, x1), st.pick(y0, y1), r, WHITE, st.pick(0.5, 0.95))
    elif st.look.weather == "fog":
        p.grad(x0, y0, x1, y1, [WHITE, WHITE], alphas=[0.05, 0.35 * strength + 0.05])
