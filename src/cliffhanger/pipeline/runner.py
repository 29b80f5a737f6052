"""The make-like runner: run the stale tasks of a group through an executor, keep the rest.

For each task the runner compares the task's cache key with the records of its outputs:

- every output fresh for the key → skipped;
- a *source* output (bible, outline, script) changed by hand → kept when its upstream is
  unchanged (the edit wins); when the upstream changed too, the runner refuses with
  :class:`~cliffhanger.errors.HandEditError` unless ``force``, which backs the edit up first;
- otherwise → run.

Each finished task's outputs are placed and recorded at once, so a run killed halfway keeps
all finished work and the next run resumes where it stopped. A failing task does not stop
its siblings; the failures are raised together after the group.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Sequence
from concurrent.futures import Future, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cliffhanger.errors import CliffhangerError, HandEditError, StageError
from cliffhanger.pipeline.executors.base import Executor
from cliffhanger.pipeline.hashing import sha256_file
from cliffhanger.pipeline.store import ArtifactStore
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

    def merge(self, other: RunReport) -> None:
        self.ran += other.ran
        self.skipped += other.skipped
        self.kept_edits += other.kept_edits
        self.backups += other.backups


def _execute(fn: Callable[[Any, Path], None], payload: Any, staging: Path) -> None:
    fn(payload, staging)


class Runner:
    def __init__(self, root: Path, *, force: bool = False, progress: Progress | None = None):
        self.root = root
        self.store = ArtifactStore(root)
        self.force = force
        self.progress = progress

    def run(self, tasks: Sequence[Task], executor_for: ExecutorFor) -> RunReport:
        report = RunReport()
        todo: list[tuple[Task, str]] = []
        conflicts: list[Path] = []
        for task in tasks:
            key = task.key(self.root)
            if all(self.store.fresh(rel, key) for rel in task.outputs):
                report.skipped.append(task.name)
                continue
            edited = (
                [rel for rel in task.outputs if self.store.hand_edited(rel)] if task.source else []
            )
            if edited and not self.force:
                if all(self._made_by(rel, key) for rel in edited):
                    report.kept_edits += edited
                else:
                    conflicts += [self.root / rel for rel in edited]
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
            if len(failures) == 1:
                raise failures[0]
            names = ", ".join(f.artifact for f in failures)
            raise StageError(stage, names, "; ".join(str(f) for f in failures))
        if conflicts:
            raise HandEditError(conflicts)
        return report

    def _made_by(self, rel: str, key: str) -> bool:
        rec = self.store.record(rel)
        return rec is not None and rec.key == key

    def _run_all(
        self,
        todo: list[tuple[Task, str]],
        executor: Executor,
        report: RunReport,
        stage: str,
        total: int,
    ) -> list[StageError]:
        failures: list[StageError] = []
        done = total - len(todo)

        def finish(future: Future[None], task: Task, key: str, staging: Path) -> None:
            nonlocal done
            try:
                future.result()
                self._place(task, key, staging, report)
                report.ran.append(task.name)
            except CliffhangerError as e:
                failures.append(
                    e if isinstance(e, StageError) else StageError(task.stage, task.name, e)
                )
            except Exception as e:
                failures.append(StageError(task.stage, task.name, f"{type(e).__name__}: {e}"))
            finally:
                shutil.rmtree(staging, ignore_errors=True)
            done += 1
            if self.progress:
                self.progress(stage, done, total)

        pending: dict[Future[None], tuple[Task, str, Path]] = {}
        for task, key in todo:
            staging = self.store.staging_dir()
            future = executor.submit(_execute, task.fn, task.payload, staging)
            if future.done():  # an inline executor: place it now, so a kill loses nothing
                finish(future, task, key, staging)
            else:
                pending[future] = (task, key, staging)
        for future in as_completed(pending):
            finish(future, *pending[future])
        return failures

    def _place(self, task: Task, key: str, staging: Path, report: RunReport) -> None:
        for rel in task.outputs:
            staged = staging / rel
            if not staged.is_file():
                raise StageError(task.stage, task.name, f"the task did not produce {rel}")
        for rel in task.outputs:
            if task.source and self.store.hand_edited(rel):
                report.backups.append(str(self.store.backup(rel).relative_to(self.root)))
            staged = staging / rel
            self.store.place(rel, staged, key, sha256_file(staged))
