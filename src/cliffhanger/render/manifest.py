"""``out/<lang>/manifest.json``: what a language's episodes are, and how to check them.

A publisher (or a CDN sync) reads the manifest rather than listing folders: each episode's
files, relative to the manifest, with the SHA-256 of each as written, so a half-copied or
hand-touched file shows up in :func:`verify_manifest`. HLS segments are not hashed (there
are many and they only change with the playlist); the playlist is, and the check makes sure
every segment it names is there.

Example::

    {"series": "Salt and Glass", "language": "en", "episodes": [
        {"number": 1, "title": "The Offer", "duration": 81.23,
         "files": {"mp4": "ep001.mp4", "hls": "hls/ep001/index.m3u8", ...},
         "sha256": {"ep001.mp4": "9f2c...", "hls/ep001/index.m3u8": "51aa..."},
         "width": 1080, "height": 1920, "quality": "final"}]}
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypedDict

import av

from cliffhanger.errors import StageError
from cliffhanger.pipeline.hashing import sha256_file
from cliffhanger.pipeline.store import atomic_write
from cliffhanger.render.base import QualityName
from cliffhanger.render.hls import read_playlist

MANIFEST = "manifest.json"


@dataclass(frozen=True)
class EpisodeEntry:
    """One episode as the manifest lists it; ``files`` maps a kind (mp4, srt, vtt, cover,
    otio, hls) to a path relative to the manifest's folder."""

    number: int
    title: str
    duration: float
    width: int
    height: int
    quality: QualityName
    files: Mapping[str, str] = field(default_factory=dict)


class MediaInfo(TypedDict):
    """What :func:`probe` reads from a file; the audio fields are None without a sound track."""

    duration: float
    video_codec: str
    profile: str | None
    pix_fmt: str
    width: int
    height: int
    fps: float
    audio_codec: str | None
    sample_rate: int | None
    channels: int | None


def probe(mp4: Path) -> MediaInfo:
    """The stream facts of a media file, as ffprobe would print them (headers only)."""
    if not mp4.is_file():
        raise StageError("probe", str(mp4), "no such file")
    try:
        container = av.open(str(mp4))
    except av.FFmpegError as e:
        raise StageError("probe", str(mp4), f"not a readable media file ({e})") from e
    with container:
        if not container.streams.video:
            raise StageError("probe", str(mp4), "no video stream")
        video = container.streams.video[0]
        audio = container.streams.audio[0] if container.streams.audio else None
        if container.duration is not None:
            duration = container.duration / av.time_base
        else:  # a stream without an index: only the video's own count is there
            duration = float((video.duration or 0) * (video.time_base or 0))
        rate = video.average_rate or video.base_rate
        return MediaInfo(
            duration=float(duration),
            video_codec=video.codec_context.name,
            profile=video.codec_context.profile,
            pix_fmt=video.codec_context.format.name if video.codec_context.format else "",
            width=video.codec_context.width,
            height=video.codec_context.height,
            fps=float(rate) if rate else 0.0,
            audio_codec=audio.codec_context.name if audio else None,
            sample_rate=audio.codec_context.sample_rate if audio else None,
            channels=audio.codec_context.channels if audio else None,
        )


def update_manifest(
    folder: Path, entry: EpisodeEntry, *, series: str, language: str | None = None
) -> dict[str, Any]:
    """Add or replace ``entry`` in ``folder/manifest.json``, hashing its files as they are now.

    Other episodes are kept as they were; ``language`` defaults to the folder's name (the
    folders are ``out/<lang>/``). Returns the manifest written.
    """
    path = folder / MANIFEST
    manifest = _read(path) if path.exists() else {}
    sha256: dict[str, str] = {}
    for kind, rel in sorted(entry.files.items()):
        file = folder / rel
        if not file.is_file():
            raise StageError("manifest", str(file), f"the episode's {kind} file is missing")
        sha256[rel] = sha256_file(file)
    listed = {
        "number": entry.number,
        "title": entry.title,
        "duration": round(entry.duration, 3),
        "files": dict(sorted(entry.files.items())),
        "sha256": sha256,
        "width": entry.width,
        "height": entry.height,
        "quality": entry.quality,
    }
    others = [e for e in manifest.get("episodes", []) if e.get("number") != entry.number]
    manifest = {
        "series": series,
        "language": language if language is not None else folder.name,
        "episodes": sorted([*others, listed], key=lambda e: int(e["number"])),
    }
    text = json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"
    atomic_write(path, text.encode("utf-8"))
    return manifest


def verify_manifest(folder: Path) -> list[str]:
    """Every problem with ``folder``'s manifest and the files it lists; empty when all is well."""
    path = folder / MANIFEST
    if not path.is_file():
        return [f"{path}: no manifest"]
    try:
        manifest = _read(path)
    except StageError as e:
        return [str(e)]
    problems: list[str] = []
    for episode in manifest.get("episodes", []):
        label = f"episode {episode.get('number')}"
        hashes: dict[str, str] = episode.get("sha256", {})
        for kind, rel in episode.get("files", {}).items():
            file = folder / rel
            if not file.is_file():
                problems.append(f"{label}: {kind} file {rel} is missing")
                continue
            if rel not in hashes:
                problems.append(f"{label}: {kind} file {rel} has no sha256 listed")
            elif sha256_file(file) != hashes[rel]:
                problems.append(f"{label}: {kind} file {rel} changed since it was listed")
            if kind == "hls":
                problems.extend(_check_playlist(label, file, folder))
    return problems


def _check_playlist(label: str, playlist: Path, folder: Path) -> list[str]:
    try:
        listed = read_playlist(playlist)
    except (ValueError, IndexError) as e:
        return [f"{label}: {e}"]
    return [
        f"{label}: HLS file {p.relative_to(folder).as_posix()} is missing"
        for p in (listed.init, *listed.segments)
        if not p.is_file()
    ]


def _read(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise StageError("manifest", str(path), f"unreadable ({e}); delete it to start over") from e
    if not isinstance(data, dict):
        raise StageError("manifest", str(path), "not a JSON object; delete it to start over")
    return data
