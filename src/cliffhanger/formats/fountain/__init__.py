"""Fountain, the plain-text screenplay format (https://fountain.io/syntax), element by element.

``parse`` reads a file into a :class:`Document`; ``write`` emits canonical Fountain, and
``parse(write(doc)) == doc`` for every document ``write`` accepts. The mapping to the
pipeline's :class:`~cliffhanger.model.Script` lives in :mod:`cliffhanger.formats.screenplay`.
"""

from __future__ import annotations

from cliffhanger.formats.fountain.document import (
    DIALOGUE_PARTS,
    Action,
    Boneyard,
    Character,
    Dialogue,
    Document,
    Element,
    Lyrics,
    Note,
    PageBreak,
    Parenthetical,
    SceneHeading,
    Section,
    Synopsis,
    TitleField,
    TitlePage,
    Transition,
)
from cliffhanger.formats.fountain.emphasis import Run, parse_emphasis, plain_text
from cliffhanger.formats.fountain.parser import parse
from cliffhanger.formats.fountain.spans import strip_notes
from cliffhanger.formats.fountain.writer import write

__all__ = [
    "DIALOGUE_PARTS",
    "Action",
    "Boneyard",
    "Character",
    "Dialogue",
    "Document",
    "Element",
    "Lyrics",
    "Note",
    "PageBreak",
    "Parenthetical",
    "Run",
    "SceneHeading",
    "Section",
    "Synopsis",
    "TitleField",
    "TitlePage",
    "Transition",
    "parse",
    "parse_emphasis",
    "plain_text",
    "strip_notes",
    "write",
]
