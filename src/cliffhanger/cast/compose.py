"""Compositing a set plate, whoever drew it: its layers, each blurred by its own depth of
field, into one opaque frame (for set sheets and previews; the renderer pans the layers)."""

from __future__ import annotations

import numpy as np
import skia

from cliffhanger.cast.base import RGBA, SetPlate, premultiply

RGBA_8888 = skia.kRGBA_8888_ColorType


def flatten(plate: SetPlate, *, blur: bool = True) -> RGBA:
    """The plate's layers composited at the frame's size (the margin cropped evenly), each
    blurred by its own sigma unless ``blur`` is false: opaque RGBA, shape (H, W, 4).

    Layers are premultiplied before blurring: skia's image filters would blur a straight-alpha
    image's colours as they are, drawing light halos round dark shapes on a faint haze."""
    out = np.zeros((plate.height, plate.width, 4), np.uint8)
    canvas = skia.Canvas(out, colorType=RGBA_8888, alphaType=skia.kPremul_AlphaType)
    canvas.clear(skia.ColorBLACK)
    for layer in plate.layers:
        lh, lw = layer.rgba.shape[:2]
        image = skia.Image.fromarray(
            premultiply(layer.rgba), colorType=RGBA_8888, alphaType=skia.kPremul_AlphaType
        )
        paint = skia.Paint()
        if blur and layer.blur > 0:
            paint.setImageFilter(
                skia.ImageFilters.Blur(layer.blur, layer.blur, skia.TileMode.kClamp)
            )
        canvas.drawImage(image, -(lw - plate.width) / 2, -(lh - plate.height) / 2, paint=paint)
    out[..., 3] = 255
    return out
