"""The cast stage: one task per character (``cast/<id>.png``) and per location
(``cast/sets/<id>.png``), run in parallel.

Each task keys on its own character's (or location's) words and look plus the provider's
fingerprint, not on the whole bible: editing one character's look redraws that sheet only.
Looks missing from ``bible.yaml`` (a hand-written bible) are derived the same way
``write`` derives them, so the pictures match what the next ``write`` would record.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image

from cliffhanger.cast.base import CASTERS, Caster
from cliffhanger.cast.compose import flatten
from cliffhanger.cast.looks import complete_looks
from cliffhanger.cast.sheet import character_sheet, set_sheet
from cliffhanger.errors import ProjectError
from cliffhanger.formats.yamlio import load_model
from cliffhanger.model.bible import Bible, Character, Location
from cliffhanger.model.look import Look, SetLook
from cliffhanger.pipeline.executors.base import pool_for
from cliffhanger.pipeline.runner import OnConflict, Progress, Runner, RunReport
from cliffhanger.pipeline.summary import StageSummary
from cliffhanger.pipeline.task import Task
from cliffhanger.project import Project
from cliffhanger.settings import Settings

CAST_VERSION = 1
SET_PREVIEW = (540, 960)  # the composed frame on a set's review sheet


def sheet_path(character_id: str) -> str:
    return f"cast/{character_id}.png"


def set_path(location_id: str) -> str:
    return f"cast/sets/{location_id}.png"


def _character(payload: tuple[Caster, Character, Look, int], staging: Path) -> None:
    caster, character, look, cell = payload
    actor = caster.actor(character, look)
    _save(character_sheet(character, actor, cell), staging / sheet_path(character.id))


def _set(payload: tuple[Caster, Location, SetLook], staging: Path) -> None:
    caster, location, look = payload
    plate = caster.set(location, look, *SET_PREVIEW)
    _save(set_sheet(location, look, plate, flatten(plate)), staging / set_path(location.id))


def _save(image: Image.Image, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, format="PNG", optimize=False, compress_level=6)


def cast_tasks(caster: Caster, bible: Bible, cell: int) -> list[Task]:
    tasks: list[Task] = []
    for ch in bible.characters:
        assert ch.look is not None  # complete_looks filled it
        tasks.append(
            Task(
                stage="cast",
                version=CAST_VERSION,
                name=ch.id,
                outputs=(sheet_path(ch.id),),
                fn=_character,
                payload=(caster, ch, ch.look, cell),
                params={
                    "provider": caster.fingerprint(),
                    "character": ch.model_dump(
                        mode="json", include={"id", "name", "role", "appearance", "look"}
                    ),
                    "cell": cell,
                },
            )
        )
    for loc in bible.locations:
        assert loc.look is not None
        tasks.append(
            Task(
                stage="sets",
                version=CAST_VERSION,
                name=loc.id,
                outputs=(set_path(loc.id),),
                fn=_set,
                payload=(caster, loc, loc.look),
                params={
                    "provider": caster.fingerprint(),
                    "location": loc.model_dump(mode="json"),
                    "size": SET_PREVIEW,
                },
            )
        )
    return tasks


@dataclass
class CastSummary(StageSummary):
    project: str
    provider: str
    characters: list[str] = field(default_factory=list)
    sets: list[str] = field(default_factory=list)
    seconds: float = 0.0
    report: RunReport = field(default_factory=RunReport)


def make_caster(settings: Settings, project: Project) -> Caster:
    return CASTERS.create(settings.cast.provider, settings, project.root)


def cast_bible(project: Project, settings: Settings) -> Bible:
    """The bible with every look filled in (derived where ``bible.yaml`` has none)."""
    path = project.path(Project.BIBLE)
    if not path.is_file():
        raise ProjectError(f"{path} is missing: run `cliffhanger write {project.root}` first")
    return complete_looks(load_model(Bible, path), settings.series.seed)


def cast(
    project: Project,
    settings: Settings,
    *,
    on_conflict: OnConflict = "refuse",
    progress: Progress | None = None,
) -> CastSummary:
    """Draw whatever character sheet or set is stale."""
    start = time.perf_counter()
    bible = cast_bible(project, settings)
    caster = make_caster(settings, project)
    tasks = cast_tasks(caster, bible, settings.cast.sheet_cell)

    executor = pool_for(settings.pipeline.executor, settings.pipeline.workers)
    try:
        with Runner(project.root, on_conflict=on_conflict, progress=progress) as runner:
            report = runner.run(tasks, executor)
    finally:
        caster.close()
    return CastSummary(
        project=str(project.root),
        provider=caster.name,
        characters=[sheet_path(c.id) for c in bible.characters],
        sets=[set_path(loc.id) for loc in bible.locations],
        seconds=time.perf_counter() - start,
        report=report,
    )
