"""`cliffhanger voice`: real speech, score and mix per episode, incremental per line."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import wave
from pathlib import Path

import numpy as np
import pyloudnorm
import pytest

from cliffhanger.audio.base import RATE, read_wav
from cliffhanger.mix.dynamics import true_peak
from tests.cli.test_cli import cli

PREMISE = "A humble florist is dumped at the altar and marries a stranger who is secretly an heir."


@pytest.fixture(scope="module")
def series(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("voice") / "s"
    code, _ = cli("new", str(d), "--premise", PREMISE, "--episodes", "2", "--seconds", "30")
    assert code == 0
    code, out = cli("voice", str(d), "--json")
    assert code == 0, out
    return d


def summary(d: Path, *args: str) -> dict[str, object]:
    code, out = cli("voice", str(d), "--json", *args)
    assert code == 0, out
    result: dict[str, object] = json.loads(out)
    return result


def test_every_episode_gets_its_stems_mix_and_lines(series: Path) -> None:
    audio = series / "out/en/audio"
    for n in (1, 2):
        stems = {part: audio / f"ep{n:03d}.{part}.wav" for part in ("dialogue", "music", "mix")}
        lengths = set()
        for path in stems.values():
            with wave.open(str(path)) as w:
                assert w.getframerate() == RATE
                lengths.add(w.getnframes())
        assert len(lengths) == 1, "stems and mix run the same length"
        text = (audio / f"ep{n:03d}.lines.json").read_text(encoding="utf-8")
        lines = json.loads(text, parse_constant=_strict)  # no NaN or Infinity: strict JSON
        assert lines["lines"], "an episode has spoken lines"
        seconds = lines["seconds"]
        last_end = 0.0
        for line in lines["lines"]:
            assert line["speaker"] and line["text"] and line["name"]
            assert 0 <= line["start"] < line["end"] <= seconds
            assert line["start"] >= last_end - 1e-3 or line.get("dual")
            last_end = line["end"]
            times = [t for t, _ in line["mouth"]]
            assert times == sorted(times)
            assert line["start"] - 1e-3 <= times[0] and times[-1] <= line["end"] + 0.2
            assert {s for _, s in line["mouth"]} <= {"rest", "mbp", "a", "ei", "ou", "fv"}
        assert lines["lines"][0]["start"] < 3.0, "the hook is heard in the first seconds"


def _strict(token: str) -> None:
    raise AssertionError(f"lines.json holds {token}, which strict JSON parsers refuse")


def test_the_episode_rings_out_and_ends_without_a_click(series: Path) -> None:
    """The cliffhanger's hit starts as the last line ends and lasts seconds: the episode runs
    on until it has died away, and the very last samples are silent."""
    effects, rate = read_wav(series / "out/en/audio/ep001.effects.wav")
    mix, _ = read_wav(series / "out/en/audio/ep001.mix.wav")
    loud = np.flatnonzero(np.abs(effects).max(axis=1) > 1e-3)
    assert len(loud) and loud[-1] < len(effects) - int(0.1 * rate), "an effect is cut off"
    assert np.abs(mix[-int(0.005 * rate) :]).max() < 0.02


def test_the_master_is_at_streaming_loudness_without_clipping(series: Path) -> None:
    mix, rate = read_wav(series / "out/en/audio/ep001.mix.wav")
    loudness = pyloudnorm.Meter(rate).integrated_loudness(mix)
    assert -15.0 <= loudness <= -13.0
    assert true_peak(mix) <= -0.9  # 16-bit rounding may add a hair
    assert np.abs(mix).max() < 1.0


def test_dialogue_is_real_speech_in_each_characters_voice(series: Path) -> None:
    dialogue, _ = read_wav(series / "out/en/audio/ep001.dialogue.wav")
    lines = json.loads((series / "out/en/audio/ep001.lines.json").read_text(encoding="utf-8"))
    for line in lines["lines"][:4]:
        part = dialogue[int(line["start"] * RATE) : int(line["end"] * RATE)]
        assert np.sqrt(np.mean(part**2)) > 0.01, f"line {line['index']} is silent"


def test_changing_one_line_resynthesizes_only_that_line(series: Path) -> None:
    again = summary(series)
    assert again["ran"] == []
    script = series / "scripts/ep002.fountain"
    lines = json.loads((series / "out/en/audio/ep002.lines.json").read_text(encoding="utf-8"))
    old = lines["lines"][0]["text"]
    text = script.read_text(encoding="utf-8")
    assert old in text
    script.write_text(text.replace(old, "Then say it to my face, right now.", 1), "utf-8")
    changed = summary(series)
    ran = changed["ran"]
    assert isinstance(ran, list)
    assert sum(1 for r in ran if r.startswith("line-")) == 1
    assert [r for r in ran if r.startswith("ep")] == ["ep002"]


def test_a_changed_line_changes_the_mix_only_from_that_line_on(series: Path) -> None:
    """The master holds its gain and the dither does not depend on the length: the mix
    before the re-voiced line is sample for sample what it was (the render then re-encodes
    only the sound after it)."""
    audio = series / "out/en/audio"
    before, _ = read_wav(audio / "ep001.mix.wav")
    lines = json.loads((audio / "ep001.lines.json").read_text(encoding="utf-8"))
    last = lines["lines"][-1]
    script = series / "scripts/ep001.fountain"
    text = script.read_text(encoding="utf-8")
    assert last["text"] in text
    script.write_text(text.replace(last["text"], "You will regret this, all of you.", 1), "utf-8")
    assert "ep001" in summary(series)["ran"]  # type: ignore[operator]
    after, _ = read_wav(audio / "ep001.mix.wav")
    cut = round((last["start"] - 0.1) * RATE)
    assert cut > RATE and np.array_equal(before[:cut], after[:cut])
    assert not np.array_equal(before[cut : cut + 5 * RATE], after[cut : cut + 5 * RATE])


def test_the_installed_cli_exits_cleanly_when_everything_is_fresh(series: Path) -> None:
    """Nothing stale: the stage ends before the speech model (warming up in a thread) has
    loaded; the process must still exit 0, not abort in the ONNX runtime (exit 134)."""
    exe = Path(sys.executable).parent / "cliffhanger"
    proc = subprocess.run(
        [str(exe), "voice", str(series), "--json"], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["ran"] == []


def test_episode_ranges_and_bad_ranges(series: Path) -> None:
    only = summary(series, "--episodes", "2")
    assert only["episodes"] == [2]
    code, out = cli("voice", str(series), "--json", "--episodes", "3-9")
    assert code == 2 and "no episode" in json.loads(out)["error"]


def test_a_language_the_provider_lacks_is_one_clear_error(tmp_path: Path) -> None:
    d = tmp_path / "es"
    code, _ = cli("new", str(d), "--premise", PREMISE, "--episodes", "1", "--lang", "xx")
    assert code == 0
    code, out = cli("voice", str(d), "--json")
    assert code == 1
    error = json.loads(out)["error"]
    assert "'xx'" in error and "[voice] provider" in error and "espeak" in error
    assert error.count("does not speak") == 1
    assert not (d / "out").exists()


def test_a_script_with_nothing_to_say_is_named(tmp_path: Path) -> None:
    d = tmp_path / "mute"
    code, _ = cli("new", str(d), "--premise", PREMISE, "--episodes", "1", "--seconds", "20")
    assert code == 0 and cli("write", str(d))[0] == 0
    script = d / "scripts/ep001.fountain"
    text = script.read_text(encoding="utf-8")
    heading = re.search(r"^(?:INT|EXT)\..*$", text, re.MULTILINE)
    assert heading is not None
    script.write_text(text[: heading.end()] + "\n", encoding="utf-8")  # title page, a heading
    code, out = cli("voice", str(d), "--json")
    assert code == 1
    error = json.loads(out)["error"]
    assert "ep001.fountain" in error and "no spoken lines" in error
