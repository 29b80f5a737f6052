"""The face: its shape and cel shading, ears, eyes, brows, nose, the eight expressions and the
six lip-sync mouths.

Everything is drawn in head units through a :class:`~.ink.Turn`, so the same code draws the
front and both three-quarter views. An expression is a row of numbers (:data:`EXPRESSION`)
that bends the brows, opens or narrows the eyes and lifts or drops the mouth's corners; the
mouth shape (:func:`draw_mouth`) then opens the lips on top of that curve, always inside
:func:`mouth_box`, so swapping mouths for lip-sync touches nothing else.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import skia

from cliffhanger.cast.puppet.ink import (
    RGB,
    Point,
    Turn,
    fill,
    ink_of,
    light,
    mirror,
    mix,
    shade,
    spline,
    stroke,
    symmetric,
)


@dataclass(frozen=True)
class Mood:
    """How an expression sets the face. Brow and lid numbers are in head units (y down)."""

    brow_inner: float = 0.0  # + lowers the inner end (anger), − raises it (worry)
    brow_outer: float = 0.0
    brow_lift: float = 0.0  # + raises both
    open: float = 1.0  # how far the eyes open
    lid_tilt: float = 0.0  # + drops the upper lid toward the nose (glare)
    squint: float = 0.0  # raises the lower lid (smiling eyes)
    iris: float = 1.0
    curve: float = 0.0  # + lifts the mouth's corners
    smirk: float = 0.0  # lifts one corner only
    gape: float = 0.0  # opens the resting mouth (a gasp)
    blush: float = 0.0
    tears: bool = False
    sweat: bool = False
    tilt: float = 0.0  # degrees the head rolls: + dips it forward (toward where it faces)


EXPRESSION: dict[str, Mood] = {  # strong enough to read on a phone, as the genre plays them
    "neutral": Mood(),
    "happy": Mood(brow_lift=0.05, open=0.72, squint=0.5, curve=0.16, blush=0.6, tilt=3),
    "smug": Mood(brow_inner=0.03, brow_outer=-0.1, open=0.58, lid_tilt=-0.03, smirk=0.16, tilt=-4),
    "angry": Mood(brow_inner=0.19, brow_outer=-0.07, open=0.92, lid_tilt=0.12, curve=-0.1, tilt=2),
    "sad": Mood(brow_inner=-0.16, brow_outer=0.06, open=0.7, lid_tilt=-0.08, curve=-0.1, tilt=5),
    "crying": Mood(
        brow_inner=-0.18,
        brow_outer=0.07,
        open=0.5,
        lid_tilt=-0.08,
        squint=0.3,
        curve=-0.13,
        blush=0.6,
        tears=True,
        tilt=7,
    ),
    "shocked": Mood(brow_lift=0.12, open=1.4, iris=0.7, gape=1.3, sweat=True, tilt=-3),
    "determined": Mood(brow_inner=0.12, brow_outer=-0.04, open=0.74, lid_tilt=0.07, curve=-0.04),
}


@dataclass(frozen=True)
class Features:
    """The face's fixed proportions, from gender presentation, age and face shape."""

    fem: float  # 0 masculine … 1 feminine
    age: int
    shape: str
    skin: RGB
    eyes: RGB
    brows: RGB
    lips: RGB | None

    @property
    def child(self) -> bool:
        return self.age < 13

    @property
    def eye_w(self) -> float:
        return 0.25 + 0.02 * self.fem + (0.03 if self.child else 0.0)

    @property
    def eye_h(self) -> float:
        return (
            0.15 + 0.05 * self.fem + (0.04 if self.child else 0.0) - (0.02 if self.age > 60 else 0)
        )

    @property
    def eye_v(self) -> float:
        return 0.08 if self.child else 0.0

    @property
    def mouth_v(self) -> float:
        return 0.84 if not self.child else 0.78

    @property
    def mouth_w(self) -> float:
        return 0.38 - 0.05 * self.fem - (0.05 if self.child else 0.0)


