"""The sprite cache: drawn once, shared through a folder, placed exactly."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import skia

from cliffhanger.cast.base import Pose, Sprite
from cliffhanger.cast.cache import SpriteCache, actor_key, place
from cliffhanger.cast.puppet.actor import PuppetActor
from cliffhanger.model.bible import Appearance
from cliffhanger.model.look import Look


class Counting:
    """A puppet that counts its drawings."""

    def __init__(self) -> None:
        look = Look(skin="#e0b896", hair="#3a2418", hair_style="ponytail", eyes="#33591f")
        self.inner = PuppetActor.of("mei", Appearance(age=24, gender="female"), look)
        self.calls = 0

    @property
    def id(self) -> str:
        return self.inner.id

    def draw(self, pose: Pose, height: int) -> Sprite:
        self.calls += 1
        return self.inner.draw(pose, height)


KEY = actor_key("puppet/1", "mei", {"hair": "ponytail"})


def test_each_pose_and_size_is_drawn_once() -> None:
    actor, cache = Counting(), SpriteCache()
    poses = [Pose(), Pose(mouth="a"), Pose(angle="left")]
    for _ in range(3):
        for p in poses:
            cache.get(actor, KEY, p, 120)
    cache.get(actor, KEY, Pose(), 240)
    assert actor.calls == 4
    assert cache.hits == 6


def test_a_folder_shares_sprites_between_caches(tmp_path: Path) -> None:
    first, second = Counting(), Counting()
    a = SpriteCache(tmp_path)
    a.get(first, KEY, Pose(expression="sad"), 100)
    b = SpriteCache(tmp_path)
    got = b.get(second, KEY, Pose(expression="sad"), 100)
    assert second.calls == 0 and b.disk_hits == 1
    assert got.face == first.inner.draw(Pose(expression="sad"), 100).face
    other = actor_key("puppet/2", "mei", {"hair": "ponytail"})  # a new drawing version
    b.get(second, other, Pose(expression="sad"), 100)
    assert second.calls == 1


def test_memory_stays_within_its_budget() -> None:
    actor = Counting()
    one = 100 * 80 * 4
    cache = SpriteCache(max_bytes=one * 2)
    for mouth in ("rest", "a", "ei", "ou"):
        cache.get(actor, KEY, Pose(mouth=mouth), 100)
    assert cache._bytes <= one * 2
    cache.get(actor, KEY, Pose(mouth="rest"), 100)  # evicted: drawn again
    assert actor.calls == 5


def test_placing_a_sprite_blends_it_exactly() -> None:
    actor, cache = Counting(), SpriteCache()
    sprite = actor.inner.draw(Pose(), 200)
    placed = cache.get(actor, KEY, Pose(), 200)
    surface = skia.Surface(400, 400)
    canvas = surface.getCanvas()
    canvas.clear(skia.Color(20, 120, 200))
    place(canvas, placed, 50, 60)
    got = surface.makeImageSnapshot().toarray(colorType=skia.kRGBA_8888_ColorType)
    region = got[60:260, 50:210, :3].astype(float)
    a = sprite.rgba[..., 3:4] / 255.0
    want = sprite.rgba[..., :3] * a + np.array([20, 120, 200]) * (1 - a)
    assert np.abs(region - want).max() <= 2
    assert (got[0:60, :, :3] == [20, 120, 200]).all()
