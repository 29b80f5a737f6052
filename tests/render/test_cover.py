from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from numpy.typing import NDArray
from PIL import Image

from cliffhanger.render.base import Figure, Shot, safe_box
from cliffhanger.render.cover import pick_cover_time, write_cover

W, H = 540, 960


def _frame() -> NDArray[np.uint8]:
    """A mid-grey picture with soft colour bands: nothing in it is near white."""
    yy, xx = np.mgrid[0:H, 0:W]
    frame = np.empty((H, W, 4), np.uint8)
    frame[..., 0] = 90 + (xx * 60 // W)
    frame[..., 1] = 110 + (yy * 40 // H)
    frame[..., 2] = 130
    frame[..., 3] = 255
    return frame


@pytest.fixture(scope="module")
def cover(tmp_path_factory: pytest.TempPathFactory) -> NDArray[np.uint8]:
    path = tmp_path_factory.mktemp("cover") / "ep001.jpg"
    write_cover(_frame(), path, title="Salt and Glass: The Heiress Returns", episode=12)
    with Image.open(path) as image:
        assert image.format == "JPEG" and image.mode == "RGB"
        return np.asarray(image).astype(np.int16)


def test_cover_is_the_frame_size(cover: NDArray[np.uint8]) -> None:
    assert cover.shape == (H, W, 3)


def test_type_lies_inside_the_safe_box(cover: NDArray[np.uint8]) -> None:
    bright = cover.min(axis=2) > 225  # the white title (the frame has nothing this light)
    ys, xs = np.nonzero(bright)
    assert len(xs) > 2000  # large type, not a speck
    x0, y0, x1, y1 = safe_box(W, H)
    assert (xs.min(), ys.min()) >= (x0 - 2, y0) and (xs.max(), ys.max()) < (x1, y1)
    assert ys.min() > H * 0.4  # bottom-left, over the gradient
    yellow = (cover[..., 0] > 200) & (cover[..., 1] > 170) & (cover[..., 2] < 140)
    ys, xs = np.nonzero(yellow)
    assert len(xs) > 300  # "EP 12"
    assert ys.max() < y1 and xs.max() < x1


def test_only_the_lower_part_changes(cover: NDArray[np.uint8]) -> None:
    source = _frame()[..., 2::-1].astype(np.int16)
    top = slice(0, H // 3)
    assert np.abs(cover[top] - source[top]).mean() < 2.0  # JPEG noise only
    bottom = slice(H - H // 10, H)
    assert cover[bottom].mean() < source[bottom].mean() * 0.5  # the gradient darkens


def test_refuses_a_frame_that_is_not_bgra(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="BGRA"):
        write_cover(np.zeros((H, W, 3), np.uint8), tmp_path / "c.jpg", title="t", episode=1)
    assert not (tmp_path / "c.jpg").exists()


def _close(index: int, start: float, end: float, beat: str = "", **kw: object) -> Shot:
    return Shot(index, "scene", start, end, framing="close", beat=beat).with_(**kw)


def test_cover_time_prefers_an_expressive_close_up_on_a_reveal() -> None:
    look = Figure("claire_reed", 0.5, expressions=((0.0, "neutral"), (1.0, "shocked")))
    shots = [
        Shot(0, "title", 0.0, 2.0),
        _close(1, 2.0, 8.0),
        _close(2, 8.0, 11.0, "reveal", figures=(look,), focus="claire_reed"),
        _close(3, 11.0, 12.0, "cliffhanger"),  # no look on it: passed over
        Shot(4, "end", 12.0, 14.0),
    ]
    assert pick_cover_time(shots) == pytest.approx(8.0 + (1.0 + 3.0) / 2)


def test_cover_time_falls_back_to_the_longest_close_up_then_mid_episode() -> None:
    shots = [
        Shot(0, "title", 0.0, 2.0),
        _close(1, 2.0, 3.0),
        _close(2, 3.0, 7.0, "reveal"),
        Shot(3, "scene", 7.0, 9.0),
    ]
    assert pick_cover_time(shots) == pytest.approx(5.0)
    wide = [Shot(0, "title", 0.0, 6.0), Shot(1, "scene", 6.0, 9.0, framing="wide")]
    assert pick_cover_time(wide) == pytest.approx(7.5)  # the middle (4.5 s) is the card
    assert pick_cover_time([*wide, Shot(2, "scene", 9.0, 15.0)]) == pytest.approx(7.5)


def test_cover_time_needs_a_scene() -> None:
    with pytest.raises(ValueError, match="only cards"):
        pick_cover_time([Shot(0, "title", 0.0, 2.0), Shot(1, "end", 2.0, 3.0)])
