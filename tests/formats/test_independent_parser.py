"""Our Fountain output read by parsers we did not write: screenplain and jouvence.

Both are independent implementations of the spec; if they read our scripts as we meant
them, so will screenwriting apps. jouvence 0.4.2 does not know dual dialogue (``^``) and
drops the two-space blank line inside dialogue, so its checks use a script without dual
dialogue and compare dialogue without blank lines.
"""

from __future__ import annotations

import dataclasses
import io
from typing import Any

from jouvence.document import (
    TYPE_CHARACTER,
    TYPE_DIALOG,
    TYPE_PARENTHETICAL,
    TYPE_SYNOPSIS,
    TYPE_TRANSITION,
)
from jouvence.parser import JouvenceParser
from screenplain.parsers import fountain as screenplain_fountain
from screenplain.types import Dialog, DualDialog, Slug
from screenplain.types import Transition as ScreenplainTransition

from cliffhanger.formats.screenplay import script_to_fountain
from cliffhanger.model import Action, BeatMarker, Line, Scene, Script, Transition

EPISODE = Script(
    episode=12,
    title="The Contract",
    scenes=(
        Scene(
            "",
            "",
            (
                BeatMarker("hook", "Lin is slapped at her own wedding"),
                Action("A hand cracks across LIN YUE's face. The guests gasp."),
                Line("MADAM ZHAO", "You are nobody.", "sneering"),
            ),
        ),
        Scene(
            "INT. CEO OFFICE - NIGHT",
            "ceo-office",
            (
                BeatMarker("reversal", "the contract is a trap"),
                Action("GU CHEN slides a contract across the desk."),
                Line("GU CHEN", "Sign it.\nTonight.", "cold"),
                Line("LIN YUE", "Never.\n\nNot in this life.", "furious", "O.S."),
                Line("LIN YUE", "I know what you did.", "whispering", "V.O."),
                Line("GU CHEN", "Then you know too much."),
                Line("ASSISTANT", "Sir, the board is here!", None, None, dual=True),
                Transition("SMASH CUT TO:"),
            ),
        ),
        Scene(
            "EXT. ROOFTOP - DAWN",
            "rooftop",
            (
                Action("Wind. LIN YUE stands at the edge."),
                Line("MEI", "Don't do it!", "shouting", "O.S."),
                BeatMarker("cliffhanger", "a hand grabs Lin from behind"),
                Transition("CUT TO:"),
            ),
        ),
    ),
)


def expected_headings(script: Script) -> list[str]:
    return [scene.heading for scene in script.scenes if scene.heading]


def expected_lines(script: Script) -> list[Line]:
    return [line for scene in script.scenes for line in scene.lines]


def cue(line: Line) -> str:
    return line.speaker + (f" ({line.extension})" if line.extension else "")


# --- screenplain -----------------------------------------------------------------------


def screenplain_read(script: Script) -> Any:
    text = script_to_fountain(script, series_title="The CEO's Secret Wife")
    return screenplain_fountain.parse(io.StringIO(text))


def screenplain_dialogue(paragraphs: list[Any]) -> list[tuple[Any, bool]]:
    """Every Dialog in order, with whether it is the right side of a dual dialogue."""
    out: list[tuple[Any, bool]] = []
    for p in paragraphs:
        if isinstance(p, DualDialog):
            out += [(p.left, False), (p.right, True)]
        elif isinstance(p, Dialog):
            out.append((p, False))
    return out


def test_screenplain_reads_the_title_page() -> None:
    page = screenplain_read(EPISODE).title_page
    assert page["Title"] == ["The CEO's Secret Wife"]
    assert page["Episode"] == ["12"]
    assert page["Episode title"] == ["The Contract"]


def test_screenplain_reads_scene_headings_and_transitions() -> None:
    paragraphs = screenplain_read(EPISODE).paragraphs
    slugs = [str(p.line) for p in paragraphs if isinstance(p, Slug)]
    assert slugs == expected_headings(EPISODE)
    transitions = [str(p.line) for p in paragraphs if isinstance(p, ScreenplainTransition)]
    assert transitions == ["SMASH CUT TO:", "CUT TO:"]


