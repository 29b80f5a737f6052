from __future__ import annotations

import io
import itertools
from pathlib import Path

import av
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cliffhanger.errors import StageError
from cliffhanger.render import hls
from cliffhanger.render.hls import choose_cuts, read_playlist, write_hls
from cliffhanger.render.manifest import probe


@pytest.fixture(scope="module")
def written(episode_mp4: Path, tmp_path_factory: pytest.TempPathFactory) -> hls.HlsResult:
    return write_hls(episode_mp4, tmp_path_factory.mktemp("hls") / "ep001")


def test_segments_are_two_to_four_seconds_and_cover_the_episode(
    written: hls.HlsResult, episode_mp4: Path
) -> None:
    assert written.count >= 2
    assert all(2.0 - 0.01 <= d <= 4.0 + 0.01 for d in written.durations[:-1])
    assert 0 < written.durations[-1] <= 4.0 + 0.01
    assert written.duration == pytest.approx(probe(episode_mp4)["duration"], abs=0.1)


def test_folder_holds_the_playlist_init_and_segments(written: hls.HlsResult) -> None:
    folder = written.playlist.parent
    text = written.playlist.read_text()
    assert "#EXT-X-PLAYLIST-TYPE:VOD" in text and "#EXT-X-ENDLIST" in text
    assert written.init == folder / "init.mp4" and written.init.stat().st_size > 0
    assert [p.name for p in written.segments] == [f"seg{i:05d}.m4s" for i in range(written.count)]
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        ["index.m3u8", "init.mp4", *(p.name for p in written.segments)]
    )
    assert read_playlist(written.playlist) == written


def test_every_segment_starts_with_a_key_frame_and_carries_sound(written: hls.HlsResult) -> None:
    init = written.init.read_bytes()
    for segment in written.segments:
        with av.open(io.BytesIO(init + segment.read_bytes()), "r") as piece:
            assert {s.type for s in piece.streams} == {"video", "audio"}
            first = next(p for p in piece.demux(piece.streams.video[0]) if p.size)
            assert first.is_keyframe, segment.name
            assert any(p.size for p in piece.demux(piece.streams.audio[0])), segment.name


def test_rerun_replaces_the_folder_and_leaves_no_temporaries(
    episode_mp4: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "ep001"
    first = write_hls(episode_mp4, folder, target_s=3.0)
    (folder / "stale.m4s").write_bytes(b"old")
    second = write_hls(episode_mp4, folder, target_s=2.0)
    assert second.count > first.count
    assert not (folder / "stale.m4s").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["ep001"]


def test_a_failed_write_keeps_the_old_version(
    episode_mp4: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "ep001"
    before = write_hls(episode_mp4, folder)
    playlist = before.playlist.read_text()

    def broken(mp4: Path, staging: Path, cuts: set[float]) -> None:
        (staging / "index.m3u8").write_text("half")
        raise OSError("disk full")

    monkeypatch.setattr(hls, "_remux", broken)
    with pytest.raises(OSError, match="disk full"):
        write_hls(episode_mp4, folder)
    assert before.playlist.read_text() == playlist
    assert all(p.exists() for p in before.segments)
    assert [p.name for p in tmp_path.iterdir()] == ["ep001"]


def test_missing_or_broken_input_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(StageError, match=r"nothere\.mp4"):
        write_hls(tmp_path / "nothere.mp4", tmp_path / "out")
    junk = tmp_path / "junk.mp4"
    junk.write_bytes(b"not a movie" * 100)
    with pytest.raises(StageError, match=r"junk\.mp4"):
        write_hls(junk, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_segments_follow_irregular_key_frames_in_a_real_file(tmp_path: Path) -> None:
    # Key frames where shots start (0, 2.9, 4.9, 6, 8, 10 s of 11): FFmpeg's own rule (the
    # first key frame past each 3 s) would give 4.9, 1.1, 4.0 and 1.0 s.
    mp4 = tmp_path / "shots.mp4"
    with av.open(str(mp4), "w") as out:
        video = out.add_stream(
            "libx264",
            rate=30,
            options={
                "preset": "ultrafast",
                "g": "90",
                "sc_threshold": "0",
                "x264-params": "forced-idr=1",  # a forced I frame is a key frame, as at a cut
            },
        )
        video.width, video.height, video.pix_fmt = 64, 112, "yuv420p"
        for i in range(330):
            frame = av.VideoFrame.from_ndarray(np.full((112, 64, 3), i % 256, np.uint8), "rgb24")
            frame.pts = i
            if i in (0, 87, 147, 180, 240, 300):
                frame.pict_type = av.video.frame.PictureType.I
            out.mux(video.encode(frame))
        out.mux(video.encode(None))
    result = write_hls(mp4, tmp_path / "hls")
    assert result.durations == pytest.approx((2.9, 3.1, 2.0, 3.0), abs=0.01)


def test_cuts_follow_irregular_key_frames() -> None:
    # Shots start with key frames wherever they fall; the muxer's own rule would cut at 3.9
    # and 4.1 (a 0.2 s segment).
    keys = [0.0, 1.9, 2.1, 3.9, 4.1, 5.0, 6.0, 7.9, 8.5, 9.9]
    assert sorted(choose_cuts(keys, 10.5, target_s=3.0)) == [0.0, 3.9, 6.0, 8.5]


@given(
    gaps=st.lists(st.floats(min_value=1 / 30, max_value=2.0), min_size=1, max_size=40),
    tail=st.floats(min_value=1 / 30, max_value=2.0),
    target=st.floats(min_value=2.0, max_value=4.0),
)
def test_cuts_make_two_to_four_second_segments(
    gaps: list[float], tail: float, target: float
) -> None:
    keys = [0.0]
    for gap in gaps:
        keys.append(keys[-1] + gap)
    end = keys[-1] + tail
    bounds = [*sorted(choose_cuts(keys, end, target_s=target)), end]
    lengths = [b - a for a, b in itertools.pairwise(bounds)]
    assert all(2.0 - 1e-6 <= n <= 4.0 + 1e-6 for n in lengths[:-1])
    assert 0 < lengths[-1] <= 4.0 + 1e-6


def test_target_outside_two_to_four_seconds_is_refused(episode_mp4: Path, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="target_s"):
        write_hls(episode_mp4, tmp_path / "x", target_s=6.0)
