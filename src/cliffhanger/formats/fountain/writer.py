""":class:`Document` → canonical Fountain text.

Every element (a dialogue block: its cue with the parts under it) becomes one paragraph,
paragraphs are separated by one blank line, and the text ends with a newline. Each
paragraph is written in its plain form unless the element was ``forced`` or the plain form
would read back as something else (all-caps action that looks like a cue gets ``!``, a
heading without ``INT``/``EXT`` gets ``.``, a cue with small letters gets ``@``, ...).

The writer reads back each paragraph it writes with the parser, so the rules live in one
place and ``parse(write(doc)) == doc`` holds for every document ``write`` accepts. A
document that no Fountain text can express raises ValueError naming the element, e.g.
dialogue with no cue above it, a one-line field holding a line break, or text whose first
line would always read as a parenthetical.
"""

from __future__ import annotations

from collections.abc import Sequence

from cliffhanger.errors import FountainError
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
    TitlePage,
    Transition,
)
from cliffhanger.formats.fountain.parser import parse_paragraphs


def write(doc: Document) -> str:
    """Canonical Fountain for ``doc``; raises ValueError if it cannot be written faithfully."""
    paragraphs: list[str] = []
    if doc.title_page is not None:
        paragraphs.append(_title_page(doc.title_page))
    elements, i = doc.elements, 0
    while i < len(elements):
        end = i + 1
        if isinstance(elements[i], Character):
            while end < len(elements) and isinstance(elements[end], DIALOGUE_PARTS):
                end += 1
        paragraphs.append(_paragraph(elements[i:end], first=not paragraphs))
        i = end
    return "\n\n".join(paragraphs) + "\n" if paragraphs else ""


def _paragraph(group: Sequence[Element], *, first: bool) -> str:
    plain, forced = _forms(group)
    wants_marker = getattr(group[0], "forced", False)
    candidates = [forced, plain] if wants_marker else [plain, forced]
    reason = ""
    for text in candidates:
        if text is None:
            continue
        try:
            back = parse_paragraphs(text, title_page=first)
        except FountainError as error:
            reason = f" ({error.message})"
            continue
        if back.title_page is None and back.elements == tuple(group):
            return text
        reason = f" (it would read back as {_describe(back)})"
    raise ValueError(f"cannot write {_describe_group(group)} as Fountain{reason}")


def _forms(group: Sequence[Element]) -> tuple[str, str | None]:
    """The plain and the forced text of one paragraph (None: no forced form)."""
    head = group[0]
    match head:
        case Character():
            body = [_part(p) for p in group[1:]]
            return "\n".join([_cue(head), *body]), "\n".join(["@" + _cue(head), *body])
        case SceneHeading(text=text, number=number):
            line = text + (f" #{number}#" if number is not None else "")
            return line, "." + line
        case Action(text=text, centered=True):
            return f"> {text} <", None
        case Action(text=text):
            lines = _lines(text)
            first_line = text.split("\n", 1)[0]  # after "!" an empty line needs no spaces
            return "\n".join(lines), "!" + "\n".join([first_line, *lines[1:]])
        case Transition(text=text):
            return text, "> " + text
        case Lyrics(text=text):
            return "~" + text, None
        case Note(text=text):
            return "[[" + _note_body(text) + "]]", None
        case Boneyard(text=text):
            return "/*" + text + "*/", None
        case Section(text=text, depth=depth):
            return "#" * depth + (" " + text if text else ""), None
        case Synopsis(text=text):
            return "=" + (" " + text if text else ""), None
        case PageBreak():
            return "===", None
        case _:  # dialogue parts with no cue above them
            return _part(head), None


def _cue(cue: Character) -> str:
    extensions = "".join(f" ({e})" for e in cue.extensions)
    return cue.name + extensions + (" ^" if cue.dual else "")


def _part(part: Element) -> str:
    if isinstance(part, Parenthetical):
        return f"({part.text})"
    if isinstance(part, Lyrics):
        return "~" + part.text
    if isinstance(part, Dialogue):
        return "\n".join(_lines(part.text))
    return ""


def _lines(text: str) -> list[str]:
    # An empty line inside an element is written as two spaces so it does not end it.
    return [line or "  " for line in text.split("\n")]


def _note_body(text: str) -> str:
    lines = text.split("\n")
    # Only whole lines (not the ones sharing [[ or ]]) need the two-space connector.
    inner = [line or "  " for line in lines[1:-1]]
    return "\n".join([lines[0], *inner, lines[-1]]) if len(lines) > 1 else text


def _title_page(page: TitlePage) -> str:
    out: list[str] = []
    for entry in page.entries:
        if "\n" in entry.value:
            out.append(entry.key + ":")
            out.extend("    " + line for line in entry.value.split("\n"))
        else:
            out.append(f"{entry.key}: {entry.value}".rstrip())
    text = "\n".join(out)
    try:
        back = parse_paragraphs(text, title_page=True)
    except FountainError as error:
        raise ValueError(f"cannot write title page: {error.message}") from None
    if back.title_page != page or back.elements:
        raise ValueError(f"cannot write title page {page!r}: it would read back as {back!r}")
    return text


def _describe(doc: Document) -> str:
    text = ", ".join(repr(e) for e in doc.elements) or "nothing"
    if doc.title_page is not None:
        text = "a title page, " + text
    return text if len(text) <= 300 else text[:297] + "..."


def _describe_group(group: Sequence[Element]) -> str:
    head = group[0]
    if isinstance(head, Character):
        return f"dialogue block {head!r} with {len(group) - 1} part(s)"
    if isinstance(head, DIALOGUE_PARTS):
        return f"{head!r} (dialogue parts need a Character cue before them)"
    return repr(head)
