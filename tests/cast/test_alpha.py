"""Straight ↔ premultiplied alpha: what every sprite and set layer goes through."""

from __future__ import annotations

import numpy as np

from cliffhanger.cast.base import premultiply, unpremultiply


def test_unpremultiply_undoes_premultiply_and_leaves_no_halo() -> None:
    rng = np.random.default_rng(3)
    straight = rng.integers(0, 256, (64, 64, 4), dtype=np.uint8)
    straight[:16, :, 3] = 255  # opaque
    straight[16:32, :, 3] = 0  # transparent, with colour left in it
    straight[32:, :, 3] = rng.integers(1, 255, (32, 64), dtype=np.uint8)  # partly
    back = unpremultiply(premultiply(straight))
    assert np.array_equal(back[:16], straight[:16])  # opaque pixels read the same
    assert not back[16:32].any()  # transparent pixels carry no colour (no dark fringes)
    # Partly transparent: back within what the alpha can resolve (±255/(2a) + rounding).
    a = straight[32:, :, 3].astype(np.float64)
    err = np.abs(back[32:, :, :3].astype(np.float64) - straight[32:, :, :3])
    assert (err <= 255 / (2 * np.maximum(a, 1))[..., None] + 1).all()
    assert np.array_equal(back[32:, :, 3], straight[32:, :, 3])


def test_premultiply_to_bgra_is_the_same_bytes_swizzled() -> None:
    rng = np.random.default_rng(5)
    straight = rng.integers(0, 256, (48, 40, 4), dtype=np.uint8)
    exact = (straight[..., :3].astype(np.int32) * straight[..., 3:] + 127) // 255
    rgba = premultiply(straight)
    assert np.array_equal(rgba[..., :3], exact) and np.array_equal(rgba[..., 3], straight[..., 3])
    assert np.array_equal(premultiply(straight, bgra=True), rgba[..., [2, 1, 0, 3]])
