"""The CLI contract of PRODUCT.md, exercised the way a user (or an outside check) would."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cliffhanger.cli import app

runner = CliRunner()
PREMISE = "A rejected werewolf mate becomes the Luna of the rival pack's alpha."


def cli(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout


def make(
    tmp_path: Path, name: str = "s", *, episodes: int = 6, seed: int = 7, premise: str = PREMISE
) -> Path:
    d = tmp_path / name
    code, _ = cli(
        "new", str(d), "--premise", premise, "--episodes", str(episodes), "--seed", str(seed)
    )
    assert code == 0
    return d


def files(d: Path) -> dict[str, bytes]:
    names = [
        "bible.yaml",
        "outline.yaml",
        *(f"scripts/{p.name}" for p in sorted((d / "scripts").iterdir())),
    ]
    return {n: (d / n).read_bytes() for n in names}


def test_new_write_doctor_with_json(tmp_path: Path) -> None:
    d = make(tmp_path, episodes=5)
    code, out = cli("write", str(d), "--json")
    assert code == 0
    summary = json.loads(out)
    assert summary["ok"] and summary["episodes"] == 5 and summary["writer"] == "local"
    assert sorted(summary["ran"]) == [
        "bible",
        "ep001",
        "ep002",
        "ep003",
        "ep004",
        "ep005",
        "outline",
    ]
    for n in range(1, 6):
        assert (d / f"scripts/ep{n:03d}.fountain").read_text().strip()
    code, out = cli("doctor", str(d), "--json")
    report = json.loads(out)
    assert code == 0 and report["ok"], out


def test_write_again_does_nothing(tmp_path: Path) -> None:
    d = make(tmp_path, episodes=4)
    cli("write", str(d))
    before = files(d)
    code, out = cli("write", str(d), "--json")
    summary = json.loads(out)
    assert code == 0 and summary["ran"] == [] and len(summary["skipped"]) == 6
    assert files(d) == before


def test_shrinking_the_season_keeps_and_names_orphaned_scripts(tmp_path: Path) -> None:
    d = make(tmp_path, episodes=4)
    cli("write", str(d))
    toml = d / "cliffhanger.toml"
    toml.write_text(toml.read_text().replace("episodes = 4", "episodes = 2"))
    code, out = cli("write", str(d), "--json")
    summary = json.loads(out)
    assert code == 0 and summary["episodes"] == 2
    assert summary["orphans"] == ["scripts/ep003.fountain", "scripts/ep004.fountain"]
    assert (d / "scripts/ep004.fountain").exists()


def test_same_seed_same_bytes_other_seed_other_story(tmp_path: Path) -> None:
    a, b, c = make(tmp_path, "a"), make(tmp_path, "b"), make(tmp_path, "c", seed=8)
    for d in (a, b, c):
        assert cli("write", str(d))[0] == 0
    assert files(a) == files(b)
    assert files(a)["bible.yaml"] != files(c)["bible.yaml"]
    assert files(a)["scripts/ep001.fountain"] != files(c)["scripts/ep001.fountain"]


def test_hand_edits_are_kept_refused_then_forced_with_backup(tmp_path: Path) -> None:
    d = make(tmp_path, episodes=4)
    cli("write", str(d))
    ep3 = d / "scripts/ep003.fountain"
    edited = ep3.read_text().replace("\n\n", "\n\nA crow lands on the sill.\n\n", 1)
    ep3.write_text(edited)
    code, out = cli("write", str(d), "--json")
    assert code == 0 and json.loads(out)["kept_edits"] == ["scripts/ep003.fountain"]
    assert ep3.read_text() == edited
    # An upstream change (a new seed) would overwrite the edit: refused, naming the file.
    toml = d / "cliffhanger.toml"
    toml.write_text(toml.read_text().replace("seed = 7", "seed = 99"))
    code, out = cli("write", str(d), "--json")
    assert code == 1 and "scripts/ep003.fountain" in json.loads(out)["error"]
    assert ep3.read_text() == edited
    code, out = cli("write", str(d), "--force", "--json")
    assert code == 0 and json.loads(out)["backups"] == ["scripts/ep003.fountain.1.bak"]
    assert (d / "scripts/ep003.fountain.1.bak").read_text() == edited
    assert ep3.read_text() != edited


def test_editing_one_episode_of_the_outline_rescripts_only_it_and_the_next(tmp_path: Path) -> None:
    d = make(tmp_path, episodes=5)
    cli("write", str(d))
    outline = d / "outline.yaml"
    text = outline.read_text()
    marker = "- number: 3\n  title: "
    assert marker in text
    outline.write_text(text.replace(marker, marker + "The Edited ", 1))
    code, out = cli("write", str(d), "--json")
    summary = json.loads(out)
    assert code == 0
    assert summary["kept_edits"] == ["outline.yaml"]
    assert sorted(summary["ran"]) == ["ep003", "ep004"]
    assert "The Edited" in (d / "scripts/ep003.fountain").read_text()


def test_doctor_fails_on_a_broken_script_and_names_the_place(tmp_path: Path) -> None:
    d = make(tmp_path, episodes=3)
    cli("write", str(d))
    ep2 = d / "scripts/ep002.fountain"
    lines = ep2.read_text().splitlines()
    cue = next(
        i
        for i, line in enumerate(lines)
        if line.isupper()
        and i > 0
        and not lines[i - 1].strip()
        and lines[i + 1].strip()
        and not line.startswith(("INT", "EXT"))
        and not line.endswith(":")
    )
    lines[cue] = "NOBODY WE KNOW"
    ep2.write_text("\n".join(lines) + "\n")
    code, out = cli("doctor", str(d), "--json")
    assert code == 1
    findings = json.loads(out)["findings"]
    unknown = [f for f in findings if f["code"] == "unknown-speaker"]
    assert unknown and unknown[0]["episode"] == 2 and unknown[0]["line"] == cue + 1
    code, text = cli("doctor", str(d))
    assert code == 1 and f"ep002.fountain:{cue + 1}" in text


def test_keep_edits_resolves_a_conflict_without_regenerating(tmp_path: Path) -> None:
    d = make(tmp_path, episodes=3)
    cli("write", str(d))
    ep2 = d / "scripts/ep002.fountain"
    ep2.write_text(ep2.read_text() + "\nA new last line of action.\n")
    toml = d / "cliffhanger.toml"
    toml.write_text(toml.read_text().replace("seed = 7", "seed = 8"))
    assert cli("write", str(d))[0] == 1
    code, out = cli("write", str(d), "--keep-edits", "--json")
    assert code == 0 and json.loads(out)["kept_edits"] == ["scripts/ep002.fountain"]
    assert ep2.read_text().endswith("A new last line of action.\n")
    assert cli("write", str(d))[0] == 0  # accepted: no longer in conflict


def test_speaking_rate_rewrites_only_the_scripts(tmp_path: Path) -> None:
    d = make(tmp_path, episodes=3)
    cli("write", str(d))
    bible = d / "bible.yaml"
    bible.write_text(bible.read_text().replace("tone: ", "tone: hand-tuned, ", 1))
    assert cli("write", str(d))[0] == 0  # the edited bible flows down to outline and scripts
    toml = d / "cliffhanger.toml"
    toml.write_text(
        toml.read_text().replace("words_per_minute = 140.0", "words_per_minute = 150.0")
    )
    code, out = cli("write", str(d), "--json")
    summary = json.loads(out)
    assert code == 0, out
    assert summary["kept_edits"] == ["bible.yaml"]
    assert sorted(summary["ran"]) == ["ep001", "ep002", "ep003"]


def test_a_project_without_its_records_keeps_every_file(tmp_path: Path) -> None:
    d = make(tmp_path, episodes=3)
    cli("write", str(d))
    before = files(d)
    shutil.rmtree(d / ".cliffhanger")
    code, out = cli("write", str(d), "--json")
    summary = json.loads(out)
    assert code == 0 and summary["ran"] == [] and len(summary["kept_edits"]) == 5
    assert files(d) == before


def test_bad_values_name_their_source(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code, _ = cli("new", str(tmp_path / "w"), "--premise", "p", "--writer", "nonsense")
    assert code == 2 and not (tmp_path / "w").exists()
    d = make(tmp_path, episodes=2)
    monkeypatch.setenv("CLIFFHANGER_SERIES__EPISODES", "abc")
    code, out = cli("write", str(d), "--json")
    assert code == 1 and "CLIFFHANGER_SERIES__EPISODES" in json.loads(out)["error"]


def test_replacing_settings_keeps_a_backup(tmp_path: Path) -> None:
    d = make(tmp_path)
    old = (d / "cliffhanger.toml").read_text()
    code, _ = cli("new", str(d), "--premise", "Another story", "--force")
    assert code == 0 and (d / "cliffhanger.toml.1.bak").read_text() == old


def test_usage_and_validation_exit_codes(tmp_path: Path) -> None:
    assert cli("new", str(tmp_path / "x"))[0] == 2  # --premise missing
    assert cli("new", str(tmp_path / "x"), "--premise", "p", "--episodes", "0")[0] == 2
    code, out = cli("new", str(tmp_path / "x"), "--premise", "   ", "--json")
    assert code == 1 and "premise is empty" in json.loads(out)["error"]
    code, out = cli("write", str(tmp_path / "nowhere"), "--json")
    assert code == 1 and "not a Cliffhanger project" in json.loads(out)["error"]
    d = make(tmp_path)
    assert cli("new", str(d), "--premise", "again")[0] == 1  # never clobbers a project


def test_broken_bible_names_file_and_line(tmp_path: Path) -> None:
    d = make(tmp_path, episodes=2)
    cli("write", str(d))
    bible = d / "bible.yaml"
    text = bible.read_text()
    bible.write_text(text.replace("  role: lead", "  role: hero", 1))
    code, out = cli("doctor", str(d), "--json")
    err = json.loads(out)["error"]
    line = text.splitlines().index("  role: lead") + 1
    assert code == 1 and f"bible.yaml:{line}" in err and "role" in err


def test_the_installed_command_keeps_exit_codes_and_output_when_it_leaves_early(
    tmp_path: Path,
) -> None:
    """The command leaves without tearing the interpreter down: what it printed still
    reaches a pipe in full, and 0, 1 (our errors) and 2 (usage) come through."""
    exe = str(Path(sys.executable).parent / "cliffhanger")
    d = tmp_path / "s"
    new = [exe, "new", str(d), "--premise", PREMISE, "--episodes", "2", "--seed", "3", "--json"]
    made = subprocess.run(new, capture_output=True, text=True, check=False)
    assert made.returncode == 0 and json.loads(made.stdout)["ok"], made.stderr
    (d / "bible.yaml").write_text("title: [unclosed\n", encoding="utf-8")
    broken = subprocess.run(
        [exe, "write", str(d), "--json"], capture_output=True, text=True, check=False
    )
    assert broken.returncode == 1 and "bible.yaml" in json.loads(broken.stdout)["error"]
    usage = subprocess.run(
        [exe, "write", "--no-such-flag"], capture_output=True, text=True, check=False
    )
    assert usage.returncode == 2 and "no-such-flag" in usage.stderr


@pytest.mark.slow
def test_installed_cli_demo_runs_end_to_end(tmp_path: Path) -> None:
    exe = Path(sys.executable).parent / "cliffhanger"
    proc = subprocess.run(
        # The whole series is written and cast; one episode is voiced and rendered (at draft
        # quality: the full final demo takes minutes, see benchmarks/bench_render.py).
        [
            str(exe),
            "demo",
            str(tmp_path / "demo"),
            "--episodes",
            "1",
            "--quality",
            "draft",
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    summary = json.loads(proc.stdout)
    assert summary["ok"] and summary["write"]["episodes"] == 8
    assert (tmp_path / "demo/scripts/ep008.fountain").is_file()
    drawn = summary["cast"]["characters"] + summary["cast"]["sets"]
    assert len(drawn) >= 8 and all((tmp_path / "demo" / p).is_file() for p in drawn)
    made = summary["render"]
    assert made["episodes"] == [1] and made["quality"] == "draft"
    assert all((tmp_path / "demo" / f).is_file() for f in made["files"])
    assert (tmp_path / "demo/out/en/manifest.json").is_file()


def test_openai_writer_end_to_end_through_the_cli(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cliffhanger.writing.openai.fake_server import FakeLLMServer

    d = tmp_path / "llm"
    code, _ = cli("new", str(d), "--premise", PREMISE, "--episodes", "4", "--writer", "openai")
    assert code == 0
    with FakeLLMServer(api_key="sk-local") as server:
        monkeypatch.setenv("CLIFFHANGER_LLM__BASE_URL", server.base_url)
        monkeypatch.setenv("CLIFFHANGER_LLM__API_KEY", "sk-local")
        code, out = cli("write", str(d), "--json")
        summary = json.loads(out)
        assert code == 0 and summary["writer"] == "openai", out
        usage = summary["llm_usage"]
        assert usage["calls"] == len(server.chat_bodies) >= 6  # bible, outline, 4 scripts
        assert usage["prompt_tokens"] > 0 and usage["completion_tokens"] > 0
        code, out = cli("write", str(d), "--json")
        assert json.loads(out)["ran"] == [] and len(server.chat_bodies) == usage["calls"]
    assert "sk-local" not in "".join(p.read_text() for p in (d / ".cliffhanger").rglob("*.json*"))
    code, out = cli("doctor", str(d), "--json")
    assert code == 0 and json.loads(out)["ok"], out


def test_a_crash_exits_70_and_keeps_the_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import cliffhanger.cli as cli_mod

    def boom() -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(cli_mod, "app", boom)
    monkeypatch.setattr(sys, "argv", ["cliffhanger", "write", "x", "--json"])
    with pytest.raises(SystemExit) as info:
        cli_mod.main()
    assert info.value.code == 70
    assert json.loads(capsys.readouterr().out) == {
        "ok": False,
        "error": "internal error: RuntimeError('a bug')",
    }


@pytest.mark.slow
def test_same_seed_is_byte_identical_across_processes_and_hash_seeds(tmp_path: Path) -> None:
    exe = str(Path(sys.executable).parent / "cliffhanger")
    made = []
    for hash_seed in ("1", "4242"):
        d = tmp_path / f"h{hash_seed}"
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        new = [exe, "new", str(d), "--premise", PREMISE, "--episodes", "6", "--seed", "5"]
        subprocess.run(new, env=env, check=True, capture_output=True)
        subprocess.run([exe, "write", str(d)], env=env, check=True, capture_output=True)
        made.append(files(d))
    assert made[0] == made[1]
