"""Lip-sync: the mouth shapes an actor shows while a line is heard.

The puppet draws six mouths (:data:`~cliffhanger.cast.base.MOUTHS`): ``rest`` (closed, at ease),
``mbp`` (lips pressed), ``fv`` (lip on teeth), ``ei`` (spread, a little open), ``ou`` (rounded)
and ``a`` (wide open). A track is a list of :class:`MouthKey` s, each shape held until the
next key.

* :func:`track_from_phones` reads the phones a provider timed (espeak-ng IPA, as piper speaks
  them), each shape formed :data:`LEAD` before its sound: lips for m/b/p and f/v, the
  vowel's shape for each vowel, a light ``ei`` for the tongue consonants, and ``rest`` in
  pauses. Shapes held for less than :data:`MIN_HOLD` are
  folded into a neighbour: a mouth that flickers faster than the eye reads looks like noise.
* :func:`track_from_audio` is the fallback for providers that time no phones: it opens the
  mouth with the short-time energy and picks the shape from the spectrum (a dark spectrum
  rounds the lips, a hissing one spreads them).

:func:`energy_correlation` checks a track against the sound it was made for.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from cliffhanger.audio.base import Samples
from cliffhanger.cast.base import Mouth
from cliffhanger.voice.base import Phone, Speech

MIN_HOLD = 0.05
"""Seconds: the shortest a mouth shape is held (more than a frame at 30 fps)."""
LEAD = 0.04
"""Seconds a shape forms before its sound is heard (lips move ahead of the voice)."""
SILENCE_DB = -60.0
"""dBFS: a line never louder than this is silence, and the mouth stays at rest."""
LONG_GAP = 0.15
QUIET_DB = -18.0  # this far under the line's loud parts, the mouth is closed
"""Seconds: a word break this long closes the mouth; shorter ones carry the shape across."""

OPEN: dict[Mouth, float] = {"rest": 0.0, "mbp": 0.0, "fv": 0.2, "ei": 0.5, "ou": 0.6, "a": 1.0}

_SHAPES: dict[str, Mouth] = {
    **dict.fromkeys(("m", "b", "p", "ɱ"), "mbp"),
    **dict.fromkeys(("f", "v"), "fv"),
    **dict.fromkeys(("a", "ɑ", "æ", "ʌ", "ɐ", "ɒ", "aɪ", "aʊ", "ɜ", "ɚ", "ɝ", "ə"), "a"),
    **dict.fromkeys(("i", "ɪ", "e", "ɛ", "eɪ", "ᵻ", "y", "ɨ"), "ei"),
    **dict.fromkeys(("o", "ɔ", "u", "ʊ", "w", "oʊ", "ɔɪ", "ʉ", "ɵ"), "ou"),
    **dict.fromkeys(
        ("t", "d", "s", "z", "n", "l", "ɹ", "r", "ɾ", "j", "θ", "ð", "ʃ", "ʒ", "tʃ", "dʒ", "ʔ"),
        "ei",
    ),
    **dict.fromkeys(("^", "$", ".", ",", "!", "?", ";", ":", "…", "—", "_"), "rest"),
}
# marks that are no sound of their own: a stress mark belongs to the next phone, a length mark
# or a back consonant (the lips don't show k, g, h, ng) to the one before
_RANK: dict[Mouth, int] = {"a": 5, "ou": 4, "mbp": 3, "ei": 2, "fv": 1, "rest": 0}
_NEXT = frozenset({"ˈ", "ˌ"})
_PREVIOUS = frozenset({"ː", "ˑ", "k", "ɡ", "g", "h", "ŋ", "x", "-"})


@dataclass(frozen=True)
class MouthKey:
    """From ``time`` (seconds from the start of the line) the mouth shows ``shape``."""

    time: float
    shape: Mouth


def open_amount(shape: Mouth) -> float:
    """How open a shape is, 0 (closed) to 1 (wide), for comparing a track with the sound."""
    return OPEN[shape]


def track_from_phones(phones: Sequence[Phone], duration: float) -> list[MouthKey]:
    """The mouth track of a line from its timed phones; ``rest`` before, between sentences
    and after. Unknown symbols keep the shape before them."""
    shapes: list[Mouth | None] = []
    for p in phones:
        symbol = p.symbol.strip()
        if not symbol:  # a word break: carried across unless it is a real pause
            shapes.append("rest" if p.end - p.start >= LONG_GAP else None)
        elif symbol in _NEXT:
            shapes.append(None)
        else:
            shapes.append(_SHAPES.get(symbol) or _SHAPES.get(symbol[0]))
    for i in reversed(range(len(phones) - 1)):  # a stress mark takes the phone after it
        if phones[i].symbol in _NEXT:
            shapes[i] = shapes[i + 1]
    segments: list[tuple[float, Mouth]] = [(0.0, "rest")]
    for p, shape in zip(phones, shapes, strict=True):
        segments.append((max(0.0, p.start - LEAD), shape or segments[-1][1]))
    if phones:
        segments.append((min(duration, phones[-1].end - LEAD), "rest"))
    return _settle(segments, duration)


def track(speech: Speech, fps: float = 100.0) -> list[MouthKey]:
    """The best track for a spoken line: the phones choose each shape (what the lips form),
    and the sound decides when the mouth is closed (where the line falls quiet between
    words, the mouth rests however the phones were timed); the sound alone without phones."""
    if not speech.phones:
        return track_from_audio(speech.samples, speech.rate, fps)
    shaped = track_from_phones(speech.phones, speech.seconds)
    frames = _frames(speech.samples, speech.rate, fps)
    if frames is None:
        return shaped
    level, _ = frames
    times = [k.time for k in shaped]
    segments: list[tuple[float, Mouth]] = []
    for i, rel in enumerate(level - max(float(np.percentile(level, 95)), SILENCE_DB)):
        shape = shaped[bisect.bisect_right(times, i / fps) - 1].shape
        if rel < QUIET_DB and shape not in ("mbp", "fv"):
            shape = "rest"
        segments.append((i / fps, shape))
    return _settle(segments, len(level) / fps)


def _frames(
    samples: Samples, rate: int, fps: float
) -> tuple[NDArray[np.float64], NDArray[np.float64]] | None:
    """Per analysis frame: the level in dB (smoothed over 30 ms, a syllable's attack, the
    ends held rather than padded) and the frames themselves; None for a blank line."""
    hop = max(1, round(rate / fps))
    n = len(samples) // hop
    if n == 0:
        return None
    frames = np.asarray(samples[: n * hop], dtype=np.float64).reshape(n, hop)
    level = 10 * np.log10(np.mean(frames**2, axis=1) + 1e-12)
    level = np.convolve(np.pad(level, 1, mode="edge"), np.full(3, 1 / 3), mode="valid")
    return level, frames


def track_from_audio(samples: Samples, rate: int, fps: float = 100.0) -> list[MouthKey]:
    """A mouth track measured from the sound, ``fps`` analysis frames per second."""
    hop = max(1, round(rate / fps))
    measured = _frames(samples, rate, fps)
    if measured is None:
        return [MouthKey(0.0, "rest")]
    level, frames = measured
    n = len(level)
    top = max(float(np.percentile(level, 95)), SILENCE_DB)
    spectrum = np.abs(np.fft.rfft(frames * np.hanning(hop), axis=1))
    freqs = np.fft.rfftfreq(hop, 1 / rate)
    centroid = (spectrum @ freqs) / (spectrum.sum(axis=1) + 1e-12)
    segments: list[tuple[float, Mouth]] = []
    for i in range(n):
        rel = level[i] - top
        shape: Mouth
        if rel < -35:
            shape = "rest"
        elif rel < -24:
            shape = "mbp" if 0 < i < n - 1 and level[i - 1] - top > -24 else "rest"
        elif centroid[i] > 3_000:  # hiss: s, sh, f, t
            shape = "fv" if rel < -14 else "ei"
        elif rel > -6:
            shape = "a"
        else:
            shape = "ou" if centroid[i] < 700 else "ei"
        segments.append((i / fps, shape))
    return _settle(segments, n / fps)


def energy_correlation(
    track: Sequence[MouthKey], samples: Samples, rate: int, fps: float = 30.0
) -> float:
    """Pearson correlation, over video frames, between how open the mouth is and how loud
    the sound is (RMS); 0 where either does not vary."""
    hop = rate / fps
    n = int(len(samples) / hop)
    if n < 2 or not track:
        return 0.0
    times = np.array([k.time for k in track])
    opens = np.array([open_amount(k.shape) for k in track])
    # how open the mouth is on average over each frame, from 8 looks per frame
    at = np.searchsorted(times, (np.arange(n * 8) + 0.5) / (fps * 8), side="right") - 1
    mouth = np.where(at >= 0, opens[np.maximum(at, 0)], 0.0).reshape(n, 8).mean(axis=1)
    x = np.asarray(samples, dtype=np.float64)
    rms = np.array([np.sqrt(np.mean(x[int(i * hop) : int((i + 1) * hop)] ** 2)) for i in range(n)])
    if np.std(mouth) == 0 or np.std(rms) == 0:
        return 0.0
    return float(np.corrcoef(mouth, rms)[0, 1])


def _settle(segments: Sequence[tuple[float, Mouth]], duration: float) -> list[MouthKey]:
    """Keys from (start, shape) runs, each held at least :data:`MIN_HOLD`.

    Shortest first, a short run that is more visible (:data:`_RANK`) than its shorter
    neighbour is lengthened at that neighbour's expense; otherwise the two are joined under
    the more visible shape. A quick closure still shows; a passing consonant does not."""
    runs: list[tuple[float, Mouth]] = []
    for start, shape in segments:
        if start >= duration:
            break
        if runs and start <= runs[-1][0]:  # same instant: the later shape wins
            runs[-1] = (runs[-1][0], shape)
        else:
            runs.append((start, shape))
    runs = _dedupe(runs)
    while len(runs) > 1:
        ends = [t for t, _ in runs[1:]] + [duration]
        lengths = [end - t for (t, _), end in zip(runs, ends, strict=True)]
        i = min(range(len(runs)), key=lengths.__getitem__)
        if lengths[i] >= MIN_HOLD - 1e-9:
            break
        j = i - 1 if i == len(runs) - 1 or (i > 0 and lengths[i - 1] <= lengths[i + 1]) else i + 1
        need = MIN_HOLD - lengths[i]
        if _RANK[runs[i][1]] > _RANK[runs[j][1]] and lengths[j] - need >= MIN_HOLD:
            # the more visible shape is held a little longer, at the neighbour's expense
            k = max(i, j)
            runs[k] = (runs[k][0] + (need if j > i else -need), runs[k][1])
            continue
        shape = max(runs[i][1], runs[j][1], key=_RANK.__getitem__)
        runs[min(i, j) : max(i, j) + 1] = [(runs[min(i, j)][0], shape)]
        runs = _dedupe(runs)
    return [MouthKey(float(t), shape) for t, shape in runs]


def _dedupe(runs: list[tuple[float, Mouth]]) -> list[tuple[float, Mouth]]:
    """``runs`` with each run that repeats the shape before it dropped."""
    return [r for k, r in enumerate(runs) if k == 0 or r[1] != runs[k - 1][1]]