def outline(f: Features) -> list[Point]:
    """The face's right half, top (hairline) to chin, in head units; see :func:`symmetric`."""
    jaw = {"oval": 0.84, "round": 0.93, "long": 0.8, "square": 0.95, "heart": 0.74}[f.shape]
    chin = {"oval": 1.34, "round": 1.22, "long": 1.46, "square": 1.3, "heart": 1.36}[f.shape]
    jaw -= 0.06 * f.fem
    chin_w = (0.2 if f.shape == "square" else 0.34) - 0.06 * f.fem
    if f.child:
        jaw, chin = jaw + 0.08, chin - 0.12
    return [
        (0.0, -1.28),
        (0.7, -1.1),
        (0.98, -0.55),
        (1.0, 0.1),
        (jaw, 0.74),
        (chin_w + 0.16, chin - 0.1),
        (0.0, chin),
    ]


def face_path(t: Turn, f: Features) -> skia.Path:
    return spline(t.pts(symmetric(outline(f))))


def draw_face(c: skia.Canvas, t: Turn, f: Features) -> skia.Path:
    """Skin with its cel shadow (light from the upper left) and the jaw's line."""
    path = face_path(t, f)
    c.save()
    c.clipPath(path, doAntiAlias=True)
    c.drawPath(path, fill(shade(f.skin, 0.86)))
    lit = skia.Path(path)
    lit.offset(-0.22 * t.r, -0.1 * t.r)
    c.drawPath(lit, fill(f.skin))
    c.restore()
    c.drawPath(path, stroke(ink_of(shade(f.skin)), 0.028 * t.r))
    return path


def draw_ears(c: skia.Canvas, t: Turn, f: Features) -> None:
    for side in (-1, 1):
        u = side * 0.99
        if not t.visible(u * 0.97):
            continue
        k = max(0.6, 1.4 - t.scale_x(u))  # edge-on ears show more
        x = t.x(u)
        w = 0.16 * k * t.r * side
        ear = spline(
            [
                (x, t.cy - 0.12 * t.r),
                (x + w, t.cy - 0.16 * t.r),
                (x + w * 1.1, t.cy + 0.14 * t.r),
                (x + w * 0.2, t.cy + 0.4 * t.r),
            ],
            closed=True,
        )
        c.drawPath(ear, fill(shade(f.skin, 0.9)))
        c.drawPath(ear, stroke(ink_of(shade(f.skin)), 0.024 * t.r))


def _eye_corners(t: Turn, f: Features, side: int, m: Mood) -> tuple[Point, Point, float, float]:
    cu = side * 0.43
    inner_u, outer_u = cu - side * f.eye_w, cu + side * f.eye_w
    v = f.eye_v
    inner = t.p(inner_u, v + 0.02)
    outer = t.p(outer_u, v - 0.02 * f.fem - 0.01)
    top = f.eye_h * m.open
    return inner, outer, top, cu


