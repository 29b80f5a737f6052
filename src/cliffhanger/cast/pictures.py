"""Picture handling the picture-based cast providers (``files``, ``image``) share.

PNG in and out with errors that name the file, resizing on premultiplied alpha (so a
portrait's transparent edge never picks up a dark or bright halo), cover-fitting a backdrop
to a set plate, and estimating where the face and mouth are in a portrait that came with no
such information.

Arrays are :data:`~cliffhanger.cast.base.RGBA`: straight alpha, ``uint8``, shape
``(height, width, 4)``.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
from PIL import Image, UnidentifiedImageError

from cliffhanger.cast.base import (
    RGBA,
    SET_MARGIN,
    Box,
    SetLayer,
    SetPlate,
    Sprite,
    layer_size,
    premultiply,
    unpremultiply,
)
from cliffhanger.errors import AssetError

MIN_ACTOR_HEIGHT = 256  # a close-up crops the face out of this; smaller looks smeared
MIN_SET_SIZE = (540, 960)  # width, height: half of a 1080×1920 frame

_FACE_DEFAULT = (0.25, 0.05, 0.75, 0.45)  # x0, y0, x1, y1 as fractions of the picture


def read_png(path: Path) -> Image.Image:
    """The decoded PNG at ``path``; :class:`AssetError` if it is missing, not a PNG or broken."""
    try:
        with Image.open(path) as image:
            if image.format != "PNG":
                raise AssetError(f"not a PNG (it is {image.format}); save it as PNG", path)
            image.load()
            return image
    except FileNotFoundError:
        raise AssetError("file not found", path) from None
    except (UnidentifiedImageError, OSError, SyntaxError) as e:
        raise AssetError(f"not a readable PNG ({e}); save it again as PNG", path) from None


def decode_png(data: bytes) -> Image.Image:
    """PNG bytes → a decoded image; ``ValueError`` when they are not a readable PNG."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format != "PNG":
                raise ValueError(f"not a PNG but {image.format}")
            image.load()
            return image
    except (UnidentifiedImageError, OSError, SyntaxError) as e:
        raise ValueError(f"not a readable PNG: {e}") from None


def has_alpha(image: Image.Image) -> bool:
    return "A" in image.getbands() or "transparency" in image.info


def to_rgba(image: Image.Image) -> RGBA:
    """Any image as straight RGBA; fully transparent pixels become all zero."""
    rgba = np.asarray(image.convert("RGBA"), dtype=np.uint8).copy()
    rgba[rgba[..., 3] == 0] = 0
    return rgba


def encode_png(rgba: RGBA) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(rgba, "RGBA").save(buffer, "PNG")
    return buffer.getvalue()


def resize(rgba: RGBA, width: int, height: int) -> RGBA:
    """``rgba`` at ``width`` × ``height``, Lanczos-filtered on premultiplied alpha."""
    if rgba.shape[1] == width and rgba.shape[0] == height:
        return rgba.copy()
    h, w = rgba.shape[:2]
    # Mode "RGBa" tells Pillow the colours are already premultiplied: it filters them as is.
    image = Image.frombytes("RGBa", (w, h), np.ascontiguousarray(premultiply(rgba)).tobytes())
    scaled = image.resize((width, height), Image.Resampling.LANCZOS)
    return unpremultiply(np.asarray(scaled, dtype=np.uint8))


def sprite(rgba: RGBA, height: int, face: Box, mouth: Box) -> Sprite:
    """A sprite of ``rgba`` scaled to ``height``; ``face`` and ``mouth`` are in ``rgba``'s
    pixels and are scaled with it."""
    if height < 1:
        raise ValueError(f"height must be at least 1 pixel, not {height}")
    factor = height / rgba.shape[0]
    width = max(1, round(rgba.shape[1] * factor))
    return Sprite(resize(rgba, width, height), scale_box(face, factor), scale_box(mouth, factor))


def mirror(rgba: RGBA) -> RGBA:
    """Flipped left to right (a three-quarter view turned to the other side)."""
    return np.ascontiguousarray(rgba[:, ::-1])


