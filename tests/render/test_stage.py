"""`cliffhanger render`: real draft renders of a short series — streams, durations,
subtitles against the voice's timing, the safe area, the manifest, HLS, and the
incremental, resume and self-repair paths."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from cliffhanger.render import aac
from cliffhanger.render.base import safe_box
from cliffhanger.render.episode import frame_at
from cliffhanger.render.hls import read_playlist
from cliffhanger.render.manifest import probe, verify_manifest
from tests.cli.test_cli import cli

FPS = 30


def render(d: Path, *args: str) -> dict[str, Any]:
    code, out = cli("render", str(d), "--quality", "draft", "--json", *args)
    assert code == 0, out
    result: dict[str, Any] = json.loads(out)
    return result


def lines_of(d: Path, n: int) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        (d / f"out/en/audio/ep{n:03d}.lines.json").read_text(encoding="utf-8")
    )
    return data


def srt_cues(path: Path) -> list[tuple[float, float, str]]:
    def secs(stamp: str) -> float:
        h, m, rest = stamp.split(":")
        s, ms = rest.split(",")
        return int(h) * 3600 + int(m) * 60 + int(s) + int(ms) / 1000

    cues = []
    for block in path.read_text(encoding="utf-8").strip().split("\n\n"):
        rows = block.splitlines()
        start, end = rows[1].split(" --> ")
        cues.append((secs(start), secs(end), " ".join(rows[2:])))
    return cues


@pytest.fixture
def copy(rendered: Path, tmp_path: Path) -> Path:
    """A private copy of the rendered series (caches included) to change."""
    d = tmp_path / "series"
    shutil.copytree(rendered, d, symlinks=True)
    return d


def test_render_builds_what_is_stale_first(rendered: Path) -> None:
    """The fixture ran `render` on a project that had only its settings: the scripts, the
    cast sheets and the audio were made on the way."""
    assert (rendered / "bible.yaml").is_file() and (rendered / "scripts/ep002.fountain").is_file()
    assert list((rendered / "cast").glob("*.png")) and list((rendered / "cast/sets").glob("*.png"))
    assert (rendered / "out/en/audio/ep002.mix.wav").is_file()


def test_every_episode_has_its_files_and_streams(rendered: Path) -> None:
    out = rendered / "out/en"
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert [e["number"] for e in manifest["episodes"]] == [1, 2]
    for entry in manifest["episodes"]:
        n = entry["number"]
        for kind in ("mp4", "srt", "vtt", "cover", "otio", "hls", "storyboard"):
            assert (out / entry["files"][kind]).is_file(), kind
        info = probe(out / f"ep{n:03d}.mp4")
        assert info["video_codec"] == "h264" and info["profile"] == "High"
        assert info["pix_fmt"] == "yuv420p"
        assert (info["width"], info["height"], round(info["fps"])) == (540, 960, 30)
        assert (info["audio_codec"], info["sample_rate"], info["channels"]) == ("aac", 48000, 2)
        assert info["duration"] == pytest.approx(entry["duration"], abs=1.5 / FPS)
        # The picture runs at least as long as the mix (the stinger rings out over the end).
        assert info["duration"] >= lines_of(rendered, n)["seconds"] - 1 / FPS
    assert verify_manifest(out) == []


def test_the_mp4_starts_with_its_index(rendered: Path) -> None:
    """faststart: the moov box comes before the media data, so playback starts at once."""
    head = (rendered / "out/en/ep001.mp4").read_bytes()[:4096]
    assert b"moov" in head and (b"mdat" not in head or head.index(b"moov") < head.index(b"mdat"))


def test_subtitles_follow_the_voice(rendered: Path) -> None:
    for n in (1, 2):
        cues = srt_cues(rendered / f"out/en/ep{n:03d}.srt")
        vtt = (rendered / f"out/en/ep{n:03d}.vtt").read_text(encoding="utf-8")
        assert vtt.startswith("WEBVTT")
        for line in lines_of(rendered, n)["lines"]:
            first_word = re.sub(r"[^\w']", "", line["text"].split()[0])
            mine = [c for c in cues if first_word in c[2] and c[0] >= line["start"] - 0.01]
            assert mine, f"no subtitle for {line['text']!r}"
            start, end, _ = mine[0]
            assert start == pytest.approx(line["start"], abs=0.002), "on screen as it is said"
            assert end <= line["end"] + 1.0 and end > start


def still_shots(d: Path, n: int) -> list[tuple[float, float]]:
    """(start, end) of each still-camera shot, read back from the episode's OTIO timeline."""
    import opentimelineio as otio

    timeline = otio.adapters.read_from_file(str(d / f"out/en/ep{n:03d}.otio"))
    out = []
    for clip in timeline.video_tracks()[0].find_clips():
        meta = clip.metadata["cliffhanger"]
        still = meta["move"] == "static" and meta["transition"] == "cut"
        if meta["kind"] == "scene" and still and not meta["freeze"]:
            out.append((float(meta["start"]), float(meta["end"])))
    return out


