"""Stingers and sound effects, synthesized: the hits and whooshes a micro-drama lives on.

:func:`effect` renders one by name (see :data:`EFFECTS`) as stereo ``float32`` ``(n, 2)`` at
:data:`~cliffhanger.audio.base.RATE`, peak-normalized to :data:`PEAK`, the same for the same
seed. Each has a defined length; those that strike (the hit, boom, slap, door slam) peak in
their first few milliseconds, so a cue's start time is where the ear hears it land.

>>> x = effect("heartbeat", seed=0, bpm=80, seconds=3.0)
>>> x.shape
(144000, 2)
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from cliffhanger.audio.base import RATE, Samples
from cliffhanger.score import synth
from cliffhanger.score.synth import Floats, bandpass, lowpass, perc

PEAK = 0.89  # -1 dBFS
"""Every effect's peak, before the mix sets its gain."""

Stereo = Floats  # (n, 2) float64 while an effect is being built


def _mono(x: Floats, width: float = 0.0, rng: np.random.Generator | None = None) -> Stereo:
    """Mono to stereo; ``width`` adds a decorrelated copy (a few ms of delay) for space."""
    if width == 0.0 or rng is None:
        return np.stack([x, x], axis=1)
    delay = int(rng.uniform(0.007, 0.013) * RATE)
    late = np.concatenate([np.zeros(delay), x[:-delay]])
    return np.stack([x + width * late, x - width * late], axis=1)


def _t(seconds: float) -> Floats:
    return np.arange(int(seconds * RATE)) / RATE


def _sweep(f0: float, f1: float, seconds: float, tau: float) -> Floats:
    """A sine gliding exponentially from ``f0`` towards ``f1`` (time constant ``tau``)."""
    f = f1 + (f0 - f1) * np.exp(-_t(seconds) / tau)
    return np.sin(2 * np.pi * np.cumsum(f) / RATE)


def _boom(rng: np.random.Generator, seconds: float = 2.5) -> Stereo:
    body = _sweep(95.0, 38.0, seconds, 0.25) * perc(seconds, 0.7, attack=0.003)
    thump = lowpass(rng.standard_normal(len(body)), 180.0, order=4) * perc(seconds, 0.12) * 4
    return _mono(body + thump, 0.2, rng)


def _cliffhanger_hit(rng: np.random.Generator, seconds: float = 4.0) -> Stereo:
    """A low boom under an orchestral-ish hit (a minor chord of saws over four octaves and a
    noise crack), with a shimmering riser left ringing in the tail."""
    n = int(seconds * RATE)
    out = _boom(rng, seconds)
    tonic = float(rng.choice([38, 40, 41, 43]))  # D2 .. G2
    hit = np.zeros(n)
    for note in (0, 12, 15, 19, 24, 27, 31, 36):
        x = synth.saw(synth.hz(tonic + note), n, rng.random())
        hit += lowpass(x, 2500.0) / (1 + note / 12)
    hit *= perc(seconds, 0.45, attack=0.004)
    crack = bandpass(rng.standard_normal(n), 600.0, 4000.0) * perc(seconds, 0.05, attack=0.001)
    t = _t(seconds)
    riser_env = np.clip((t - 0.4) / (seconds - 0.4), 0, 1) ** 2 * np.clip((seconds - t) / 0.3, 0, 1)
    riser = bandpass(rng.standard_normal(n), 3000.0, 9000.0) * riser_env * 0.25
    gliss = _sweep(synth.hz(tonic + 48), synth.hz(tonic + 60), seconds, seconds)
    riser += gliss * riser_env * 0.08
    out += _mono(0.35 * hit + 0.6 * crack, 0.3, rng)
    out += np.stack([riser, np.roll(riser, int(0.011 * RATE))], axis=1)
    return out


def _reversal_whoosh(rng: np.random.Generator, seconds: float = 1.2) -> Stereo:
    """Noise swept through a band-pass that rises and falls, swelling to a peak at 60 %
    of its length, panning across the picture."""
    n = int(seconds * RATE)
    noise = rng.standard_normal(n)
    blocks = 24
    out = np.zeros(n)
    edges = np.linspace(0, n, blocks + 1).astype(int)
    for i in range(blocks):  # a filter stepped over short blocks, cross-faded by the envelope
        centre = 300.0 + 2500.0 * np.sin(np.pi * (i + 0.5) / blocks) ** 2
        seg = bandpass(noise, centre / 1.6, centre * 1.6)[edges[i] : edges[i + 1]]
        out[edges[i] : edges[i + 1]] = seg
    pos = np.linspace(0, 1, n)
    env = np.where(pos < 0.6, (pos / 0.6) ** 2, ((1 - pos) / 0.4) ** 1.5)
    out = lowpass(out * env, 8000.0)
    pan = np.linspace(-0.7, 0.7, n)
    angle = (pan + 1) * np.pi / 4
    return np.stack([out * np.cos(angle), out * np.sin(angle)], axis=1)


def _slap(rng: np.random.Generator, seconds: float = 0.4) -> Stereo:
    """A crack of bright noise and a short skin-and-flesh thump."""
    n = int(seconds * RATE)
    crack = bandpass(rng.standard_normal(n), 1200.0, 6000.0) * perc(seconds, 0.018, 0.0005)
    body = bandpass(rng.standard_normal(n), 150.0, 900.0) * perc(seconds, 0.035, attack=0.0005)
    return _mono(crack + 1.5 * body, 0.15, rng)


