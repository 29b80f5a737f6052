"""The episode's mix and master: three stereo buses summed, then loudness and true peak.

``mix`` sums dialogue, music (ducked under the dialogue) and effects at their bus gains;
``master`` brings the sum to the delivery loudness (−14 LUFS) under a true-peak ceiling
(−1 dBTP); ``mix_and_master`` runs both from :class:`~cliffhanger.settings.MixSettings`.

    audio, report = mix_and_master(Stems(dialogue, music, effects), settings.mix)
"""

from __future__ import annotations

import math
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray

from cliffhanger.audio.base import RATE, Samples, db_to_gain
from cliffhanger.mix.dynamics import activity_blocks, duck_gain, limit, per_frame, true_peak
from cliffhanger.mix.loudness import ABSOLUTE_GATE, integrated_loudness
from cliffhanger.settings import MixSettings

_CENTRE = 1 / math.sqrt(2)  # constant-power pan: a centred mono line keeps its loudness
_SETTLE_S = 0.6  # measure pauses only this long after speech (hold + release)
_TOLERANCE_LU = 0.5  # the limiter may cost this much loudness before the master tries again
GAIN_HOLD_LU = 0.3  # a re-master keeps its gain while the input moved less than this


def _stereo(x: Samples, name: str) -> NDArray[np.float32]:
    data = np.asarray(x, dtype=np.float32)
    if data.ndim == 1:
        data = np.stack([data, data], axis=1) * np.float32(_CENTRE)
    if data.ndim != 2 or data.shape[1] != 2:
        raise ValueError(f"stem {name}: expected mono (n,) or stereo (n, 2), got {x.shape}")
    if not np.isfinite(data).all():
        raise ValueError(f"stem {name}: contains NaN or infinite samples")
    return data


@dataclass(frozen=True)
class Stems:
    """The three buses of an episode at 48 kHz: stereo ``(n, 2)`` float32, or mono ``(n,)``,
    which is centred. Shorter stems are padded with silence to the longest."""

    dialogue: Samples
    music: Samples
    effects: Samples

    def stereo(self) -> tuple[Samples, Samples, Samples]:
        buses = [_stereo(self.dialogue, "dialogue"), _stereo(self.music, "music")]
        buses.append(_stereo(self.effects, "effects"))
        n = max(len(b) for b in buses)
        d, m, e = (np.pad(b, ((0, n - len(b)), (0, 0))) for b in buses)
        return d, m, e


@dataclass(frozen=True)
class Levels:
    """What a meter says about a signal: integrated LUFS, true peak dBTP, largest |sample|."""

    lufs: float
    true_peak_db: float
    max_sample: float
    gain_db: float = 0.0  # the master's static gain, when these are the master's levels
    set_for_lufs: float = 0.0  # and the input loudness that gain was set for


@dataclass(frozen=True)
class MixReport:
    """Measured, not requested: each bus's loudness as it enters the sum (LUFS), how far the
    music sat under speech compared with long pauses (dB), the summed mix, and the master."""

    dialogue_lufs: float
    music_lufs: float
    effects_lufs: float
    duck_depth_db: float
    mix_lufs: float  # the sum before the master
    mix_peak: float  # its largest |sample| (it may pass full scale: the master limits it)
    master: Levels | None = None


def _frames64(x: Samples) -> NDArray[np.float64]:
    return np.asarray(x[:, None] if x.ndim == 1 else x, dtype=np.float64)


def duck_depth(dry: Samples, ducked: Samples, speaking: NDArray[np.bool_]) -> float:
    """How much quieter ``ducked`` is than ``dry`` under speech than in settled pauses (dB);
    ``nan`` when the episode has no speech or no long pause."""
    settle = round(_SETTLE_S * RATE)
    index = np.arange(len(speaking))
    last = np.maximum.accumulate(np.where(speaking, index, -(2**62)))
    pause = index - last > settle
    if not speaking.any() or not pause.any():
        return float("nan")

    energy_dry = np.square(_frames64(dry)).sum(axis=1)
    energy_wet = np.square(_frames64(ducked)).sum(axis=1)

    def ratio_db(mask: NDArray[np.bool_]) -> float:
        wet = float(energy_wet[mask].sum())
        raw = float(energy_dry[mask].sum())
        return 10 * math.log10(max(wet, 1e-30) / max(raw, 1e-30))

    return ratio_db(pause) - ratio_db(speaking)


