from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from cliffhanger.errors import HandEditError, StageError
from cliffhanger.pipeline.executors.base import EXECUTORS, Executor
from cliffhanger.pipeline.runner import Runner
from cliffhanger.pipeline.task import Task
from tests.pipeline import tasks_for_tests as t


def inline(_: int) -> Executor:
    return EXECUTORS.create("inline", 1)


def processes(_: int) -> Executor:
    return EXECUTORS.create("process", 2)


def tasks(
    root: Path,
    names: list[str],
    fn: object = t.copy_upper,
    source: bool = False,
    delay: float = 0.0,
) -> list[Task]:
    return [
        Task(
            stage="upper",
            version=1,
            name=n,
            outputs=(f"out/{n}.txt",),
            fn=fn,  # type: ignore[arg-type]
            payload=(str(root), f"out/{n}.txt", delay),
            inputs=("source.txt",),
            params={"n": n},
            source=source,
        )
        for n in names
    ]


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / "source.txt").write_text("hello")
    return tmp_path


def test_runs_once_then_skips_fresh_outputs(root: Path) -> None:
    first = Runner(root).run(tasks(root, ["a", "b", "c"]), inline)
    assert sorted(first.ran) == ["a", "b", "c"]
    assert (root / "out/a.txt").read_text() == "HELLOout/a.txt"
    second = Runner(root).run(tasks(root, ["a", "b", "c"]), inline)
    assert second.ran == [] and sorted(second.skipped) == ["a", "b", "c"]


def test_the_report_says_how_long_each_task_took_where_it_ran(root: Path) -> None:
    """Its own time in the worker, not the wait for one: with one worker, the second of two
    0.3 s tasks still reports about 0.3 s."""
    one = EXECUTORS.create("thread", 1)
    report = Runner(root).run(tasks(root, ["a", "b"], delay=0.3), lambda _: one)
    assert sorted(report.seconds) == ["a", "b"]
    # (the second waited 0.3 s for the worker: counting the wait would make it 0.6 or more)
    assert all(0.3 <= s < 0.6 for s in report.seconds.values()), report.seconds
    again = Runner(root).run(tasks(root, ["a", "b"]), inline)
    assert again.seconds == {}  # nothing ran


def test_changed_input_or_param_or_version_reruns(root: Path) -> None:
    Runner(root).run(tasks(root, ["a"]), inline)
    (root / "source.txt").write_text("bye")
    assert Runner(root).run(tasks(root, ["a"]), inline).ran == ["a"]
    assert (root / "out/a.txt").read_text().startswith("BYE")
    bumped = [Task(**{**vars(x), "version": 2}) for x in tasks(root, ["a"])]
    assert Runner(root).run(bumped, inline).ran == ["a"]


def test_deleted_or_edited_derived_output_is_rebuilt(root: Path) -> None:
    Runner(root).run(tasks(root, ["a", "b"]), inline)
    (root / "out/a.txt").unlink()
    (root / "out/b.txt").write_text("scribble")
    assert sorted(Runner(root).run(tasks(root, ["a", "b"]), inline).ran) == ["a", "b"]
    assert (root / "out/b.txt").read_text() == "HELLOout/b.txt"


def test_hand_edit_of_a_source_is_kept_while_upstream_is_unchanged(root: Path) -> None:
    Runner(root).run(tasks(root, ["a"], source=True), inline)
    (root / "out/a.txt").write_text("my edit")
    report = Runner(root).run(tasks(root, ["a"], source=True), inline)
    assert report.kept_edits == ["out/a.txt"] and report.ran == []
    assert (root / "out/a.txt").read_text() == "my edit"


