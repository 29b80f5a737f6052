"""Voice design: turn the base voice's speech into the character's, said with the delivery.

:func:`apply` moves a line from whatever the provider produced to the character's
:class:`~cliffhanger.model.voicing.VoiceTune` and the emotion's
:class:`~cliffhanger.voice.base.Delivery`:

1. pitch and formants, with Praat's "Change gender" (PSOLA): the median F0 goes to
   ``tune.pitch_hz`` shifted by the delivery's semitones, the intonation is widened or
   flattened by ``tune.pitch_range × delivery.pitch_range``, and the formants are scaled by
   ``tune.formant`` (a shorter or longer vocal tract). The duration is kept, so the phone
   timings of the :class:`~cliffhanger.voice.base.Speech` still hold;
2. timbre: a high-shelf filter of ``tune.brightness`` dB above :data:`SHELF_HZ`;
3. air: noise shaped like breath (band-passed, following the speech's envelope) mixed under the
   voice, ``tune.breathiness + delivery.breathiness``; at full air the voice itself recedes, as
   in a whisper;
4. level: the active speech is set to :data:`LEVEL_DBFS` RMS, then moved by the delivery's
   ``gain_db``, so that a shout is louder than a whisper whatever level the provider spoke at.
   Peaks are soft-limited below full scale.

The Praat work is done at :data:`WORK_RATE` (24 kHz: it costs half as much as 48 kHz, and the
base voice has no energy above 12 kHz to lose); the result is at
:data:`~cliffhanger.audio.base.RATE`.
"""

from __future__ import annotations

import math

import numpy as np
import parselmouth
from scipy.signal import butter, lfilter, sosfilt

from cliffhanger.audio.base import RATE, Samples, db_to_gain, resample
from cliffhanger.model.voicing import VoiceTune
from cliffhanger.voice.base import Delivery, Speech

WORK_RATE = 24_000
LEVEL_DBFS = -23.0
"""The RMS of the active (non-silent) part of a neutral line after design."""
SHELF_HZ = 3_000.0
PITCH_FLOOR, PITCH_CEILING = 60.0, 400.0  # the analysis range: any base voice's F0 fits in it
_LIMIT = 0.95  # soft-limiting starts at this peak
_FRAME = 0.02  # seconds: the envelope and activity frames


def apply(speech: Speech, tune: VoiceTune, delivery: Delivery) -> Speech:
    """``speech`` in the tune's voice with the delivery's colour; same length and phones.

    A silent line (or one too short to analyse) is returned at the right rate, level aside.
    """
    x = resample(speech.samples, speech.rate, WORK_RATE).astype(np.float64)
    if len(x) > WORK_RATE * 0.05 and np.max(np.abs(x)) > 1e-4:
        x = _change_voice(x, tune, delivery)
    x = _shelf(x, tune.brightness, WORK_RATE)
    x = _level(_breathe(x, min(1.0, tune.breathiness + delivery.breathiness), WORK_RATE))
    y = resample((x * db_to_gain(delivery.gain_db)).astype(np.float32), WORK_RATE, RATE)
    out = _soft_limit(y.astype(np.float64))  # after resampling, whose ripple can overshoot
    return Speech(samples=_fit(out, round(speech.seconds * RATE)), rate=RATE, phones=speech.phones)


def _change_voice(x: np.ndarray, tune: VoiceTune, delivery: Delivery) -> np.ndarray:
    sound = parselmouth.Sound(x, sampling_frequency=WORK_RATE)
    median = tune.pitch_hz * 2 ** (delivery.pitch_semitones / 12)
    changed = parselmouth.praat.call(
        sound,
        "Change gender",
        PITCH_FLOOR,
        PITCH_CEILING,
        tune.formant,
        median,
        tune.pitch_range * delivery.pitch_range,
        1.0,
    )
    # Praat resamples by the formant ratio and back; the length may differ by a sample or two
    return _fit(np.asarray(changed.values[0], dtype=np.float64), len(x))


def _shelf(x: np.ndarray, gain_db: float, rate: int) -> np.ndarray:
    """An RBJ-cookbook high shelf of ``gain_db`` above :data:`SHELF_HZ` (slope 1)."""
    if abs(gain_db) < 0.05:
        return x
    a = 10 ** (gain_db / 40)
    w0 = 2 * math.pi * SHELF_HZ / rate
    cos, alpha = math.cos(w0), math.sin(w0) / 2 * math.sqrt(2)
    root = 2 * math.sqrt(a) * alpha
    b = [
        a * ((a + 1) + (a - 1) * cos + root),
        -2 * a * ((a - 1) + (a + 1) * cos),
        a * ((a + 1) + (a - 1) * cos - root),
    ]
    den = [
        (a + 1) - (a - 1) * cos + root,
        2 * ((a - 1) - (a + 1) * cos),
        (a + 1) - (a - 1) * cos - root,
    ]
    return np.asarray(lfilter(b, den, x), dtype=np.float64)


def _breathe(x: np.ndarray, air: float, rate: int) -> np.ndarray:
    """Breath noise (1.5–7 kHz) following the voice's envelope, ``air`` 0..1 of the mix."""
    if air <= 0.0:
        return x
    rng = np.random.default_rng(len(x))  # fixed per length: the same line designs the same
    sos = butter(2, [1_500, 7_000], btype="bandpass", fs=rate, output="sos")
    noise = np.asarray(sosfilt(sos, rng.standard_normal(len(x))), dtype=np.float64)
    noise /= max(float(np.sqrt(np.mean(noise**2))), 1e-9)
    return (1 - 0.85 * air**2) * x + 0.9 * air * _envelope(x, rate) * noise


def _envelope(x: np.ndarray, rate: int) -> np.ndarray:
    """The voice's RMS envelope, smoothed over one frame, sample by sample."""
    n = max(1, round(_FRAME * rate))
    smooth = np.convolve(x**2, np.full(n, 1 / n), mode="same")
    return np.sqrt(np.maximum(smooth, 0.0))


def _level(x: np.ndarray) -> np.ndarray:
    """``x`` with its active frames at :data:`LEVEL_DBFS` RMS."""
    rms = _active_rms(x, WORK_RATE)
    return x if rms < 1e-6 else x * (db_to_gain(LEVEL_DBFS) / rms)


def _active_rms(x: np.ndarray, rate: int) -> float:
    """RMS over the frames within 40 dB of the loudest: the speech, not its pauses."""
    n = max(1, round(_FRAME * rate))
    frames = x[: len(x) // n * n].reshape(-1, n)
    if not len(frames):
        return 0.0
    power = np.mean(frames**2, axis=1)
    active = power[power > np.max(power) * 1e-4]
    return float(np.sqrt(np.mean(active))) if len(active) else 0.0


def _soft_limit(x: np.ndarray) -> np.ndarray:
    """Peaks above :data:`_LIMIT` bent smoothly towards 1; everything below untouched."""
    over = np.abs(x) > _LIMIT
    if not over.any():
        return x
    y = x.copy()
    head = 1.0 - _LIMIT
    y[over] = np.sign(x[over]) * (_LIMIT + head * np.tanh((np.abs(x[over]) - _LIMIT) / head))
    return y


def _fit(x: Samples | np.ndarray, n: int) -> Samples:
    """``x`` cut or zero-padded to ``n`` samples, as float32."""
    y = np.zeros(n, dtype=np.float32)
    m = min(n, len(x))
    y[:m] = x[:m]
    return y
