"""Fountain text → :class:`Document`, following https://fountain.io/syntax.

The file is read paragraph by paragraph (a paragraph ends at a blank line; inside one, a line
of two or more spaces is a deliberate empty line, not the end). The first line of a paragraph
decides what it is:

* marker lines, anywhere: ``===`` page break, ``#`` section, ``=`` synopsis, ``~`` lyrics,
  ``> centered <``, ``>`` forced transition, ``!`` forced action, a ``[[note]]`` or a
  ``/* boneyard */`` standing on whole lines (a boneyard may span blank lines);
* after a blank line only: a scene heading (``INT``/``EXT``/``EST``/``INT./EXT``/``I/E``
  then ``.`` or space, or forced ``.``); a transition (upper case, ending ``TO:``, a
  paragraph of its own); a character cue (upper case, or forced ``@``, with a line under it),
  whose block holds dialogue, ``(parentheticals)`` and ``~lyrics`` up to the blank line;
* anything else is action, up to the blank line.

A marker line or heading ends its element; lines right under it are read on, though not
as "after a blank line" (so ``INT. HOUSE`` then ``Lin waits.`` is a heading and action).
Indentation never changes what a line is; it is kept in action only.
"""

from __future__ import annotations

import re
from pathlib import Path

from cliffhanger.errors import FountainError
from cliffhanger.formats.fountain import spans
from cliffhanger.formats.fountain.document import (
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

_HEADING = re.compile(r"(?:int\.?/ext|i/e|int|ext|est)[. ]", re.IGNORECASE)
_SCENE_NUMBER = re.compile(r"\s*#([A-Za-z0-9.\-]+)#\s*$")
_TITLE_KEY = re.compile(r"([^\W\d_][\w '\-]*):(.*)")
_PAGE_BREAK = re.compile(r"={3,}\s*")
_EXTENSIONS = re.compile(r"(?:\([^()]*\)\s*)+")
_EXTENSION = re.compile(r"\(([^()]*)\)")


def parse(text: str, path: str | Path | None = None) -> Document:
    """Read Fountain ``text``; ``path`` only names the file in errors.

    Raises :class:`~cliffhanger.errors.FountainError` (with file and line) for what cannot be
    placed: an unclosed ``/*`` or ``[[``, a malformed title page line.
    """
    return _Parser(split_lines(text), path).document(title=True)


def parse_paragraphs(text: str, *, title_page: bool) -> Document:
    """Like :func:`parse`, but with ``title_page=False`` a leading ``Key: value`` is body text."""
    return _Parser(split_lines(text), None).document(title=title_page)


def split_lines(text: str) -> list[str]:
    text = text.removeprefix("\ufeff")
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def is_connector(line: str) -> bool:
    """A line of two or more spaces: an empty line that does not end the paragraph."""
    return len(line) >= 2 and not line.strip(" ")


def is_blank(line: str) -> bool:
    return not line.strip() and not is_connector(line)


def is_upper(text: str) -> bool:
    """Has a capital letter and no small one: ``R2D2`` is, ``23`` and ``林月`` are not."""
    return any(c.isupper() for c in text) and not any(c.islower() for c in text)


def parse_cue(stripped: str) -> Character | None:
    """Read ``LIN (V.O.) ^`` or ``@McCLANE`` as a cue, or None if it cannot be one."""
    forced = stripped.startswith("@")
    body = (stripped[1:] if forced else stripped).strip()
    dual = body.endswith("^")
    if dual:
        body = body[:-1].rstrip()
    name, paren, rest = body.partition("(")
    name = name.strip()
    extensions: tuple[str, ...] = ()
    if paren:
        if not _EXTENSIONS.fullmatch(paren + rest):
            return None
        extensions = tuple(e.strip() for e in _EXTENSION.findall(paren + rest))
    if not name or (not forced and not is_upper(name)):
        return None
    return Character(name, extensions, dual, forced)


class _Parser:
    def __init__(self, lines: list[str], path: str | Path | None) -> None:
        self.lines = lines
        self.path = path
        self.out: list[Element] = []

    def error(self, message: str, line: int) -> FountainError:
        return FountainError(message, path=self.path, line=line)

    def document(self, *, title: bool) -> Document:
        lines, i = self.lines, 0
        while i < len(lines) and not lines[i].strip():
            i += 1
        title_page = None
        if title and i < len(lines) and _TITLE_KEY.fullmatch(lines[i]):
            title_page, i = self.title_page(i)
        after_blank = True
        while i < len(lines):
            if not lines[i].strip():  # two spaces only join lines inside an element
                i, after_blank = i + 1, True
                continue
            i = self.chunk(i, after_blank)
            after_blank = False
        return Document(tuple(self.out), title_page)

    def title_page(self, start: int) -> tuple[TitlePage, int]:
        entries: list[TitleField] = []
        key, key_line = "", 0
        values: list[str] = []
        i = start
        while i < len(self.lines) and not is_blank(self.lines[i]):
            line = self.lines[i]
            if line.startswith(("\t", "   ")) or is_connector(line):
                values.append(line.strip())
            elif match := _TITLE_KEY.fullmatch(line):
                if i > start:
                    entries.append(TitleField(key, "\n".join(values), key_line))
                key, key_line = match[1].strip(), i + 1
                values = [match[2].strip()] if match[2].strip() else []
            else:
                raise self.error(
                    f"title page line {line!r} is neither 'Key: value' nor an indented "
                    "continuation; indent continued values by 3 spaces or a tab, and end "
                    "the title page with a blank line",
                    i + 1,
                )
            i += 1
        entries.append(TitleField(key, "\n".join(values), key_line))
        return TitlePage(tuple(entries), start + 1), i

    def chunk(self, i: int, after_blank: bool) -> int:
        """Read the element starting at line ``i``; return the line after it."""
        line = self.lines[i]
        s = line.lstrip()
        number = i + 1
        if s.startswith(spans.BONEYARD) and (end := self.standalone(i, spans.BONEYARD)):
            return end
        if s.startswith(spans.NOTE) and (end := self.standalone(i, spans.NOTE)):
            return end
        if s.startswith("!"):
            return self.action(i, forced=True)
        single = self.single_line(s, number, after_blank)
        if single is not None:
            self.check_closed(line, number)
            self.out.append(single)
            return i + 1
        if after_blank and i + 1 < len(self.lines) and not is_blank(self.lines[i + 1]):
            cue = parse_cue(s)
            if cue is not None:
                self.check_closed(line, number)
                self.out.append(_at(cue, number))
                return self.dialogue(i + 1)
        return self.action(i, forced=False)

    def single_line(self, s: str, number: int, after_blank: bool) -> Element | None:
        s = s.rstrip()
        if _PAGE_BREAK.fullmatch(s):
            return PageBreak(number)
        if s.startswith("#"):
            depth = len(s) - len(s.lstrip("#"))
            return Section(s[depth:].strip(), depth, number)
        if s.startswith("="):
            return Synopsis(s[1:].strip(), number)
        if s.startswith("~"):
            return Lyrics(s[1:].strip(), number)
        if s.startswith(">"):
            if len(s) > 1 and s.endswith("<"):
                return Action(s[1:-1].strip(), centered=True, line=number)
            return Transition(s[1:].strip(), forced=True, line=number)
        if not after_blank:
            return None
        forced = s.startswith(".") and s[1:2].isalnum()
        if forced or _HEADING.match(s):
            return _heading(s[1:].lstrip() if forced else s, forced, number)
        if s.endswith("TO:") and is_upper(s) and self.paragraph_ends(number):
            return Transition(s, line=number)
        return None

    def paragraph_ends(self, number: int) -> bool:
        return number >= len(self.lines) or is_blank(self.lines[number])

    def standalone(self, i: int, opening: str) -> int | None:
        """Emit a note or boneyard standing on whole lines from ``i``; the line after it."""
        line = self.lines[i]
        start = len(line) - len(line.lstrip()) + 2
        close = spans.CLOSE[opening]
        j, at = i, line.find(close, start)
        while at < 0:
            j += 1
            if j >= len(self.lines) or (opening == spans.NOTE and is_blank(self.lines[j])):
                raise self.unclosed(opening, i + 1)
            at = self.lines[j].find(close)
        if self.lines[j][at + 2 :].strip():
            return None  # text follows on the closing line: an inline span, read as action
        if i == j:
            text = line[start:at]
        else:
            middle = self.lines[i + 1 : j]
            if opening == spans.NOTE:
                middle = ["" if is_connector(m) else m for m in middle]
            text = "\n".join([line[start:], *middle, self.lines[j][:at]])
        element = Note(text, i + 1) if opening == spans.NOTE else Boneyard(text, i + 1)
        self.out.append(element)
        return j + 1

    def unclosed(self, opening: str, number: int) -> FountainError:
        if opening == spans.NOTE:
            return self.error(
                "note '[[' is not closed before the next blank line; close it with ']]' "
                "(a blank line inside a note needs two spaces on it)",
                number,
            )
        return self.error(
            "boneyard '/*' is not closed; add '*/' where the cut text ends "
            "(a '/*' that shares its line with text must close before the next blank line)",
            number,
        )

    def check_closed(self, line: str, number: int) -> None:
        state = spans.scan(line)
        if state is not None:
            raise self.error(
                f"'{state}' opened in a one-line element must close on the same line", number
            )

    def paragraph(self, i: int) -> int:
        """The line after the paragraph from ``i``; notes and boneyard must close in it."""
        state, opened = None, 0
        while i < len(self.lines) and not is_blank(self.lines[i]):
            before = state
            state = spans.scan(self.lines[i], state)
            if state is not None and before is None:
                opened = i + 1
            i += 1
        if state is not None:
            raise self.unclosed(state, opened)
        return i

    def action(self, i: int, *, forced: bool) -> int:
        end = self.paragraph(i)
        texts = ["" if is_connector(line) else line for line in self.lines[i:end]]
        if forced:
            first = texts[0]
            bang = len(first) - len(first.lstrip())
            texts[0] = first[:bang] + first[bang + 1 :]
        self.out.append(Action("\n".join(texts), forced=forced, line=i + 1))
        return end

    def dialogue(self, i: int) -> int:
        """Read the block under a cue: dialogue, parentheticals and lyrics to the blank line."""
        end = self.paragraph(i)
        said: list[str] = []
        said_line, state = 0, None
        for index in range(i, end):
            s = self.lines[index].strip()
            part: Element | None = None
            if state is None and spans.scan(s) is None:
                if s.startswith("(") and s.endswith(")"):
                    part = Parenthetical(s[1:-1].strip(), index + 1)
                elif s.startswith("~"):
                    part = Lyrics(s[1:].strip(), index + 1)
            state = spans.scan(s, state)
            if part is None:
                said_line = said_line or index + 1
                said.append(s)
                continue
            if said:
                self.out.append(Dialogue("\n".join(said), said_line))
                said, said_line = [], 0
            self.out.append(part)
        if said:
            self.out.append(Dialogue("\n".join(said), said_line))
        return end


def _heading(text: str, forced: bool, number: int) -> SceneHeading:
    match = _SCENE_NUMBER.search(text)
    if match:
        return SceneHeading(text[: match.start()], match[1], forced, number)
    return SceneHeading(text, None, forced, number)


def _at(cue: Character, number: int) -> Character:
    return Character(cue.name, cue.extensions, cue.dual, cue.forced, number)
