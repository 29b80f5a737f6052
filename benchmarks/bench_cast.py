"""Benchmark: placing a cached actor in a 1080×1920 frame, and `cliffhanger cast` for a series.

Targets (issue 3): putting a cached character into a 1080×1920 frame costs ≤ 5 ms; casting a
whole series takes ≤ 60 s on the 2-core reference machine.

Baselines in the same run: for placing, the same blend done by Pillow's ``Image.paste``
with a mask and by a numpy premultiplied blend (what a render loop would do without a
native-format cache); for casting, the CLI's own start-up.

    .venv/bin/python benchmarks/bench_cast.py [--repeat 200] [--episodes 60]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import skia
from PIL import Image

from cliffhanger.cast.base import Pose
from cliffhanger.cast.cache import SpriteCache, actor_key, place
from cliffhanger.cast.puppet.actor import PuppetActor
from cliffhanger.model.bible import Appearance
from cliffhanger.model.look import Look

PREMISE = "A billionaire's secret daughter works as a maid in her own father's mansion."
SPRITE_H = 1400  # a medium close-up: the actor fills most of the frame's height


def per_call_ms(fn: Callable[[], object], repeat: int) -> float:
    fn()
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000


def bench_place(repeat: int) -> dict[str, float]:
    look = Look(
        skin="#e8c4a0",
        hair="#1c1a1f",
        hair_style="long_wavy",
        eyes="#4a3326",
        outfit="gown",
        colors=("#a01d3a", "#f2f2f2"),
    )
    actor = PuppetActor.of("bench", Appearance(age=28, gender="female"), look)
    cache = SpriteCache()
    key = actor_key("puppet", actor.id, look.model_dump())
    t = time.perf_counter()
    sprite = cache.get(actor, key, Pose(), SPRITE_H)
    first_ms = (time.perf_counter() - t) * 1000
    frame = skia.Surface(1080, 1920)
    canvas = frame.getCanvas()
    canvas.clear(skia.Color(40, 50, 70))
    cached_ms = per_call_ms(
        lambda: place(canvas, cache.get(actor, key, Pose(), SPRITE_H), -20, 520), repeat
    )
    scaled_ms = per_call_ms(
        lambda: place(canvas, sprite, -20.5, 500.25, 1.04), max(10, repeat // 4)
    )

    rgba = actor.draw(Pose(), SPRITE_H).rgba
    pil_frame = Image.new("RGB", (1080, 1920), (40, 50, 70))
    pil_sprite = Image.fromarray(rgba, "RGBA")
    pillow_ms = per_call_ms(
        lambda: pil_frame.paste(pil_sprite, (-20, 520), pil_sprite), max(10, repeat // 4)
    )

    np_frame = np.zeros((1920, 1080, 3), np.uint8)
    a = rgba[..., 3:4].astype(np.uint16)
    pm = (rgba[..., :3].astype(np.uint16) * a // 255).astype(np.uint16)
    h, w = min(SPRITE_H, 1920 - 520), min(rgba.shape[1], 1080)

    def numpy_blend() -> None:
        dst = np_frame[520 : 520 + h, :w]
        dst[:] = (pm[:h, :w] + dst.astype(np.uint16) * (255 - a[:h, :w]) // 255).astype(np.uint8)

    numpy_ms = per_call_ms(numpy_blend, max(10, repeat // 10))
    return {
        "first_draw_ms": first_ms,
        "place_cached_ms": cached_ms,
        "place_scaled_ms": scaled_ms,
        "pillow_paste_ms": pillow_ms,
        "numpy_blend_ms": numpy_ms,
    }


def bench_cast(episodes: int) -> dict[str, float]:
    exe = str(Path(sys.executable).parent / "cliffhanger")
    startup = statistics.median(_timed([exe, "--version"]) for _ in range(3))
    d = Path(tempfile.mkdtemp()) / "series"
    try:
        subprocess.run(
            [exe, "new", str(d), "--premise", PREMISE, "--episodes", str(episodes), "--seed", "7"],
            check=True,
            capture_output=True,
        )
        subprocess.run([exe, "write", str(d)], check=True, capture_output=True)
        seconds = _timed([exe, "cast", str(d)])
        again = _timed([exe, "cast", str(d)])
        sheets = len(list((d / "cast").glob("*.png"))) + len(list((d / "cast/sets").glob("*.png")))
    finally:
        shutil.rmtree(d.parent, ignore_errors=True)
    return {"cast_s": seconds, "cast_again_s": again, "startup_s": startup, "sheets": sheets}


def _timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--episodes", type=int, default=60)
    args = parser.parse_args()
    placing = bench_place(args.repeat)
    casting = bench_cast(args.episodes)
    result = placing | casting
    result["vs_pillow"] = placing["pillow_paste_ms"] / placing["place_cached_ms"]
    result["vs_numpy"] = placing["numpy_blend_ms"] / placing["place_cached_ms"]
    result["cast_vs_startup"] = casting["cast_s"] / casting["startup_s"]
    print(json.dumps({k: round(v, 3) for k, v in result.items()}, indent=2))
    print(
        f"place a cached 1080-wide, {SPRITE_H}-px actor in a 1080×1920 frame: "
        f"{placing['place_cached_ms']:.2f} ms (target ≤ 5 ms; Pillow paste "
        f"{placing['pillow_paste_ms']:.2f} ms = {result['vs_pillow']:.1f}×, numpy blend "
        f"{placing['numpy_blend_ms']:.2f} ms = {result['vs_numpy']:.1f}×)"
    )
    print(
        f"cast {int(casting['sheets'])} sheets for {args.episodes} episodes: "
        f"{casting['cast_s']:.1f} s (target ≤ 60 s; {result['cast_vs_startup']:.1f}× CLI "
        f"start-up), again (all fresh) {casting['cast_again_s']:.2f} s"
    )
    ok = placing["place_cached_ms"] <= 5.0 and casting["cast_s"] <= 60.0
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
