"""Benchmark: how much faster than real time the speech providers say a scene, on one core.

Target (voice issue): the bundled piper voice speaks at ≥ 10× real time per core (one
onnxruntime thread; the pipeline runs one speaker per process). Baseline in the same run:
espeak-ng saying the same lines. The first line of each provider is a warm-up (model load,
patching) and is not counted.

    .venv/bin/python benchmarks/bench_speech.py [--lines 20] [--rounds 2]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from cliffhanger.model.voicing import VoiceTune
from cliffhanger.settings import SeriesSettings, Settings
from cliffhanger.voice.base import SPEAKERS, Delivery, Speaker

LINES = [
    "Where were you last night?",
    "I told you never to come back here.",
    "You don't get to ask me that. Not after what you did.",
    "She knows. I don't know how, but she knows.",
    "Give me the key, Daniel.",
    "If you walk out that door, don't bother coming back.",
    "I found the letter in your father's desk.",
    "Who else has seen it?",
    "Nobody. I swear, nobody.",
    "Then why is there a car outside, with its lights off?",
    "We have until midnight. After that, it's over for all of us.",
    "You were supposed to be dead.",
    "Funny. So were you.",
    "Tell me the truth, just this once.",
    "The truth would ruin everyone you love.",
    "I'm not leaving without my sister.",
    "Your sister made her choice a long time ago.",
    "Then I'll make mine.",
    "Listen to me. Whatever happens tonight, you stay behind me.",
    "Too late. They're already inside.",
]


def real_time_factor(speaker: Speaker, lines: list[str], rounds: int) -> dict[str, float]:
    """Seconds of speech made per second of work, over ``rounds`` passes of ``lines``."""
    tune, delivery = VoiceTune(), Delivery()
    speaker.speak("Warm up.", tune, delivery, "en")
    audio = work = 0.0
    for _ in range(rounds):
        for line in lines:
            start = time.perf_counter()
            speech = speaker.speak(line, tune, delivery, "en")
            work += time.perf_counter() - start
            audio += speech.seconds
    return {"audio_s": round(audio, 2), "work_s": round(work, 3), "rtf": round(audio / work, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=len(LINES))
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    settings = Settings(series=SeriesSettings(premise="a family's secret"))
    lines = LINES[: args.lines]
    results = {}
    for name in ("piper", "espeak"):
        speaker = SPEAKERS.create(name, settings, Path.cwd())  # piper: one thread by default
        results[name] = real_time_factor(speaker, lines, args.rounds)
        speaker.close()
    results["piper_vs_espeak"] = {
        "ratio": round(results["piper"]["rtf"] / results["espeak"]["rtf"], 3)
    }
    results["target"] = {"piper_rtf_per_core": 10.0, "met": results["piper"]["rtf"] >= 10.0}
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
