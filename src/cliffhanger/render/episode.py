"""One episode's deliverables, assembled from its rendered shots.

The shot segments are joined by packet copy with the mix encoded as AAC (``encode.join``);
then the sidecars: SubRip and WebVTT subtitles, a cover (a striking frame with the title),
an OpenTimelineIO timeline for an editor, HLS for streaming, and a storyboard contact
sheet (each shot's middle frame with the line heard under it) for review.
"""

from __future__ import annotations

import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import av
import cv2
import numpy as np
import skia

from cliffhanger.audio.base import read_wav
from cliffhanger.errors import AssetError
from cliffhanger.render.base import Cue, Frame, Quality
from cliffhanger.render.captions import to_srt, to_vtt
from cliffhanger.render.cover import pick_cover_time, write_cover
from cliffhanger.render.encode import encode_audio, join
from cliffhanger.render.fonts import font_for
from cliffhanger.render.hls import build_hls, discard_hls, swap_hls
from cliffhanger.render.otio import write_otio
from cliffhanger.render.shots import thumb_path
from cliffhanger.render.storyboard import Board

SHEET_COLUMNS = 6
SEEK_BACK_S = 2.5  # longer than a GOP: a seek lands on a key frame before the target


def episode_files(lang: str, number: int) -> tuple[str, ...]:
    """mp4, srt, vtt, cover, otio, hls playlist, storyboard sheet — relative to the project."""
    stem = f"out/{lang}/ep{number:03d}"
    return (
        f"{stem}.mp4",
        f"{stem}.srt",
        f"{stem}.vtt",
        f"{stem}.jpg",
        f"{stem}.otio",
        f"out/{lang}/hls/ep{number:03d}/index.m3u8",
        f"out/{lang}/storyboard/ep{number:03d}.jpg",
    )


@dataclass(frozen=True)
class EpisodeJob:
    number: int
    title: str
    series: str
    language: str
    quality: Quality
    board: Board
    cues: tuple[Cue, ...]
    segments: tuple[str, ...]  # relative to root, in order
    audio: str  # the mix WAV, relative to root
    track: str  # the mix as AAC (.m4a), relative to root
    root: str
    hls_segment_s: float


def _paperwork(
    job: EpisodeJob, root: Path, final_mp4: Path, srt: Path, vtt: Path, timeline: Path, sheet: Path
) -> None:
    """Subtitles, the editor's timeline and the contact sheet."""
    srt.write_text(to_srt(job.cues), encoding="utf-8")
    vtt.write_text(to_vtt(job.cues), encoding="utf-8")
    write_otio(
        timeline,
        title=f"{job.series} — episode {job.number}",
        shots=job.board.shots,
        video=final_mp4,
        audio=root / job.audio,
        fps=job.quality.fps,
        cues=[(c.start, c.end, c.name, c.text) for c in job.cues],
    )
    contact_sheet(job, [root / thumb_path(s) for s in job.segments], sheet)


def render_episode(job: EpisodeJob, staging: Path) -> None:
    root = Path(job.root)
    mp4, srt, vtt, cover, timeline, playlist, sheet = (
        staging / rel for rel in episode_files(job.language, job.number)
    )
    final_mp4 = root / episode_files(job.language, job.number)[0]
    for made in (mp4, srt, vtt, cover, timeline, sheet):
        made.parent.mkdir(parents=True, exist_ok=True)
    # What needs no picture (the contact sheet draws from the shots' thumbnails) is made
    # beside the join, on the other core; then the cover beside the HLS remux.
    folder = root / Path(episode_files(job.language, job.number)[5]).parent
    with ThreadPoolExecutor(1) as aside:
        paperwork = aside.submit(_paperwork, job, root, final_mp4, srt, vtt, timeline, sheet)
        joined = join(
            [root / s for s in job.segments],
            root / job.track,
            mp4,
            job.quality,
            metadata={
                "title": f"{job.series} — {job.number}. {job.title}",
                "comment": "AI-generated with Cliffhanger",
            },
        )
        moment = _on_key_frame(pick_cover_time(job.board.shots), job)
        picture = aside.submit(
            lambda: write_cover(frame_at(mp4, moment), cover, title=job.series, episode=job.number)
        )
        hls = build_hls(mp4, folder, target_s=job.hls_segment_s, keys=(joined.keys, joined.seconds))
        try:
            paperwork.result()
            picture.result()
        except BaseException:
            discard_hls(hls)
            raise
    # HLS goes straight to its place (its segments are not task outputs; the playlist is),
    # so it is the last step: nothing after it can fail and leave it ahead of the MP4.
    swap_hls(hls, folder)
    playlist.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(folder / "index.m3u8", playlist)


def encode_track(payload: tuple[str, float, int, float, str, str], staging: Path) -> None:
    """The audio task: the mix WAV (absolute path) → AAC at ``staging / out``, its true
    peak kept under the mix's ceiling; ``pieces``: the track's folder of encoded pieces
    (absolute)."""
    wav, seconds, kbps, ceiling_db, out, pieces = payload
    samples, _ = read_wav(Path(wav))
    workers = os.cpu_count() or 1
    encode_audio(samples, seconds, staging / out, kbps, ceiling_db, workers, Path(pieces))


