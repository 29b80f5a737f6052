"""Shared render fixtures: a tiny real episode MP4 shaped like the encoder's output."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import pytest

FIXTURE_SECONDS = 9.0
FIXTURE_SIZE = (540, 960)  # width, height
FIXTURE_FPS = 30
FIXTURE_GOP = 60  # frames: a key frame every 2 s, as the encoder's keyint


def make_episode_mp4(
    path: Path,
    *,
    seconds: float = FIXTURE_SECONDS,
    size: tuple[int, int] = FIXTURE_SIZE,
    fps: int = FIXTURE_FPS,
) -> Path:
    """H.264 High yuv420p, closed GOPs of 2 s, AAC 48 kHz stereo, faststart: moving bands."""
    width, height = size
    with av.open(str(path), "w", options={"movflags": "+faststart"}) as out:
        video = out.add_stream(
            "libx264",
            rate=fps,
            options={
                "preset": "superfast",
                "profile": "high",
                "crf": "30",
                "g": str(FIXTURE_GOP),
                "keyint_min": str(FIXTURE_GOP),
                "sc_threshold": "0",
                "flags": "+cgop",
            },
        )
        video.width, video.height, video.pix_fmt = width, height, "yuv420p"
        audio = out.add_stream("aac", rate=48000, layout="stereo")
        yy, xx = np.mgrid[0:height, 0 : width * 2]
        strip = np.stack([xx % 256, yy % 256, np.full_like(xx, 96)], axis=-1).astype(np.uint8)
        samples = round(seconds * 48000)
        tone = (0.2 * np.sin(2 * np.pi * 440 * np.arange(samples) / 48000)).astype(np.float32)
        stereo = np.stack([tone, tone])
        sent = 0  # audio samples encoded so far: kept just ahead of the video, interleaved
        for i in range(round(seconds * fps)):
            shift = (i * 8) % width
            frame = av.VideoFrame.from_ndarray(
                np.ascontiguousarray(strip[:, shift : shift + width]), format="rgb24"
            )
            frame.pts = i
            out.mux(video.encode(frame))
            while sent < min(samples, (i + 1) * 48000 // fps):
                chunk = av.AudioFrame.from_ndarray(
                    np.ascontiguousarray(stereo[:, sent : sent + 1024]),
                    format="fltp",
                    layout="stereo",
                )
                chunk.sample_rate = 48000
                chunk.pts = sent
                out.mux(audio.encode(chunk))
                sent += 1024
        out.mux(video.encode(None))
        out.mux(audio.encode(None))
    return path


@pytest.fixture(scope="session")
def episode_mp4(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A read-only 9 s episode; copy it before changing anything next to it."""
    return make_episode_mp4(tmp_path_factory.mktemp("episode") / "ep001.mp4")


RENDER_PREMISE = "A maid in a billionaire's mansion is secretly his long-lost daughter."


@pytest.fixture(scope="session")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real two-episode series, voiced and rendered at draft quality by the CLI (short
    episodes, to keep the suite quick). Tests that change it work on a copy."""
    from tests.cli.test_cli import cli

    d = tmp_path_factory.mktemp("rendered") / "series"
    code, out = cli(
        "new",
        str(d),
        "--premise",
        RENDER_PREMISE,
        "--episodes",
        "2",
        "--seconds",
        "20",
        "--seed",
        "5",
    )
    assert code == 0, out
    code, out = cli("render", str(d), "--quality", "draft", "--json")
    assert code == 0, out
    return d
