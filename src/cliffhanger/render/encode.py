"""Encoding: one closed-GOP H.264 segment per shot, joined into the episode without
re-encoding, with the mix encoded once as AAC.

Every segment is made with the same encoder settings, starts on an IDR frame and has no
B-frames, so the episode is a plain packet copy: its timestamps are offset by the frames
before it, and changing one shot re-encodes that shot alone. Frames are converted to
BT.601 limited-range 4:2:0 by OpenCV (a fraction of swscale's time at this size) and the
stream is tagged so, which every player honours.
"""

from __future__ import annotations

import logging
import os
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import cv2
import numpy as np
from av.packet import Packet

from cliffhanger.audio.base import RATE
from cliffhanger.cast.base import Box
from cliffhanger.errors import AssetError
from cliffhanger.render import aac, h264
from cliffhanger.render.base import Frame, Quality

_LOG = logging.getLogger(__name__)
OVERSHOOT_MARGIN_DB = 0.3  # the sidechain limiter aims this far under the ceiling
TRIM_MARGIN_DB = 0.1  # and the even trims after it this far
TRIMS = 4
COLOUR = "colorprim=smpte170m:transfer=smpte170m:colormatrix=smpte170m:range=tv"


def x264_options(quality: Quality, still: bool = False) -> dict[str, str]:
    """libx264's settings: the preset, with a cheaper analysis (diamond search, fewer
    partitions, a short look-ahead) and a cheaper one still when nothing moves. None of
    that is in the stream headers, so every segment joins with every other. Measured on
    our own 1080×1920 frames, one thread: moving shots 61 → 91 fps and still ones
    98 → ~130 fps against the bare preset, at the same or fewer bits. Moving shots search
    whole pixels only (subme 0): a further ~1.35× (57–65 → 85 fps, CPU time) for ~1.4× the
    bits at the same PSNR (~50 dB; 1.6 → 2.2 Mbit/s on a push-in)."""
    k = quality.keyint
    search = "me=dia:subme=0:partitions=none" if still else "me=dia:subme=0:partitions=i8x8,i4x4"
    gop = f"keyint={k}:min-keyint={k}:scenecut=0:open-gop=0:bframes=0"
    return {
        "preset": quality.preset,
        "crf": str(quality.crf),
        "profile": "high",
        "x264-params": f"{gop}:{search}:rc-lookahead=5:{COLOUR}",
    }