def test_screenplain_reads_speakers_parentheticals_and_dialogue() -> None:
    read = screenplain_dialogue(screenplain_read(EPISODE).paragraphs)
    wanted = expected_lines(EPISODE)
    assert len(read) == len(wanted)
    for (dialog, right_of_dual), line in zip(read, wanted, strict=True):
        assert str(dialog.character) == cue(line)
        blocks = [(is_paren, str(text)) for is_paren, text in dialog.blocks]
        expected = [(True, f"({line.parenthetical})")] if line.parenthetical else []
        expected += [(False, said) for said in line.text.split("\n")]
        assert blocks == expected
        assert right_of_dual == line.dual


def test_screenplain_attaches_a_synopsis_under_a_heading() -> None:
    slugs = [p for p in screenplain_read(EPISODE).paragraphs if isinstance(p, Slug)]
    assert slugs[0].synopsis == "reversal: the contract is a trap"


# --- jouvence --------------------------------------------------------------------------

NO_DUAL = dataclasses.replace(
    EPISODE,
    scenes=tuple(
        dataclasses.replace(
            scene,
            elements=tuple(
                e.with_(dual=False) if isinstance(e, Line) else e for e in scene.elements
            ),
        )
        for scene in EPISODE.scenes
    ),
)


def jouvence_read(script: Script) -> Any:
    return JouvenceParser().parseString(script_to_fountain(script))


def test_jouvence_reads_title_page_and_scene_headings() -> None:
    doc = jouvence_read(NO_DUAL)
    assert doc.title_values["episode"] == "12"
    assert doc.title_values["episode title"] == "The Contract"
    assert [s.header for s in doc.scenes if s.header] == expected_headings(NO_DUAL)


def test_jouvence_reads_speakers_parentheticals_dialogue_synopses_and_transitions() -> None:
    doc = jouvence_read(NO_DUAL)
    kinds = {TYPE_CHARACTER, TYPE_PARENTHETICAL, TYPE_DIALOG, TYPE_SYNOPSIS, TYPE_TRANSITION}
    read = [(p.type, p.text) for s in doc.scenes for p in s.paragraphs if p.type in kinds]
    expected: list[tuple[int, str]] = []
    for scene in NO_DUAL.scenes:
        for e in scene.elements:
            if isinstance(e, BeatMarker):
                expected.append((TYPE_SYNOPSIS, f"{e.kind}: {e.summary}"))
            elif isinstance(e, Transition):
                expected.append((TYPE_TRANSITION, e.text))
            elif isinstance(e, Line):
                expected.append((TYPE_CHARACTER, cue(e)))
                if e.parenthetical:
                    expected.append((TYPE_PARENTHETICAL, f"({e.parenthetical})"))
                said = "\n".join(part for part in e.text.split("\n") if part)
                expected.append((TYPE_DIALOG, said))
    assert read == expected


# --- a Chinese script: caseless cues are forced with "@", and both parsers take them ----

CHINESE = Script(
    episode=1,
    title="契约",
    scenes=(
        Scene(
            "INT. 总裁办公室 - 夜",
            "",
            (
                Line("顾辰", "签字。", "冷冷地"),
                Line("林月", "休想！", None, "V.O."),
            ),
        ),
    ),
)


def test_screenplain_reads_chinese_cues() -> None:
    read = screenplain_dialogue(screenplain_read(CHINESE).paragraphs)
    assert [(str(d.character), [str(t) for _, t in d.blocks]) for d, _ in read] == [
        ("顾辰", ["(冷冷地)", "签字。"]),
        ("林月 (V.O.)", ["休想！"]),
    ]


def test_jouvence_reads_chinese_cues() -> None:
    (scene,) = jouvence_read(CHINESE).scenes
    assert scene.header == "INT. 总裁办公室 - 夜"
    assert [(p.type, p.text) for p in scene.paragraphs] == [
        (TYPE_CHARACTER, "顾辰"),
        (TYPE_PARENTHETICAL, "(冷冷地)"),
        (TYPE_DIALOG, "签字。"),
        (TYPE_CHARACTER, "林月 (V.O.)"),
        (TYPE_DIALOG, "休想！"),
    ]