def draw_eye(
    c: skia.Canvas, t: Turn, f: Features, m: Mood, side: int, *, blink: bool, yaw_look: float
) -> None:
    inner, outer, top, cu = _eye_corners(t, f, side, m)
    if not t.visible(cu + side * f.eye_w * 0.6):
        return
    mid_x = t.x(cu)
    v = f.eye_v
    lw = 0.05 * t.r * (0.8 + 0.35 * f.fem)
    lash = ink_of((0.25, 0.16, 0.15))
    if blink:
        dip = (0.07 if m.squint < 0.3 else -0.05) * t.r
        lid = spline([inner, (mid_x, t.cy + v * t.r + dip), outer], closed=False)
        c.drawPath(lid, stroke(lash, lw))
        return
    tilt_in = m.lid_tilt * t.r
    up_in = (inner[0] * 0.55 + mid_x * 0.45, t.cy + (v - top * 0.85) * t.r + tilt_in)
    up_mid = (mid_x + side * 0.04 * t.r, t.cy + (v - top) * t.r + tilt_in * 0.35)
    up_out = (outer[0] * 0.6 + mid_x * 0.4, t.cy + (v - top * 0.8) * t.r - tilt_in * 0.25)
    low = top * 0.55 * (1 - m.squint)
    lo_mid = (mid_x, t.cy + (v + low) * t.r)
    upper = [inner, up_in, up_mid, up_out, outer]
    shape = spline(
        [
            *upper,
            (outer[0] * 0.5 + mid_x * 0.5, t.cy + (v + low * 0.8) * t.r),
            lo_mid,
            (inner[0] * 0.6 + mid_x * 0.4, t.cy + (v + low * 0.7) * t.r),
        ]
    )
    c.drawPath(shape, fill((0.99, 0.97, 0.95)))
    c.save()
    c.clipPath(shape, doAntiAlias=True)
    sx = t.scale_x(cu)
    ir = f.eye_h * 0.92 * m.iris * t.r
    ix = mid_x + yaw_look * 0.12 * t.r
    iy = t.cy + (v - top * 0.08) * t.r
    iris = skia.Rect.MakeXYWH(ix - ir * 0.82 * sx, iy - ir, ir * 1.64 * sx, ir * 2.05)
    paint = fill(f.eyes)
    paint.setShader(
        skia.GradientShader.MakeLinear(
            [skia.Point(ix, iy - ir), skia.Point(ix, iy + ir)],
            [fill(shade(f.eyes, 0.55)).getColor(), fill(light(f.eyes, 0.25)).getColor()],
        )
    )
    c.drawOval(iris, paint)
    c.drawOval(iris, stroke(shade(f.eyes, 0.45), 0.02 * t.r))
    pr = ir * 0.42
    c.drawOval(
        skia.Rect.MakeXYWH(ix - pr * sx, iy - pr * 1.1, pr * 2 * sx, pr * 2.2),
        fill((0.1, 0.06, 0.07)),
    )
    c.drawCircle(ix - ir * 0.35 * sx, iy - ir * 0.45, ir * 0.26, fill((1, 1, 1)))
    c.drawCircle(ix + ir * 0.3 * sx, iy + ir * 0.35, ir * 0.12, fill((1, 1, 1), 0.85))
    lid_shadow = spline([*upper, (up_mid[0], up_mid[1] + 0.06 * t.r)], closed=True)
    c.drawPath(lid_shadow, fill(shade(f.skin, 0.7), 0.35))
    c.restore()
    c.drawPath(spline(upper, closed=False), stroke(lash, lw))
    flick = (outer[0] + side * 0.05 * t.r, outer[1] - 0.045 * t.r * (0.5 + f.fem))
    c.drawPath(spline([up_out, outer, flick], closed=False), stroke(lash, lw * 0.8))
    crease = [(p[0], p[1] - 0.07 * t.r) for p in upper[1:4]]
    c.drawPath(spline(crease, closed=False), stroke(ink_of(shade(f.skin)), 0.014 * t.r, 0.7))
    lower = [
        (inner[0] * 0.4 + mid_x * 0.6, lo_mid[1] - 0.01 * t.r),
        lo_mid,
        (outer[0] * 0.7 + mid_x * 0.3, lo_mid[1] - 0.02 * t.r),
    ]
    c.drawPath(spline(lower, closed=False), stroke(ink_of(shade(f.skin)), 0.016 * t.r, 0.6))


def draw_brows(c: skia.Canvas, t: Turn, f: Features, m: Mood) -> None:
    thick = (0.055 - 0.02 * f.fem) * t.r
    for side in (-1, 1):
        cu = side * 0.43
        if not t.visible(cu + side * 0.2):
            continue
        v = f.eye_v - 0.33 - m.brow_lift - (f.eye_h - 0.14)
        outer_drop = m.brow_outer + (m.smirk * -0.6 if side > 0 else 0.0)
        inner = t.p(cu - side * 0.25, v + 0.02 + m.brow_inner)
        peak = t.p(cu + side * 0.03, v - 0.05 + (m.brow_inner + outer_drop) * 0.4)
        outer = t.p(cu + side * 0.3, v + 0.03 + outer_drop)
        top = [inner, peak, outer]
        bottom = [
            (outer[0], outer[1] + thick * 0.2),
            (peak[0], peak[1] + thick),
            (inner[0], inner[1] + thick * 1.1),
        ]
        c.drawPath(spline(top + bottom), fill(f.brows))


