"""Held frames as skip pictures: the segment must decode to exactly what was written,
in any decoder, with the key frames where the GOP wants them."""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path

import av
import av.logging
import cv2
import numpy as np
import pytest

from cliffhanger.render import h264
from cliffhanger.render.base import QUALITIES, Quality
from cliffhanger.render.encode import SegmentWriter, join

Q = QUALITIES["draft"]


def scene(q: Quality, k: int) -> np.ndarray:
    """A smooth picture with a disc at position ``k`` (BGRA)."""
    y, x = np.mgrid[0 : q.height, 0 : q.width]
    img = np.zeros((q.height, q.width, 4), np.uint8)
    img[..., 0] = (x * 200 // q.width).astype(np.uint8)
    img[..., 1] = (y * 180 // q.height).astype(np.uint8)
    img[..., 2] = 90
    img[..., 3] = 255
    cv2.circle(img, (60 + 6 * k, 300), 40, (30, 220, 250, 255), -1)
    return img


def decode(path: Path) -> tuple[list[np.ndarray], list[bool], list[str]]:
    """Frames (BGR), key-frame flags and whatever the decoder complained about."""
    with av.logging.Capture() as logs, av.open(str(path)) as box:
        stream = box.streams.video[0]
        stream.codec_context.options = {"err_detect": "careful"}
        frames, keys = [], []
        for f in box.decode(stream):
            frames.append(f.to_ndarray(format="bgr24"))
            keys.append(f.key_frame)
    return frames, keys, [m for level, _, m in logs if level <= av.logging.WARNING]


def psnr(a: np.ndarray, b: np.ndarray) -> float:
    mse = float(np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2))
    return 10 * np.log10(255**2 / max(mse, 1e-9))


@pytest.mark.parametrize("preset", ["veryfast", "ultrafast"])  # CABAC and CAVLC
def test_held_frames_decode_exactly_and_keep_the_gop(tmp_path: Path, preset: str) -> None:
    q = replace(Q, preset=preset)
    out = tmp_path / "held.mp4"
    writer = SegmentWriter(out, q, still=True)
    written: list[np.ndarray] = []
    box = (0, 250, q.width, 350)  # where the disc moves
    for i in range(130):
        frame = scene(q, i // 4)  # a new picture every 4th frame
        writer.write(frame, changed=[box])
        written.append(frame)
    end = scene(q, 99)
    writer.write(end, repeat=40, changed=None)  # an end card: one picture, held
    written += [end] * 40
    writer.close()
    assert writer.frames == 170
    # Frames 1-3 of every 4 repeat the one before (except on a key frame), and 39 of the
    # card's 40 (less the key frame at 120 and 150 it spans).
    expected_skips = sum(1 for i in range(130) if i % 4 and i % q.keyint) + sum(
        1 for i in range(131, 170) if i % q.keyint
    )
    assert writer.skipped == expected_skips

    frames, keys, complaints = decode(out)
    assert complaints == []
    assert len(frames) == 170
    assert [i for i, k in enumerate(keys) if k] == list(range(0, 170, q.keyint))
    for i, (got, want) in enumerate(zip(frames, written, strict=True)):
        assert psnr(got, want[..., :3]) > 38, f"frame {i} decodes wrong"
        if i % q.keyint and np.array_equal(written[i], written[i - 1]):
            assert np.array_equal(got, frames[i - 1]), f"held frame {i} is not an exact repeat"


def test_a_held_segment_joins_with_others_and_keeps_its_timing(tmp_path: Path) -> None:
    segs = []
    for k in range(2):
        w = SegmentWriter(tmp_path / f"{k}.mp4", Q, still=True)
        w.write(scene(Q, k), repeat=45, changed=[])
        w.close()
        segs.append(tmp_path / f"{k}.mp4")
    seconds = join(segs, None, tmp_path / "ep.mp4", Q).seconds
    assert seconds == pytest.approx(3.0)
    frames, keys, complaints = decode(tmp_path / "ep.mp4")
    assert complaints == [] and len(frames) == 90
    assert [i for i, k in enumerate(keys) if k] == [0, 45]
    with av.open(str(tmp_path / "ep.mp4")) as box:
        stream = box.streams.video[0]
        times = [float(p.pts * stream.time_base) for p in box.demux(stream) if p.pts is not None]
    assert times == pytest.approx([i / 30 for i in range(90)], abs=1e-3)


def test_parameter_sets_read_alike_from_annex_b_and_avcc(tmp_path: Path) -> None:
    out = tmp_path / "a.mp4"
    w = SegmentWriter(out, Q)
    w.write(scene(Q, 0))
    annexb = bytes(w._stream.codec_context.extradata or b"")
    w.close()
    with av.open(str(out)) as box:
        avcc = bytes(box.streams.video[0].codec_context.extradata or b"")
    a, b = h264.Params.parse(annexb), h264.Params.parse(avcc)
    assert replace(a, length_size=4) == b
    assert b.macroblocks == -(-Q.width // 16) * -(-Q.height // 16)
    with pytest.raises(h264.Unsupported):
        h264.Params.parse(b"\x02garbage")


def test_emulation_prevention_round_trips() -> None:
    rng = random.Random(5)
    for _ in range(3000):
        rbsp = bytes(rng.choice((0, 0, 0, 1, 2, 3, 4, 200)) for _ in range(rng.randint(0, 30)))
        nal = h264.escape(rbsp)
        for bad in (b"\x00\x00\x00", b"\x00\x00\x01", b"\x00\x00\x02"):
            assert bad not in nal
        assert not nal.endswith(b"\x00\x00")
        assert h264.unescape(nal) == rbsp
