"""HLS for an episode: the MP4's packets remuxed (never re-encoded) into fMP4 segments.

FFmpeg's ``hls`` muxer cuts a segment at the first video key frame past each multiple of
``hls_time``; with key frames at irregular places (every shot starts with one) that gives
segments anywhere from 1 to 5 s. Players like 2-4 s, so we choose the cuts ourselves — the
key frame nearest ``target_s`` after the last cut, at least 2 s and at most 4 s on — and let
the muxer split there only, by clearing the key flag of the key frames we do not cut at (the
pictures stay IDR frames; they are just not announced as seek points inside a segment).

The folder holds ``index.m3u8``, ``init.mp4`` and ``seg00000.m4s`` …; it is built beside the
old one and swapped in, so a failed write leaves the previous version.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av

from cliffhanger.errors import StageError

PLAYLIST = "index.m3u8"
INIT = "init.mp4"
MIN_SEGMENT_S = 2.0
MAX_SEGMENT_S = 4.0


@dataclass(frozen=True)
class HlsResult:
    """What :func:`write_hls` wrote, as read back from the playlist."""

    playlist: Path
    init: Path
    segments: tuple[Path, ...]
    durations: tuple[float, ...]  # seconds, from each #EXTINF

    @property
    def count(self) -> int:
        return len(self.segments)

    @property
    def duration(self) -> float:
        return sum(self.durations)


def write_hls(mp4: Path, folder: Path, *, target_s: float = 3.0) -> HlsResult:
    """Remux ``mp4`` into an HLS VOD folder with fMP4 segments of about ``target_s``."""
    return swap_hls(build_hls(mp4, folder, target_s=target_s), folder)


def build_hls(
    mp4: Path,
    folder: Path,
    *,
    target_s: float = 3.0,
    keys: tuple[Sequence[float], float] | None = None,
) -> Path:
    """The HLS folder for ``mp4``, built beside ``folder`` (``swap_hls`` puts it in place).
    ``keys``: the video's key-frame times and end, where the caller knows them already
    (else they are read from the file)."""
    if not MIN_SEGMENT_S <= target_s <= MAX_SEGMENT_S:
        raise ValueError(f"target_s must be {MIN_SEGMENT_S}-{MAX_SEGMENT_S} s, not {target_s}")
    times, end = (sorted(keys[0]), keys[1]) if keys else _key_times(mp4)
    cuts = choose_cuts(times, end, target_s=target_s)
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}.", suffix=".tmp"))
    try:
        _remux(mp4, staging, cuts)
        read_playlist(staging / PLAYLIST)  # refuse to swap in something we cannot read
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return staging


def swap_hls(staging: Path, folder: Path) -> HlsResult:
    """Put a folder ``build_hls`` made at ``folder``, replacing what was there."""
    try:
        _swap(staging, folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return read_playlist(folder / PLAYLIST)


def discard_hls(staging: Path) -> None:
    """Drop a folder ``build_hls`` made that will not be swapped in."""
    shutil.rmtree(staging, ignore_errors=True)


def choose_cuts(keys: list[float], end: float, *, target_s: float = 3.0) -> set[float]:
    """The key-frame times to start segments at (the first one always included).

    Greedy from the start: stop once what is left fits one segment; otherwise, among the key
    frames 2-4 s after the last cut that leave at least 2 s, take the one nearest ``target_s``
    on (the later on a tie). Key frames further apart than 2 s: the first one late enough.
    """
    if not keys:
        return set()
    eps = 1e-6
    cuts = [keys[0]]
    while end - cuts[-1] > MAX_SEGMENT_S + eps:
        last = cuts[-1]
        later = [k for k in keys if k - last >= MIN_SEGMENT_S - eps]
        window = [k for k in later if k - last <= MAX_SEGMENT_S + eps]
        pool = [k for k in window if end - k >= MIN_SEGMENT_S - eps] or window or later[:1]
        if not pool:
            break
        cuts.append(min(pool, key=lambda k: (abs(k - last - target_s), -k)))
    return set(cuts)


def read_playlist(playlist: Path) -> HlsResult:
    """Parse a VOD media playlist we wrote: its init segment and its segments' durations."""
    init: Path | None = None
    segments: list[Path] = []
    durations: list[float] = []
    pending: float | None = None
    lines = playlist.read_text(encoding="utf-8").splitlines()
    if not lines or lines[0].strip() != "#EXTM3U":
        raise ValueError(f"{playlist}: not an HLS playlist (no #EXTM3U header)")
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if line.startswith("#EXT-X-MAP:"):
            uri = line.split('URI="', 1)[1].split('"', 1)[0]
            init = playlist.parent / uri
        elif line.startswith("#EXTINF:"):
            pending = float(line[len("#EXTINF:") :].split(",", 1)[0])
        elif line and not line.startswith("#"):
            if pending is None:
                raise ValueError(f"{playlist}:{number}: segment {line!r} has no #EXTINF")
            segments.append(playlist.parent / line)
            durations.append(pending)
            pending = None
    if init is None:
        raise ValueError(f"{playlist}: no #EXT-X-MAP init segment (not fMP4?)")
    return HlsResult(playlist, init, tuple(segments), tuple(durations))