def draw_nose(c: skia.Canvas, t: Turn, f: Features) -> None:
    v = 0.5 if not f.child else 0.42
    tip = t.p(0.0, v)
    side = -1 if t.yaw < 0 else 1
    bridge = t.p(0.07 * side, v - 0.3)
    shadow_ink = ink_of(shade(f.skin))
    if abs(t.yaw) > 0.05:
        c.drawPath(
            spline([bridge, t.p(-0.02 * side, v - 0.05), tip], closed=False),
            stroke(shadow_ink, 0.02 * t.r, 0.8),
        )
    c.drawPath(
        spline([t.p(-0.08, v + 0.03), t.p(0.0, v + 0.06), t.p(0.08, v + 0.03)], closed=False),
        stroke(shadow_ink, 0.022 * t.r, 0.85),
    )
    c.drawCircle(
        tip[0] - 0.02 * t.r, tip[1] - 0.04 * t.r, 0.025 * t.r, fill(light(f.skin, 0.5), 0.7)
    )


def draw_cheeks(c: skia.Canvas, t: Turn, f: Features, m: Mood) -> None:
    blush = m.blush + 0.2 * f.fem
    if blush <= 0:
        return
    tone = mix(f.skin, (0.95, 0.45, 0.45), 0.6)
    for side in (-1, 1):
        u = side * 0.55
        if not t.visible(u):
            continue
        x, y = t.p(u, f.eye_v + 0.32)
        paint = fill(tone, 0.35 * blush)
        paint.setMaskFilter(skia.MaskFilter.MakeBlur(skia.kNormal_BlurStyle, 0.07 * t.r))
        c.drawOval(
            skia.Rect.MakeXYWH(
                x - 0.16 * t.r * t.scale_x(u), y - 0.07 * t.r, 0.32 * t.r * t.scale_x(u), 0.14 * t.r
            ),
            paint,
        )


def draw_age(c: skia.Canvas, t: Turn, f: Features) -> None:
    """Lines that say a face has lived: smile folds from 40, crow's feet and forehead at 55."""
    ink = ink_of(shade(f.skin))
    if f.age >= 40:
        a = min(1.0, (f.age - 35) / 30)
        for side in (-1, 1):
            if t.visible(side * 0.3):
                fold = [t.p(side * 0.16, 0.5), t.p(side * 0.3, 0.68), t.p(side * 0.33, 0.86)]
                c.drawPath(spline(fold, closed=False), stroke(ink, 0.018 * t.r, 0.35 + 0.35 * a))
    if f.age >= 55:
        for side in (-1, 1):
            if t.visible(side * 0.75):
                for dv in (-0.05, 0.04):
                    crow = [t.p(side * 0.72, f.eye_v + dv), t.p(side * 0.82, f.eye_v + dv * 1.6)]
                    c.drawPath(spline(crow, closed=False), stroke(ink, 0.013 * t.r, 0.5))
        for dv in (0.0, 0.09):
            line = [t.p(-0.3, -0.68 + dv), t.p(0.0, -0.71 + dv), t.p(0.3, -0.68 + dv)]
            c.drawPath(spline(line, closed=False), stroke(ink, 0.012 * t.r, 0.35))


def draw_tears(c: skia.Canvas, t: Turn, f: Features, m: Mood) -> None:
    if not m.tears:
        return
    water = (0.62, 0.84, 1.0)
    for side in (-1, 1):
        u = side * 0.47
        if not t.visible(u):
            continue
        y0 = f.eye_v + f.eye_h * 0.5
        stream = [
            t.p(u - side * 0.02, y0),
            t.p(u + side * 0.03, y0 + 0.35),
            t.p(u + side * 0.02, y0 + 0.62),
        ]
        c.drawPath(spline(stream, closed=False), stroke(water, 0.06 * t.r, 0.75))
        c.drawPath(spline(stream, closed=False), stroke(light(water, 0.6), 0.02 * t.r, 0.9))
        x, y = stream[-1]
        drop = spline(
            [
                (x, y - 0.03 * t.r),
                (x + 0.035 * t.r, y + 0.05 * t.r),
                (x, y + 0.08 * t.r),
                (x - 0.035 * t.r, y + 0.05 * t.r),
            ]
        )
        c.drawPath(drop, fill(water, 0.85))


