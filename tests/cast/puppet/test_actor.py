"""The puppet actor, measured as a viewer would see it: different people look different, one
person stays themselves in every pose, a mouth shape moves only the mouth."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from cliffhanger.cast.base import ANGLES, MOUTHS, Pose, Sprite
from cliffhanger.cast.puppet.actor import PuppetActor
from cliffhanger.model.bible import Appearance
from cliffhanger.model.emotions import EXPRESSIONS
from cliffhanger.model.look import Look
from tests.cast.puppet.golden import assert_golden

CAST = {
    "florist": PuppetActor.of(
        "florist",
        Appearance(age=27, gender="female"),
        Look(
            skin="#8d5a3b",
            hair="#d9b26f",
            hair_style="low_bun",
            eyes="#3a6fb0",
            outfit="apron",
            colors=("#6b8f5e", "#f0e6d8"),
            accessories=("earrings",),
        ),
    ),
    "heir": PuppetActor.of(
        "heir",
        Appearance(age=31, gender="male"),
        Look(
            skin="#e8c4a0",
            hair="#1c1a1f",
            hair_style="side_part",
            eyes="#4a3326",
            face="square",
            build="athletic",
            outfit="suit",
            colors=("#23283a", "#f2f2f2"),
        ),
    ),
    "stepsister": PuppetActor.of(
        "stepsister",
        Appearance(age=25, gender="female"),
        Look(
            skin="#f3d5c0",
            hair="#7a2e1e",
            hair_style="long_wavy",
            eyes="#2f7a4f",
            outfit="dress",
            colors=("#c2185b", "#f8bbd0"),
            accessories=("necklace",),
            lips="#c0394f",
        ),
    ),
    "matriarch": PuppetActor.of(
        "matriarch",
        Appearance(age=72, gender="female"),
        Look(
            skin="#f0d0b8",
            hair="#d8d8dc",
            hair_style="high_bun",
            eyes="#5b6b7a",
            outfit="blazer",
            colors=("#5b2a6e", "#ece3f0"),
            accessories=("pearls", "glasses"),
        ),
    ),
    "general": PuppetActor.of(
        "general",
        Appearance(age=45, gender="male"),
        Look(
            skin="#d9a77c",
            hair="#141414",
            hair_style="topknot",
            eyes="#2b1a12",
            build="broad",
            outfit="robe",
            colors=("#8b1a1a", "#d4a017"),
            accessories=("beard", "crown"),
        ),
    ),
}
H = 200


def _draw(name: str, h: int = H, **pose: object) -> Sprite:
    return CAST[name].draw(Pose(**pose), h)  # type: ignore[arg-type]


def _changed(a: Sprite, b: Sprite) -> np.ndarray:
    return np.any(a.rgba != b.rgba, axis=2)


def test_any_size_straight_alpha_and_boxes_inside() -> None:
    for h in (48, 333, 1400):
        s = _draw("heir", h)
        assert s.rgba.shape == (h, round(h * 0.8), 4)
        assert s.rgba.dtype == np.uint8
        clear = s.rgba[..., 3] == 0
        assert clear.any() and (~clear).any()
        assert not s.rgba[clear].any(), "fully transparent pixels must be all zero"
        for x0, y0, x1, y1 in (s.face, s.mouth):
            assert 0 <= x0 < x1 <= s.size[0] and 0 <= y0 < y1 <= s.size[1]
        fx0, fy0, fx1, fy1 = s.face
        mx0, my0, mx1, my1 = s.mouth
        assert fx0 <= mx0 and mx1 <= fx1 and fy0 <= my0 and my1 <= fy1


def test_edges_are_ink_not_a_halo() -> None:
    """An anti-aliased edge pixel is no lighter than the solid pixels next to it: the colour
    of a silhouette's edge is the drawing's own, never a fringe of some background."""
    for name in CAST:
        s = _draw(name, 400)
        a = s.rgba[..., 3]
        edge = (a >= 64) & (a < 224)  # visible edge pixels (below 64, 8-bit rounding rules)
        assert edge.sum() > 200
        luma = s.rgba[..., :3].astype(float) @ [0.2126, 0.7152, 0.0722] / 255
        solid = np.where(a == 255, luma, -1.0)
        near = np.lib.stride_tricks.sliding_window_view(
            np.pad(solid, 3, constant_values=-1), (7, 7)
        )
        brightest = near.max(axis=(2, 3))
        has_solid = brightest >= 0
        check = edge & has_solid
        lighter = luma[check] > brightest[check] + 0.08
        assert lighter.mean() < 0.05, f"{name}: {lighter.mean():.1%} of edge pixels glow"


def test_same_inputs_same_pixels() -> None:
    a = _draw("stepsister", expression="crying", angle="left", mouth="ou")
    b = _draw("stepsister", expression="crying", angle="left", mouth="ou")
    assert a.rgba.tobytes() == b.rgba.tobytes()


@pytest.mark.parametrize("name", ["heir", "stepsister", "general"])
@pytest.mark.parametrize("angle", ANGLES)
def test_a_mouth_shape_changes_only_the_mouth(name: str, angle: str) -> None:
    rest = _draw(name, 300, angle=angle, expression="happy")
    x0, y0, x1, y1 = rest.mouth
    for mouth in MOUTHS[1:]:
        other = _draw(name, 300, angle=angle, expression="happy", mouth=mouth)
        changed = _changed(rest, other)
        assert changed.sum() > 20, f"{mouth} looks like rest"
        outside = changed.copy()
        outside[y0:y1, x0:x1] = False
        assert not outside.any(), f"{mouth} changed pixels outside the mouth box"


def test_blink_closes_the_eyes_and_nothing_below_them() -> None:
    open_, shut = _draw("florist", 300), _draw("florist", 300, blink=True)
    ys, _ = np.nonzero(_changed(open_, shut))
    assert ys.size > 50
    assert ys.max() < open_.mouth[1], "a blink touched the mouth"


def test_every_expression_is_its_own_face() -> None:
    faces = {e: _draw("heir", 300, expression=e) for e in EXPRESSIONS}
    for a, b in itertools.combinations(EXPRESSIONS, 2):
        assert _changed(faces[a], faces[b]).sum() > 150, f"{a} and {b} look alike"


def test_angles_turn_the_face() -> None:
    front, left, right = (_draw("heir", 300, angle=a) for a in ANGLES)
    for s in (left, right):
        assert _changed(front, s).sum() > 1000
    # A three-quarter view to the left is (near enough) the mirror of one to the right.
    mirrored = right.rgba[:, ::-1].astype(int)
    diff_mirror = np.abs(left.rgba.astype(int) - mirrored).mean()
    diff_front = np.abs(left.rgba.astype(int) - front.rgba.astype(int)).mean()
    assert diff_mirror < diff_front


def _signature(s: Sprite) -> np.ndarray:
    """A colour histogram of the opaque pixels: what a glance takes in (hair, skin, clothes)."""
    px = s.rgba[s.rgba[..., 3] > 200][:, :3] // 32
    idx = px[:, 0] * 64 + px[:, 1] * 8 + px[:, 2]
    hist = np.bincount(idx, minlength=512).astype(float)
    return hist / hist.sum()


def test_characters_differ_at_a_glance_and_stay_themselves() -> None:
    """Every pose of every character is closer (in colour make-up) to that character's own
    neutral front portrait than to anyone else's, and silhouettes differ."""
    names = list(CAST)
    refs = {n: _signature(_draw(n, 160)) for n in names}
    for n in names:
        for angle, expression in itertools.product(ANGLES, EXPRESSIONS):
            sig = _signature(_draw(n, 160, angle=angle, expression=expression))
            dist = {m: np.abs(sig - ref).sum() for m, ref in refs.items()}
            assert min(dist, key=dist.__getitem__) == n, (n, angle, expression, dist)
    masks = {n: _draw(n, 160).rgba[..., 3] > 128 for n in names}
    for a, b in itertools.combinations(names, 2):
        iou = (masks[a] & masks[b]).sum() / (masks[a] | masks[b]).sum()
        assert iou < 0.97, f"{a} and {b} share a silhouette ({iou:.3f})"


GOLDEN_POSES = {
    "heir-front-neutral": ("heir", Pose()),
    "stepsister-left-happy-a": ("stepsister", Pose(angle="left", expression="happy", mouth="a")),
    "general-right-angry-ei": ("general", Pose(angle="right", expression="angry", mouth="ei")),
    "matriarch-front-crying-blink": ("matriarch", Pose(expression="crying", blink=True)),
}


@pytest.mark.parametrize("name", sorted(GOLDEN_POSES))
def test_golden_images(name: str) -> None:
    who, pose = GOLDEN_POSES[name]
    assert_golden(name, CAST[who].draw(pose, 160).rgba)
