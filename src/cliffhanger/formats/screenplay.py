"""Between the pipeline's :class:`~cliffhanger.model.Script` and an episode's Fountain file.

The title page carries ``Title:`` (the series, if given), ``Episode:`` (the number) and
``Episode title:``, then the script's own extra keys in order. Each scene is a heading, a
beat marker is a synopsis ``= hook: Lin is slapped``, a line is a cue (``^`` when dual)
with an optional parenthetical over its dialogue::

    = hook: Lin is slapped at her own wedding

    INT. BALLROOM - NIGHT

    LIN YUE (V.O.)
    (cold)
    You will regret this.

A scene's location id is not written: reading finds it again from the heading's place
through the ``locations`` map (as the bible knows them), so
``script_from_fountain(script_to_fountain(s), locations=m) == s`` for every script
``script_to_fountain`` accepts whose locations agree with ``m`` (all ``""`` without one).

Reading also takes hand-written screenplays: notes, boneyard, sections and page
breaks are dropped; centered text and lyrics on their own become action, while sung lines
under a cue stay the singer's dialogue; a block with several parentheticals becomes several
lines of one speaker; and what comes before the first heading is a scene with heading ``""``
(a cold open).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

from cliffhanger.errors import FountainError
from cliffhanger.formats import fountain as ftn
from cliffhanger.model.script import Action, BeatMarker, Element, Line, Scene, Script, Transition

SERIES_KEY = "Title"
EPISODE_KEY = "Episode"
EPISODE_TITLE_KEY = "Episode title"
_RESERVED = {k.casefold() for k in (SERIES_KEY, EPISODE_KEY, EPISODE_TITLE_KEY)}

_PLACE_PREFIX = re.compile(r"(?:int\.?/ext|ext\.?/int|i/e|int|ext|est)(?:\.\s*|\s+)", re.I)
_DASH = re.compile(r"\s+[-–—]+\s+")


def script_to_fountain(script: Script, *, series_title: str = "") -> str:
    """The Fountain text of ``script``: deterministic, ending in a single newline.

    Raises ValueError for what would not read back the same: a scene without a heading
    other than a non-empty first one, a note or boneyard inside a text, a beat kind with
    ``:``, an extra title key that is one of ours, or text Fountain cannot hold (a dialogue
    line in brackets, which reads as a parenthetical; a whitespace-only line; ...).
    """
    entries = [ftn.TitleField(SERIES_KEY, series_title)] if series_title else []
    entries.append(ftn.TitleField(EPISODE_KEY, str(script.episode)))
    if script.title:
        entries.append(ftn.TitleField(EPISODE_TITLE_KEY, script.title))
    for key, value in script.title_page:
        if key.strip().casefold() in _RESERVED:
            raise ValueError(f"title page key {key!r} is reserved for the series and episode")
        entries.append(ftn.TitleField(key, value))
    elements: list[ftn.Element] = []
    for index, scene in enumerate(script.scenes):
        if scene.heading:
            elements.append(ftn.SceneHeading(_plain(scene.heading, "scene heading")))
        elif index or not scene.elements:
            raise ValueError(
                f"scene {index + 1} has no heading; only a non-empty first scene (a cold "
                "open) may go without one"
            )
        for element in scene.elements:
            elements.extend(_to_fountain(element))
    return ftn.write(ftn.Document(tuple(elements), ftn.TitlePage(tuple(entries))))


def _to_fountain(element: Element) -> Iterator[ftn.Element]:
    match element:
        case BeatMarker(kind=kind, summary=summary):
            if ":" in kind:
                raise ValueError(f"beat kind {kind!r} cannot contain ':'")
            yield ftn.Synopsis(_synopsis(_plain(kind, "beat kind"), _plain(summary, "summary")))
        case Action(text=text):
            yield ftn.Action(_plain(text, "action"))
        case Transition(text=text):
            yield ftn.Transition(_plain(text, "transition"))
        case Line():
            extensions = () if element.extension is None else (element.extension,)
            yield ftn.Character(_plain(element.speaker, "speaker"), extensions, element.dual)
            if element.parenthetical is not None:
                yield ftn.Parenthetical(_plain(element.parenthetical, "parenthetical"))
            if element.text or element.parenthetical is None:
                yield ftn.Dialogue(_plain(element.text, "dialogue"))


def _synopsis(kind: str, summary: str) -> str:
    if not kind and ":" not in summary:
        return summary
    return f"{kind}: {summary}" if summary else f"{kind}:"


def _plain(text: str, what: str) -> str:
    if ftn.strip_notes(text) != text:
        raise ValueError(f"{what} {text!r} holds a Fountain note [[...]] or boneyard /*...*/")
    return text


def script_from_fountain(
    text: str,
    *,
    path: str | Path | None = None,
    episode: int | None = None,
    locations: Mapping[str, str] | None = None,
) -> Script:
    """Read an episode's Fountain ``text`` into a :class:`Script`.

    ``locations`` maps an upper-case place as a heading names it ("CEO OFFICE") to a
    location id; a scene whose place is not there gets location ``""``. The episode number
    comes from the ``Episode:`` key, else ``episode``, else a FountainError naming ``path``.
    """
    doc = ftn.parse(text, path)
    page = doc.title_page.entries if doc.title_page else ()
    number = _episode(page, episode, path)
    title = next((e.value for e in page if e.key.casefold() == EPISODE_TITLE_KEY.casefold()), "")
    extras = tuple((e.key, e.value) for e in page if e.key.casefold() not in _RESERVED)
    places = {k.strip().upper(): v for k, v in (locations or {}).items()}
    return Script(number, title, tuple(_scenes(doc.elements, places)), extras)


def _episode(page: Sequence[ftn.TitleField], given: int | None, path: str | Path | None) -> int:
    found = [e for e in page if e.key.casefold() == EPISODE_KEY.casefold()]
    if len(found) > 1:
        raise FountainError(
            "the title page has more than one 'Episode:' key; keep one",
            path=path,
            line=found[1].line,
        )
    if found:
        try:
            return int(found[0].value.strip())
        except ValueError:
            raise FountainError(
                f"'Episode: {found[0].value}' is not a whole number; write e.g. 'Episode: 3'",
                path=path,
                line=found[0].line,
            ) from None
    if given is not None:
        return given
    raise FountainError(
        "no episode number: add 'Episode: <number>' to the title page", path=path, line=1
    )


def _scenes(elements: Sequence[ftn.Element], places: Mapping[str, str]) -> Iterator[Scene]:
    heading, location, line = "", "", 0
    body: list[Element] = []
    started = False  # a cold open exists only once something of it is mapped
    i = 0
    while i < len(elements):
        element = elements[i]
        i += 1
        if isinstance(element, ftn.SceneHeading):
            if started:
                yield Scene(heading, location, tuple(body), line)
            heading = ftn.strip_notes(element.text)
            location, line, body, started = _lookup(heading, places), element.line, [], True
            continue
        if isinstance(element, ftn.Character):
            end = i
            while end < len(elements) and isinstance(elements[end], ftn.DIALOGUE_PARTS):
                end += 1
            mapped: list[Element] = list(_lines(element, elements[i:end]))
            i = end
        else:
            mapped = list(_from_fountain(element))
        if mapped and not started:
            line, started = mapped[0].source_line, True
        body.extend(mapped)
    if started:
        yield Scene(heading, location, tuple(body), line)


def _from_fountain(element: ftn.Element) -> Iterator[Element]:
    match element:
        case ftn.Synopsis(text=text, line=line):
            kind, colon, summary = ftn.strip_notes(text).partition(":")
            if not colon:
                kind, summary = "", kind
            yield BeatMarker(kind.strip(), summary.strip(), line)
        case ftn.Action(text=text, line=line) | ftn.Lyrics(text=text, line=line):
            kept = ftn.strip_notes(text)
            if kept or not text:  # drop action that was nothing but notes
                yield Action(kept, line)
        case ftn.Transition(text=text, line=line):
            yield Transition(ftn.strip_notes(text), line)
        case _:
            pass  # notes, boneyard, sections, page breaks: nothing to voice or show


def _lines(cue: ftn.Character, parts: Sequence[ftn.Element]) -> Iterator[Line]:
    """One Line per parenthetical of a block, all with the cue's speaker."""
    speaker = ftn.strip_notes(cue.name)
    extension = ", ".join(cue.extensions) if cue.extensions else None
    parenthetical: str | None = None
    said: list[str] = []
    line, dual = cue.line, cue.dual
    for part in parts:
        if isinstance(part, ftn.Parenthetical):
            if parenthetical is not None or said:
                yield Line(speaker, "\n".join(said), parenthetical, extension, dual, line)
                said, dual, line = [], False, part.line
            parenthetical = ftn.strip_notes(part.text)
        elif isinstance(part, ftn.Dialogue | ftn.Lyrics):
            # Sung lines stay with their singer; notes in dialogue are not spoken.
            said.append(ftn.strip_notes(part.text))
    yield Line(speaker, "\n".join(said), parenthetical, extension, dual, line)


def place_name(heading: str) -> str:
    """The place a heading names, upper case: ``INT. CEO OFFICE - NIGHT`` → ``CEO OFFICE``."""
    candidates = _places(heading)
    return candidates[1] if len(candidates) > 1 else candidates[0]


def _places(heading: str) -> list[str]:
    # Longest first, so "HOSPITAL - ICU" wins over "HOSPITAL" when both are known.
    text = heading.strip()
    prefix = _PLACE_PREFIX.match(text)
    rest = (text[prefix.end() :] if prefix else text).upper()
    parts = _DASH.split(rest)
    return [" - ".join(parts[:k]).strip() for k in range(len(parts), 0, -1)]


def _lookup(heading: str, places: Mapping[str, str]) -> str:
    if not heading or not places:
        return ""
    return next((places[p] for p in _places(heading) if p in places), "")
