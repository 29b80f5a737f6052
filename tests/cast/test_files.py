"""The ``files`` cast provider: the user's PNGs drawn in every pose, and clear errors."""

from __future__ import annotations

import pickle
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw

from cliffhanger.cast.base import CASTERS, Pose
from cliffhanger.cast.files import NEUTRAL, FilesCaster, Name, choose
from cliffhanger.errors import AssetError
from cliffhanger.model.bible import Appearance, Character, Location, Role
from cliffhanger.model.look import Look, SetLook
from cliffhanger.settings import SeriesSettings, Settings

LOOK = Look(skin="#e0b899", hair="#2b1d14", hair_style="bob", eyes="#4a3020")
SET_LOOK = SetLook(kind="ceo_office")
LILY = Character(
    id="lily",
    name="Lily",
    role=Role.LEAD,
    want="the truth",
    appearance=Appearance(age=24, gender="female"),
)
OFFICE = Location(id="office", name="CEO Office", kind="ceo_office")


def figure(path: Path, colour: tuple[int, int, int] = (40, 60, 140), size=(300, 450)) -> Path:
    """A half-body silhouette (head, neck, shoulders) with a mark on its left side."""
    w, h = size
    image = Image.new("RGBA", size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((w * 0.35, h * 0.07, w * 0.65, h * 0.33), fill=(230, 190, 160, 255))
    draw.rectangle((w * 0.45, h * 0.3, w * 0.55, h * 0.4), fill=(230, 190, 160, 255))
    draw.rounded_rectangle((w * 0.2, h * 0.37, w * 0.8, h), w // 8, fill=(*colour, 255))
    draw.rectangle((w * 0.22, h * 0.6, w * 0.3, h * 0.7), fill=(255, 255, 0, 255))
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path)
    return path


def body_colour(rgba: np.ndarray) -> tuple[int, ...]:
    h, w = rgba.shape[:2]
    return tuple(int(v) for v in rgba[int(h * 0.9), w // 2, :3])


def mark_side(rgba: np.ndarray) -> str:
    yellow = (rgba[..., 0] > 200) & (rgba[..., 1] > 200) & (rgba[..., 2] < 80)
    xs = np.flatnonzero(yellow.any(axis=0))
    return "left" if xs.mean() < rgba.shape[1] / 2 else "right"


def error(call) -> str:
    with pytest.raises(AssetError) as caught:
        call()
    return str(caught.value)


# -- drawing -----------------------------------------------------------------------------


def test_one_picture_draws_every_pose_at_the_height_asked(tmp_path: Path) -> None:
    figure(tmp_path / "looks/lily.png")
    actor = FilesCaster(tmp_path / "looks").actor(LILY, LOOK)

    for pose in (Pose(), Pose("left", "angry", "a", blink=True)):
        sprite = actor.draw(pose, 200)
        assert sprite.rgba.shape == (200, 133, 4) and sprite.rgba.dtype == np.uint8
        transparent = sprite.rgba[..., 3] == 0
        assert transparent.any() and not sprite.rgba[transparent].any()  # straight, zeroed
        fx0, fy0, fx1, fy1 = sprite.face
        mx0, my0, mx1, my1 = sprite.mouth
        assert 40 <= fx0 < fx1 <= 95 and 5 <= fy0 < fy1 <= 85  # the head, not the body
        assert fx0 <= mx0 < mx1 <= fx1 and fy0 <= my0 < my1 <= fy1


def test_scaling_keeps_edges_free_of_dark_halos(tmp_path: Path) -> None:
    image = Image.new("RGBA", (300, 450), (0, 0, 0, 0))
    ImageDraw.Draw(image).ellipse((20, 20, 280, 430), fill=(255, 40, 40, 255))
    image.save(tmp_path / "lily.png")
    sprite = FilesCaster(tmp_path).actor(LILY, LOOK).draw(Pose(), 97)

    edge = (sprite.rgba[..., 3] > 0) & (sprite.rgba[..., 3] < 255)
    assert edge.sum() > 20
    assert sprite.rgba[edge][:, 0].min() >= 250  # straight colour stays red to the rim


def test_lookup_drops_the_mouth_before_the_angle_and_mirrors_sides() -> None:
    have = frozenset(
        Name(*n)
        for n in [
            (None, "neutral", None),
            (None, "happy", None),
            (None, "happy", "a"),
            ("left", "happy", None),
            (None, "neutral", "blink"),
            ("left", "happy", "blink"),
        ]
    )
    assert choose(Pose("left", "happy", "a"), have) == (Name("left", "happy", None), False)
    assert choose(Pose("front", "happy", "a"), have) == (Name(None, "happy", "a"), False)
    assert choose(Pose("right", "happy"), have) == (Name("left", "happy", None), True)
    assert choose(Pose("right", "happy", blink=True), have) == (
        Name("left", "happy", "blink"),
        True,
    )
    assert choose(Pose("front", "sad", "ou"), have) == (NEUTRAL, False)
    assert choose(Pose("front", "sad", blink=True), have) == (Name(None, "neutral", "blink"), False)
    # A blink never swaps the expression: happy with only a neutral blink keeps its eyes open.
    assert choose(Pose("front", "happy", blink=True), have) == (Name(None, "happy", None), False)


def test_a_folder_draws_the_chosen_picture_mirrored_where_needed(tmp_path: Path) -> None:
    folder = tmp_path / "looks/lily"
    figure(folder / "neutral.png", (40, 60, 140))
    figure(folder / "happy.png", (200, 30, 30))
    figure(folder / "left.happy.png", (30, 160, 30))
    actor = FilesCaster(tmp_path / "looks").actor(LILY, LOOK)

    front, left, right = (
        actor.draw(Pose(a, "happy"), 300).rgba for a in ("front", "left", "right")
    )
    assert body_colour(front)[0] > 150 and body_colour(left)[1] > 120
    assert body_colour(right) == body_colour(left)
    assert mark_side(left) == "left" and mark_side(right) == "right"
    assert body_colour(actor.draw(Pose("front", "sad"), 300).rgba)[2] > 100  # neutral


def test_an_edited_picture_is_drawn_anew_and_changes_the_fingerprint(tmp_path: Path) -> None:
    path = figure(tmp_path / "lily.png", (40, 60, 140))
    caster = FilesCaster(tmp_path)
    before = caster.fingerprint()
    assert body_colour(caster.actor(LILY, LOOK).draw(Pose(), 300).rgba)[2] > 100

    figure(path, (200, 30, 30))
    assert caster.fingerprint() != before and caster.fingerprint().startswith("files:")
    assert body_colour(caster.actor(LILY, LOOK).draw(Pose(), 300).rgba)[0] > 150


def test_the_registry_makes_it_from_settings_and_actors_pickle(tmp_path: Path) -> None:
    figure(tmp_path / "pictures/lily.png")
    settings = Settings(series=SeriesSettings(premise="x"), cast={"files_dir": "pictures"})
    caster = CASTERS.create("files", settings, tmp_path)

    actor = pickle.loads(pickle.dumps(caster.actor(LILY, LOOK)))
    assert actor.id == "lily" and actor.draw(Pose(), 64).rgba.shape[0] == 64


# -- sets --------------------------------------------------------------------------------


def test_a_set_is_one_opaque_layer_covering_the_frame_and_margin(tmp_path: Path) -> None:
    (tmp_path / "sets").mkdir()
    image = Image.new("RGB", (1000, 1000), (10, 20, 30))
    ImageDraw.Draw(image).rectangle((0, 0, 99, 999), fill=(250, 0, 0))  # cropped away
    image.save(tmp_path / "sets/office.png")

    plate = FilesCaster(tmp_path).set(OFFICE, SET_LOOK, 540, 960)
    (layer,) = plate.layers
    h, w = layer.rgba.shape[:2]
    assert (w, h) == (round(540 * (1 + 2 * plate.margin)), round(960 * (1 + 2 * plate.margin)))
    assert (layer.depth, layer.blur) == (0.0, 0.0) and plate.margin > 0
    assert (layer.rgba[..., 3] == 255).all()
    assert (layer.rgba[:, :3, :3] == (10, 20, 30)).all()  # centred: the red left edge is gone


def test_a_set_too_small_or_missing_is_named(tmp_path: Path) -> None:
    (tmp_path / "sets").mkdir()
    Image.new("RGB", (500, 900)).save(tmp_path / "sets/office.png")
    Image.new("RGB", (1080, 1920)).save(tmp_path / "sets/hospital.png")
    caster = FilesCaster(tmp_path)

    small = error(lambda: caster.set(OFFICE, SET_LOOK, 540, 960))
    assert "sets/office.png" in small and "500×900" in small and "540×960" in small
    room = Location(id="hospital_room", name="Ward", kind="hospital_room")
    missing = error(lambda: caster.set(room, SET_LOOK, 540, 960))
    assert "sets/hospital_room.png" in missing and "sets/hospital.png" in missing


# -- errors ------------------------------------------------------------------------------


def test_a_missing_character_names_the_paths_tried_and_what_is_there(tmp_path: Path) -> None:
    figure(tmp_path / "looks/Lily.png")
    message = error(lambda: FilesCaster(tmp_path / "looks").actor(LILY, LOOK))

    assert "looks/lily.png" in message and "looks/lily/neutral.png" in message
    assert "looks/Lily.png" in message
    assert "does not exist" in error(lambda: FilesCaster(tmp_path / "nope").actor(LILY, LOOK))


def test_pictures_that_cannot_be_used_are_named_with_the_reason(tmp_path: Path) -> None:
    looks = tmp_path / "looks"
    looks.mkdir()
    caster = FilesCaster(looks)

    Image.new("RGB", (300, 450)).save(looks / "lily.png")
    assert "lily.png: mode RGB, need RGBA with a transparent background" in error(
        lambda: caster.actor(LILY, LOOK)
    )
    Image.new("RGBA", (300, 450), (9, 9, 9, 255)).save(looks / "lily.png")
    assert "no pixel is transparent" in error(lambda: caster.actor(LILY, LOOK))
    Image.new("RGBA", (100, 200)).save(looks / "lily.png")
    small = error(lambda: caster.actor(LILY, LOOK))
    assert "100×200 px" in small and "256 px" in small
    Image.new("RGBA", (300, 450)).save(looks / "lily.png", "GIF")
    assert "not a PNG (it is GIF)" in error(lambda: caster.actor(LILY, LOOK))
    (looks / "lily.png").write_bytes(b"\x89PNG\r\n\x1a\n garbage")
    assert "not a readable PNG" in error(lambda: caster.actor(LILY, LOOK))


def test_a_folder_is_checked_for_names_neutral_and_sizes(tmp_path: Path) -> None:
    folder = tmp_path / "lily"
    figure(folder / "hapy.png")
    caster = FilesCaster(tmp_path)
    typo = error(lambda: caster.actor(LILY, LOOK))
    assert "lily/hapy.png" in typo and "did you mean happy.png?" in typo

    (folder / "hapy.png").rename(folder / "happy.png")
    (folder / "notes.txt").write_text("not a picture: ignored")
    no_neutral = error(lambda: caster.actor(LILY, LOOK))
    assert "lily/neutral.png" in no_neutral and "found: happy.png" in no_neutral

    figure(folder / "neutral.png", size=(320, 480))
    sizes = error(lambda: caster.actor(LILY, LOOK))
    assert "happy.png: is 300×450 px but neutral.png is 320×480 px" in sizes


def test_asset_errors_pickle_with_their_path(tmp_path: Path) -> None:
    copy = pickle.loads(pickle.dumps(AssetError("mode RGB", tmp_path / "a.png")))
    assert copy.path == tmp_path / "a.png" and str(copy) == f"{tmp_path / 'a.png'}: mode RGB"
