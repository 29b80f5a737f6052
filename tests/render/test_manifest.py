from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from cliffhanger.errors import StageError
from cliffhanger.render.hls import write_hls
from cliffhanger.render.manifest import EpisodeEntry, probe, update_manifest, verify_manifest


def _episode(folder: Path, source: Path, number: int) -> EpisodeEntry:
    """Lay out one episode's files as the renderer does and describe them."""
    stem = f"ep{number:03d}"
    shutil.copyfile(source, folder / f"{stem}.mp4")
    (folder / f"{stem}.srt").write_text(f"1\n00:00:00,000 --> 00:00:01,000\nHello {number}\n")
    (folder / f"{stem}.vtt").write_text(f"WEBVTT\n\n00:00.000 --> 00:01.000\nHello {number}\n")
    write_hls(folder / f"{stem}.mp4", folder / "hls" / stem)
    info = probe(folder / f"{stem}.mp4")
    return EpisodeEntry(
        number=number,
        title=f"Episode {number}",
        duration=info["duration"],
        width=info["width"],
        height=info["height"],
        quality="draft",
        files={
            "mp4": f"{stem}.mp4",
            "srt": f"{stem}.srt",
            "vtt": f"{stem}.vtt",
            "hls": f"hls/{stem}/index.m3u8",
        },
    )


@pytest.fixture
def folder(tmp_path: Path, episode_mp4: Path) -> Path:
    out = tmp_path / "en"
    out.mkdir()
    update_manifest(out, _episode(out, episode_mp4, 2), series="Salt and Glass")
    update_manifest(out, _episode(out, episode_mp4, 1), series="Salt and Glass")
    return out


def test_probe_reports_what_the_encoder_promises(episode_mp4: Path) -> None:
    info = probe(episode_mp4)
    assert (info["video_codec"], info["profile"], info["pix_fmt"]) == ("h264", "High", "yuv420p")
    assert (info["width"], info["height"], info["fps"]) == (540, 960, 30.0)
    assert (info["audio_codec"], info["sample_rate"], info["channels"]) == ("aac", 48000, 2)
    assert info["duration"] == pytest.approx(9.0, abs=0.1)


def test_probe_names_a_missing_or_broken_file(tmp_path: Path) -> None:
    with pytest.raises(StageError, match=r"gone\.mp4"):
        probe(tmp_path / "gone.mp4")
    (tmp_path / "bad.mp4").write_bytes(b"\0" * 512)
    with pytest.raises(StageError, match=r"bad\.mp4"):
        probe(tmp_path / "bad.mp4")


def test_manifest_lists_episodes_in_order_with_hashes(folder: Path) -> None:
    manifest = json.loads((folder / "manifest.json").read_text())
    assert (manifest["series"], manifest["language"]) == ("Salt and Glass", "en")
    assert [e["number"] for e in manifest["episodes"]] == [1, 2]
    first = manifest["episodes"][0]
    assert first["files"]["hls"] == "hls/ep001/index.m3u8"
    assert set(first["sha256"]) == {"ep001.mp4", "ep001.srt", "ep001.vtt", "hls/ep001/index.m3u8"}
    assert (first["width"], first["height"], first["quality"]) == (540, 960, "draft")
    assert first["duration"] == pytest.approx(9.0, abs=0.1)
    assert verify_manifest(folder) == []


def test_updating_one_episode_keeps_the_other(folder: Path) -> None:
    before = json.loads((folder / "manifest.json").read_text())["episodes"][1]
    (folder / "ep001.srt").write_text("1\n00:00:00,000 --> 00:00:02,000\nChanged\n")
    entry = EpisodeEntry(1, "A New Title", 9.0, 540, 960, "final", {"srt": "ep001.srt"})
    manifest = update_manifest(folder, entry, series="Salt and Glass")
    assert manifest["episodes"][1] == before
    assert manifest["episodes"][0]["title"] == "A New Title"
    assert manifest["episodes"][0]["files"] == {"srt": "ep001.srt"}
    assert json.loads((folder / "manifest.json").read_text()) == manifest
    assert verify_manifest(folder) == []
    assert [p.name for p in folder.iterdir() if p.name.startswith(".")] == []


def test_tampering_is_detected(folder: Path) -> None:
    with (folder / "ep002.mp4").open("r+b") as f:
        f.seek(5000)
        f.write(b"\xff\xfe")
    (folder / "ep001.vtt").unlink()
    (folder / "hls" / "ep001" / "seg00001.m4s").unlink()
    problems = verify_manifest(folder)
    assert len(problems) == 3
    assert any("ep002.mp4" in p and "changed" in p for p in problems)
    assert any("ep001.vtt" in p and "missing" in p for p in problems)
    assert any("seg00001.m4s" in p and "missing" in p for p in problems)


def test_a_listed_file_must_exist(tmp_path: Path) -> None:
    entry = EpisodeEntry(3, "Three", 1.0, 540, 960, "draft", {"mp4": "ep003.mp4"})
    with pytest.raises(StageError, match=r"ep003\.mp4"):
        update_manifest(tmp_path, entry, series="S")
    assert not (tmp_path / "manifest.json").exists()


def test_a_broken_manifest_is_reported_not_overwritten(tmp_path: Path) -> None:
    assert verify_manifest(tmp_path) == [f"{tmp_path / 'manifest.json'}: no manifest"]
    (tmp_path / "manifest.json").write_text("{half")
    assert "manifest.json" in verify_manifest(tmp_path)[0]
    with pytest.raises(StageError, match=r"manifest\.json"):
        update_manifest(tmp_path, EpisodeEntry(1, "x", 1.0, 1, 1, "draft"), series="S")