class SegmentWriter:
    """Writes BGRA frames to one shot's MP4 segment (video only), atomically.

    A frame that repeats the one before it (nothing in its changed boxes differs) is not
    encoded: a skip picture stands in for it (``h264``), unless a key frame is due there.
    Key frames come every ``quality.keyint`` frames of the segment, forced, so the encoder,
    which sees only the frames that differ, keeps the GOP the HLS cut needs."""

    def __init__(self, path: Path, quality: Quality, threads: int = 1, still: bool = False) -> None:
        self.path = path
        self.quality = quality
        path.parent.mkdir(parents=True, exist_ok=True)
        self._tmp = path.with_name(f".{path.name}.{os.getpid()}.mp4")
        self._box = av.open(str(self._tmp), "w", format="mp4")
        options = x264_options(quality, still)
        stream = self._box.add_stream("libx264", rate=quality.fps, options=options)
        stream.width, stream.height = quality.width, quality.height
        stream.pix_fmt = "yuv420p"
        stream.codec_context.thread_count = threads
        self._stream = stream
        self.frames = 0  # frames written
        self.skipped = 0  # of which skip pictures
        self._encoded = 0  # frames given to the encoder
        self._muxed = 0
        self._slots: deque[bool] = deque()  # frames not muxed yet: True encoder's, False skip
        self._coded: deque[tuple[bytes, bool]] = deque()  # encoder's pictures, key frame?
        self._params: h264.Params | None = None
        self._numbering: h264.Numbering | None = None
        self._splice = True  # False: the stream cannot take skip pictures; encode them all
        self._last = np.empty((quality.height, quality.width, 4), np.uint8)  # as written
        self._kept = False  # whether _last holds the frame written last
        # One picture, converted into in place (x264 copies what it is given): a still
        # shot re-converts only the boxes that changed.
        self._video = av.VideoFrame(quality.width, quality.height, "yuv420p")
        self._planes = [
            np.frombuffer(memoryview(p), np.uint8).reshape(p.height, p.line_size)[:, : p.width]
            for p in self._video.planes
        ]

    def write(self, frame: Frame, repeat: int = 1, changed: list[Box] | None = None) -> None:
        """Encode ``frame`` (BGRA), ``repeat`` times. ``changed``: the only boxes (frame
        pixels) that may differ from the frame written before; None: all of it."""
        h, w = frame.shape[:2]
        if changed is None or self.frames == 0:
            self._convert(frame, (0, 0, w, h))
            self._kept = self.frames == 0  # (a moving shot would copy every frame for nothing)
            if self._kept:
                np.copyto(self._last, frame)
            same = False
        elif not self._kept:  # boxes after a whole frame: it is the reference outside them
            np.copyto(self._last, frame)
            self._kept = True
            for box in changed:
                self._convert(frame, box)
            same = False
        else:
            boxes = [b for b in map(self._clip, changed) if b is not None]
            differ = [b for b in boxes if self._differs(frame, b)]
            for box in differ:
                self._convert(frame, box)
            same = not differ
        for k in range(repeat):
            key = self.frames % self.quality.keyint == 0
            if (same or k > 0) and not key and self._splice:
                self._slots.append(False)
                self.skipped += 1
            else:
                self._encode(key)
            self.frames += 1
        self._drain()

    def _encode(self, key: bool) -> None:
        video = self._video
        video.pts = self._encoded
        video.pict_type = av.video.frame.PictureType.I if key else av.video.frame.PictureType.NONE
        self._encoded += 1
        self._slots.append(True)
        self._coded.extend((bytes(p), p.is_keyframe) for p in self._stream.encode(video))
        if self._params is None and self._splice:  # the encoder is open: its headers are known
            try:
                headers = bytes(self._stream.codec_context.extradata or b"")
                self._params = h264.Params.parse(headers)
                self._numbering = h264.Numbering(self._params)
            except h264.Unsupported:
                self._splice = False

    def _drain(self) -> None:
        """Mux every frame whose picture is ready, in order."""
        fps = Fraction(1, self.quality.fps)
        while self._slots and (not self._slots[0] or self._coded):
            params, numbering = self._params, self._numbering
            if self._slots.popleft():
                data, key = self._coded.popleft()
                if params is not None and numbering is not None:
                    data, key = h264.renumber(data, params, numbering)
            else:
                assert params is not None and numbering is not None
                data, key = h264.skip_picture(params, numbering), False
            packet = av.Packet(data)
            packet.pts = packet.dts = self._muxed
            packet.time_base = fps
            packet.is_keyframe = key
            packet.stream = self._stream
            self._box.mux(packet)
            self._muxed += 1

    def _clip(self, box: Box) -> Box | None:
        """``box`` inside the frame, grown to even edges (chroma is per 2×2 block)."""
        w, h = self.quality.width, self.quality.height
        x0, y0 = max(0, box[0]) & ~1, max(0, box[1]) & ~1
        x1, y1 = min(w, box[2] + 1) & ~1, min(h, box[3] + 1) & ~1
        return (x0, y0, x1, y1) if x1 > x0 and y1 > y0 else None

    def _differs(self, frame: Frame, box: Box) -> bool:
        """Whether ``box`` differs from the frame written before (which then takes it)."""
        x0, y0, x1, y1 = box
        now, before = frame[y0:y1, x0:x1], self._last[y0:y1, x0:x1]
        if cv2.norm(now, before, cv2.NORM_INF) == 0:  # (a third of array_equal's time)
            return False
        before[...] = now
        return True

    def _convert(self, frame: Frame, box: Box) -> None:
        """BGRA → 4:2:0 for one box, grown to even edges."""
        clipped = self._clip(box)
        if clipped is None:
            return
        x0, y0, x1, y1 = clipped
        bh, bw = y1 - y0, x1 - x0
        packed = cv2.cvtColor(np.ascontiguousarray(frame[y0:y1, x0:x1]), cv2.COLOR_BGRA2YUV_I420)
        y, u, v = self._planes
        y[y0:y1, x0:x1] = packed[:bh]
        quarter = (bh // 2) * (bw // 2)
        chroma = packed[bh:].reshape(-1)
        u[y0 // 2 : y1 // 2, x0 // 2 : x1 // 2] = chroma[:quarter].reshape(bh // 2, bw // 2)
        v[y0 // 2 : y1 // 2, x0 // 2 : x1 // 2] = chroma[quarter:].reshape(bh // 2, bw // 2)

    def close(self) -> None:
        self._coded.extend((bytes(p), p.is_keyframe) for p in self._stream.encode())
        self._drain()
        if self._slots:
            raise RuntimeError(f"{self.path}: the encoder returned fewer pictures than frames")
        self._box.close()
        os.replace(self._tmp, self.path)

    def abort(self) -> None:
        self._box.close()
        self._tmp.unlink(missing_ok=True)


def encode_audio(
    samples: np.ndarray,
    seconds: float,
    out: Path,
    kbps: int = 128,
    ceiling_db: float = -1.0,
    workers: int = 1,
    cache: Path | None = None,
) -> float:
    """The episode's mix as AAC (stereo, 48 kHz) in an .m4a, padded with silence or cut to
    the picture's ``seconds``, atomically; returns the decoded track's true peak (dBTP).
    ``workers`` threads encode it in pieces and measure it (``aac``); ``cache``: this
    track's folder of pieces, so a re-voiced line re-encodes only the sound after it.

    A lossy encoder overshoots the master's peaks, and not only where the peaks are (a
    −1 dBTP mix decoded at −0.24 dBTP from 128 kbps, measured). So the track is decoded
    and measured; when it is over ``ceiling_db`` the mix goes through the limiter once more
    with the decoded track as its sidechain — the gain dips only where the codec overshot —
    and is encoded again; the codec then overshoots a little elsewhere, which a last even
    trim takes off. What the viewer hears keeps the ceiling. A task of its own, so it runs
    beside the shots and the join only copies its packets."""
    from cliffhanger.mix.dynamics import limit

    x = _planar(samples, round(seconds * RATE))
    track, heard, peak = _encode_aac(x, kbps, workers, cache)
    if peak > ceiling_db:  # dip the gain where the codec overshot (loudness barely moves)
        if heard is None:
            heard = aac.decode(track, x.shape[1])
        limited = limit(x.T, ceiling_db - OVERSHOOT_MARGIN_DB, heard=heard.T)
        x = np.ascontiguousarray(limited.T)
        track, heard, peak = _encode_aac(x, kbps, workers, cache)
    for _ in range(TRIMS):  # the codec moved its overshoot: trim what is left, evenly
        if peak <= ceiling_db:
            break
        x *= np.float32(10 ** ((ceiling_db - peak - TRIM_MARGIN_DB) / 20))
        track, heard, peak = _encode_aac(x, kbps, workers, cache)
    if peak > ceiling_db:
        raise ValueError(
            f"{out}: the AAC encoder keeps overshooting the {ceiling_db} dBTP ceiling "
            f"({peak:.2f} dBTP after {TRIMS} trims); lower [mix] true_peak_db or raise "
            "[mix] codec_headroom_db"
        )
    tmp = out.with_name(f".{out.name}.{os.getpid()}.m4a")
    out.parent.mkdir(parents=True, exist_ok=True)
    aac.write(track, tmp)
    os.replace(tmp, out)
    return peak


def _planar(samples: np.ndarray, n: int) -> aac.Planar:
    """Two channels of float32 as rows (the codec's layout), exactly ``n`` frames (padded
    with silence or cut): one copy, straight from the mix."""
    out = np.zeros((2, n), np.float32)
    m = min(n, len(samples))
    if samples.ndim == 1:
        out[0, :m] = samples[:m]
        out[1, :m] = samples[:m]
    else:
        out[:, :m] = samples[:m, :2].T
    return out


def _encode_aac(
    x: aac.Planar, kbps: int, workers: int, cache: Path | None = None
) -> tuple[aac.Track, aac.Planar | None, float]:
    """``x`` encoded (in pieces, or in one where a seam failed its check), what decodes
    from it (None where pieces came from ``cache``: decode the track for it) and its true
    peak in dBTP."""
    done = aac.encode(x, kbps, workers, cache=cache)
    if not done.seams_hold:
        _LOG.warning("AAC: a seam between pieces did not decode cleanly; one piece instead")
        done = aac.encode(x, kbps, 1, piece_frames=0)
    return done.track, done.heard, done.peak_db


@dataclass(frozen=True)
class Joined:
    """What :func:`join` wrote: the episode's length and where its key frames are (the
    HLS cut reads them from here instead of demuxing the file again)."""

    seconds: float
    keys: tuple[float, ...]


def join(
    segments: Sequence[Path],
    audio: Path | None,
    out: Path,
    quality: Quality,
    *,
    metadata: dict[str, str] | None = None,
) -> Joined:
    """Join shot segments and the episode's AAC track (``encode_audio``), both by packet
    copy, into a faststart MP4 at ``out``, atomically."""
    tmp = out.with_name(f".{out.name}.{os.getpid()}.mp4")
    out.parent.mkdir(parents=True, exist_ok=True)
    packets: list[tuple[float, Packet[Any]]] = []  # (seconds, packet), in order
    keys: list[float] = []
    frames = 0
    template: Path | None = None
    extradata: bytes | None = None
    time_base: Fraction | None = None
    for seg in segments:
        box = _open(seg, "shot segment", "delete it to render the shot again", packets_only=True)
        with box:
            vs = box.streams.video[0]
            data = bytes(vs.codec_context.extradata or b"")
            if template is None:
                extradata, template, time_base = data, seg, vs.time_base
            elif data != extradata or vs.time_base != time_base:
                raise AssetError(
                    f"shot segment {seg} was encoded with other settings than {template}; "
                    "delete .cliffhanger/cache/shots to re-render them alike"
                )
            assert time_base is not None
            # Frames are 1/fps apart: in the segments' time base, this segment starts here.
            offset = round(Fraction(frames, quality.fps) / time_base)
            tick = float(time_base)
            for packet in box.demux(vs):
                dts = packet.dts
                if dts is None:
                    continue
                packet.pts = (packet.pts or 0) + offset
                packet.dts = dts + offset
                at = (dts + offset) * tick
                if packet.is_keyframe:
                    keys.append(at)
                packets.append((at, packet))
                frames += 1
    if template is None or time_base is None:
        raise AssetError("no shot segments to join")
    seconds = frames / quality.fps
    with av.open(str(tmp), mode="w", format="mp4", options={"movflags": "+faststart"}) as output:
        if metadata:
            output.metadata.update(metadata)
        with av.open(str(template)) as first:
            vout = output.add_stream_from_template(first.streams.video[0])
        vout.time_base = time_base
        sound: list[tuple[float, Packet[Any]]] = []
        aout = None
        sound_box = _open(audio, "audio track", "delete it to encode it again") if audio else None
        if sound_box is not None:
            track = sound_box.streams.audio[0]
            aout = output.add_stream_from_template(track)
            aout.time_base = track.time_base
            tick = float(track.time_base or Fraction(1, RATE))
            sound = [(p.dts * tick, p) for p in sound_box.demux(track) if p.dts is not None]
        for packet, is_audio in _interleave(packets, sound):
            packet.stream = aout if is_audio and aout is not None else vout  # type: ignore[assignment]
            output.mux(packet)
        if sound_box is not None:
            sound_box.close()
    os.replace(tmp, out)
    return Joined(seconds, tuple(keys))


def _open(
    path: Path, what: str, fix: str, *, packets_only: bool = False
) -> av.container.InputContainer:
    """``packets_only``: the file is only demuxed, so opening it decodes no picture (FFmpeg's
    stream probe otherwise decodes one: 10 → 1.8 ms a 1080×1920 segment)."""
    try:
        if packets_only:
            # (PyAV's stub types stream_options as strings; it takes a dict per stream)
            return av.open(str(path), stream_options=[{"skip_frame": "all"}])  # type: ignore[list-item]
        return av.open(str(path))
    except (av.error.FFmpegError, OSError) as e:
        raise AssetError(f"{what} {path} cannot be read ({e}); {fix}") from e


def _interleave(
    video: list[tuple[float, Packet[Any]]], audio: list[tuple[float, Packet[Any]]]
) -> list[tuple[Packet[Any], bool]]:
    """(packet, is_audio) in time order (video first on a tie), so a player streaming the
    file reads it front to back: both lists are in order already, so they are merged."""
    out: list[tuple[Packet[Any], bool]] = []
    i = j = 0
    while i < len(video) or j < len(audio):
        if j >= len(audio) or (i < len(video) and video[i][0] <= audio[j][0]):
            out.append((video[i][1], False))
            i += 1
        else:
            out.append((audio[j][1], True))
            j += 1
    return out