def draw_sweat(c: skia.Canvas, t: Turn, m: Mood) -> None:
    if not m.sweat:
        return
    u = 0.78 if t.yaw <= 0 else -0.78
    x, y = t.p(u, -0.62)
    drop = spline(
        [
            (x, y - 0.12 * t.r),
            (x + 0.06 * t.r, y + 0.03 * t.r),
            (x, y + 0.08 * t.r),
            (x - 0.06 * t.r, y + 0.03 * t.r),
        ]
    )
    c.drawPath(drop, fill((0.72, 0.9, 1.0), 0.9))
    c.drawPath(drop, stroke((0.35, 0.6, 0.8), 0.015 * t.r))


def draw_facial_hair(
    c: skia.Canvas, t: Turn, f: Features, kinds: tuple[str, ...], hair: RGB
) -> None:
    mv = f.mouth_v
    if "stubble" in kinds or "beard" in kinds:
        chin = outline(f)[-1][1]
        jaw = [(1.0, 0.1), (0.92, 0.72), (0.5, chin - 0.05), (0.0, chin + 0.08)]
        inner = [(0.8, 0.15), (0.5, mv - 0.05), (0.3, mv + 0.12), (0.0, mv + 0.2)]
        ring = jaw + mirror(jaw)[1:] + [(-u, v) for u, v in inner] + inner[::-1][1:]
        region = spline(t.pts(ring))
        c.save()
        c.clipPath(face_path(t, f), doAntiAlias=True)
        if "stubble" in kinds:
            c.drawPath(region, fill(mix(shade(f.skin, 0.75), hair, 0.5), 0.28))
        else:
            c.drawPath(region, fill(hair))
        c.restore()
    if "mustache" in kinds or "beard" in kinds:
        w = f.mouth_w * 1.05
        top = [
            t.p(-w, mv - 0.04),
            t.p(-w * 0.4, mv - 0.16),
            t.p(0, mv - 0.13),
            t.p(w * 0.4, mv - 0.16),
            t.p(w, mv - 0.04),
        ]
        under = [t.p(w * 0.6, mv - 0.07), t.p(0, mv - 0.08), t.p(-w * 0.6, mv - 0.07)]
        c.drawPath(spline(top + under), fill(hair))


def mouth_box(t: Turn, f: Features) -> tuple[float, float, float, float]:
    """The region every mouth shape and expression stays inside (screen units)."""
    w = f.mouth_w * 1.5
    y0, y1 = f.mouth_v - 0.2, f.mouth_v + 0.32
    xs = [t.x(-w), t.x(w), t.x(0)]
    return min(xs), t.cy + y0 * t.r, max(xs), t.cy + y1 * t.r


_MOUTH_OPEN = {  # width scale, open height (head units), teeth: upper band, lower lip over teeth
    "rest": (1.0, 0.0, False),
    "mbp": (0.86, 0.0, False),
    "a": (0.95, 0.3, True),
    "ei": (1.1, 0.13, True),
    "ou": (0.6, 0.22, False),
    "fv": (0.95, 0.075, True),
}


def draw_mouth(c: skia.Canvas, t: Turn, f: Features, m: Mood, shape: str) -> None:
    box = mouth_box(t, f)
    c.save()
    c.clipRect(skia.Rect.MakeLTRB(*box), doAntiAlias=True)
    _mouth(c, t, f, m, shape)
    c.restore()


