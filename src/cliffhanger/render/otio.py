"""An OpenTimelineIO timeline of an episode, for finishing it in an editor.

One video clip per shot (cards included), each a range of the episode MP4, named so the
editor's timeline reads like the storyboard ("003 close-up claire_reed"); the episode mix on
an audio track; the subtitles as markers. Media paths are relative to the ``.otio`` file, so
the project folder can be moved or zipped whole.

Times are whole frames at the episode's rate: each shot's cut is rounded to the nearest
frame and a clip runs to the next cut, so the clips tile the timeline with no gap or overlap
however the seconds were rounded.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

import opentimelineio as otio

from cliffhanger.pipeline.store import atomic_write
from cliffhanger.render.base import Shot

FRAMING_LABELS = {
    "wide": "wide",
    "medium": "medium",
    "close": "close-up",
    "extreme": "extreme close-up",
}


def write_otio(
    path: Path,
    *,
    title: str,
    shots: Sequence[Shot],
    video: Path,
    audio: Path | None,
    fps: int,
    cues: Sequence[tuple[float, float, str, str]] = (),
) -> None:
    """Write the timeline to ``path`` (atomically). ``cues`` are (start, end, speaker, text)."""
    if not shots:
        raise ValueError(f"{path}: an episode timeline needs at least one shot")
    if fps <= 0:
        raise ValueError(f"{path}: fps must be positive, not {fps}")
    ordered = sorted(shots, key=lambda s: s.start)
    cuts = [_frame(s.start, fps) for s in ordered]
    end = _frame(ordered[-1].end, fps)
    if any(b <= a for a, b in zip(cuts, [*cuts[1:], end], strict=True)):
        raise ValueError(f"{path}: shots shorter than a frame at {fps} fps or out of order")
    length = _range(0, end, fps)

    timeline = otio.schema.Timeline(name=title)
    timeline.metadata["cliffhanger"] = {"fps": fps, "shots": len(ordered)}
    pictures = otio.schema.Track(name="Picture", kind=otio.schema.TrackKind.Video)
    if cuts[0] > 0:
        pictures.append(otio.schema.Gap(source_range=_range(0, cuts[0], fps)))
    for shot, start, stop in zip(ordered, cuts, [*cuts[1:], end], strict=True):
        pictures.append(
            otio.schema.Clip(
                name=clip_name(shot),
                media_reference=otio.schema.ExternalReference(
                    target_url=_url(video, path), available_range=length
                ),
                source_range=_range(start, stop - start, fps),
                metadata={"cliffhanger": _shot_metadata(shot)},
            )
        )
    for said, done, speaker, text in cues:
        first = _frame(said, fps)
        pictures.markers.append(
            otio.schema.Marker(
                name=speaker,
                marked_range=_range(first, max(_frame(done, fps) - first, 0), fps),
                color=otio.schema.MarkerColor.YELLOW,
                comment=text,
            )
        )
    timeline.tracks.append(pictures)

    if audio is not None:
        sound = otio.schema.Track(name="Mix", kind=otio.schema.TrackKind.Audio)
        sound.append(
            otio.schema.Clip(
                name=audio.stem,
                media_reference=otio.schema.ExternalReference(
                    target_url=_url(audio, path), available_range=length
                ),
                source_range=length,
            )
        )
        timeline.tracks.append(sound)

    text = otio.adapters.write_to_string(timeline, "otio_json")
    atomic_write(path, text.encode("utf-8"))


def clip_name(shot: Shot) -> str:
    """What the editor shows on the clip: number, framing and who it is on."""
    if shot.kind != "scene":
        return f"{shot.index:03d} {shot.kind} card"
    return f"{shot.index:03d} {FRAMING_LABELS[shot.framing]} {shot.focus or 'group'}"


def _shot_metadata(shot: Shot) -> dict[str, Any]:
    return {
        "index": shot.index,
        "kind": shot.kind,
        "start": shot.start,
        "end": shot.end,
        "location": shot.location,
        "scene": shot.scene,
        "framing": shot.framing,
        "move": shot.move,
        "transition": shot.transition,
        "focus": shot.focus,
        "lines": list(shot.lines),
        "beat": shot.beat,
        "freeze": shot.freeze,
        "text": list(shot.text),
        "figures": [f.character for f in shot.figures],
    }


def _frame(seconds: float, fps: int) -> int:
    return round(seconds * fps)


def _range(start: int, duration: int, fps: int) -> otio.opentime.TimeRange:
    return otio.opentime.TimeRange(
        otio.opentime.RationalTime(start, fps), otio.opentime.RationalTime(duration, fps)
    )


def _url(media: Path, otio_path: Path) -> str:
    """``media`` as a URL relative to the folder the timeline is written to."""
    rel = os.path.relpath(media.resolve(), otio_path.parent.resolve())
    return quote(Path(rel).as_posix())
