"""The writers' room as pipeline stages: develop → bible.yaml, outline → outline.yaml,
script → scripts/epNNN.fountain (one task per episode, run in parallel).

Each stage reads the files the stage before wrote (which a person may have edited) and
keys its cache on their content, the request and the writer's fingerprint; a script task
keys on its own episode's outline (and the one before, for the hook), so editing one
episode's beats re-scripts only that episode.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from cliffhanger.cast.looks import complete_looks
from cliffhanger.formats.screenplay import script_to_fountain
from cliffhanger.formats.yamlio import dump_model, load_model
from cliffhanger.model import Bible, EpisodeOutline, Outline
from cliffhanger.pipeline.executors.base import EXECUTORS, pool_for
from cliffhanger.pipeline.runner import ExecutorFor, OnConflict, Progress, Runner, RunReport
from cliffhanger.pipeline.task import Task
from cliffhanger.project import Project
from cliffhanger.settings import Settings
from cliffhanger.voice.casting import complete_voices
from cliffhanger.writing.base import WRITERS, SeriesRequest, Writer

DEVELOP_VERSION = 3  # 2: bible.yaml carries the looks; 3: and the voice tunes
OUTLINE_VERSION = 1
SCRIPT_VERSION = 1


def _develop(payload: tuple[Writer, SeriesRequest], staging: Path) -> None:
    writer, request = payload
    bible = complete_looks(writer.develop(request), request.seed)
    bible = complete_voices(bible, request.seed)
    _put(staging / Project.BIBLE, dump_model(bible))


def _outline(payload: tuple[Writer, SeriesRequest, Bible], staging: Path) -> None:
    writer, request, bible = payload
    _put(staging / Project.OUTLINE, dump_model(writer.outline(request, bible)))


def _script(
    payload: tuple[Writer, SeriesRequest, Bible, EpisodeOutline, EpisodeOutline | None],
    staging: Path,
) -> None:
    writer, request, bible, episode, previous = payload
    script = writer.script(request, bible, episode, previous)
    _put(
        staging / Project.script(episode.number),
        script_to_fountain(script, series_title=bible.title),
    )


def _put(path: Path, text: str) -> None:
    # Bytes, not text mode: "\n" on every OS, so hashes (and hand-edit checks) travel.
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))


def _params(writer: Writer, request: SeriesRequest, *, speech: bool = False) -> dict[str, object]:
    """What shapes a stage's output. Only scripts depend on the speaking rate, so changing it
    re-writes the scripts but never the bible or the outline (nor their hand edits)."""
    fields = asdict(request)
    if not speech:
        del fields["words_per_minute"]
    return {"writer": writer.name, "fingerprint": writer.fingerprint(), "request": fields}


def develop_task(writer: Writer, request: SeriesRequest) -> Task:
    return Task(
        stage="develop",
        version=DEVELOP_VERSION,
        name="bible",
        outputs=(Project.BIBLE,),
        fn=_develop,
        payload=(writer, request),
        params=_params(writer, request),
        source=True,
    )


def outline_task(writer: Writer, request: SeriesRequest, bible: Bible) -> Task:
    return Task(
        stage="outline",
        version=OUTLINE_VERSION,
        name="outline",
        outputs=(Project.OUTLINE,),
        fn=_outline,
        payload=(writer, request, bible),
        inputs=(Project.BIBLE,),
        params=_params(writer, request),
        source=True,
    )


def script_tasks(
    writer: Writer, request: SeriesRequest, bible: Bible, outline: Outline
) -> list[Task]:
    tasks = []
    previous: EpisodeOutline | None = None
    for ep in outline.episodes:
        params = _params(writer, request, speech=True) | {
            "episode": ep.model_dump(mode="json"),
            "previous": previous.model_dump(mode="json") if previous else None,
        }
        tasks.append(
            Task(
                stage="script",
                version=SCRIPT_VERSION,
                name=f"ep{ep.number:03d}",
                outputs=(Project.script(ep.number),),
                fn=_script,
                payload=(writer, request, bible, ep, previous),
                inputs=(Project.BIBLE,),
                params=params,
                source=True,
            )
        )
        previous = ep
    return tasks


@dataclass
class WriteSummary:
    project: str
    writer: str
    episodes: int
    seconds: float
    report: RunReport = field(default_factory=RunReport)
    orphans: list[str] = field(default_factory=list)  # scripts of episodes the outline dropped

    def as_json(self) -> dict[str, object]:
        return {
            "project": self.project,
            "writer": self.writer,
            "episodes": self.episodes,
            "seconds": round(self.seconds, 3),
            "ran": self.report.ran,
            "skipped": self.report.skipped,
            "kept_edits": self.report.kept_edits,
            "backups": self.report.backups,
            "orphans": self.orphans,
        }


def make_writer(settings: Settings, project: Project) -> Writer:
    return WRITERS.create(settings.writing.provider, settings, project.state_dir)


def executor_for(settings: Settings, writer: Writer) -> ExecutorFor:
    """Threads for a network-bound writer; inline for a task or two; else the configured pool."""

    if writer.io_bound:
        return lambda stale: EXECUTORS.create("thread", settings.llm.concurrency)
    return pool_for(settings.pipeline.executor, settings.pipeline.workers, inline_up_to=2)


def write(
    project: Project,
    settings: Settings,
    *,
    on_conflict: OnConflict = "refuse",
    progress: Progress | None = None,
) -> WriteSummary:
    """Make whatever of bible, outline and scripts is stale; keep hand edits (see Runner)."""
    start = time.perf_counter()
    writer = make_writer(settings, project)
    request = SeriesRequest.from_settings(settings)
    executors = executor_for(settings, writer)
    report = RunReport()
    try:
        with Runner(project.root, on_conflict=on_conflict, progress=progress) as runner:
            report.merge(runner.run([develop_task(writer, request)], executors))
            bible = load_model(Bible, project.path(Project.BIBLE))
            report.merge(runner.run([outline_task(writer, request, bible)], executors))
            outline = load_model(Outline, project.path(Project.OUTLINE))
            report.merge(runner.run(script_tasks(writer, request, bible, outline), executors))
    finally:
        writer.close()
    return WriteSummary(
        project=str(project.root),
        writer=writer.name,
        episodes=len(outline.episodes),
        seconds=time.perf_counter() - start,
        report=report,
        orphans=_orphans(project, outline),
    )


def _orphans(project: Project, outline: Outline) -> list[str]:
    """Scripts on disk for episodes the outline no longer has. Kept, not deleted: they may
    hold hand edits; the summary names them so the user can decide."""
    wanted = {Project.script(ep.number) for ep in outline.episodes}
    found = (f"scripts/{p.name}" for p in project.path("scripts").glob("ep*.fountain"))
    return sorted(rel for rel in found if rel not in wanted)