def _phone_ring(rng: np.random.Generator, rings: int = 2) -> Stereo:
    """A phone's ring: 440 + 480 Hz trilled at 20 Hz, one second on, half a second off."""
    seconds = rings * 1.5
    t = _t(seconds)
    tone = np.sin(2 * np.pi * 440 * t) + np.sin(2 * np.pi * 480 * t)
    trill = 0.6 + 0.4 * np.sign(np.sin(2 * np.pi * 20 * t))
    gate = (t % 1.5) < 1.0
    edge = np.minimum(np.minimum((t % 1.5) / 0.005, (1.0 - t % 1.5) / 0.005), 1.0)
    small_speaker = bandpass(tone * lowpass(trill, 400.0), 300.0, 3400.0)
    return _mono(small_speaker * gate * np.clip(edge, 0, 1), 0.0)


def _door(rng: np.random.Generator, kind: str = "slam") -> Stereo:
    """A door: ``slam`` (a wooden bang and a rattle) or ``open`` (a hinge creak, a latch)."""
    if kind == "slam":
        seconds = 1.0
        n = int(seconds * RATE)
        bang = bandpass(rng.standard_normal(n), 80.0, 600.0) * perc(seconds, 0.09, 0.001) * 3
        knock = _sweep(140.0, 90.0, seconds, 0.1) * perc(seconds, 0.15, 0.001)
        rattle = bandpass(rng.standard_normal(n), 1500.0, 5000.0) * perc(seconds, 0.04) * 0.3
        return _mono(bang + knock + rattle, 0.3, rng)
    if kind == "open":
        seconds = 1.4
        t = _t(seconds)
        rate = 25 + 60 * np.sin(np.pi * t / 1.1) ** 2  # the hinge's stick-slip speeds up, slows
        clicks = np.diff(np.floor(np.cumsum(rate) / RATE), prepend=0.0)
        creak = bandpass(clicks, 500.0, 2500.0) * (t < 1.1)
        creak *= 0.7 / np.abs(creak).max()
        latch_at = int(1.15 * RATE)
        latch = np.zeros(len(t))
        click = bandpass(rng.standard_normal(int(0.05 * RATE)), 1500.0, 5000.0)
        click *= perc(0.05, 0.006) * 0.5 / np.abs(click).max()
        latch[latch_at : latch_at + len(click)] = click
        return _mono(creak + latch, 0.2, rng)
    raise ValueError(f"unknown door kind '{kind}'; known: slam, open")


def _crowd_gasp(rng: np.random.Generator, voices: int = 14) -> Stereo:
    """Many breathy in-breaths, each a formant-filtered noise swell, a few ms apart."""
    seconds = 1.2
    n = int(seconds * RATE)
    out = np.zeros((n, 2))
    for _ in range(voices):
        length = int(rng.uniform(0.25, 0.45) * RATE)
        onset = int(rng.uniform(0.0, 0.12) * RATE)
        formant = rng.uniform(700.0, 1800.0)
        breath = bandpass(rng.standard_normal(length), formant * 0.6, formant * 1.9)
        pos = np.linspace(0, 1, length)
        breath *= np.minimum(pos / 0.25, 1) * np.exp(-np.maximum(pos - 0.25, 0) * 5)
        angle = (rng.uniform(-0.8, 0.8) + 1) * np.pi / 4
        stop = min(n, onset + length)
        out[onset:stop] += np.outer(breath[: stop - onset], (np.cos(angle), np.sin(angle)))
    return out


def _heartbeat(rng: np.random.Generator, bpm: float = 72.0, seconds: float = 4.0) -> Stereo:
    """A heartbeat ("lub-dub") at ``bpm`` for ``seconds``: the first beat at the start."""
    if bpm <= 0:
        raise ValueError(f"bpm must be positive, got {bpm}")
    n = int(seconds * RATE)
    out = np.zeros(n)
    thump = _sweep(70.0, 42.0, 0.25, 0.05) * perc(0.25, 0.05, attack=0.004)
    period = 60.0 / bpm
    for beat in np.arange(0.0, seconds, period):
        for offset, gain in ((0.0, 1.0), (min(0.3, period * 0.35), 0.6)):
            at = int((beat + offset) * RATE)
            stop = min(n, at + len(thump))
            if at < n:
                out[at:stop] += gain * thump[: stop - at]
    return _mono(out)


_SYNTHS: dict[str, Callable[..., Stereo]] = {
    "cliffhanger_hit": _cliffhanger_hit,
    "reversal_whoosh": _reversal_whoosh,
    "boom": _boom,
    "slap": _slap,
    "phone_ring": _phone_ring,
    "door": _door,
    "crowd_gasp": _crowd_gasp,
    "heartbeat": _heartbeat,
}
EFFECTS = tuple(_SYNTHS)
"""The effects by name; each one's keyword parameters are its synthesizer's (``heartbeat``:
``bpm``, ``seconds``; ``door``: ``kind``; ``phone_ring``: ``rings`` ...)."""


def effect(name: str, seed: int = 0, **params: float | int | str) -> Samples:
    """The effect ``name`` (stereo, peak :data:`PEAK`), deterministic per ``seed``."""
    if name not in EFFECTS:
        raise ValueError(f"unknown effect '{name}'; known: {', '.join(EFFECTS)}")
    rng = np.random.default_rng([seed, len(name), *name.encode()])
    x = _SYNTHS[name](rng, **params)
    peak = float(np.abs(x).max())
    return synth.to_f32(x * (PEAK / peak) if peak > 0 else x)
