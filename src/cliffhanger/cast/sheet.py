"""Review sheets: ``cast/<character>.png`` and ``cast/sets/<location>.png``.

A character sheet shows every angle × expression as a labelled half-body portrait, then the
six lip-sync mouths and a blink as labelled face close-ups. A set sheet shows the composed
frame beside each depth layer on a checkerboard, so transparency is visible.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from PIL import Image, ImageDraw, ImageFont

from cliffhanger.cast.base import ANGLES, MOUTHS, RGBA, Actor, Pose, SetPlate, Sprite
from cliffhanger.model.bible import Character, Location
from cliffhanger.model.emotions import EXPRESSIONS
from cliffhanger.model.look import SetLook

PAPER = (236, 233, 228)
INK = (38, 34, 36)
MUTED = (110, 104, 104)
_ANGLE_LABEL = {"front": "front", "left": "3/4 left", "right": "3/4 right"}
_MOUTH_LABEL = {"rest": "rest", "mbp": "M B P", "a": "A", "ei": "E I", "ou": "O U", "fv": "F V"}


def _font(size: int) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    return ImageFont.load_default(size=size)


def _over(canvas: NDArray[np.uint8], rgba: RGBA, x: int, y: int) -> None:
    """Alpha-blend straight RGBA onto an RGB canvas at (x, y)."""
    h, w = rgba.shape[:2]
    region = canvas[y : y + h, x : x + w].astype(np.float32)
    a = rgba[..., 3:4].astype(np.float32) / 255.0
    region = rgba[..., :3] * a + region * (1.0 - a)
    canvas[y : y + h, x : x + w] = (region + 0.5).astype(np.uint8)


def _face_crop(sprite: Sprite, side: int) -> RGBA:
    """The head, square, scaled to ``side`` pixels."""
    x0, y0, x1, y1 = sprite.face
    size = max(x1 - x0, y1 - y0)
    cx, cy = (x0 + x1) // 2, (y0 + y1) // 2
    w, h = sprite.size
    left, top = max(0, min(w - size, cx - size // 2)), max(0, min(h - size, cy - size // 2))
    crop = sprite.rgba[top : top + size, left : left + size]
    img = Image.fromarray(crop, "RGBA").resize((side, side), Image.Resampling.LANCZOS)
    return np.asarray(img)


def character_sheet(character: Character, actor: Actor, cell: int) -> Image.Image:
    """Angles × expressions, then mouths and a blink; ``cell`` is a portrait's height."""
    cw = round(cell * 0.8)
    pad, label, head = cell // 12, max(14, cell // 14), max(30, cell // 6)
    cols = len(EXPRESSIONS)
    width = pad + cols * (cw + pad) + pad * 4
    face = cw
    height = head + len(ANGLES) * (cell + label + pad) + (face + label + pad) + pad
    canvas = np.full((height, width, 3), PAPER, np.uint8)
    texts: list[tuple[int, int, str, int, tuple[int, int, int]]] = []
    left = pad * 4
    y = head
    for angle in ANGLES:
        texts.append((pad, y + cell // 2, _ANGLE_LABEL[angle], label, MUTED))
        for i, expression in enumerate(EXPRESSIONS):
            sprite = actor.draw(Pose(angle=angle, expression=expression), cell)
            x = left + i * (cw + pad)
            _over(canvas, sprite.rgba[:, :cw], x, y)
            texts.append((x + cw // 2, y + cell + 2, expression, label, INK))
        y += cell + label + pad
    mouths: list[tuple[str, Pose]] = [(_MOUTH_LABEL[m], Pose(mouth=m)) for m in MOUTHS]
    mouths.append(("blink", Pose(blink=True)))
    big = round(cell * 1.9)  # the face crops need a larger drawing to stay crisp
    for i, (name, pose) in enumerate(mouths):
        x = left + i * (face + pad)
        _over(canvas, _face_crop(actor.draw(pose, big), face), x, y)
        texts.append((x + face // 2, y + face + 2, name, label, INK))
    texts.append((pad, y + face // 2, "lip-sync", label, MUTED))
    img = Image.fromarray(canvas, "RGB")
    draw = ImageDraw.Draw(img)
    draw.text(
        (pad, pad // 2), f"{character.name} ({character.role})", fill=INK, font=_font(head // 2)
    )
    words = character.appearance
    summary = (
        f"{words.age}, {words.gender} · {words.hair_color} {words.hair_style} · {words.outfit}"
    )
    draw.text(
        (pad, pad // 2 + head // 2 + 2), summary[:160], fill=MUTED, font=_font(max(12, head // 4))
    )
    for x, yy, text, size, colour in texts:
        anchor = "lm" if colour == MUTED else "mt"
        draw.text((x, yy), text, fill=colour, font=_font(size), anchor=anchor)
    return img


def _checker(h: int, w: int, cell: int = 12) -> NDArray[np.uint8]:
    yy, xx = np.mgrid[0:h, 0:w]
    light = ((yy // cell + xx // cell) % 2 == 0)[..., None]
    return np.where(light, np.uint8(225), np.uint8(190)).repeat(3, axis=2).astype(np.uint8)


def set_sheet(location: Location, look: SetLook, plate: SetPlate, composed: RGBA) -> Image.Image:
    """The composed frame, then each layer (scaled to a third) on a checkerboard."""
    pad, head = 16, 56
    h, w = composed.shape[:2]
    thumb_h = (h - 2 * pad) // 3
    layers = []
    for layer in plate.layers:
        lh, lw = layer.rgba.shape[:2]
        tw = round(lw * thumb_h / lh)
        small = Image.fromarray(layer.rgba, "RGBA").resize((tw, thumb_h), Image.Resampling.BILINEAR)
        layers.append(np.asarray(small))
    side = max((t.shape[1] for t in layers), default=0)
    canvas = np.full((head + h + pad, pad * 3 + w + side, 3), PAPER, np.uint8)
    canvas[head : head + h, pad : pad + w] = composed[..., :3]
    img_labels = []
    y = head
    for i, thumb in enumerate(layers[:3] if len(layers) > 3 else layers):
        th, tw = thumb.shape[:2]
        x = pad * 2 + w
        canvas[y : y + th, x : x + tw] = _checker(th, tw)
        _over(canvas, thumb, x, y)
        layer = plate.layers[i]
        img_labels.append(
            (x, y + th - 4, f"layer {i + 1}: depth {layer.depth:.1f}, blur {layer.blur:.1f}px")
        )
        y += th + pad
    img = Image.fromarray(canvas, "RGB")
    draw = ImageDraw.Draw(img)
    draw.text((pad, 8), location.name, fill=INK, font=_font(24))
    detail = f"{look.kind} · {look.time_of_day} · {look.weather}"
    draw.text((pad, 36), detail, fill=MUTED, font=_font(14))
    for x, yy, text in img_labels:
        draw.text((x + 4, yy), text, fill=INK, font=_font(13), anchor="lb")
    return img
