"""The user's own music: beds they put in the project's music folder, by mood.

A track belongs to a mood by its folder, ``music/<mood>/*.wav|ogg|mp3``, or by its name's
prefix, ``music/<mood>-anything.mp3`` (moods as in :data:`~cliffhanger.score.music.MOODS`).
Tracks are decoded with PyAV to stereo ``float32`` at :data:`~cliffhanger.audio.base.RATE`;
a file that cannot be read raises :class:`~cliffhanger.errors.AssetError` naming it.
:func:`fit` loops a track to any length with equal-power cross-fades and fades it out.
"""

from __future__ import annotations

import zlib
from pathlib import Path

import av
import numpy as np

from cliffhanger.audio.base import RATE, Samples
from cliffhanger.errors import AssetError
from cliffhanger.score.music import MOODS

EXTENSIONS = (".wav", ".ogg", ".mp3")
CROSSFADE_S = 0.5
FADE_OUT_S = 1.5


def decode(path: Path) -> Samples:
    """A sound file as stereo ``(n, 2)`` float32 at :data:`RATE` (mono is duplicated)."""
    resampler = av.AudioResampler(format="fltp", layout="stereo", rate=RATE)
    chunks: list[np.ndarray] = []
    try:
        with av.open(str(path)) as container:
            if not container.streams.audio:
                raise AssetError("has no audio stream; use a WAV, OGG or MP3 file", path)
            for frame in container.decode(audio=0):
                chunks.extend(f.to_ndarray() for f in resampler.resample(frame))
            chunks.extend(f.to_ndarray() for f in resampler.resample(None))
    except (av.FFmpegError, OSError, ValueError) as e:
        raise AssetError(f"cannot decode this music file ({e}); re-export it as WAV", path) from e
    if not chunks:
        raise AssetError("decodes to no sound at all; re-export it as WAV", path)
    return np.ascontiguousarray(np.concatenate(chunks, axis=1).T, dtype=np.float32)


class Library:
    """The tracks under ``folder`` by mood; decoding happens when one is picked."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        found: dict[str, list[Path]] = {mood: [] for mood in MOODS}
        if folder.is_dir():
            for path in folder.rglob("*"):
                if path.suffix.lower() not in EXTENSIONS or not path.is_file():
                    continue
                mood = self._mood_of(path)
                if mood is not None:
                    found[mood].append(path)
        self.tracks: dict[str, tuple[Path, ...]] = {
            m: tuple(sorted(paths)) for m, paths in found.items() if paths
        }

    def _mood_of(self, path: Path) -> str | None:
        relative = path.relative_to(self.folder)
        if len(relative.parts) > 1 and relative.parts[0].lower() in MOODS:
            return relative.parts[0].lower()
        prefix = path.stem.lower().split("-", 1)[0]
        return prefix if len(relative.parts) == 1 and prefix in MOODS else None

    def moods(self) -> tuple[str, ...]:
        """The moods that have at least one track, in :data:`MOODS` order."""
        return tuple(m for m in MOODS if m in self.tracks)

    def pick(self, mood: str, seed: int = 0) -> Samples | None:
        """One of the mood's tracks, decoded, chosen by ``seed`` (the same seed, the same
        track, whatever order the disk lists them in); ``None`` when the mood has none."""
        paths = self.tracks.get(mood)
        if not paths:
            return None
        index = zlib.crc32(f"{mood}:{seed}".encode()) % len(paths)
        return decode(paths[index])


def fit(samples: Samples, seconds: float) -> Samples:
    """``samples`` (stereo) made exactly ``round(seconds × RATE)`` long: looped with
    equal-power cross-fades of :data:`CROSSFADE_S` where it is too short, and faded out over
    the last :data:`FADE_OUT_S` seconds (or a quarter, for a very short result)."""
    n = round(seconds * RATE)
    if len(samples) == 0:
        raise ValueError("cannot fit an empty track")
    x = np.asarray(samples, dtype=np.float64)
    if len(x) >= n:
        out = x[:n].copy()
    else:
        xf = min(int(CROSSFADE_S * RATE), len(x) // 4)
        phase = np.linspace(0.0, np.pi / 2, xf)[:, None]
        fade_in, fade_out = np.sin(phase), np.cos(phase)
        step = len(x) - xf
        out = np.zeros((n + len(x), x.shape[1]))
        out[: len(x)] = x
        at = step
        while at < n:
            out[at : at + xf] = out[at : at + xf] * fade_out + x[:xf] * fade_in
            out[at + xf : at + len(x)] = x[xf:]
            at += step
        out = out[:n]
    k = min(int(FADE_OUT_S * RATE), n // 4)
    if k:
        out[n - k :] *= np.linspace(1.0, 0.0, k)[:, None]
    return np.asarray(out, dtype=np.float32)
