"""Benchmark: `new` + `write` of a 60-episode, 90-second series with the local engine.

Target (issue 2): ≤ 10 s on the 2-core reference machine. The baseline in the same run is
the CLI's own start-up (`cliffhanger --version`), the floor any command pays; the ratio says
how many start-ups the whole writers' room costs.

    .venv/bin/python benchmarks/bench_write.py [--episodes 60] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PREMISE = "A billionaire's secret daughter works as a maid in her own father's mansion."


def timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--episodes", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    exe = str(Path(sys.executable).parent / "cliffhanger")
    startup = statistics.median(timed([exe, "--version"]) for _ in range(args.repeat))
    runs = []
    for i in range(args.repeat):
        d = Path(tempfile.mkdtemp()) / f"series{i}"
        try:
            new = [exe, "new", str(d), "--premise", PREMISE, "--episodes", str(args.episodes)]
            runs.append(
                timed([*new, "--seconds", "90", "--seed", "7"]) + timed([exe, "write", str(d)])
            )
        finally:
            shutil.rmtree(d.parent)
    best = min(runs)
    result = {
        "episodes": args.episodes,
        "new_plus_write_s": {"best": round(best, 3), "median": round(statistics.median(runs), 3)},
        "baseline_cli_startup_s": round(startup, 3),
        "ratio_to_startup": round(best / startup, 2),
        "target_s": 10.0,
        "meets_target": best <= 10.0,
    }
    print(json.dumps(result, indent=2))
    return 0 if result["meets_target"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
