"""The make-like runner: run the stale tasks of a group through an executor, keep the rest.

For each task the runner compares the task's cache key with the records of its outputs:

- every output fresh for the key → skipped;
- a *source* output (bible, outline, script) changed by hand → kept when its upstream is
  unchanged since (the edit wins), or when it has no record (the user's own file); when the
  upstream changed too, ``on_conflict`` decides: ``refuse`` (the default) raises
  :class:`~cliffhanger.errors.HandEditError` naming the files, ``replace`` backs the edit up
  and regenerates, ``keep`` keeps the edit and accepts it against the new upstream;
- otherwise → run.

Each finished task's outputs are placed and recorded at once, so a run killed halfway keeps
all finished work and the next run resumes where it stopped. A failing task does not stop
its siblings; the failures are raised together after the group.
"""

from __future__ import annotations

import shutil
import tempfile
import time
import traceback
from collections.abc import Callable, Sequence
from concurrent.futures import Future, as_completed
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from cliffhanger.errors import CliffhangerError, HandEditError, StageError
from cliffhanger.pipeline.executors.base import Executor
from cliffhanger.pipeline.hashing import sha256_file
from cliffhanger.pipeline.store import ArtifactStore, project_lock
from cliffhanger.pipeline.task import Task

Progress = Callable[[str, int, int], None]
"""``progress(stage, done, total)``, called as tasks finish (and once with done=0)."""

ExecutorFor = Callable[[int], Executor]
"""Gives an executor for this many stale tasks (so one task can run inline, many in a pool);
the runner shuts it down when the group is done."""


@dataclass
class RunReport:
    ran: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    kept_edits: list[str] = field(default_factory=list)
    backups: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)  # each task that ran, as it ran

    def merge(self, other: RunReport) -> None:
        self.ran += other.ran
        self.skipped += other.skipped
        self.kept_edits += other.kept_edits
        self.backups += other.backups
        self.seconds.update(other.seconds)


def _timed(fn: Callable[[Any, Path], None], payload: Any, staging: Path) -> float:
    """Run a task's function where the executor runs it; its own seconds (not the wait for
    a worker), so a report shows where a run's time went."""
    start = time.perf_counter()
    fn(payload, staging)
    return time.perf_counter() - start


OnConflict = Literal["refuse", "replace", "keep"]


class Runner:
    """Runs groups of tasks for one project; use as a context manager to hold the project
    lock across several groups (``run`` outside one takes the lock for itself)."""

    def __init__(
        self,
        root: Path,
        *,
        on_conflict: OnConflict = "refuse",
        progress: Progress | None = None,
    ):
        self.root = root
        self.store = ArtifactStore(root)
        self.on_conflict = on_conflict
        self.progress = progress
        self._stack: ExitStack | None = None
        self._staging: Path | None = None

    def __enter__(self) -> Runner:
        self._stack = ExitStack()
        self._staging = self._stack.enter_context(project_lock(self.store.state))
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._stack is not None
        self._stack.close()
        self._stack = self._staging = None

    def run(self, tasks: Sequence[Task], executor_for: ExecutorFor) -> RunReport:
        if self._staging is None:
            with self:
                return self.run(tasks, executor_for)
        report = RunReport()
        todo: list[tuple[Task, str]] = []
        conflicts: list[Path] = []
        digests: dict[Path, str | None] = {}

        def digest(path: Path) -> str | None:
            if path not in digests:
                try:  # an output of an earlier task: its record may vouch for it
                    digests[path] = self.store.digest(path.relative_to(self.root).as_posix())
                except ValueError:
                    digests[path] = sha256_file(path) if path.exists() else None
            return digests[path]

        for task in tasks:
            key = task.key(self.root, digest)
            seen = {rel: self.store.observe(rel) for rel in task.outputs}
            if all(o.fresh(key) for o in seen.values()):
                report.skipped.append(task.name)
                continue
            edited = [rel for rel, o in seen.items() if o.hand_edited] if task.source else []
            if edited:
                conflicted = [rel for rel in edited if seen[rel].conflicts_with(key)]
                if not conflicted:
                    report.kept_edits += edited
                    continue
                if self.on_conflict == "keep":
                    for rel in conflicted:
                        self.store.adopt(rel, key)
                    report.kept_edits += edited
                    continue
                if self.on_conflict == "refuse":
                    conflicts += [self.root / rel for rel in conflicted]
                    continue
            todo.append((task, key))

        stage = tasks[0].stage if tasks else ""
        if self.progress and tasks:
            self.progress(stage, len(tasks) - len(todo), len(tasks))
        failures: list[StageError] = []
        if todo:
            executor = executor_for(len(todo))
            try:
                failures = self._run_all(todo, executor, report, stage, len(tasks))
            finally:
                executor.shutdown()
        if failures:
            also = f"; also {HandEditError(conflicts)}" if conflicts else ""
            if len(failures) == 1 and not also:
                raise failures[0]
            names = ", ".join(f.artifact for f in failures)
            raise StageError(stage, names, "; ".join(f.cause for f in failures) + also)
        if conflicts:
            raise HandEditError(conflicts)
        return report

    def _run_all(
        self,
        todo: list[tuple[Task, str]],
        executor: Executor,
        report: RunReport,
        stage: str,
        total: int,
    ) -> list[StageError]:
        assert self._staging is not None
        failures: list[StageError] = []
        done = total - len(todo)

        def finish(future: Future[float], task: Task, key: str, staging: Path) -> None:
            nonlocal done
            try:
                seconds = future.result()
                self._place(task, key, staging, report)
                report.ran.append(task.name)
                report.seconds[task.name] = round(seconds, 3)
            except CliffhangerError as e:
                err = e if isinstance(e, StageError) else StageError(task.stage, task.name, e)
                err.__cause__ = e
                failures.append(err)
            except Exception as e:
                failures.append(self._crashed(task, e))
            finally:
                shutil.rmtree(staging, ignore_errors=True)
            done += 1
            if self.progress:
                self.progress(stage, done, total)

        pending: dict[Future[float], tuple[Task, str, Path]] = {}
        for task, key in todo:
            staging = Path(tempfile.mkdtemp(dir=self._staging))
            try:
                future = executor.submit(_timed, task.fn, task.payload, staging)
            except BaseException:
                shutil.rmtree(staging, ignore_errors=True)
                raise
            if future.done():  # an inline executor: place it now, so a kill loses nothing
                finish(future, task, key, staging)
            else:
                pending[future] = (task, key, staging)
        for future in as_completed(pending):
            finish(future, *pending[future])
        return failures

    def _crashed(self, task: Task, e: Exception) -> StageError:
        """A bug, not a user error: keep the traceback in a log the message points to."""
        log = self.store.state / "logs" / f"{task.stage}-{task.name}.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        log.write_text("".join(traceback.format_exception(e)), encoding="utf-8")
        rel = log.relative_to(self.root)
        err = StageError(task.stage, task.name, f"{type(e).__name__}: {e} (traceback in {rel})")
        err.__cause__ = e
        return err

    def _place(self, task: Task, key: str, staging: Path, report: RunReport) -> None:
        for rel in task.outputs:
            staged = staging / rel
            if not staged.is_file():
                raise StageError(task.stage, task.name, f"the task did not produce {rel}")
        for rel in task.outputs:
            staged = staging / rel
            sha = sha256_file(staged)
            now = self.store.observe(rel)
            if task.source and now.hand_edited and now.sha256 != sha:
                report.backups.append(str(self.store.backup(rel).relative_to(self.root)))
            self.store.place(rel, staged, key, sha)
