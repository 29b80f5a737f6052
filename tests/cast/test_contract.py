"""One contract for every cast provider: what the renderer may rely on, whoever drew it.

Each provider is made the way the app makes it, by name through ``CASTERS`` from Settings:
``puppet`` as is, ``files`` over a folder of PNGs, ``image`` against the in-package fake
images server over real HTTP.
"""

from __future__ import annotations

import pickle
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from cliffhanger.cast.base import CASTERS, MOUTHS, Caster, Pose, layer_size
from cliffhanger.cast.image.fake_server import FakeImageServer
from cliffhanger.cast.puppet.actor import PuppetActor
from cliffhanger.model.bible import Appearance, Character, Location, Role
from cliffhanger.model.look import Look, SetLook
from cliffhanger.settings import CastSettings, ImageSettings, SeriesSettings, Settings

SECRET = "sk-contract-secret-9876"
LOOK = Look(
    skin="#c68c64",
    hair="#2a1b14",
    hair_style="ponytail",
    eyes="#4b3a22",
    outfit="blouse",
    colors=("#2f6f8f", "#f4d35e"),
    accessories=("earrings",),
)
MEI = Character(
    id="mei",
    name="Mei Lin",
    role=Role.LEAD,
    want="her name back",
    appearance=Appearance(age=26, gender="female", hair_style="a high ponytail"),
    look=LOOK,
)
HALL = Location(id="hall", name="Jade Palace Hall", kind="palace_hall", time_of_day="night")
HALL_LOOK = SetLook(kind="palace_hall", time_of_day="night")


def _files_folder(root: Path) -> None:
    """A user's own pictures: one RGBA portrait with a transparent background, one set."""
    looks = root / "looks"
    (looks / "sets").mkdir(parents=True)
    portrait = PuppetActor.of("mei", MEI.appearance, LOOK).draw(Pose(), 300).rgba
    Image.fromarray(portrait, "RGBA").save(looks / "mei.png")
    backdrop = np.zeros((960, 540, 3), np.uint8)
    backdrop[..., 0] = np.linspace(30, 200, 540, dtype=np.uint8)[None, :]
    backdrop[..., 2] = np.linspace(200, 40, 960, dtype=np.uint8)[:, None]
    Image.fromarray(backdrop, "RGB").save(looks / "sets" / "hall.png")


@pytest.fixture(params=["puppet", "files", "image"])
def caster(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Caster]:
    name = request.param
    with FakeImageServer(scale=0.25, api_key=SECRET) as server:
        settings = Settings(
            series=SeriesSettings(premise="a palace intrigue"),
            cast=CastSettings(provider=name),
            image=ImageSettings(base_url=server.base_url, model="fake", api_key=SECRET),
        )
        if name == "files":
            _files_folder(tmp_path)
        made = CASTERS.create(name, settings, tmp_path)
        yield made
        made.close()


def test_named_picklable_and_secret_free(caster: Caster) -> None:
    again = pickle.loads(pickle.dumps(caster))
    assert again.name == caster.name
    assert again.fingerprint() == caster.fingerprint()
    for text in (caster.fingerprint(), repr(caster)):
        assert SECRET not in text


@pytest.mark.parametrize("height", [120, 333])
def test_sprites_keep_the_contract(caster: Caster, height: int) -> None:
    actor = caster.actor(MEI, LOOK)
    assert actor.id == "mei"
    for pose in (Pose(), Pose("left", "angry", "a"), Pose("right", "crying", "ou", blink=True)):
        s = actor.draw(pose, height)
        h, w, channels = s.rgba.shape
        assert (h, channels) == (height, 4) and w > 0 and s.rgba.dtype == np.uint8
        clear = s.rgba[..., 3] == 0
        assert clear.any(), "actors come on a transparent background"
        assert not s.rgba[clear].any(), "transparent pixels are all zero (no colour to bleed)"
        fx0, fy0, fx1, fy1 = s.face
        mx0, my0, mx1, my1 = s.mouth
        assert 0 <= fx0 < fx1 <= w and 0 <= fy0 < fy1 <= h
        assert fx0 <= mx0 < mx1 <= fx1 and fy0 <= my0 < my1 <= fy1


def test_mouth_shapes_stay_inside_the_mouth_box(caster: Caster) -> None:
    actor = caster.actor(MEI, LOOK)
    rest = actor.draw(Pose(expression="happy"), 240)
    x0, y0, x1, y1 = rest.mouth
    for mouth in MOUTHS[1:]:
        other = actor.draw(Pose(expression="happy", mouth=mouth), 240)
        changed = np.any(other.rgba != rest.rgba, axis=2)
        changed[y0:y1, x0:x1] = False
        assert not changed.any(), f"{caster.name}: {mouth} changed pixels outside the mouth"


def test_same_request_same_pixels(caster: Caster) -> None:
    pose = Pose("left", "smug", "ei")
    a = caster.actor(MEI, LOOK).draw(pose, 150).rgba
    b = caster.actor(MEI, LOOK).draw(pose, 150).rgba
    assert a.tobytes() == b.tobytes()


def test_sets_keep_the_contract(caster: Caster) -> None:
    plate = caster.set(HALL, HALL_LOOK, 180, 320)
    assert (plate.width, plate.height) == (180, 320) and plate.margin >= 0.05
    assert plate.layers, "a set has at least one layer"
    want_w, want_h = layer_size(180, 320, plate.margin)
    depths = [layer.depth for layer in plate.layers]
    assert depths == sorted(depths) and depths[0] >= 0.0 and depths[-1] <= 1.0
    for layer in plate.layers:
        assert layer.rgba.shape == (want_h, want_w, 4) and layer.blur >= 0
    assert (plate.layers[0].rgba[..., 3] == 255).all(), "the back layer is opaque"