def test_hand_edit_conflicting_with_upstream_change_is_refused_then_forced(root: Path) -> None:
    Runner(root).run(tasks(root, ["a", "b"], source=True), inline)
    (root / "out/a.txt").write_text("my edit")
    (root / "source.txt").write_text("new upstream")
    with pytest.raises(HandEditError) as info:
        Runner(root).run(tasks(root, ["a", "b"], source=True), inline)
    assert "out/a.txt" in str(info.value) and "--force" in str(info.value)
    assert "out/b.txt" not in str(info.value)
    assert (root / "out/a.txt").read_text() == "my edit"  # nothing lost
    assert (root / "out/b.txt").read_text().startswith("NEW UPSTREAM")  # the rest went on
    report = Runner(root, on_conflict="replace").run(tasks(root, ["a", "b"], source=True), inline)
    assert report.ran == ["a"] and report.backups == ["out/a.txt.1.bak"]
    assert (root / "out/a.txt.1.bak").read_text() == "my edit"
    assert (root / "out/a.txt").read_text().startswith("NEW UPSTREAM")


def test_a_file_we_never_wrote_is_the_users_and_is_kept(root: Path) -> None:
    (root / "out").mkdir()
    (root / "out/a.txt").write_text("written by hand first")
    report = Runner(root).run(tasks(root, ["a"], source=True), inline)
    assert report.kept_edits == ["out/a.txt"] and report.ran == []
    assert (root / "out/a.txt").read_text() == "written by hand first"


def test_force_replaces_only_conflicting_edits(root: Path) -> None:
    Runner(root).run(tasks(root, ["a", "b"], source=True), inline)
    (root / "out/a.txt").write_text("edit a")
    (root / "out/b.txt").write_text("edit b")
    # Only a's upstream changes (its params); b's edit is not in conflict and must survive.
    changed = tasks(root, ["a", "b"], source=True)
    changed[0] = Task(**{**vars(changed[0]), "params": {"n": "a", "v": 2}})
    report = Runner(root, on_conflict="replace").run(changed, inline)
    assert report.ran == ["a"] and report.kept_edits == ["out/b.txt"]
    assert (root / "out/b.txt").read_text() == "edit b"
    assert (root / "out/a.txt.1.bak").read_text() == "edit a"


def test_keep_accepts_an_edit_until_the_upstream_changes_again(root: Path) -> None:
    Runner(root).run(tasks(root, ["a"], source=True), inline)
    (root / "out/a.txt").write_text("mine")
    (root / "source.txt").write_text("v2")
    report = Runner(root, on_conflict="keep").run(tasks(root, ["a"], source=True), inline)
    assert report.kept_edits == ["out/a.txt"]
    assert Runner(root).run(tasks(root, ["a"], source=True), inline).kept_edits == ["out/a.txt"]
    (root / "source.txt").write_text("v3")
    with pytest.raises(HandEditError):
        Runner(root).run(tasks(root, ["a"], source=True), inline)
    assert (root / "out/a.txt").read_text() == "mine"


def test_restoring_an_older_generated_version_counts_as_an_edit(root: Path) -> None:
    Runner(root).run(tasks(root, ["a"], source=True), inline)
    first = (root / "out/a.txt").read_text()
    for version in ("v2", "v3"):
        (root / "source.txt").write_text(version)
        Runner(root).run(tasks(root, ["a"], source=True), inline)
    (root / "out/a.txt").write_text(first)  # "I liked the first one better"
    (root / "source.txt").write_text("v4")
    with pytest.raises(HandEditError):
        Runner(root).run(tasks(root, ["a"], source=True), inline)
    assert (root / "out/a.txt").read_text() == first


