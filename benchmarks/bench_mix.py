"""Benchmark: mixing and mastering a 90 s episode (stereo 48 kHz stems).

Target: the whole audio of a 90 s episode (speech, score, mix) fits in 10 s, so mix and
master should take well under 2 s. Baselines in the same run: a plain numpy sum of the stems,
and one pyloudnorm integrated-loudness measurement of the mix.

    .venv/bin/python benchmarks/bench_mix.py [--seconds 90] [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

import numpy as np
import pyloudnorm as pyln

from cliffhanger.audio.base import RATE
from cliffhanger.mix.master import Stems, mix_and_master
from cliffhanger.settings import MixSettings


def stems(seconds: float) -> Stems:
    """Speech-like bursts (a buzz with syllables, phrases and pauses), a pad, noise hits."""
    rng = np.random.default_rng(0)
    t = np.arange(round(seconds * RATE)) / RATE
    talking = (t % 3.2) < 2.2
    voice = 0.3 * np.sign(np.sin(2 * np.pi * 160 * t)) * np.sin(np.pi * 5 * t) ** 2 * talking
    pad = 0.2 * (np.sin(2 * np.pi * 220 * t) + np.sin(2 * np.pi * 330 * t + 0.3))
    hits = rng.standard_normal(len(t)) * ((t % 9.0) < 0.1) * 0.3
    return Stems(
        voice.astype(np.float32),
        np.stack([pad, np.roll(pad, 100)], axis=1).astype(np.float32),
        np.stack([hits, hits * 0.5], axis=1).astype(np.float32),
    )


def seconds_per_call(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=90.0)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    episode = stems(args.seconds)
    settings = MixSettings()
    dialogue, music, effects = episode.stereo()
    plain = seconds_per_call(lambda: dialogue + music + effects, args.repeat)
    meter = pyln.Meter(RATE)
    summed = dialogue + music + effects
    measure = seconds_per_call(lambda: meter.integrated_loudness(summed), args.repeat)
    ours = seconds_per_call(lambda: mix_and_master(episode, settings), args.repeat)
    _, report = mix_and_master(episode, settings)
    print(f"{args.seconds:.0f} s stereo episode at {RATE} Hz")
    print(f"  numpy sum of stems       {plain * 1000:8.1f} ms")
    print(f"  pyloudnorm measure once  {measure * 1000:8.1f} ms")
    print(f"  mix + master             {ours * 1000:8.1f} ms  ({ours / measure:.1f}× pyloudnorm)")
    print("  target                       < 2000 ms")
    print(f"  report: {report}")


if __name__ == "__main__":
    main()
