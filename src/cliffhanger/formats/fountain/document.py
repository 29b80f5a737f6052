"""The element-level Fountain document: what a screenplay file says, element by element.

Texts are kept as written: emphasis markers (``*``, ``_``), escapes (``\\*``) and inline
notes (``[[...]]``) stay in them; :func:`~cliffhanger.formats.fountain.parse_emphasis` and
:func:`~cliffhanger.formats.fountain.strip_notes` read them when needed. Multi-line texts
join their lines with ``"\\n"``; a deliberate blank line (``"  "`` in the file) is ``""``.

A document is a flat run of elements. A dialogue block is a :class:`Character` followed by
the :class:`Parenthetical`, :class:`Dialogue` and :class:`Lyrics` elements under it; dual
dialogue is the second block's cue with ``dual=True``.

``line`` is the 1-based source line (0 when built in memory) and ``forced`` records that the
file used a forcing marker (``!``, ``@``, ``.``, ``>``); neither takes part in equality, so
two documents are equal when they say the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class TitleField:
    """One ``Key: value`` of the title page; a multi-line value joins its lines with ``\\n``."""

    key: str
    value: str = ""
    line: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class TitlePage:
    """The ``Key: value`` block at the top of the file, keys in file order (repeats allowed)."""

    entries: tuple[TitleField, ...]
    line: int = field(default=0, compare=False)

    def get(self, key: str) -> TitleField | None:
        """The first entry whose key matches ``key``, ignoring case."""
        wanted = key.casefold()
        return next((e for e in self.entries if e.key.casefold() == wanted), None)


@dataclass(frozen=True, slots=True)
class SceneHeading:
    """``INT. CEO OFFICE - NIGHT #12A#``: ``number`` is the ``#...#`` scene number, if any."""

    text: str
    number: str | None = None
    forced: bool = field(default=False, compare=False)
    line: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class Action:
    """Description; indentation is kept. ``centered`` for ``> THE END <``."""

    text: str
    centered: bool = False
    forced: bool = field(default=False, compare=False)
    line: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class Character:
    """A dialogue cue: ``LIN YUE (V.O.) (CONT'D) ^`` has two extensions and is dual."""

    name: str
    extensions: tuple[str, ...] = ()
    dual: bool = False
    forced: bool = field(default=False, compare=False)
    line: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class Parenthetical:
    """``(furious)`` under a cue; ``text`` is without the brackets."""

    text: str
    line: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class Dialogue:
    text: str
    line: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class Transition:
    """``CUT TO:``, or any text forced with ``>``."""

    text: str
    forced: bool = field(default=False, compare=False)
    line: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class Lyrics:
    """One sung line, ``~`` in the file."""

    text: str
    line: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class Note:
    """A ``[[note]]`` standing on its own; notes inside other text stay in that text."""

    text: str
    line: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class Boneyard:
    """Text cut with ``/* ... */`` on lines of its own; it may span blank lines."""

    text: str
    line: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class Section:
    """An outline heading: ``## Act two`` has depth 2."""

    text: str
    depth: int = 1
    line: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class Synopsis:
    """``= what happens here``; never printed, used for beat markers."""

    text: str
    line: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class PageBreak:
    """``===``."""

    line: int = field(default=0, compare=False)


Element = (
    SceneHeading
    | Action
    | Character
    | Parenthetical
    | Dialogue
    | Transition
    | Lyrics
    | Note
    | Boneyard
    | Section
    | Synopsis
    | PageBreak
)

#: The elements that belong to the dialogue block of the cue before them.
DIALOGUE_PARTS = (Parenthetical, Dialogue, Lyrics)


@dataclass(frozen=True, slots=True)
class Document:
    elements: tuple[Element, ...] = ()
    title_page: TitlePage | None = None
