"""One shot, rendered: compose its plate, run its frames through the overlays, encode.

A shot job holds everything its picture depends on, expressed relative to the shot's own
start (mouth keys, subtitle cues, the freeze), so a shot that only moved in the episode
has the same cache key and is not rendered again. Runs in a worker process.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from cliffhanger.cast.base import Actor, Box, SetLayer, SetPlate
from cliffhanger.render.base import Cue, Frame, Quality, Shot
from cliffhanger.render.cards import end_card, label_overlay, title_overlay
from cliffhanger.render.encode import SegmentWriter
from cliffhanger.render.picture import ShotFrames, compose
from cliffhanger.render.subtitles import Overlay, SubtitleRenderer, _overlay, active, blend

FLASH_FRAMES = 5
WHIP_FRAMES = 5
TITLE_FADE_S = 0.4
FREEZE_SATURATION = 0.55
THUMB_W = 216


@dataclass(frozen=True)
class ShotJob:
    shot: Shot  # start at 0: times are the shot's own
    frames: int
    quality: Quality
    actors: dict[str, Actor]
    set_file: str  # absolute path of the set's layers (.npz), "" for none
    cues: tuple[Cue, ...]  # shot-relative times
    label: str  # the AI label ("" for none)
    title: str  # the series title shown over the episode's opening ("" for none)
    title_until: float  # shot seconds the title stays up to (≤ 0: not in this shot)
    credits: tuple[str, ...]  # episode 1's opening credits (filing number ...)
    freeze_at: float  # shot seconds where the picture holds (≥ the shot's length: never)
    accent: tuple[int, int, int]
    seed: int
    out: str  # the segment, relative to the project root


def save_set(plate: SetPlate, path: Path) -> None:
    """A set's layers as one uncompressed .npz (loads in milliseconds)."""
    arrays: dict[str, Any] = {f"layer{i}": layer.rgba for i, layer in enumerate(plate.layers)}
    meta = np.array(
        [[layer.depth, layer.blur] for layer in plate.layers] + [[plate.width, plate.height]],
        np.float64,
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as fh:
        np.savez(fh, meta=meta, margin=np.array(plate.margin), **arrays)


def load_set(path: Path) -> SetPlate:
    """The set saved at ``path``; a worker renders many shots in one set, so the last few
    loaded stay in memory (keyed by the file's identity, so a redrawn set is reloaded)."""
    stat = path.stat()
    return _load_set(str(path), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=4)
def _load_set(path: str, mtime_ns: int, size: int) -> SetPlate:
    with np.load(path, allow_pickle=False) as data:
        meta = data["meta"]
        layers = tuple(
            SetLayer(data[f"layer{i}"], float(meta[i][0]), float(meta[i][1]))
            for i in range(len(meta) - 1)
        )
        return SetPlate(int(meta[-1][0]), int(meta[-1][1]), float(data["margin"]), layers)


def render_shot(job: ShotJob, staging: Path, threads: int = 1) -> None:
    q = job.quality
    size = (q.width, q.height)
    out = staging / job.out
    still = job.shot.kind == "end" or job.shot.move == "static"
    writer = SegmentWriter(out, q, threads=threads, still=still)
    try:
        label = label_overlay(*size, job.label) if job.label else None
        if job.shot.kind == "end":
            card = end_card(*size, job.shot.text, job.accent)
            if label is not None:
                blend(card, label)
            writer.write(card, repeat=job.frames)
            writer.close()
            _thumbnail(card, staging / thumb_path(job.out))
            return
        plate_set = load_set(Path(job.set_file)) if job.set_file else None
        plate = compose(
            job.shot,
            size,
            job.actors,
            plate_set,
            parallax=job.shot.move in {"pan_left", "pan_right"},
        )
        frames = ShotFrames(job.shot, plate, size, job.seed)
        subs = SubtitleRenderer(*size)
        title = (
            title_overlay(*size, job.title, job.credits)
            if job.title and job.title_until > 0
            else None
        )
        held: Frame | None = None
        # Whole frames, not float seconds: a float compare started some freezes a frame late.
        freeze_frame = round(job.freeze_at * q.fps) if job.freeze_at != float("inf") else job.frames
        drew: list[Box] = []  # overlay boxes on the frame before
        for i in range(job.frames):
            t = i / q.fps
            changed: list[Box] | None
            if i >= freeze_frame:
                changed = [] if held is not None else None
                if held is None:
                    held = _desaturate(frames.frame(job.freeze_at, blinks=False).copy())
                frame = held.copy()
            else:
                frame = frames.frame(t)
                changed = None if frames.changed is None else list(frames.changed)
                if _transition(frame, job.shot.transition, i):
                    frames.touch((0, 0, q.width, q.height))
                    changed = None
            if i == job.frames // 2:
                _thumbnail(frame, staging / thumb_path(job.out))
            drawn: list[Overlay] = []
            if title is not None and t < job.title_until:
                fade = min(1.0, (job.title_until - t) / TITLE_FADE_S)
                drawn.append(title if fade >= 1 else _faded(title, fade))
            shown = active(job.cues, t)
            if shown:
                drawn.append(subs.overlay(shown))
            if label is not None:
                drawn.append(label)
            boxes = [(o.x, o.y, o.x + o.width, o.y + o.height) for o in drawn]
            for overlay, box in zip(drawn, boxes, strict=True):
                blend(frame, overlay)
                frames.touch(box)
            writer.write(frame, changed=None if changed is None else [*changed, *drew, *boxes])
            drew = boxes
        writer.close()
    except BaseException:
        writer.abort()
        raise


def thumb_path(segment: str) -> str:
    """The shot's middle frame, small, beside its segment (for the contact sheet)."""
    return segment[: -len(".mp4")] + ".jpg"


def _thumbnail(frame: Frame, path: Path) -> None:
    h, w = frame.shape[:2]
    small = cv2.resize(frame, (THUMB_W, round(h * THUMB_W / w)), interpolation=cv2.INTER_AREA)
    path.parent.mkdir(parents=True, exist_ok=True)
    ok, data = cv2.imencode(".jpg", small[..., :3], [cv2.IMWRITE_JPEG_QUALITY, 85])
    if not ok:
        raise ValueError(f"cannot encode the thumbnail {path}")
    path.write_bytes(data.tobytes())


def _transition(frame: Frame, kind: str, i: int) -> bool:
    """The first frames of a shot: a white flash fading out, or a whip's smear; whether
    it drew."""
    if kind == "flash" and i < FLASH_FRAMES:
        a = 0.85 * (1 - i / FLASH_FRAMES)
        cv2.addWeighted(frame, 1 - a, np.full_like(frame, 255), a, 0, dst=frame)
        return True
    if kind == "whip" and i < WHIP_FRAMES:
        k = max(3, int(frame.shape[1] * 0.18 * (1 - i / WHIP_FRAMES)) | 1)
        cv2.blur(frame, (k, 1), dst=frame)
        return True
    return False


def _desaturate(frame: Frame) -> Frame:
    """The freeze frame: colour drained a little, the way a drama stops time."""
    grey = cv2.cvtColor(cv2.cvtColor(frame, cv2.COLOR_BGRA2GRAY), cv2.COLOR_GRAY2BGRA)
    out = cv2.addWeighted(frame, FREEZE_SATURATION, grey, 1 - FREEZE_SATURATION, 0)
    return np.asarray(out, dtype=np.uint8)


def _faded(overlay: Overlay, alpha: float) -> Overlay:
    pixels = (overlay.bgra.astype(np.float32) * alpha).astype(np.uint8)
    return _overlay(pixels, overlay.x, overlay.y)


def threads_for(workers: int) -> int:
    """x264 threads per segment: shots already run one per core, so one each; a lone
    worker gets the machine."""
    return 1 if workers > 1 else max(1, os.cpu_count() or 1)
