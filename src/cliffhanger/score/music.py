"""Music beds by mood, synthesized offline: a key, a progression, a tempo, a few instruments.

:func:`bed` gives any length of a mood's bed as stereo ``float32`` ``(n, 2)`` at
:data:`~cliffhanger.audio.base.RATE`, normalized to :data:`BED_LUFS` so the mix starts from a
known level. It renders one loop of :data:`BARS` bars (:func:`bed_loop`) and tiles it. The
loop is seamless: every note is written onto a circular canvas, so a tail that rings past the
loop's end sounds again under its start, and the reverb is a circular convolution; the sample
after the last is the first.

Each mood is a row of :data:`SPECS`: a mode, a chord progression by scale degree, a tempo,
and the parts that play it (functions of the same name in :data:`PARTS`). The seed picks the
tonic and the details (arpeggio figure, which plucks sound), so the same seed always gives
the same bed and another seed another one.

>>> loop = bed_loop("tension", seed=1)
>>> loop.tempo, loop.bars
(100.0, 8)
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

import numpy as np

from cliffhanger.audio.base import RATE, Samples
from cliffhanger.score import synth
from cliffhanger.score.synth import Floats, hz
from cliffhanger.score.theory import Chord, Key

MOODS = ("tension", "romance", "sorrow", "triumph", "mystery", "comedy")
MUSIC_VERSION = 1  # bump when a bed's sound changes: cached loops are keyed on it
BARS = 8
BEATS_PER_BAR = 4
BED_LUFS = -20.0
"""The integrated loudness of every bed, before the mix moves it."""


class Loop(NamedTuple):
    """One seamless loop of a bed and what it is made of."""

    samples: Samples  # stereo (n, 2) float32, read-only
    bars: int
    tempo: float  # beats per minute, four beats a bar
    key: Key


@dataclass(frozen=True, slots=True)
class MoodSpec:
    mode: str
    progression: tuple[Chord, ...]
    bars_per_chord: int
    tempo: float
    tonics: tuple[int, ...]  # MIDI notes the seed picks the tonic from (the bass octave)
    parts: tuple[str, ...]
    reverb: float  # wet level


_M, _m = "major", "minor"

SPECS: dict[str, MoodSpec] = {
    "tension": MoodSpec(
        _m,
        (Chord(0, _m), Chord(8, _M), Chord(10, _M), Chord(0, _m)),
        2,
        100.0,
        (45, 47, 48, 50, 52),
        ("strings", "ostinato", "pulse_kick"),
        0.25,
    ),
    "romance": MoodSpec(
        _M,
        (Chord(0, _M), Chord(9, _m), Chord(5, _M), Chord(7, _M)),
        2,
        72.0,
        (48, 50, 51, 53, 55),
        ("strings", "pedal", "bass_roots", "arpeggio"),
        0.35,
    ),
    "sorrow": MoodSpec(
        _m,
        (Chord(0, _m), Chord(5, _m), Chord(8, _M), Chord(7, _m)),
        2,
        60.0,
        (45, 47, 48, 50, 52),
        ("strings", "pedal", "bass_roots", "slow_keys"),
        0.4,
    ),
    "triumph": MoodSpec(
        _M,
        (Chord(0, _M), Chord(7, _M), Chord(9, _m), Chord(5, _M)),
        1,
        120.0,
        (46, 48, 50, 51, 53),
        ("strings", "pedal", "bass_beats", "brass_stabs", "drums"),
        0.25,
    ),
    "mystery": MoodSpec(
        "phrygian",
        (Chord(0, _m), Chord(1, _M), Chord(0, _m), Chord(10, _m)),
        2,
        84.0,
        (45, 47, 48, 50, 52),
        ("drone", "sparse_plucks"),
        0.45,
    ),
    "comedy": MoodSpec(
        _M,
        (Chord(0, _M), Chord(5, _M), Chord(7, _M), Chord(0, _M)),
        1,
        132.0,
        (48, 50, 53, 55),
        ("oom_pah", "pizz_melody"),
        0.15,
    ),
}


class Canvas:
    """A circular stereo buffer one loop long: what is written past the end wraps to the start."""

    def __init__(self, n: int) -> None:
        self.data = np.zeros((2, n))  # channel-first: each channel is contiguous

    def add(self, x: Floats, at: float, pan: float = 0.0, gain: float = 1.0) -> None:
        """Mix mono ``x`` in at ``at`` seconds, panned (-1 left .. 1 right, equal power)."""
        angle = (pan + 1) * np.pi / 4
        gains = (gain * np.cos(angle), gain * np.sin(angle))
        n = self.data.shape[1]
        pos = round(at * RATE) % n
        done = 0
        while done < len(x):
            take = min(n - pos, len(x) - done)
            for ch in range(2):
                self.data[ch, pos : pos + take] += gains[ch] * x[done : done + take]
            done += take
            pos = 0


@dataclass(frozen=True, slots=True)
class Ctx:
    """What every part plays from: the key, the chord under each bar, the beat length."""

    key: Key
    chords: tuple[Chord, ...]  # one per bar
    beat: float  # seconds
    rng: np.random.Generator

    def spans(self) -> list[tuple[int, int, Chord]]:
        """Runs of bars on the same chord: (first bar, bar count, chord)."""
        out: list[tuple[int, int, Chord]] = []
        for bar, chord in enumerate(self.chords):
            if out and out[-1][2] == chord and out[-1][0] + out[-1][1] == bar:
                out[-1] = (out[-1][0], out[-1][1] + 1, chord)
            else:
                out.append((bar, 1, chord))
        return out

    def at(self, bar: int, beat: float) -> float:
        return (bar * BEATS_PER_BAR + beat) * self.beat


def _strings(c: Canvas, ctx: Ctx) -> None:
    bar_s = ctx.beat * BEATS_PER_BAR
    for first, count, chord in ctx.spans():
        notes = ctx.key.chord(chord, octave=1)
        for i, note in enumerate(notes):
            x = synth.pad(hz(note), count * bar_s, ctx.rng)
            c.add(x, ctx.at(first, 0), pan=(i - 1) * 0.5, gain=0.22)


def _pedal(c: Canvas, ctx: Ctx) -> None:
    """The tonic held high over every chord, as film strings do: it anchors the key."""
    bar_s = ctx.beat * BEATS_PER_BAR
    for first, count, _ in ctx.spans():
        x = synth.pad(hz(ctx.key.tonic + 24), count * bar_s, ctx.rng, brightness=1.5)
        c.add(x, ctx.at(first, 0), pan=0.1, gain=0.16)


def _ostinato(c: Canvas, ctx: Ctx) -> None:
    figure = ((0, 12, 0, 7, 0, 12, 0, 7), (0, 0, 12, 0, 0, 7, 12, 7))[int(ctx.rng.integers(2))]
    for bar, chord in enumerate(ctx.chords):
        root = ctx.key.chord(chord)[0]
        for step, offset in enumerate(figure):
            accent = 1.0 if step % 2 == 0 else 0.45
            x = synth.bass(hz(root + offset), ctx.beat * 0.35)
            c.add(x, ctx.at(bar, step / 2), pan=0.15, gain=0.3 * accent)


def _pulse_kick(c: Canvas, ctx: Ctx) -> None:
    k = synth.kick()
    for bar in range(len(ctx.chords)):
        for beat in range(BEATS_PER_BAR):
            c.add(k, ctx.at(bar, beat), gain=0.5 if beat % 2 == 0 else 0.3)


def _bass_roots(c: Canvas, ctx: Ctx) -> None:
    bar_s = ctx.beat * BEATS_PER_BAR
    for first, count, chord in ctx.spans():
        root = ctx.key.chord(chord)[0]
        x = synth.bass(hz(root), count * bar_s - 0.1)
        c.add(x, ctx.at(first, 0), gain=0.35)


def _bass_beats(c: Canvas, ctx: Ctx) -> None:
    for bar, chord in enumerate(ctx.chords):
        root = ctx.key.chord(chord)[0]
        for beat in range(BEATS_PER_BAR):
            x = synth.bass(hz(root), ctx.beat * 0.7)
            c.add(x, ctx.at(bar, beat), gain=0.35)


def _arpeggio(c: Canvas, ctx: Ctx) -> None:
    figures = ((0, 1, 2, 3, 2, 1, 2, 3), (0, 2, 1, 3, 2, 1, 3, 2), (0, 1, 2, 1, 3, 2, 1, 2))
    figure = figures[int(ctx.rng.integers(len(figures)))]
    for bar, chord in enumerate(ctx.chords):
        tones = (*ctx.key.chord(chord, octave=1), ctx.key.chord(chord, octave=2)[0])
        for step, index in enumerate(figure):
            x = synth.keys(hz(tones[index] + 12), ctx.beat * 0.45)
            c.add(x, ctx.at(bar, step / 2), pan=-0.3 + 0.2 * index, gain=0.2)


def _slow_keys(c: Canvas, ctx: Ctx) -> None:
    for bar, chord in enumerate(ctx.chords):
        tones = ctx.key.chord(chord, octave=2)
        order = ctx.rng.permutation(3)
        for beat in range(BEATS_PER_BAR):
            if beat == 3 and bar % 2:
                continue  # a breath every other bar
            x = synth.keys(hz(tones[order[beat % 3]]), ctx.beat * 0.9)
            c.add(x, ctx.at(bar, beat), pan=0.25, gain=0.14)


def _brass_stabs(c: Canvas, ctx: Ctx) -> None:
    rhythm = ((0.0, 0.6), (1.5, 0.4), (2.0, 0.9))  # (beat, gate in beats)
    for bar, chord in enumerate(ctx.chords):
        for beat, gate in rhythm:
            for i, note in enumerate(ctx.key.chord(chord, octave=1)):
                x = synth.brass(hz(note), gate * ctx.beat, ctx.rng)
                c.add(x, ctx.at(bar, beat), pan=(i - 1) * 0.4, gain=0.16)


def _drums(c: Canvas, ctx: Ctx) -> None:
    k = synth.kick()
    for bar in range(len(ctx.chords)):
        for beat in range(BEATS_PER_BAR):
            if beat % 2 == 0:
                c.add(k, ctx.at(bar, beat), gain=0.7)
            else:
                c.add(synth.snare(ctx.rng), ctx.at(bar, beat), pan=-0.1, gain=0.3)
            for half in (0.0, 0.5):
                accent = 0.12 if half == 0 else 0.07
                c.add(synth.hat(ctx.rng), ctx.at(bar, beat + half), pan=0.3, gain=accent)


def _drone(c: Canvas, ctx: Ctx) -> None:
    bar_s = ctx.beat * BEATS_PER_BAR
    tonic = ctx.key.tonic
    for first, count, _ in ctx.spans():
        for note, gain, pan in ((tonic, 0.3, -0.2), (tonic + 7, 0.18, 0.2), (tonic + 12, 0.1, 0)):
            x = synth.pad(hz(note), count * bar_s, ctx.rng, brightness=1.5)
            c.add(x, ctx.at(first, 0), pan=pan, gain=gain)
        third = ctx.key.chord(ctx.chords[first], octave=1)[1]
        c.add(synth.pad(hz(third), count * bar_s, ctx.rng, 2.0), ctx.at(first, 0), gain=0.1)


def _sparse_plucks(c: Canvas, ctx: Ctx) -> None:
    scale = ctx.key.scale(octave=2)
    for bar in range(len(ctx.chords)):
        for step in range(BEATS_PER_BAR * 2):
            if ctx.rng.random() < (0.55 if step == 0 else 0.18):
                note = scale[0] if step == 0 else scale[int(ctx.rng.integers(len(scale)))]
                x = synth.pluck(hz(note), 1.5, ctx.rng, damping=0.997)
                c.add(x, ctx.at(bar, step / 2), pan=float(ctx.rng.uniform(-0.6, 0.6)), gain=0.3)


def _oom_pah(c: Canvas, ctx: Ctx) -> None:
    for bar, chord in enumerate(ctx.chords):
        root, _, fifth = ctx.key.chord(chord)
        for beat in range(BEATS_PER_BAR):
            if beat % 2 == 0:
                note = root if beat == 0 else fifth - 12
                c.add(synth.pluck(hz(note), 0.3, ctx.rng, 0.99), ctx.at(bar, beat), gain=0.6)
            else:
                for i, tone in enumerate(ctx.key.chord(chord, octave=1)):
                    x = synth.pluck(hz(tone), 0.18, ctx.rng, 0.985)
                    c.add(x, ctx.at(bar, beat), pan=(i - 1) * 0.5, gain=0.28)


def _pizz_melody(c: Canvas, ctx: Ctx) -> None:
    rhythms = ((0, 1, 3, 4, 6), (0, 2, 3, 5, 6, 7), (0, 1, 2, 4, 6))  # eighths that sound
    rhythm = rhythms[int(ctx.rng.integers(len(rhythms)))]
    for bar, chord in enumerate(ctx.chords):
        tones = (*ctx.key.chord(chord, octave=2), ctx.key.chord(chord, octave=3)[0])
        for step in rhythm:
            note = tones[int(ctx.rng.integers(len(tones)))]
            x = synth.pluck(hz(note), 0.15, ctx.rng, 0.985)
            c.add(x, ctx.at(bar, step / 2), pan=0.3, gain=0.22 if step % 2 == 0 else 0.15)


PARTS: dict[str, Callable[[Canvas, Ctx], None]] = {
    "strings": _strings,
    "pedal": _pedal,
    "ostinato": _ostinato,
    "pulse_kick": _pulse_kick,
    "bass_roots": _bass_roots,
    "bass_beats": _bass_beats,
    "arpeggio": _arpeggio,
    "slow_keys": _slow_keys,
    "brass_stabs": _brass_stabs,
    "drums": _drums,
    "drone": _drone,
    "sparse_plucks": _sparse_plucks,
    "oom_pah": _oom_pah,
    "pizz_melody": _pizz_melody,
}


def _reverb(dry: Floats, wet: float, rng: np.random.Generator) -> Floats:
    """A small hall: the mono sum convolved with two decaying noises (left, right), circularly,
    so the reverb tail of the loop's end lands on its start as it would when the loop repeats.
    Single precision: the tail sits 20 dB under the dry sound, far above float32's noise."""
    n = dry.shape[1]
    length = min(int(1.8 * RATE), n // 2)
    t = np.arange(length) / RATE
    decay = np.exp(-t * 6.9 / 1.6)  # -60 dB in 1.6 s
    ir = np.stack([synth.lowpass(rng.standard_normal(length), 5000.0) * decay for _ in "LR"])
    ir *= wet / np.sqrt(np.sum(ir**2, axis=1, keepdims=True))
    send = (0.5 * dry.sum(axis=0)).astype(np.float32)
    from scipy.fft import irfft, next_fast_len, rfft  # on first use: a render needs none

    size = next_fast_len(n + length, real=True)
    spectrum = rfft(send, size, workers=-1) * rfft(ir.astype(np.float32), size, workers=-1)
    tail = np.asarray(irfft(spectrum, size, workers=-1), dtype=np.float64)
    out = dry + tail[:, :n]
    out[:, : size - n] += tail[:, n:]
    return np.asarray(out, dtype=np.float64)


def _check_mood(mood: str) -> MoodSpec:
    if mood not in SPECS:
        raise ValueError(f"unknown mood '{mood}'; known: {', '.join(MOODS)}")
    return SPECS[mood]


@lru_cache(maxsize=16)
def bed_loop(mood: str, seed: int = 0) -> Loop:
    """One seamless loop of the mood's bed (cached: the samples are read-only)."""
    spec = _check_mood(mood)
    rng = np.random.default_rng([zlib.crc32(mood.encode()), seed])
    key = Key(spec.tonics[int(rng.integers(len(spec.tonics)))], spec.mode)
    repeats = BARS // (len(spec.progression) * spec.bars_per_chord)
    chords = tuple(c for c in spec.progression for _ in range(spec.bars_per_chord)) * repeats
    ctx = Ctx(key, chords, 60.0 / spec.tempo, rng)
    canvas = Canvas(round(BARS * BEATS_PER_BAR * ctx.beat * RATE))
    for part in spec.parts:
        PARTS[part](canvas, ctx)
    mixed = _reverb(canvas.data, spec.reverb, rng).T
    import pyloudnorm  # only when a bed is rendered: it pulls in scipy.signal (~1.7 s)

    loudness = pyloudnorm.Meter(RATE).integrated_loudness(mixed)
    mixed *= 10 ** ((BED_LUFS - loudness) / 20)
    samples = synth.to_f32(mixed)
    samples.flags.writeable = False
    return Loop(samples, BARS, spec.tempo, key)


def bed(
    mood: str, seconds: float, seed: int = 0, fade: float = 0.5, loop: Samples | None = None
) -> Samples:
    """``seconds`` of the mood's bed (exactly ``round(seconds × RATE)`` samples), the loop
    repeated as often as needed, faded out over the last ``fade`` seconds. ``loop`` is the
    mood's :func:`bed_loop` samples when the caller already has them (from a disk cache)."""
    if seconds < 0:
        raise ValueError(f"seconds must not be negative, got {seconds}")
    if loop is None:
        loop = bed_loop(mood, seed).samples
    n = round(seconds * RATE)
    out = np.tile(loop, (n // len(loop) + 1, 1))[:n]
    k = min(n, int(fade * RATE))
    if k:
        out[n - k :] *= np.linspace(1.0, 0.0, k, dtype=np.float32)[:, None]
    return out
