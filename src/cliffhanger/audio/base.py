"""Sound as the pipeline passes it around: float32 samples at 48 kHz, and WAV files.

Mono signals are 1-D ``float32`` arrays; stereo ones are ``(n, 2)``. Full scale is ±1.0.
Every stage works at :data:`RATE`; a provider that synthesizes at another rate resamples
once with :func:`resample` (polyphase, no aliasing).
"""

from __future__ import annotations

import io
import wave
from fractions import Fraction
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

RATE = 48_000
Samples = NDArray[np.float32]


def resample(x: Samples, rate_in: int, rate_out: int = RATE) -> Samples:
    """``x`` at ``rate_out``; polyphase filtering, so nothing above the new Nyquist folds."""
    if rate_in == rate_out:
        return x.astype(np.float32, copy=False)
    # Imported here: scipy.signal takes ~1.6 s to import, and the voice stage loads its
    # speech model in a thread meanwhile (the model's module must not wait for scipy).
    from scipy.signal import resample_poly

    f = Fraction(rate_out, rate_in)
    y = resample_poly(x, f.numerator, f.denominator, axis=0)
    return np.asarray(y, dtype=np.float32)


def db_to_gain(db: float) -> float:
    return float(10 ** (db / 20))


def gain_to_db(gain: float) -> float:
    return float(20 * np.log10(max(gain, 1e-12)))


def seconds(x: Samples, rate: int = RATE) -> float:
    return len(x) / rate


def write_wav(path: Path, x: Samples, rate: int = RATE) -> None:
    """16-bit PCM WAV (mono or stereo), dithered with TPDF noise; clips nothing that was
    within ±1 (the mix is limited before this)."""
    data = np.asarray(x, dtype=np.float32)
    channels = 1 if data.ndim == 1 else data.shape[1]
    # Fixed seeds: the same audio writes the same bytes. Two generators, not two draws from
    # one: the second draw would start where the first ended, so a longer file would get
    # other dither from its first sample on, and an edit near the end would change it all.
    first, second = np.random.default_rng(0), np.random.default_rng(1)
    dither = first.random(data.shape, np.float32) - second.random(data.shape, np.float32)
    scaled = data * np.float32(32767.0) + dither
    pcm = np.clip(np.rint(scaled), -32768, 32767).astype("<i2")
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(pcm.tobytes())


def read_wav(source: Path | bytes) -> tuple[Samples, int]:
    """A PCM WAV (a file, or its bytes) as float32 — mono 1-D, or ``(n, channels)`` — and
    its sample rate; ValueError if it is not one. Streamed WAVs (espeak-ng, many servers)
    carry placeholder sizes: whatever whole frames are there are read."""
    try:
        with wave.open(str(source) if isinstance(source, Path) else io.BytesIO(source), "rb") as w:
            channels, width, rate = w.getnchannels(), w.getsampwidth(), w.getframerate()
            raw = w.readframes(w.getnframes())
    except (wave.Error, EOFError) as e:
        raise ValueError(f"not a PCM WAV: {e}") from None
    raw = raw[: len(raw) // (width * channels) * (width * channels)]
    # Scaled in place by a power of two (exact): dividing into a new array took 0.12 s
    # for an episode's mix, 17× the multiply.
    if width == 2:
        data = np.frombuffer(raw, "<i2").astype(np.float32)
        data *= np.float32(2.0**-15)
    elif width == 4:
        data = np.frombuffer(raw, "<i4").astype(np.float32)
        data *= np.float32(2.0**-31)
    elif width == 1:
        data = np.frombuffer(raw, np.uint8).astype(np.float32)
        data -= np.float32(128.0)
        data *= np.float32(2.0**-7)
    else:
        raise ValueError(f"{8 * width}-bit WAV is not supported")
    if channels > 1:
        data = data.reshape(-1, channels)
    return data, rate


def decode_wav(data: bytes) -> tuple[Samples, int]:
    """A WAV's samples as mono (channels averaged) and its rate; ValueError if not a WAV."""
    x, rate = read_wav(data)
    return (x.mean(axis=1, dtype=np.float32) if x.ndim == 2 else x), rate