def mix(
    stems: Stems,
    duck_db: float = 10.0,
    dialogue_db: float = 0.0,
    music_db: float = -6.0,
    effects_db: float = -3.0,
) -> tuple[Samples, MixReport]:
    """The buses at their gains, the music ducked ``duck_db`` under the dialogue, summed.
    Not limited: the sum may exceed full scale until :func:`master`."""
    dialogue, music, effects = stems.stereo()
    dialogue = dialogue * np.float32(db_to_gain(dialogue_db))
    dry = music * np.float32(db_to_gain(music_db))
    speaking = activity_blocks(dialogue)  # measured once: it drives the duck and its report
    ducked = dry * duck_gain(dialogue, duck_db, speaking=speaking)[:, None].astype(np.float32)
    effects = effects * np.float32(db_to_gain(effects_db))
    total = dialogue + ducked + effects
    # The four meters are independent; their filters release the GIL (~10 % faster in two).
    with ThreadPoolExecutor(max_workers=2) as pool:
        lufs = list(pool.map(integrated_loudness, (dialogue, ducked, effects, total)))
    report = MixReport(
        dialogue_lufs=lufs[0],
        music_lufs=lufs[1],
        effects_lufs=lufs[2],
        duck_depth_db=duck_depth(dry, ducked, per_frame(speaking, len(dialogue))),
        mix_lufs=lufs[3],
        mix_peak=float(np.abs(total).max()) if len(total) else 0.0,
    )
    return total, report


def master(
    x: Samples,
    lufs: float = -14.0,
    true_peak_db: float = -1.0,
    *,
    hold: tuple[float, float] | None = None,
) -> tuple[Samples, Levels]:
    """``x`` at ``lufs`` integrated loudness with its true peak at most ``true_peak_db``.

    A static gain sets the loudness, the limiter takes the peaks; if the limiter cost more
    than half an LU, the gain is raised by the shortfall once and the limiter runs again.

    ``hold``: the gain the last master of this programme settled on and the input loudness
    it was set for. While the input still measures within ``GAIN_HOLD_LU`` of that, the
    gain is kept (the result is then within that much of a fresh master's): a re-voiced
    line changes the mix only where it is, not by a hundredth of a dB everywhere, which
    would make every later stage redo the whole programme. The comparison is always with
    the input the gain was set for, so edit after edit cannot walk the loudness away.

    Raises ``ValueError`` for a silent signal (below the −70 LUFS gate): there is nothing
    to bring up, and raising noise 60 dB is never what was meant.
    """
    measured = integrated_loudness(x)
    if not measured > ABSOLUTE_GATE:
        raise ValueError(
            f"master: the mix is silent ({measured:.1f} LUFS, gate {ABSOLUTE_GATE:.0f}); "
            "check that the stems were rendered"
        )
    held = hold is not None and abs(hold[1] - measured) <= GAIN_HOLD_LU
    gain_db, set_for = hold if hold is not None and held else (lufs - measured, measured)
    out = limit(x * np.float32(db_to_gain(gain_db)), true_peak_db)
    reached = integrated_loudness(out)
    if not held and reached < lufs - _TOLERANCE_LU:  # (a held gain was raised when set)
        gain_db += lufs - reached
        out = limit(x * np.float32(db_to_gain(gain_db)), true_peak_db)
        reached = integrated_loudness(out)
    top = float(np.abs(out).max())
    return out, Levels(reached, true_peak(out), top, gain_db, set_for)


def mix_and_master(
    stems: Stems, settings: MixSettings, *, hold: tuple[float, float] | None = None
) -> tuple[Samples, MixReport]:
    """The delivered episode audio and everything measured on the way (``hold``: see
    :func:`master`)."""
    summed, report = mix(stems, duck_db=settings.duck_db)
    ceiling = settings.true_peak_db - settings.codec_headroom_db  # room for the codec
    out, levels = master(summed, settings.loudness_lufs, ceiling, hold=hold)
    return out, replace(report, master=levels)
