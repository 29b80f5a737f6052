"""The painted sets: sizes, alpha, determinism, and that looks visibly change the picture."""

from __future__ import annotations

import itertools
from functools import cache

import numpy as np
import pytest

from cliffhanger.cast.base import RGBA, SetPlate
from cliffhanger.cast.puppet.sets import draw_set, flatten
from cliffhanger.model.look import SET_KINDS, SetKind, SetLook

W, H = 180, 320


@cache
def plate(
    kind: SetKind, time_of_day: str = "day", weather: str = "clear", palette: str = ""
) -> SetPlate:
    extra = {"palette": tuple(palette.split(","))} if palette else {}
    look = SetLook.model_validate(
        {"kind": kind, "time_of_day": time_of_day, "weather": weather, **extra}
    )
    return draw_set(look, W, H)


def luminance(rgba: RGBA) -> float:
    return float((rgba[..., :3].astype(np.float64) @ [0.299, 0.587, 0.114]).mean())


@pytest.mark.parametrize("kind", SET_KINDS)
def test_every_kind_draws_three_layers_of_straight_alpha(kind: SetKind) -> None:
    p = plate(kind)
    assert (p.width, p.height) == (W, H)
    assert len(p.layers) >= 3
    assert [layer.depth for layer in p.layers] == sorted(layer.depth for layer in p.layers)
    for layer in p.layers:
        assert layer.rgba.shape == (round(H * (1 + 2 * p.margin)), round(W * (1 + 2 * p.margin)), 4)
        assert layer.rgba.dtype == np.uint8
        assert (layer.rgba[layer.rgba[..., 3] == 0] == 0).all()
    assert (p.layers[0].rgba[..., 3] == 255).all()
    assert p.layers[0].blur > p.layers[1].blur
    frame = flatten(p)
    assert frame.shape == (H, W, 4)
    assert (frame[..., 3] == 255).all()


@pytest.mark.parametrize("kind", SET_KINDS)
def test_near_layer_leaves_the_actors_room(kind: SetKind) -> None:
    near = plate(kind).layers[-1].rgba
    lh, lw = near.shape[:2]
    oy, ox = (lh - H) // 2, (lw - W) // 2
    centre = near[oy + H // 3 : oy + 2 * H // 3, ox + W // 3 : ox + 2 * W // 3, 3]
    assert (centre < 16).mean() >= 0.7


def test_every_kind_looks_different_from_every_other() -> None:
    frames = {k: flatten(plate(k)).astype(np.int16) for k in SET_KINDS}
    for a, b in itertools.combinations(SET_KINDS, 2):
        assert np.abs(frames[a] - frames[b]).mean() > 12, (a, b)


@pytest.mark.parametrize("kind", SET_KINDS)
def test_night_is_darker_than_day(kind: SetKind) -> None:
    day, night = flatten(plate(kind, "day")), flatten(plate(kind, "night"))
    assert luminance(night) < luminance(day) - 10


def test_dusk_is_warmer_than_day() -> None:
    day, dusk = flatten(plate("rooftop", "day")), flatten(plate("rooftop", "dusk"))
    warmth = [float(f[..., 0].mean() - f[..., 2].mean()) for f in (day, dusk)]
    assert warmth[1] > warmth[0] + 10


def test_the_palette_colours_the_set() -> None:
    a = flatten(plate("bedroom"))
    b = flatten(plate("bedroom", palette="#5a7d9a,#2b2b2b,#9fd3ff"))
    assert np.abs(a.astype(np.int16) - b).mean() > 10


def test_the_variant_changes_the_layout() -> None:
    a = flatten(draw_set(SetLook(kind="ceo_office", variant=1), W, H))
    b = flatten(draw_set(SetLook(kind="ceo_office", variant=2), W, H))
    assert not np.array_equal(a, b)


def test_same_look_same_bytes() -> None:
    look = SetLook(kind="street_night", time_of_day="night", weather="rain", variant=7)
    a, b = draw_set(look, W, H), draw_set(look, W, H)
    for la, lb in zip(a.layers, b.layers, strict=True):
        assert la.rgba.tobytes() == lb.rgba.tobytes()


def test_rain_streaks_the_near_layer() -> None:
    clear = plate("street_night", "night").layers[-1].rgba
    rain = plate("street_night", "night", "rain").layers[-1].rgba
    assert rain[..., 3].mean() > clear[..., 3].mean() + 2


def test_flatten_without_blur_is_sharper() -> None:
    p = plate("school_corridor")
    sharp, soft = flatten(p, blur=False), flatten(p)
    edges = [
        float(np.abs(np.diff(f[..., 1].astype(np.int16), axis=1)).mean()) for f in (sharp, soft)
    ]
    assert edges[0] > edges[1]


def test_odd_sizes_and_landscape_frames_draw() -> None:
    p = draw_set(SetLook(kind="palace_hall"), 101, 77, margin=0.05)
    assert p.layers[0].rgba.shape == (round(77 * 1.1), round(101 * 1.1), 4)
    assert flatten(p).shape == (77, 101, 4)
