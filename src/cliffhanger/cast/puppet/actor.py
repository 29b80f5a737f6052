"""The puppet actor: one character's look drawn as a half-body portrait in any pose.

A sprite is laid out on a 800 × 1000 unit page (4:5, the medium close-up of a vertical
frame) and scaled to the requested height, so every size is a fresh vector drawing, never a
resampled bitmap. Layers go back to front: hair behind, body and outfit, ears and face,
features, the hair's cap, head accessories, and last the mouth, clipped to its own box.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import skia

from cliffhanger.cast.base import Box, Pose, Sprite, unpremultiply
from cliffhanger.cast.puppet import face as fc
from cliffhanger.cast.puppet import hair as hr
from cliffhanger.cast.puppet.ink import (
    RGB,
    Turn,
    fill,
    ink_of,
    light,
    mix,
    polygon,
    rgb,
    shade,
    spline,
    stroke,
)
from cliffhanger.cast.puppet.wardrobe import Body, draw_body_accessories, draw_outfit
from cliffhanger.model.bible import Appearance
from cliffhanger.model.look import Look

PAGE_W, PAGE_H = 800.0, 1000.0
HEAD_X, HEAD_Y, HEAD_R = 400.0, 330.0, 128.0
ASPECT = PAGE_W / PAGE_H

_SPAN = {"slim": 1.78, "average": 1.95, "athletic": 2.1, "broad": 2.25, "heavy": 2.3}


@dataclass(frozen=True)
class PuppetActor:
    """Draws one character; picklable, cheap, deterministic."""

    id: str
    look: Look
    age: int
    gender: str

    @classmethod
    def of(cls, character_id: str, appearance: Appearance, look: Look) -> PuppetActor:
        return cls(character_id, look, appearance.age, appearance.gender)

    @property
    def fem(self) -> float:
        return {"female": 1.0, "male": 0.0}.get(self.gender, 0.5)

    def features(self) -> fc.Features:
        lk = self.look
        skin = rgb(lk.skin)
        hair = rgb(lk.hair)
        return fc.Features(
            fem=self.fem,
            age=self.age,
            shape=lk.face,
            skin=skin,
            eyes=rgb(lk.eyes),
            brows=mix(shade(hair, 0.8), (0.2, 0.14, 0.12), 0.25),
            lips=rgb(lk.lips) if lk.lips else None,
        )

    def draw(self, pose: Pose, height: int) -> Sprite:
        if height < 16:
            raise ValueError(f"sprite height {height} px is too small (16 px or more)")
        width = round(height * ASPECT)
        pixels = np.zeros((height, width, 4), np.uint8)
        canvas = skia.Canvas(
            pixels, colorType=skia.kRGBA_8888_ColorType, alphaType=skia.kPremul_AlphaType
        )
        face, mouth = self.paint(canvas, pose, height)
        canvas.flush()
        del canvas
        return Sprite(unpremultiply(pixels), face, mouth)

    def paint(self, canvas: skia.Canvas, pose: Pose, height: int) -> tuple[Box, Box]:
        """Draw the pose straight onto ``canvas`` with the sprite's top-left at the canvas's
        origin, ``height`` pixels tall; returns the face and mouth boxes in sprite pixels.

        The renderer paints actors this way, into the frame's own plate: only what the
        camera sees is rasterized, so a close-up costs no more than a medium."""
        width = round(height * ASPECT)
        k = height / PAGE_H
        canvas.save()
        canvas.scale(k, k)
        mouth, head = self._paint(canvas, pose)
        canvas.restore()
        return _box(head, k, width, height), _box(mouth, k, width, height)

    def _paint(
        self, c: skia.Canvas, pose: Pose
    ) -> tuple[tuple[float, float, float, float], tuple[float, float, float, float]]:
        lk = self.look
        f = self.features()
        hair, skin = rgb(lk.hair), f.skin
        yaw = fc.yaw_for(pose.angle)
        scale = lk.height if self.age >= 13 else 0.9
        cy = HEAD_Y + (1.0 - scale) * 180
        t = Turn(HEAD_X, cy, HEAD_R * (1.0 if self.age >= 13 else 1.08), yaw)
        span = _SPAN[lk.build] * (1 - 0.14 * self.fem) * (0.78 if self.age < 13 else 1.0)
        body = Body(t, span, yaw * 0.45, 0.36 + 0.08 * (1 - self.fem))
        mood = fc.EXPRESSION[pose.expression]
        acc = lk.accessories
        main, accent = rgb(lk.colors[0]), rgb(lk.colors[1])
        streak = rgb(lk.streak) if lk.streak else None

        # The head rolls about the neck with the mood (sad dips, smug lifts the chin); the
        # three-quarter views dip toward where they face, so left and right stay mirrors.
        roll = mood.tilt * (-1.0 if pose.angle == "left" else 1.0)
        pivot = (t.cx, t.cy + 1.5 * t.r)
        c.save()
        c.rotate(roll, *pivot)
        hr.draw_back(c, t, lk.hair_style, hair)
        c.restore()
        draw_outfit(c, body, lk.outfit, main, accent, skin, acc)
        draw_body_accessories(c, body, acc, main, accent)
        c.save()
        c.rotate(roll, *pivot)
        fc.draw_ears(c, t, f)
        fc.draw_face(c, t, f)
        fc.draw_age(c, t, f)
        fc.draw_cheeks(c, t, f, mood)
        fc.draw_facial_hair(c, t, f, acc, shade(hair, 0.9))
        fc.draw_nose(c, t, f)
        look_dir = fc.gaze(pose.angle)
        for side in (-1, 1):
            fc.draw_eye(c, t, f, mood, side, blink=pose.blink, yaw_look=look_dir)
        fc.draw_brows(c, t, f, mood)
        fc.draw_tears(c, t, f, mood)
        _marks(c, t, acc, skin)
        hr.draw_cap(c, t, lk.hair_style, hair, streak)
        _head_accessories(c, t, f, acc, hair, accent, hr.crown_top(lk.hair_style))
        fc.draw_sweat(c, t, mood)
        fc.draw_mouth(c, t, f, mood, pose.mouth)
        c.restore()
        top = t.cy + hr.crown_top(lk.hair_style) * t.r
        head = (t.cx - 1.5 * t.r, top, t.cx + 1.5 * t.r, t.cy + 1.55 * t.r)
        return _rolled(fc.mouth_box(t, f), roll, pivot), _rolled(head, roll, pivot)


def _rolled(
    box: tuple[float, float, float, float], degrees: float, pivot: tuple[float, float]
) -> tuple[float, float, float, float]:
    """The upright bounds of ``box`` turned ``degrees`` (clockwise, y down) about ``pivot``."""
    a = np.radians(degrees)
    cos, sin = float(np.cos(a)), float(np.sin(a))
    px, py = pivot
    xs, ys = [], []
    for x, y in ((box[0], box[1]), (box[2], box[1]), (box[0], box[3]), (box[2], box[3])):
        xs.append(px + (x - px) * cos - (y - py) * sin)
        ys.append(py + (x - px) * sin + (y - py) * cos)
    return min(xs), min(ys), max(xs), max(ys)


def _box(b: tuple[float, float, float, float], k: float, w: int, h: int) -> Box:
    """A unit-space box as whole pixels, grown to cover anti-aliased edges, inside the sprite."""
    x0, y0, x1, y1 = (
        int(np.floor(b[0] * k)) - 1,
        int(np.floor(b[1] * k)) - 1,
        int(np.ceil(b[2] * k)) + 1,
        int(np.ceil(b[3] * k)) + 1,
    )
    return max(0, x0), max(0, y0), min(w, x1), min(h, y1)


def _marks(c: skia.Canvas, t: Turn, acc: tuple[str, ...], skin: RGB) -> None:
    if "mole" in acc and t.visible(0.55):
        x, y = t.p(0.55, 0.32)
        c.drawCircle(x, y, 0.025 * t.r, fill(shade(skin, 0.45)))
    if "scar" in acc and t.visible(-0.5):
        cut = [t.p(-0.62, -0.42), t.p(-0.45, -0.05), t.p(-0.38, 0.3)]
        c.drawPath(
            spline(cut, closed=False), stroke(mix(skin, (0.7, 0.35, 0.35), 0.6), 0.035 * t.r)
        )


def _head_accessories(
    c: skia.Canvas,
    t: Turn,
    f: fc.Features,
    acc: tuple[str, ...],
    hair: RGB,
    accent: RGB,
    top: float,
) -> None:
    gold = (0.92, 0.75, 0.3)
    if "earrings" in acc:
        for side in (-1, 1):
            if t.visible(side * 0.97):
                x, y = t.p(side * 1.02, 0.42)
                c.drawCircle(x, y, 0.05 * t.r, fill(gold))
                c.drawCircle(x, y + 0.1 * t.r, 0.045 * t.r, fill(light(accent, 0.2)))
    if "headband" in acc:
        band = spline(
            t.pts(
                [(-1.08, -0.55), (-0.7, -1.32), (0.0, -1.55), (0.7, -1.32), (1.08, -0.55)],
                depth=0.75,
            ),
            closed=False,
        )
        c.drawPath(band, stroke(accent, 0.12 * t.r))
    if "hairpin" in acc:
        x, y = t.p(0.78, -1.05, depth=0.75)
        c.drawPath(
            spline(
                [(x - 0.3 * t.r, y + 0.12 * t.r), (x + 0.35 * t.r, y - 0.18 * t.r)], closed=False
            ),
            stroke(gold, 0.05 * t.r),
        )
        c.drawCircle(x + 0.35 * t.r, y - 0.18 * t.r, 0.09 * t.r, fill((0.85, 0.2, 0.3)))
    if "flower" in acc:
        x, y = t.p(-0.85, -1.0, depth=0.75)
        for i in range(5):
            ang = i * 2 * np.pi / 5
            c.drawCircle(
                x + np.cos(ang) * 0.1 * t.r,
                y + np.sin(ang) * 0.1 * t.r,
                0.08 * t.r,
                fill(light(accent, 0.4)),
            )
        c.drawCircle(x, y, 0.06 * t.r, fill(gold))
    if "crown" in acc:
        base = [t.p(-0.45, top + 0.15, 0.6), t.p(0.45, top + 0.15, 0.6)]
        pts = [
            base[0],
            t.p(-0.5, top - 0.2, 0.6),
            t.p(-0.22, top - 0.02, 0.6),
            t.p(0.0, top - 0.32, 0.6),
            t.p(0.22, top - 0.02, 0.6),
            t.p(0.5, top - 0.2, 0.6),
            base[1],
        ]
        path = polygon(pts)
        c.drawPath(path, fill(gold))
        c.drawPath(path, stroke(ink_of(gold), 0.025 * t.r))
    if "glasses" in acc:
        frame = ink_of(mix(hair, (0.2, 0.2, 0.22), 0.5))
        lenses = []
        for side in (-1, 1):
            cu = side * 0.43
            if not t.visible(cu + side * 0.25):
                continue
            x0, x1 = sorted((t.x(cu - 0.3), t.x(cu + 0.3)))
            rect = skia.RRect.MakeRectXY(
                skia.Rect.MakeLTRB(
                    x0, t.cy + (f.eye_v - 0.24) * t.r, x1, t.cy + (f.eye_v + 0.2) * t.r
                ),
                0.1 * t.r,
                0.1 * t.r,
            )
            c.drawRRect(rect, fill((0.85, 0.92, 1.0), 0.12))
            c.drawRRect(rect, stroke(frame, 0.04 * t.r))
            lenses.append((x0, x1))
        if len(lenses) == 2:
            y = t.cy + (f.eye_v - 0.08) * t.r
            c.drawLine(lenses[0][1], y, lenses[1][0], y, stroke(frame, 0.04 * t.r))