def _on_key_frame(seconds: float, job: EpisodeJob) -> float:
    """The key frame at or before ``seconds`` in its shot (shots open on one and repeat it
    every GOP): decoding the cover's frame then takes one picture, not a GOP of them."""
    fps, gop = job.quality.fps, job.quality.keyint
    shot = next((s for s in job.board.shots if s.start <= seconds < s.end), None)
    if shot is None:
        return seconds
    first = round(shot.start * fps)
    frame = round(seconds * fps)
    return (first + (frame - first) // gop * gop) / fps


def frame_at(mp4: Path, seconds: float) -> Frame:
    """The decoded frame at ``seconds`` as BGRA: seek to the key frame at or before it and
    decode on, never handing back a picture decoded without its key frame (its references
    would be missing); if the seek lands past the frame, seek further back."""
    for back in (0.0, SEEK_BACK_S):
        found = _decode_at(mp4, seconds, back)
        if found is not None:
            return to_bgra(found)
    raise ValueError(f"{mp4} has no picture at {seconds:.2f} s")


def _decode_at(mp4: Path, seconds: float, back: float) -> av.VideoFrame | None:
    with av.open(str(mp4)) as box:
        stream = box.streams.video[0]
        base = stream.time_base
        if base is None:
            raise ValueError(f"{mp4} has no time base")
        target = round(seconds / float(base))
        box.seek(max(0, target - round(back / float(base))), stream=stream, backward=True)
        last = None
        for frame in box.decode(stream):
            if last is None and (not frame.key_frame or (frame.pts or 0) > target):
                return None  # not on a key frame at or before the target: go further back
            last = frame
            if frame.pts is not None and frame.pts >= target:
                break
        return last


def to_bgra(frame: av.VideoFrame) -> Frame:
    """A decoded 4:2:0 picture as BGRA, converted by OpenCV (BT.601, limited range: how we
    encode). Not ``to_ndarray(format="bgra")``: FFmpeg 8's threaded swscale garbles the row
    at a slice boundary now and then, so the same frame could read back two ways."""
    if frame.format.name != "yuv420p":
        frame = frame.reformat(format="yuv420p", threads=1)
    yuv = np.ascontiguousarray(frame.to_ndarray(format="yuv420p"), dtype=np.uint8)
    return np.asarray(cv2.cvtColor(yuv, cv2.COLOR_YUV2BGRA_I420), dtype=np.uint8)


def contact_sheet(job: EpisodeJob, thumbs: list[Path], path: Path) -> None:
    """Every shot's middle frame in a grid, its number, framing and time above, the line
    heard during it below: the storyboard for review. Drawn with skia (text in any script,
    a tenth of PIL's time for the 120-odd strings), written by OpenCV."""
    shots = job.board.shots
    first = _thumbnail(thumbs[0])
    th, tw = first.shape[:2]
    caption = 64
    head = 22
    cols = min(SHEET_COLUMNS, len(shots))
    rows = -(-len(shots) // cols)
    pad = 10
    width, height = cols * (tw + pad) + pad, 48 + rows * (th + head + caption + pad)
    sheet = np.full((height, width, 4), 255, np.uint8)
    canvas = skia.Canvas(sheet, colorType=skia.kBGRA_8888_ColorType)
    title = f"{job.series} — episode {job.number}: {job.title}"
    _text(canvas, title, pad, 12, 20, (0, 0, 0))
    for i, (shot, thumb) in enumerate(zip(shots, thumbs, strict=True)):
        x = pad + (i % cols) * (tw + pad)
        y = 48 + (i // cols) * (th + head + caption + pad)
        label = (
            f"{shot.index:02d} {shot.framing if shot.kind == 'scene' else shot.kind} {shot.move}"
        )
        _text(canvas, f"{label}  {shot.start:.1f}s", x, y + 3, 13, (60, 60, 60))
        picture = first if i == 0 else _thumbnail(thumb)
        ph, pw = min(th, picture.shape[0]), min(tw, picture.shape[1])
        sheet[y + head : y + head + ph, x : x + pw, :3] = picture[:ph, :pw]
        heard = [c for c in job.cues if c.end > shot.start and c.start < shot.end]
        text = " / ".join(f"{c.name.split()[0]}: {c.text}" for c in heard[:2]) or (
            " ".join(shot.text) if shot.text else "(no line)"
        )
        font = font_for(text, 13)
        for n, row in enumerate(_wrap(text, font, tw)[:3]):
            _text(canvas, row, x, y + head + th + 4 + n * 18, 13, (0, 0, 0), font)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not cv2.imwrite(str(path), sheet[..., :3], [cv2.IMWRITE_JPEG_QUALITY, 88]):
        raise OSError(f"{path}: the contact sheet could not be written")


def _thumbnail(path: Path) -> np.ndarray:
    picture = cv2.imread(str(path), cv2.IMREAD_COLOR)
    if picture is None:
        raise AssetError(
            f"shot thumbnail {path} cannot be read; delete its segment to render it again"
        )
    return picture


def _text(
    canvas: skia.Canvas,
    text: str,
    x: float,
    top: float,
    size: float,
    rgb: tuple[int, int, int],
    font: skia.Font | None = None,
) -> None:
    """``text`` with the top of its tallest letters at ``top`` (in ``font``, else one for
    ``size`` that has its script)."""
    font = font or font_for(text, size)
    paint = skia.Paint(AntiAlias=True, Color=skia.Color(*rgb))
    canvas.drawString(text, x, top - font.getMetrics().fAscent, font, paint)


def _wrap(text: str, font: skia.Font, width: int) -> list[str]:
    """``text`` in rows that fit ``width`` in ``font``, broken between words."""
    rows: list[str] = []
    for word in text.split():
        trial = f"{rows[-1]} {word}" if rows else word
        if rows and font.measureText(trial) <= width:
            rows[-1] = trial
        else:
            rows.append(word)
    return rows
