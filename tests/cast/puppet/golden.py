"""Golden-image comparison with a tolerance: small reference pictures kept in ``golden/``.

After a deliberate change to the drawing, regenerate them with
``CLIFFHANGER_REGEN_GOLDEN=1 ./dev test tests/cast`` and look at them before committing.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
from PIL import Image

from cliffhanger.cast.base import RGBA

GOLDEN = Path(__file__).parent / "golden"


def assert_golden(name: str, got: RGBA, *, mean: float = 1.5, p995: float = 48) -> None:
    """``got`` matches ``golden/<name>.png``: on average within ``mean`` levels, and 99.5 %
    of channel values within ``p995`` (anti-aliasing may move an edge by a pixel)."""
    path = GOLDEN / f"{name}.png"
    if os.environ.get("CLIFFHANGER_REGEN_GOLDEN") == "1":
        GOLDEN.mkdir(exist_ok=True)
        Image.fromarray(got, "RGBA").save(path)
    with Image.open(path) as img:
        want = np.asarray(img.convert("RGBA"))
    assert got.shape == want.shape, f"{name}: size {got.shape} != {want.shape}"
    diff = np.abs(got.astype(int) - want.astype(int))
    assert diff.mean() < mean, f"{name}: mean difference {diff.mean():.2f}"
    assert np.percentile(diff, 99.5) < p995, f"{name}: some pixels moved a lot"
