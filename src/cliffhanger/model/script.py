"""One episode's screenplay as the pipeline sees it: scenes of beats, action and spoken lines.

The file on disk is Fountain (``scripts/ep001.fountain``); :mod:`cliffhanger.formats.screenplay`
maps between this model and the Fountain document. Beat boundaries travel in the Fountain
as synopses (``= hook: ...``), so a hand-edited script keeps them.

``source_line`` fields hold the 1-based line in the file a value came from (0 when made in
memory); they never take part in equality.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Self

from cliffhanger.model.emotions import canonical_emotion


@dataclass(frozen=True, slots=True)
class BeatMarker:
    """Where a beat of the outline starts: ``kind`` is a BeatKind value or free text."""

    kind: str
    summary: str = ""
    source_line: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class Action:
    text: str
    source_line: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class Line:
    """A spoken line: one speaker, one delivery (the parenthetical), one stretch of speech."""

    speaker: str  # the character cue, upper case, without extension: "LIN YUE"
    text: str
    parenthetical: str | None = None  # without brackets: "furious, to Mei"
    extension: str | None = None  # "V.O.", "O.S.", "CONT'D"
    dual: bool = False  # spoken at the same time as the previous line
    source_line: int = field(default=0, compare=False)

    @property
    def emotion(self) -> str:
        return canonical_emotion(self.parenthetical)

    @property
    def words(self) -> int:
        return len(self.text.split())

    def with_(self, **changes: object) -> Self:
        return replace(self, **changes)  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class Transition:
    text: str  # "CUT TO:", "SMASH CUT TO:"
    source_line: int = field(default=0, compare=False)


Element = BeatMarker | Action | Line | Transition


@dataclass(frozen=True, slots=True)
class Scene:
    heading: str  # "INT. CEO OFFICE - NIGHT"
    location: str  # a bible location id, or "" when the heading names no known place
    elements: tuple[Element, ...] = ()
    source_line: int = field(default=0, compare=False)

    @property
    def lines(self) -> tuple[Line, ...]:
        return tuple(e for e in self.elements if isinstance(e, Line))


@dataclass(frozen=True, slots=True)
class Script:
    episode: int
    title: str
    scenes: tuple[Scene, ...]
    title_page: tuple[tuple[str, str], ...] = ()  # extra title-page keys, in order

    @property
    def lines(self) -> tuple[Line, ...]:
        return tuple(line for scene in self.scenes for line in scene.lines)

    @property
    def words(self) -> int:
        return sum(line.words for line in self.lines)
