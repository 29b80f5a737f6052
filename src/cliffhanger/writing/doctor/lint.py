"""The doctor's entry point: run every registered rule over a series and report."""

from __future__ import annotations

from collections.abc import Sequence

from cliffhanger.model import Bible, Outline, Script
from cliffhanger.settings import DoctorSettings
from cliffhanger.writing.doctor import continuity, pacing, secrets, structure
from cliffhanger.writing.doctor.context import Rule, Series
from cliffhanger.writing.doctor.report import Report
from cliffhanger.writing.timing import DEFAULT_WORDS_PER_MINUTE

#: Every rule the doctor runs, in order. Adding a rule is writing a function
#: ``(Series) -> Iterable[Finding]`` (or an ``@each_episode`` check), giving its codes an entry
#: in ``findings.CODES``, and listing it here.
RULES: tuple[Rule, ...] = (
    structure.numbering,
    structure.empty,
    structure.scene_headings,
    structure.hook,
    structure.jolts,
    structure.cliffhanger,
    structure.cliffhanger_repeat,
    pacing.words,
    pacing.length,
    pacing.reading_speed,
    pacing.line_repeat,
    continuity.speakers,
    continuity.departures,
    secrets.secrets,
)


def lint(
    bible: Bible,
    outline: Outline | None,
    scripts: Sequence[tuple[Script, str | None]],
    settings: DoctorSettings | None = None,
    words_per_minute: float = DEFAULT_WORDS_PER_MINUTE,
    *,
    outline_file: str | None = None,
    rules: Sequence[Rule] = RULES,
) -> Report:
    """Examine a series: each script with the path it was read from (None if made in memory).

    ``outline_file`` names outline.yaml in findings about the outline. Raises ValueError for a
    non-positive ``words_per_minute``. ``rules`` defaults to every rule in :data:`RULES`.
    """
    if words_per_minute <= 0:
        raise ValueError(f"words_per_minute must be positive, got {words_per_minute}")
    series = Series.build(
        bible, outline, scripts, settings or DoctorSettings(), words_per_minute, outline_file
    )
    return Report.of(f for rule in rules for f in rule(series))
