"""Read a whole written series back from a project: bible, outline and every script."""

from __future__ import annotations

from dataclasses import dataclass

from cliffhanger.errors import ModelFileError
from cliffhanger.formats.screenplay import script_from_fountain
from cliffhanger.formats.yamlio import load_model
from cliffhanger.model import Bible, Outline, Script
from cliffhanger.project import Project


@dataclass(frozen=True)
class Series:
    bible: Bible
    outline: Outline
    scripts: tuple[tuple[Script, str], ...]  # each with its path relative to the project


def load_series(project: Project) -> Series:
    """Parse everything `write` made (or a person edited); errors name file and line."""
    bible = load_model(Bible, project.path(Project.BIBLE))
    outline = load_model(Outline, project.path(Project.OUTLINE))
    places = {loc.name.upper(): loc.id for loc in bible.locations}
    scripts = []
    for ep in outline.episodes:
        rel = Project.script(ep.number)
        path = project.path(rel)
        if not path.is_file():
            raise ModelFileError(
                f"script for episode {ep.number} is missing; run `cliffhanger write`", path=path
            )
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError) as e:
            raise ModelFileError(f"cannot read it as UTF-8 text: {e}", path=path) from e
        scripts.append(
            (script_from_fountain(text, path=path, episode=ep.number, locations=places), rel)
        )
    return Series(bible, outline, tuple(scripts))