def test_the_contact_sheet_shows_every_shot_with_its_line_under_it(rendered: Path) -> None:
    """A grid of six columns: each shot's thumbnail, a label above and the line heard
    below it in dark text on white."""
    import cv2
    import opentimelineio as otio

    timeline = otio.adapters.read_from_file(str(rendered / "out/en/ep001.otio"))
    clips = list(timeline.video_tracks()[0].find_clips())
    thumbs = sorted((rendered / ".cliffhanger/cache/shots").glob("*.jpg"))
    pictures = [cv2.imread(str(t)) for t in thumbs]
    th, tw = pictures[0].shape[:2]
    sheet = cv2.imread(str(rendered / "out/en/storyboard/ep001.jpg"))
    cols, rows = 6, -(-len(clips) // 6)
    assert sheet.shape[:2] == (48 + rows * (th + 22 + 64 + 10), cols * (tw + 10) + 10)
    for i in range(len(clips)):
        x, y = 10 + (i % cols) * (tw + 10), 48 + (i // cols) * (th + 22 + 64 + 10)
        tile = sheet[y + 22 : y + 22 + th, x : x + tw].astype(np.int16)
        closest = min(float(np.abs(tile - p.astype(np.int16)).mean()) for p in pictures)
        assert closest < 6.0, f"shot {i}: its thumbnail is not in its tile"
        label = sheet[y : y + 22, x : x + tw]
        below = sheet[y + 22 + th : y + 22 + th + 64, x : x + tw]
        assert (label < 128).any() and (below < 96).any(), f"shot {i}: no text"
        assert np.median(below) > 240  # on white


def test_burned_in_subtitles_stay_in_the_safe_area(rendered: Path) -> None:
    """Within one still shot, a frame with a subtitle differs from one without only inside
    the safe area: nothing lands on the platform's buttons or caption."""
    checked = 0
    for n in (1, 2):
        mp4 = rendered / f"out/en/ep{n:03d}.mp4"
        cues = srt_cues(rendered / f"out/en/ep{n:03d}.srt")
        for start, end in still_shots(rendered, n):
            # A line's shot opens on the breath before it is said: no subtitle yet.
            times = np.arange(start + 1.5 / FPS, end - 1.5 / FPS, 1 / FPS)
            shown = [t for t in times if any(a + 0.05 <= t < b - 0.05 for a, b, _ in cues)]
            quiet = [t for t in times if not any(a - 0.05 <= t < b + 0.05 for a, b, _ in cues)]
            if not shown or not quiet:
                continue
            diff = np.abs(frame_at(mp4, shown[0]).astype(np.int16) - frame_at(mp4, quiet[0]))
            ink = diff[..., :3].max(axis=2) > 60
            h, w = ink.shape
            x0, _, x1, y1 = safe_box(w, h)
            band = ink[h // 2 :]  # below the faces: the subtitle (a mouth may move above)
            ys, xs = np.nonzero(band)
            assert len(ys) > 200, "a subtitle appeared"
            assert xs.min() >= x0 and xs.max() < x1, "the subtitle reaches a side keep-clear zone"
            assert ys.max() + h // 2 < y1, "the subtitle reaches the bottom keep-clear zone"
            checked += 1
    assert checked, "no still shot has a moment with and without a subtitle to compare"


def test_the_ai_label_is_on_every_frame(rendered: Path) -> None:
    mp4 = rendered / "out/en/ep001.mp4"
    duration = probe(mp4)["duration"]
    for t in (0.5, duration / 2, duration - 0.3):
        frame = frame_at(mp4, t)
        h, w = frame.shape[:2]
        x0, y0, _, _ = safe_box(w, h)
        corner = frame[y0 : y0 + int(h * 0.03), x0 : x0 + int(w * 0.25), :3].astype(np.int16)
        assert (corner.min(axis=2) > 200).sum() > 40, f"no light label text at {t:.1f} s"


def test_hls_segments_are_two_to_four_seconds(rendered: Path) -> None:
    for n in (1, 2):
        hls = read_playlist(rendered / f"out/en/hls/ep{n:03d}/index.m3u8")
        assert all(2.0 - 1e-3 <= d <= 4.0 + 1e-3 for d in hls.durations[:-1])
        assert hls.duration == pytest.approx(
            probe(rendered / f"out/en/ep{n:03d}.mp4")["duration"], abs=0.1
        )


def test_rendering_again_does_nothing(copy: Path) -> None:
    before = (copy / "out/en/ep001.mp4").read_bytes()
    summary = render(copy)
    assert summary["shots_rendered"] == 0
    assert (copy / "out/en/ep001.mp4").read_bytes() == before


def test_one_changed_line_rerenders_only_its_shots(copy: Path) -> None:
    lines = lines_of(copy, 2)["lines"]
    target = lines[len(lines) // 2]
    script = copy / "scripts/ep002.fountain"
    text = script.read_text(encoding="utf-8")
    assert target["text"] in text
    script.write_text(text.replace(target["text"], "Then say it to my face.", 1), encoding="utf-8")
    ep1 = (copy / "out/en/ep001.mp4").read_bytes()
    ep2 = (copy / "out/en/ep002.mp4").read_bytes()
    summary = render(copy)
    assert 1 <= summary["shots_rendered"] <= 4, summary
    assert summary["shots_rendered"] <= 0.3 * summary["shots"]
    assert (copy / "out/en/ep001.mp4").read_bytes() == ep1, "the other episode is untouched"
    assert (copy / "out/en/ep002.mp4").read_bytes() != ep2
    assert "Then say it to my face." in (copy / "out/en/ep002.srt").read_text(encoding="utf-8")
    assert verify_manifest(copy / "out/en") == []


def test_a_late_changed_line_re_encodes_only_the_sound_after_it(copy: Path) -> None:
    """The mix before the line is unchanged (the master holds its gain), so the AAC pieces
    before it are found in the cache and the episode's sound up to there is the same."""
    import av

    def sound(mp4: Path) -> np.ndarray:
        with av.open(str(mp4)) as box:
            return np.concatenate([f.to_ndarray() for f in box.decode(audio=0)], axis=1)

    pieces = copy / ".cliffhanger/cache/aac/en-ep002"
    before_pieces = {p.name for p in pieces.glob("*.npz")}
    before = sound(copy / "out/en/ep002.mp4")
    last = lines_of(copy, 2)["lines"][-1]
    script = copy / "scripts/ep002.fountain"
    text = script.read_text(encoding="utf-8")
    script.write_text(text.replace(last["text"], "Not one more word.", 1), encoding="utf-8")
    summary = render(copy)
    assert "ep002-audio" in summary["ran"]
    kept = before_pieces & {p.name for p in pieces.glob("*.npz")}
    assert kept and len(kept) < len(before_pieces), "the pieces before the line were reused"
    after = sound(copy / "out/en/ep002.mp4")
    # Up to the frame before the first piece that reads past the line's start (a piece is
    # encoded from 3 frames before it begins):
    piece = aac.PIECE_FRAMES * aac.FRAME
    start = round(last["start"] * 48000) - aac.PRE_ROLL * aac.FRAME
    cut = (start // piece) * piece - aac.FRAME
    assert cut > 48000 and np.array_equal(after[:, :cut], before[:, :cut])


def test_a_killed_render_resumes_without_redoing_finished_shots(
    copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Shots finish one by one; a crash midway keeps them, and the next run renders only
    the rest."""
    shutil.rmtree(copy / ".cliffhanger/cache/shots")
    monkeypatch.setenv("CLIFFHANGER_PIPELINE__EXECUTOR", "inline")
    from cliffhanger.render import stages

    real = stages._run_shot
    calls = {"n": 0}

    def dies_on_the_fourth(payload: Any, staging: Path) -> None:
        calls["n"] += 1
        if calls["n"] == 4:
            raise KeyboardInterrupt  # as if the process were killed
        real(payload, staging)

    monkeypatch.setattr(stages, "_run_shot", dies_on_the_fourth)
    with pytest.raises(KeyboardInterrupt):
        stages.render(_project(copy), _settings(copy), quality="draft")
    monkeypatch.setattr(stages, "_run_shot", real)
    summary = render(copy)
    assert summary["shots_rendered"] == summary["shots"] - 3


def test_a_damaged_shot_is_rendered_again(copy: Path) -> None:
    shots = sorted((copy / ".cliffhanger/cache/shots").glob("*.mp4"))
    shots[0].write_bytes(b"not a video")
    summary = render(copy)
    assert summary["shots_rendered"] == 1
    assert probe(copy / "out/en/ep001.mp4")["video_codec"] == "h264"


def test_a_missing_mix_is_made_again_and_a_bad_quality_is_refused(copy: Path) -> None:
    (copy / "out/en/audio/ep001.mix.wav").unlink()
    render(copy)
    assert (copy / "out/en/audio/ep001.mix.wav").is_file()
    code, out = cli("render", str(copy), "--quality", "ultra", "--json")
    assert code == 2 and "draft" in out and "final" in out


def _project(d: Path) -> Any:
    from cliffhanger.project import Project

    return Project(d)


def _settings(d: Path) -> Any:
    from cliffhanger.settings import load

    return load(d)


def test_a_scene_in_a_place_the_bible_lacks_still_gets_a_set() -> None:
    from cliffhanger.render.stages import unlisted_place

    night = unlisted_place("INT. ABANDONED WAREHOUSE - NIGHT", seed=7)
    assert night.look is not None and night.time_of_day == "night"
    assert night.name == "Abandoned Warehouse" and night.id == "unlisted_abandoned_warehouse"
    day = unlisted_place("EXT. CITY PARK - DAY", seed=7)
    assert day.look is not None and not day.interior and day.time_of_day == "day"
    assert unlisted_place("INT. ABANDONED WAREHOUSE - NIGHT", seed=7) == night, "deterministic"


def test_a_missing_picture_is_an_error_naming_it_and_keeps_what_was_made(copy: Path) -> None:
    """With the user's own pictures as the cast, a missing one stops the render with its
    name; nothing already rendered is lost."""
    before = (copy / "out/en/ep001.mp4").read_bytes()
    settings = copy / "cliffhanger.toml"
    settings.write_text(
        settings.read_text(encoding="utf-8") + '\n[cast]\nprovider = "files"\n', encoding="utf-8"
    )
    code, out = cli("render", str(copy), "--quality", "draft", "--json")
    assert code == 1
    error = json.loads(out)["error"]
    assert "looks" in error and ".png" in error, error
    assert (copy / "out/en/ep001.mp4").read_bytes() == before


def test_the_delivered_sound_keeps_loudness_and_the_true_peak_ceiling(rendered: Path) -> None:
    """Measured on the AAC track inside the MP4 — what the viewer hears — not on the WAV:
    a lossy encoder overshoots a master's peaks."""
    import av
    import pyloudnorm

    from cliffhanger.mix.dynamics import true_peak

    for n in (1, 2):
        with av.open(str(rendered / f"out/en/ep{n:03d}.mp4")) as box:
            frames = [f.to_ndarray() for f in box.decode(audio=0)]
        heard = np.concatenate(frames, axis=1).T.astype(np.float32)
        assert heard.shape[1] == 2
        assert true_peak(heard) <= -1.0
        assert pyloudnorm.Meter(48000).integrated_loudness(heard) == pytest.approx(-14.0, abs=1.0)