def test_a_kill_between_record_and_rename_is_not_a_hand_edit(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    Runner(root).run(tasks(root, ["a"], source=True), inline)
    (root / "source.txt").write_text("v2")
    real_replace = os.replace

    def dies_on_output(src: object, dst: object) -> None:
        if str(dst).endswith("out/a.txt"):
            raise KeyboardInterrupt  # the process dies after the record, before the rename
        real_replace(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", dies_on_output)
    with pytest.raises(KeyboardInterrupt):
        Runner(root).run(tasks(root, ["a"], source=True), inline)
    monkeypatch.setattr(os, "replace", real_replace)
    report = Runner(root).run(tasks(root, ["a"], source=True), inline)
    assert report.ran == ["a"] and report.kept_edits == []
    assert (root / "out/a.txt").read_text().startswith("V2")


def test_errors_raised_in_worker_processes_arrive_whole(root: Path) -> None:
    with pytest.raises(StageError) as info:
        Runner(root).run(tasks(root, ["stage", "model"], fn=t.raise_ours), processes)
    text = str(info.value)
    assert "failed on x, model: deep cause" in text  # the worker's StageError, fields intact
    assert "bible.yaml:12: characters[0].age" in text


def test_a_crash_in_a_task_keeps_its_traceback_in_a_log(root: Path) -> None:
    with pytest.raises(StageError) as info:
        Runner(root).run(tasks(root, ["bad"], fn=t.fail_if_named), inline)
    log = root / ".cliffhanger/logs/upper-bad.log"
    assert str(log.relative_to(root)) in str(info.value)
    assert "ValueError: cannot make out/bad.txt" in log.read_text()


def test_leftovers_of_a_killed_run_are_cleared(root: Path) -> None:
    junk = root / ".cliffhanger/tmp/tmpdead/out"
    junk.mkdir(parents=True)
    (junk / "a.txt").write_text("half")
    Runner(root).run(tasks(root, ["a"]), inline)
    assert not (root / ".cliffhanger/tmp").exists()


def test_failure_keeps_finished_siblings_and_names_the_artifact(root: Path) -> None:
    with pytest.raises(StageError) as info:
        Runner(root).run(tasks(root, ["a", "bad", "c"], fn=t.fail_if_named), processes)
    assert "bad" in str(info.value) and "upper" in str(info.value)
    assert (root / "out/a.txt").exists() and (root / "out/c.txt").exists()
    again = Runner(root).run(tasks(root, ["a", "c"], fn=t.fail_if_named), processes)
    assert again.ran == []


def test_task_that_writes_nothing_is_an_error(root: Path) -> None:
    with pytest.raises(StageError, match=r"did not produce out/a\.txt"):
        Runner(root).run(tasks(root, ["a"], fn=t.write_nothing), inline)


def test_no_temporary_files_are_left_behind(root: Path) -> None:
    Runner(root).run(tasks(root, ["a", "b"]), processes)
    leftovers = [p for p in root.rglob("*") if p.name.endswith(".tmp")]
    assert leftovers == []
    assert not (root / ".cliffhanger/tmp").exists()


def test_killed_run_resumes_without_redoing_finished_work(root: Path) -> None:
    names = [f"t{i}" for i in range(8)]
    script = textwrap.dedent(
        f"""
        from pathlib import Path
        from cliffhanger.pipeline.executors.base import EXECUTORS
        from cliffhanger.pipeline.runner import Runner
        from tests.pipeline.test_runner import tasks
        root = Path({str(root)!r})
        Runner(root).run(tasks(root, {names!r}, delay=0.3), lambda n: EXECUTORS.create("inline", 1))
        """
    )
    proc = subprocess.Popen([sys.executable, "-c", script], cwd=Path(__file__).parents[2])
    deadline = time.monotonic() + 30
    out = root / "out"
    while time.monotonic() < deadline and len(list(out.glob("*.txt")) if out.exists() else []) < 3:
        time.sleep(0.05)
    proc.kill()
    proc.wait()
    finished = sorted(p.stem for p in out.glob("*.txt"))
    assert 3 <= len(finished) < len(names)
    for p in out.glob("*.txt"):  # nothing half-written
        assert p.read_text() == f"HELLOout/{p.name}"
    report = Runner(root).run(tasks(root, names), inline)
    assert sorted(report.skipped) == finished
    assert sorted(report.ran) == sorted(set(names) - set(finished))
