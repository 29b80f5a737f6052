"""Gain over time: level followers, music ducking under dialogue, true peak, and the limiter.

Every curve here is computed with whole-array numpy/scipy operations, never a Python loop over
samples: an attack/release follower is a running maximum of a ramp (``np.maximum.accumulate``
on ``level + n·slope``), which is the closed form of "jump up, fall back at a fixed dB rate".

Signals follow :mod:`cliffhanger.audio.base`: float32, mono ``(n,)`` or stereo ``(n, 2)``.
Gain curves are float64 ``(n,)``, one value per sample frame, shared by all channels.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

from cliffhanger.audio.base import RATE, Samples, db_to_gain

Curve = NDArray[np.float64]

_FLOOR_DB = -200.0  # stands in for the level of digital silence
_CONTROL = 16  # the ducker computes its curve once per 16 samples (3 kHz), then interpolates
_DETECT_S = 0.01  # the dialogue detector's RMS window
# BS.1770-4 annex 2 oversamples ×4 for true peak; this interpolator is the one
# scipy.signal.resample_poly(x, 4, 1) uses, so the two agree to rounding.
_UP = 4


def _lowpass(taps: int, cutoff: float, beta: float) -> np.ndarray:
    """A Kaiser-windowed sinc low-pass with unity gain at DC (scipy's ``firwin``, to within
    1e-17), written out so measuring a true peak needs no ``import scipy.signal`` (half a
    second, paid by every render that only checks its sound)."""
    n = np.arange(taps) - (taps - 1) / 2
    h = np.kaiser(taps, beta) * np.sinc(cutoff * n) * cutoff
    return np.asarray(h / h.sum())


_TAPS = _lowpass(81, 1 / _UP, 5.0) * _UP
_PHASES = np.stack([_TAPS[p::_UP][:20] for p in range(1, _UP)]).astype(np.float32)  # (3, 20)
_UNITY = float(_TAPS[len(_TAPS) // 2])  # the on-sample phase: 1.0006 × the sample itself
_REACH = 10  # each interpolated value reads x[n - 9 .. n + 10]
_BLOCK = 32  # candidate search granularity for the interpolator (≥ _REACH)
# No interpolated value exceeds (sum of |taps| of its phase) × the largest sample it reads.
_GROWTH = float(np.abs(_PHASES).sum(axis=1).max())


def _frames(x: Samples) -> NDArray[np.float32]:
    """``x`` as ``(n, channels)``."""
    return x[:, None] if x.ndim == 1 else x


def _channel_max(a: NDArray[np.floating]) -> NDArray[np.floating]:
    """``|a|`` maximized over the last axis (a few channels): ``max(axis=-1)`` on a short,
    strided axis is several times slower than this."""
    out = np.abs(a[..., 0])
    for c in range(1, a.shape[-1]):
        np.maximum(out, np.abs(a[..., c]), out=out)
    return np.asarray(out)


def _rise_then_fall(level: Curve, fall_per_sample: float) -> Curve:
    """Follows every rise at once and falls back no faster than ``fall_per_sample`` (dB)."""
    ramp = np.arange(len(level), dtype=np.float64) * fall_per_sample
    return np.asarray(np.maximum.accumulate(level + ramp) - ramp)


def _anticipate(level: Curve, rise_per_sample: float) -> Curve:
    """Every rise starts early enough to climb at no more than ``rise_per_sample`` (dB)."""
    return _rise_then_fall(level[::-1], rise_per_sample)[::-1]


def envelope(x: Samples, attack_s: float, release_s: float, rate: int = RATE) -> Curve:
    """The level of ``x`` in dBFS per frame: RMS over all channels, smoothed by a one-pole of
    time constant ``attack_s``, then held and let fall by no more than 20 dB per ``release_s``.
    """
    frames = _frames(x).astype(np.float64)
    power = np.einsum("nc,nc->n", frames, frames) / frames.shape[1]
    pole = np.exp(-1.0 / max(attack_s * rate, 1.0))
    from scipy.signal import lfilter  # the filters load with the first mix, not on import

    smooth = lfilter([1.0 - pole], [1.0, -pole], power)
    level = 10.0 * np.log10(np.maximum(smooth, 10 ** (_FLOOR_DB / 10)))
    return _rise_then_fall(level, 20.0 / max(release_s * rate, 1.0))


def speech_activity(
    dialogue: Samples, threshold_db: float = -45.0, hold_s: float = 0.15, rate: int = RATE
) -> NDArray[np.bool_]:
    """Per frame: is someone speaking (or was, less than ``hold_s`` ago)? Gaps shorter than the
    hold, such as the dips between syllables, count as speech."""
    level = envelope(dialogue, _DETECT_S, _DETECT_S, rate)
    index = np.arange(len(level))
    last = np.maximum.accumulate(np.where(level > threshold_db, index, -(2**62)))
    return np.asarray(index - last <= round(hold_s * rate))


def activity_blocks(
    dialogue: Samples, threshold_db: float = -45.0, hold_s: float = 0.15
) -> NDArray[np.bool_]:
    """:func:`speech_activity` per block of ``_CONTROL`` frames (16× less work than per frame;
    the detector's 10 ms window is 30 blocks long, so nothing is lost)."""
    frames = _frames(dialogue)
    n = len(frames)
    blocks = -(-n // _CONTROL)
    padded = np.zeros((blocks * _CONTROL, frames.shape[1]), dtype=np.float64)
    padded[:n] = frames
    rms = np.sqrt(np.mean(np.square(padded).reshape(blocks, -1), axis=1))
    return speech_activity(rms.astype(np.float32), threshold_db, hold_s, round(RATE / _CONTROL))


def per_frame(blocks: NDArray[np.bool_], n: int) -> NDArray[np.bool_]:
    """Block-rate activity (:func:`activity_blocks`) spread back over ``n`` frames."""
    return np.repeat(blocks, _CONTROL)[:n]


def duck_gain(
    dialogue: Samples,
    depth_db: float = 10.0,
    attack_s: float = 0.08,
    release_s: float = 0.45,
    hold_s: float = 0.15,
    threshold_db: float = -45.0,
    speaking: NDArray[np.bool_] | None = None,
) -> Curve:
    """Linear gain per frame for the music under ``dialogue``: 1 in the clear, ``-depth_db``
    while someone speaks. The music is already down when a phrase starts (the dialogue is known
    in advance, so the attack ramp ends on the first syllable) and comes back ``hold_s`` after
    the last one. Ramps are linear in dB over ``attack_s`` and ``release_s``, corners rounded,
    so no step exceeds ``depth_db / (attack_s · RATE)`` dB: no zipper noise. ``speaking`` is
    the dialogue's :func:`activity_blocks` when the caller has measured it already.
    """
    n = len(dialogue)
    blocks = -(-n // _CONTROL)
    rate = RATE / _CONTROL
    if speaking is None:
        speaking = activity_blocks(dialogue, threshold_db, hold_s)
    duck = np.where(speaking, depth_db, 0.0)
    duck = _rise_then_fall(duck, depth_db / max(release_s * rate, 1.0))
    duck = _anticipate(duck, depth_db / max(attack_s * rate, 1.0))
    corner = max(round(min(attack_s, release_s) * rate / 4), 1)
    from scipy.ndimage import uniform_filter1d

    duck = uniform_filter1d(duck, corner, mode="nearest")
    block_gain = 10.0 ** (-duck / 20.0)
    at = (np.arange(blocks) + 0.5) * _CONTROL
    return np.asarray(np.interp(np.arange(n, dtype=np.float64), at, block_gain), np.float64)


def duck(
    music: Samples,
    dialogue: Samples,
    depth_db: float = 10.0,
    attack_s: float = 0.08,
    release_s: float = 0.45,
    hold_s: float = 0.15,
    threshold_db: float = -45.0,
) -> Samples:
    """``music`` with :func:`duck_gain` applied; ``dialogue`` must be as long as ``music``."""
    if len(dialogue) != len(music):
        raise ValueError(f"duck: dialogue has {len(dialogue)} frames, music {len(music)}")
    gain = duck_gain(dialogue, depth_db, attack_s, release_s, hold_s, threshold_db)
    shaped = gain if music.ndim == 1 else gain[:, None]
    return np.asarray(music * shaped, dtype=np.float32)


def _peaks(x: Samples, floor: float) -> Curve:
    """Per frame, the largest magnitude of ``x`` sampled ×4 on all channels (the frame and the
    three points after it), wherever that could reach ``floor``; elsewhere the sample peak.

    Interpolating everything costs ~0.5 s for a stereo minute, so only blocks whose samples
    could produce an interpolated value ≥ ``floor`` (by the taps' gain bound) are computed.
    """
    data = _frames(x)
    n, channels = data.shape
    blocks = -(-n // _BLOCK)
    padded = np.zeros((blocks * _BLOCK + 2 * _REACH, channels), dtype=np.float32)
    padded[_REACH : _REACH + n] = data
    block_max = np.zeros(blocks * _BLOCK)
    block_max[:n] = _channel_max(data) * _UNITY if n else 0.0
    hot = block_max.reshape(blocks, _BLOCK).max(axis=1) * _GROWTH >= floor
    hot[1:] |= hot[:-1].copy()
    hot[:-1] |= hot[1:].copy()
    starts = np.flatnonzero(hot) * _BLOCK
    span = np.arange(_BLOCK + 2 * _REACH)
    peaks = block_max.copy()
    for chunk in np.array_split(starts, max(len(starts) // 8192, 1)):
        segments = padded[chunk[:, None] + span]  # (blocks, _BLOCK + 20, channels)
        best = np.zeros((len(chunk), _BLOCK), dtype=np.float32)
        for phase in _PHASES:
            value = sum(
                phase[k] * segments[:, 2 * _REACH - k : 2 * _REACH - k + _BLOCK]
                for k in range(len(phase))
            )
            np.maximum(best, _channel_max(value), out=best)
        at = chunk[:, None] + np.arange(_BLOCK)
        peaks[at] = np.maximum(peaks[at], best)
    return peaks[:n]


def true_peak(x: Samples) -> float:
    """True peak of ``x`` in dBTP (BS.1770-4 annex 2): the largest magnitude after ×4
    polyphase oversampling, over all channels; ``-inf`` for silence."""
    if len(x) == 0:
        return float("-inf")
    top = float(np.abs(x).max()) * _UNITY
    if top == 0.0:
        return float("-inf")
    return float(20.0 * np.log10(float(_peaks(x, top).max())))


def limit(
    x: Samples,
    ceiling_db: float = -1.0,
    lookahead_s: float = 0.005,
    release_s: float = 0.05,
    *,
    heard: Samples | None = None,
) -> Samples:
    """``x`` with its true peak brought under ``ceiling_db`` dBTP, and nothing else touched.

    ``heard`` (same length as ``x``) is what will actually be played, such as ``x`` decoded
    back from a lossy codec, which overshoots where ``x`` itself did not: the reduction is
    then worked out from its peaks instead, and applied to ``x``.

    The reduction each frame needs (from the ×4 oversampled peak) is held over the next
    ``lookahead_s`` and ramped into by a moving average of that length, so the gain is fully
    down when the peak arrives; it then recovers at 20 dB per ``release_s``. The few
    hundredths of a dB the interpolation of a moving gain can add are taken off by a second
    pass where they are; a static trim of the whole signal is the last resort, as it would
    make an edit anywhere change every sample.
    """
    ceiling = db_to_gain(ceiling_db)
    y = _reduce(x, heard, ceiling, lookahead_s, release_s)
    if y is None:
        return np.asarray(x, dtype=np.float32)
    peak = float(_peaks(y, ceiling).max())
    if peak > ceiling and heard is None:
        # The interpolated gain left a hair over somewhere: take it off there, once, not
        # by trimming the whole programme (an edit anywhere would then change every sample).
        y = _reduce(y, None, ceiling * 0.9995, lookahead_s, release_s)
        assert y is not None
        peak = float(_peaks(y, ceiling).max())
    if peak > ceiling:  # a hair under: float32 rounding must not land a hair over
        y = y * (ceiling / peak * 0.9999)
    return np.asarray(y, dtype=np.float32)


def _reduce(
    x: Samples, heard: Samples | None, ceiling: float, lookahead_s: float, release_s: float
) -> Samples | None:
    """One pass of the limiter: ``x`` under the gain that takes the peaks of ``heard`` (or
    of ``x``) to ``ceiling`` (linear); None when nothing is over."""
    over = _peaks(x if heard is None else heard, ceiling) / ceiling
    need = np.where(over > 1.0, 20.0 * np.log10(np.maximum(over, 1.0)), 0.0)
    if not need.any():
        return None
    from scipy.ndimage import maximum_filter1d, uniform_filter1d

    # The gain is worked out per block of _CONTROL frames (16× less work), from the most any
    # frame in a block or its neighbours needs, so interpolating between blocks never gives
    # a frame less reduction than it needs; the caller's last check catches rounding.
    n = len(need)
    blocks = -(-n // _CONTROL)
    padded = np.zeros(blocks * _CONTROL)
    padded[:n] = need
    block = padded.reshape(blocks, _CONTROL).max(axis=1)
    block = maximum_filter1d(block, 3, mode="nearest")
    rate = RATE / _CONTROL
    ahead = max(round(lookahead_s * rate), 1)
    held = maximum_filter1d(block, ahead + 2, origin=1 - (ahead + 2) // 2)
    held = _rise_then_fall(held, 20.0 / max(release_s * rate, 1.0))
    ramped = uniform_filter1d(held, ahead + 1, origin=ahead - (ahead + 1) // 2)
    at = (np.arange(blocks) + 0.5) * _CONTROL
    gain = np.interp(np.arange(n, dtype=np.float64), at, 10.0 ** (-ramped / 20.0))
    y = (_frames(x) * gain[:, None]).astype(np.float32)  # measured as it will be delivered
    return np.asarray(y[:, 0] if x.ndim == 1 else y, dtype=np.float32)
    peak = float(_peaks(y, ceiling).max())
    if peak > ceiling and heard is None:
        # The interpolated gain left a hair over somewhere: take it off there, once, not
        # by trimming the whole programme (an edit anywhere would then change every sample).
        lower = 20.0 * math.log10(ceiling * 0.9995)
        y = limit(y, lower, lookahead_s, release_s, _final=True)
        peak = float(_peaks(y, ceiling).max())
    if peak > ceiling:  # a hair under: float32 rounding must not land a hair over
        y = y * (ceiling / peak * 0.9999)
    return np.asarray(y, dtype=np.float32)