def _open(mp4: Path) -> av.container.InputContainer:
    if not mp4.is_file():
        raise StageError("hls", str(mp4), "no such file; render the episode first")
    try:
        return av.open(str(mp4))
    except av.FFmpegError as e:
        raise StageError("hls", str(mp4), f"not a readable MP4 ({e})") from e


def _key_times(mp4: Path) -> tuple[list[float], float]:
    """Seconds of every video key frame, and where the video ends (packets only, no decode)."""
    keys: list[float] = []
    end = 0.0
    with _open(mp4) as src:
        if not src.streams.video:
            raise StageError("hls", str(mp4), "no video stream")
        video = src.streams.video[0]
        tick = float(_time_base(mp4, video))
        for p in src.demux(video):
            if p.pts is None:
                continue
            at = p.pts * tick
            end = max(end, at + (p.duration or 0) * tick)
            if p.is_keyframe:
                keys.append(at)
    if not keys:
        raise StageError("hls", str(mp4), "no video key frames")
    return sorted(keys), end


def _time_base(mp4: Path, video: av.VideoStream) -> Fraction:
    if video.time_base is None:
        raise StageError("hls", str(mp4), "the video stream has no time base")
    return video.time_base


def _remux(mp4: Path, staging: Path, cuts: set[float]) -> None:
    options = {
        "hls_segment_type": "fmp4",
        # Tiny: the muxer then splits at every packet flagged key, and we flag only the cuts.
        "hls_time": "0.05",
        "hls_playlist_type": "vod",
        "hls_list_size": "0",
        "hls_flags": "independent_segments",
        "hls_fmp4_init_filename": INIT,
        "hls_segment_filename": str(staging / "seg%05d.m4s"),
    }
    with _open(mp4) as src:
        streams = [s for s in src.streams if s.type in ("video", "audio")]
        video = src.streams.video[0]
        tick = float(_time_base(mp4, video))
        with av.open(str(staging / PLAYLIST), "w", format="hls", options=options) as out:
            mapped = {s.index: out.add_stream_from_template(s) for s in streams}
            for packet in src.demux(streams):
                if packet.dts is None:  # the demuxer's end-of-stream marker
                    continue
                if packet.stream.index == video.index and packet.is_keyframe:
                    at = packet.pts * tick if packet.pts is not None else -1.0
                    packet.is_keyframe = any(abs(at - c) < 1e-6 for c in cuts)
                packet.stream = mapped[packet.stream.index]
                out.mux(packet)


def _swap(staging: Path, folder: Path) -> None:
    """Put ``staging`` at ``folder``; the old folder is moved aside first, then deleted."""
    if not folder.exists():
        staging.rename(folder)
        return
    old = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}.", suffix=".old"))
    old.rmdir()
    folder.rename(old)
    try:
        staging.rename(folder)
    except BaseException:
        old.rename(folder)
        raise
    shutil.rmtree(old, ignore_errors=True)