def _mouth(c: skia.Canvas, t: Turn, f: Features, m: Mood, shape: str) -> None:
    wk, open_h, teeth = _MOUTH_OPEN[shape]
    if shape == "rest" and m.gape:
        wk, open_h = 0.5, 0.1 * m.gape
    w = f.mouth_w * wk
    mv = f.mouth_v
    lift = m.curve * (0.4 if open_h else 1.0)
    left_lift, right_lift = lift + m.smirk * 0.2, lift + m.smirk
    if shape == "ou":
        left_lift = right_lift = 0.0
    lc = t.p(-w, mv - left_lift)
    rc = t.p(w, mv - right_lift)
    mid_top = t.p(0.0, mv - open_h * 0.35 - 0.005)
    ink = ink_of(mix(f.skin, (0.55, 0.2, 0.2), 0.5))
    lw = 0.026 * t.r
    lip = f.lips or mix(shade(f.skin, 0.82), (0.8, 0.35, 0.35), 0.35 + 0.25 * f.fem)
    if open_h <= 0.0:
        # A smile is a U (the inner lips lift too, less than the corners); a frown a ∩.
        base = mv + (0.012 if shape == "mbp" else 0.0)
        inner, centre = base - lift * 0.3 + m.smirk * -0.04, base + lift * 0.12 + 0.008
        line = spline(
            [lc, t.p(-w * 0.5, inner), t.p(0.0, centre), t.p(w * 0.5, inner - m.smirk * 0.08), rc],
            closed=False,
        )
        if f.lips is not None or f.fem > 0.5:
            lower = spline(
                [
                    t.p(-w * 0.7, mv + 0.02),
                    t.p(0, mv + 0.085),
                    t.p(w * 0.7, mv + 0.02),
                    t.p(0, mv + 0.03),
                ]
            )
            c.drawPath(lower, fill(lip, 0.8))
        else:
            c.drawPath(
                spline(
                    [t.p(-w * 0.35, mv + 0.08), t.p(0, mv + 0.095), t.p(w * 0.35, mv + 0.08)],
                    closed=False,
                ),
                stroke(shade(f.skin, 0.8), lw * 0.9, 0.6),
            )
        c.drawPath(line, stroke(ink, lw * (1.25 if shape == "mbp" else 1.0)))
        return
    bottom_y = mv + open_h * 0.65 - lift * 0.2
    outline_pts = [
        lc,
        mid_top,
        rc,
        t.p(w * 0.55, bottom_y - open_h * 0.1),
        t.p(0.0, bottom_y),
        t.p(-w * 0.55, bottom_y - open_h * 0.1),
    ]
    if shape == "ou":
        outline_pts = [
            lc,
            t.p(-w * 0.6, mv - open_h * 0.45),
            mid_top,
            t.p(w * 0.6, mv - open_h * 0.45),
            rc,
            t.p(w * 0.6, bottom_y),
            t.p(0, bottom_y + 0.02),
            t.p(-w * 0.6, bottom_y),
        ]
    hole = spline(outline_pts)
    c.drawPath(hole, fill((0.36, 0.1, 0.13)))
    c.save()
    c.clipPath(hole, doAntiAlias=True)
    tongue_y = t.cy + bottom_y * t.r
    c.drawOval(
        skia.Rect.MakeLTRB(
            t.x(-w * 0.6),
            tongue_y - open_h * 0.45 * t.r,
            t.x(w * 0.6),
            tongue_y + open_h * 0.4 * t.r,
        ),
        fill((0.85, 0.42, 0.45)),
    )
    if teeth:
        top_y = t.cy + (mv - open_h * 0.35) * t.r
        band = 0.045 * t.r if shape != "fv" else 0.08 * t.r
        c.drawRect(
            skia.Rect.MakeLTRB(t.x(-w), top_y - 0.05 * t.r, t.x(w), top_y + band),
            fill((0.98, 0.97, 0.95)),
        )
    c.restore()
    if shape == "fv":
        under = spline(
            [t.p(-w * 0.8, mv + 0.02), t.p(0, mv + 0.07), t.p(w * 0.8, mv + 0.02), t.p(0, mv + 0.1)]
        )
        c.drawPath(under, fill(lip))
    c.drawPath(hole, stroke(ink, lw))
    if f.lips is not None or f.fem > 0.5:
        lower = [
            t.p(-w * 0.5, bottom_y + 0.02),
            t.p(0, bottom_y + 0.055),
            t.p(w * 0.5, bottom_y + 0.02),
        ]
        c.drawPath(spline(lower, closed=False), stroke(lip, 0.03 * t.r, 0.8))


def yaw_for(angle: str) -> float:
    return {"front": 0.0, "left": -0.5, "right": 0.5}[angle]


def gaze(angle: str) -> float:
    return math.copysign(1.0, yaw_for(angle)) if angle != "front" else 0.0