def cover_fit(rgba: RGBA, width: int, height: int) -> RGBA:
    """Scaled to cover ``width`` × ``height`` exactly, the overflow cropped evenly."""
    h, w = rgba.shape[:2]
    factor = max(width / w, height / h)
    scaled_w, scaled_h = max(width, round(w * factor)), max(height, round(h * factor))
    scaled = resize(rgba, scaled_w, scaled_h)
    x0, y0 = (scaled_w - width) // 2, (scaled_h - height) // 2
    return np.ascontiguousarray(scaled[y0 : y0 + height, x0 : x0 + width])


def backdrop(rgba: RGBA, width: int, height: int) -> SetPlate:
    """A one-layer set plate: ``rgba`` made opaque and cover-fitted to the frame plus margin."""
    opaque = rgba.copy()
    opaque[..., 3] = 255
    plate_w, plate_h = layer_size(width, height)
    layer = SetLayer(cover_fit(opaque, plate_w, plate_h), depth=0.0, blur=0.0)
    return SetPlate(width, height, SET_MARGIN, (layer,))


def face_box(rgba: RGBA) -> Box:
    """Where the head is in a half-body portrait on a transparent background.

    The head is the top of the figure; it ends where the silhouette widens into the
    shoulders, or where a head of its width would end. A picture with no usable
    transparency gets the top-centre region (x 25–75 %, y 5–45 %).
    """
    h, w = rgba.shape[:2]
    solid = rgba[..., 3] >= 128
    rows = np.flatnonzero(solid.any(axis=1))
    if rows.size == 0 or solid.mean() > 0.9:
        return _fraction_box(_FACE_DEFAULT, w, h)
    top, bottom = int(rows[0]), int(rows[-1]) + 1
    tall = bottom - top
    left = np.where(solid.any(axis=1), solid.argmax(axis=1), w)
    right = np.where(solid.any(axis=1), w - solid[:, ::-1].argmax(axis=1), 0)
    widths = np.maximum(right - left, 0)
    start, stop = top + max(1, tall // 8), top + max(2, tall * 6 // 10)
    crown = max(int(widths[top:start].max()), 1)
    # Down from the crown, the shoulders are the first row a quarter wider; a head is about
    # 1.35 times as tall as wide, which places the chin where long hair hides the neck.
    wider = np.flatnonzero(widths[start:stop] > 1.25 * crown)
    shoulders = start + int(wider[0]) if wider.size else top + tall * 4 // 10
    chin = min(shoulders, top + round(1.35 * crown))
    head = widths[top:chin]
    head_w = int(head[head <= 1.25 * crown].max())
    if head_w < w // 10 or chin - top < h // 12:
        return _fraction_box(_FACE_DEFAULT, w, h)
    cx = int((left[top:chin] + right[top:chin]).mean()) // 2
    x0, x1 = max(0, cx - head_w // 2), min(w, cx + (head_w + 1) // 2)
    return x0, top, x1, chin


def mouth_box(face: Box) -> Box:
    """The mouth's region within a face box: lower middle, about a third of its width."""
    return _inner(face, 0.32, 0.66, 0.68, 0.86)


def eyes_box(face: Box) -> Box:
    """Both eyes' region within a face box: a band across its middle."""
    return _inner(face, 0.14, 0.38, 0.86, 0.58)


def _inner(face: Box, fx0: float, fy0: float, fx1: float, fy1: float) -> Box:
    x0, y0, x1, y1 = face
    fw, fh = x1 - x0, y1 - y0
    bx0, by0 = x0 + int(fw * fx0), y0 + int(fh * fy0)
    return bx0, by0, max(bx0 + 1, x0 + round(fw * fx1)), max(by0 + 1, y0 + round(fh * fy1))


def _fraction_box(fractions: tuple[float, float, float, float], w: int, h: int) -> Box:
    fx0, fy0, fx1, fy1 = fractions
    return round(w * fx0), round(h * fy0), round(w * fx1), round(h * fy1)


def scale_box(box: Box, factor: float) -> Box:
    x0, y0, x1, y1 = (round(v * factor) for v in box)
    return x0, y0, max(x1, x0 + 1), max(y1, y0 + 1)
