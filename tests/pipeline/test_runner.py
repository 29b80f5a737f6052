from __future__ import annotations

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
    assert (root / "out/a.txt").read_text() == "my edit"  # nothing lost
    assert (root / "out/b.txt").read_text().startswith("NEW UPSTREAM")  # the rest went on
    report = Runner(root, force=True).run(tasks(root, ["a", "b"], source=True), inline)
    assert report.ran == ["a"] and report.backups == ["out/a.txt.1.bak"]
    assert (root / "out/a.txt.1.bak").read_text() == "my edit"
    assert (root / "out/a.txt").read_text().startswith("NEW UPSTREAM")


def test_a_file_we_never_wrote_is_treated_as_the_users(root: Path) -> None:
    (root / "out").mkdir()
    (root / "out/a.txt").write_text("written by hand first")
    with pytest.raises(HandEditError):
        Runner(root).run(tasks(root, ["a"], source=True), inline)


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
    assert list((root / ".cliffhanger/tmp").iterdir()) == []


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
