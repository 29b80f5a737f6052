from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote

import opentimelineio as otio
import pytest

from cliffhanger.render.base import Figure, Shot
from cliffhanger.render.otio import write_otio

FPS = 30

SHOTS = (
    Shot(0, "title", 0.0, 1.5, text=("Salt and Glass", "Episode 1")),
    Shot(1, "scene", 1.5, 3.71, location="harbour", scene=0, framing="wide", beat="hook"),
    Shot(
        2,
        "scene",
        3.71,
        6.02,
        location="harbour",
        scene=0,
        framing="close",
        move="push_in",
        figures=(Figure("claire_reed", 0.5),),
        focus="claire_reed",
        lines=(0, 1),
        beat="reveal",
    ),
    Shot(3, "scene", 6.02, 8.0, location="harbour", lines=(2,), beat="cliffhanger", freeze=True),
    Shot(4, "end", 8.0, 9.0, text=("To be continued",)),
)
CUES = (
    (1.6, 3.2, "claire_reed", "You kept the letter."),
    (4.0, 5.9, "marcus_hale", "I kept everything, Claire — even you."),
)


@pytest.fixture
def project(tmp_path: Path, episode_mp4: Path) -> Path:
    (tmp_path / "out" / "en").mkdir(parents=True)
    (tmp_path / "mix").mkdir()
    (tmp_path / "out" / "en" / "ep001.mp4").write_bytes(episode_mp4.read_bytes())
    (tmp_path / "mix" / "ep 001.wav").write_bytes(b"RIFF")
    write_otio(
        tmp_path / "edit" / "ep001.otio",
        title="Salt and Glass — Episode 1",
        shots=SHOTS,
        video=tmp_path / "out" / "en" / "ep001.mp4",
        audio=tmp_path / "mix" / "ep 001.wav",
        fps=FPS,
        cues=CUES,
    )
    return tmp_path


def _read(project: Path) -> otio.schema.Timeline:
    return otio.adapters.read_from_file(str(project / "edit" / "ep001.otio"))


def test_one_clip_per_shot_tiling_the_episode(project: Path) -> None:
    timeline = _read(project)
    video = timeline.video_tracks()[0]
    clips = list(video.find_clips())
    assert len(clips) == len(SHOTS) == len(video)
    assert timeline.duration() == otio.opentime.RationalTime(round(9.0 * FPS), FPS)
    position = 0
    for clip, shot in zip(clips, SHOTS, strict=True):
        frames = clip.source_range
        assert frames.start_time.rate == FPS and frames.start_time.value == position
        assert frames.start_time.value == round(shot.start * FPS)  # the shot's place in the MP4
        assert frames.duration.value == round(shot.end * FPS) - round(shot.start * FPS)
        assert clip.range_in_parent().start_time.value == position
        position += int(frames.duration.value)
    assert clips[2].name == "002 close-up claire_reed"
    assert clips[0].name == "000 title card" and clips[-1].name == "004 end card"


def test_clips_carry_the_storyboard(project: Path) -> None:
    clip = list(_read(project).video_tracks()[0].find_clips())[2]
    meta = clip.metadata["cliffhanger"]
    assert (meta["framing"], meta["move"], meta["beat"]) == ("close", "push_in", "reveal")
    assert list(meta["lines"]) == [0, 1] and meta["focus"] == "claire_reed"


def test_audio_track_holds_the_mix(project: Path) -> None:
    timeline = _read(project)
    (track,) = timeline.audio_tracks()
    (clip,) = list(track.find_clips())
    assert clip.duration() == timeline.duration()
    assert unquote(clip.media_reference.target_url) == "../mix/ep 001.wav"


def test_cues_become_markers(project: Path) -> None:
    markers = _read(project).video_tracks()[0].markers
    assert [(m.name, m.comment) for m in markers] == [(c[2], c[3]) for c in CUES]
    assert markers[1].marked_range.start_time == otio.opentime.RationalTime(120, FPS)
    assert markers[1].marked_range.duration == otio.opentime.RationalTime(57, FPS)


def test_media_urls_are_relative_and_resolve_after_a_move(project: Path, tmp_path: Path) -> None:
    moved = tmp_path.parent / (tmp_path.name + "-moved")
    project.rename(moved)
    timeline = otio.adapters.read_from_file(str(moved / "edit" / "ep001.otio"))
    for clip in timeline.find_clips():
        url = unquote(clip.media_reference.target_url)
        assert not Path(url).is_absolute() and "://" not in url
        assert (moved / "edit" / url).resolve().is_file()
        assert clip.available_range().duration.value == 270


def test_rewriting_keeps_one_file(project: Path) -> None:
    target = project / "edit" / "ep001.otio"
    write_otio(target, title="t", shots=SHOTS[:2], video=target, audio=None, fps=FPS)
    assert [p.name for p in target.parent.iterdir()] == ["ep001.otio"]
    assert len(list(_read(project).find_clips())) == 2


def test_refuses_no_shots_or_shots_under_a_frame(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="at least one shot"):
        write_otio(tmp_path / "a.otio", title="t", shots=(), video=tmp_path, audio=None, fps=FPS)
    tiny = (Shot(0, "scene", 0.0, 0.01),)
    with pytest.raises(ValueError, match="shorter than a frame"):
        write_otio(tmp_path / "a.otio", title="t", shots=tiny, video=tmp_path, audio=None, fps=FPS)
    assert not (tmp_path / "a.otio").exists()
