"""Reading Fountain: every element of the syntax, from hand-written text."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cliffhanger.errors import FountainError
from cliffhanger.formats.fountain import (
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
    Run,
    SceneHeading,
    Section,
    Synopsis,
    TitleField,
    TitlePage,
    Transition,
    parse,
    parse_emphasis,
    plain_text,
    strip_notes,
)

SAMPLE = Path(__file__).parent / "data" / "sample.fountain"


def body(text: str) -> tuple[Element, ...]:
    doc = parse(text)
    assert doc.title_page is None
    return doc.elements


# --- the sample screenplay, which uses every feature -------------------------------------


def test_sample_title_page_keeps_keys_in_order_with_multi_line_values() -> None:
    page = parse(SAMPLE.read_text(encoding="utf-8")).title_page
    assert page == TitlePage(
        (
            TitleField("Title", "_**THE CEO'S SECRET WIFE**_\nA micro drama"),
            TitleField("Credit", "Written by"),
            TitleField("Author", "Mei Chen"),
            TitleField("Episode", "7"),
            TitleField("Draft date", "2024-05-01"),
            TitleField("Contact", "mei@example.com\n+1 555 0100"),
        )
    )
    assert page.line == 1
    assert [e.line for e in page.entries] == [1, 4, 5, 6, 7, 8]
    assert page.get("draft DATE") == TitleField("Draft date", "2024-05-01")
    assert page.get("Producer") is None


def test_sample_elements() -> None:
    doc = parse(SAMPLE.read_text(encoding="utf-8"), SAMPLE)
    assert doc.elements == (
        Section("Act one", 1),
        Section("The wedding", 2),
        Synopsis("hook: Lin is slapped at her own wedding"),
        SceneHeading("EXT. GRAND HOTEL - NIGHT", "1"),
        Action(
            "Rain hammers the red carpet.  Flashbulbs pop.\n\tA bellboy shelters under the awning."
        ),
        SceneHeading("INT. BALLROOM - CONTINUOUS", "1A"),
        Action("LIN YUE, 24, in a borrowed gown, stands alone at the altar."),
        Action("THE DOOR SLAMS OPEN.", forced=True),
        Character("MADAM ZHAO"),
        Parenthetical("furious"),
        Dialogue("You thought you could marry into *my* family?\n\nA nobody like you?"),
        Character("LIN YUE", ("V.O.",)),
        Parenthetical("whispering"),
        Dialogue("Three years ago, I would have cried."),
        Character("McCLANE", forced=True),
        Dialogue("Yippee ki-yay."),
        Character("BROTHER ONE"),
        Dialogue("Get out!"),
        Character("BROTHER TWO", dual=True),
        Dialogue("Get out!"),
        Character("GUEST", ("O.S.", "CONT'D")),
        Lyrics("Here comes the bride"),
        Lyrics("All dressed in white"),
        Action("He sneaks a look at [[check the guest count]] the doors."),
        Note("Director: hold on Lin's face\n\nfor three full seconds."),
        Boneyard(" Old version of the slap:\nMADAM ZHAO slaps her twice.\n\nLin falls. "),
        Transition("SMASH CUT TO:"),
        SceneHeading("FLASHBACK - THREE YEARS EARLIER", forced=True),
        SceneHeading("int. hospital corridor - day"),
        Action("A contract, **\\*signed\\*** in _blood_."),
        Transition("Burn to white.", forced=True),
        Action("THREE YEARS LATER", centered=True),
        PageBreak(),
        Synopsis("cliffhanger: the door opens and *he* walks in"),
        SceneHeading("I/E CAR - MOVING - NIGHT"),
        Transition("FADE TO:"),
    )


def test_sample_records_source_lines_and_forcing_markers() -> None:
    elements = parse(SAMPLE.read_text(encoding="utf-8")).elements
    lines = {
        type(e).__name__ + ":" + getattr(e, "text", getattr(e, "name", "")): e.line
        for e in elements
    }
    assert lines["SceneHeading:EXT. GRAND HOTEL - NIGHT"] == 18
    assert lines["Character:MADAM ZHAO"] == 29
    assert lines["Parenthetical:furious"] == 30
    assert (
        lines["Boneyard: Old version of the slap:\nMADAM ZHAO slaps her twice.\n\nLin falls. "]
        == 58
    )
    assert lines["Transition:FADE TO:"] == 81
    forced = [e for e in elements if getattr(e, "forced", False)]
    assert [type(e).__name__ for e in forced] == [
        "Action",
        "Character",
        "SceneHeading",
        "Transition",
    ]


# --- scene headings --------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "INT. HOUSE - DAY",
        "EXT. ROOF - NIGHT",
        "EST. CITY SKYLINE",
        "INT./EXT. CAR - MOVING",
        "INT/EXT CAR",
        "I/E CAR",
        "int house - day",
        "Ext. garden",
    ],
)
def test_scene_heading_prefixes_in_any_case(line: str) -> None:
    assert body(f"Before.\n\n{line}\n\nAfter.")[1] == SceneHeading(line)


@pytest.mark.parametrize("line", ["INTERIOR HOUSE", "EXTRA PEOPLE ENTER.", "INT", "ESTATE SALE."])
def test_words_that_only_start_like_headings_are_not_headings(line: str) -> None:
    assert body(f"{line}\n") == (Action(line),)


def test_scene_heading_needs_a_blank_line_before_it() -> None:
    assert body("Lin runs.\nINT. HOUSE - DAY\n") == (Action("Lin runs.\nINT. HOUSE - DAY"),)


def test_scene_heading_with_action_right_under_it() -> None:
    assert body("INT. HOUSE - DAY\nLin waits.\n") == (
        SceneHeading("INT. HOUSE - DAY"),
        Action("Lin waits."),
    )


@pytest.mark.parametrize(
    ("line", "text", "number"),
    [
        ("INT. HOUSE - DAY #1#", "INT. HOUSE - DAY", "1"),
        ("INT. HOUSE - DAY #1A#", "INT. HOUSE - DAY", "1A"),
        ("EXT. ROOF #I-1-A#", "EXT. ROOF", "I-1-A"),
        ("EXT. ROOF #110.#", "EXT. ROOF", "110."),
        ("EXT. ROOF #not a number#", "EXT. ROOF #not a number#", None),
    ],
)
def test_scene_numbers(line: str, text: str, number: str | None) -> None:
    assert body(line) == (SceneHeading(text, number),)


def test_forced_scene_heading_but_not_an_ellipsis() -> None:
    heading = body(".BINOCULARS VIEW\n")[0]
    assert heading == SceneHeading("BINOCULARS VIEW")
    assert isinstance(heading, SceneHeading) and heading.forced
    assert body("...and then silence.\n") == (Action("...and then silence."),)


# --- action ----------------------------------------------------------------------------


def test_action_keeps_line_breaks_tabs_and_indentation() -> None:
    text = "She types\n\tDELETE ALL\n    and waits.\n"
    assert body(text) == (Action("She types\n\tDELETE ALL\n    and waits."),)


def test_blank_lines_split_action_and_two_spaces_keep_it_together() -> None:
    assert body("One.\n\nTwo.\n") == (Action("One."), Action("Two."))
    assert body("One.\n  \nTwo.\n") == (Action("One.\n\nTwo."),)


def test_forced_action_with_bang() -> None:
    (action,) = body("!SCANNING THE AISLES...\nNothing.\n")
    assert action == Action("SCANNING THE AISLES...\nNothing.")
    assert isinstance(action, Action) and action.forced


def test_all_caps_line_alone_is_action_not_a_cue() -> None:
    assert body("Before.\n\nBOOM.\n\nAfter.\n")[1] == Action("BOOM.")


def test_centered_text() -> None:
    assert body("> THE END <\n") == (Action("THE END", centered=True),)
    assert body(">   FIN   <\n") == (Action("FIN", centered=True),)


# --- characters and dialogue -----------------------------------------------------------


def test_character_dialogue_and_parenthetical() -> None:
    assert body("LIN YUE\n(coldly)\nGet out.\n") == (
        Character("LIN YUE"),
        Parenthetical("coldly"),
        Dialogue("Get out."),
    )


def test_character_needs_a_blank_line_before_and_a_line_under_it() -> None:
    assert body("He turns.\nLIN\nGet out.\n") == (Action("He turns.\nLIN\nGet out."),)
    assert body("LIN\n\nGet out.\n") == (Action("LIN"), Action("Get out."))


@pytest.mark.parametrize(
    ("cue", "expected"),
    [
        ("R2D2", Character("R2D2")),
        ("HANS (on the radio)", Character("HANS", ("on the radio",))),
        ("LIN (V.O.) (CONT'D)", Character("LIN", ("V.O.", "CONT'D"))),
        ("  MEI  ", Character("MEI")),
        ("@McCLANE", Character("McCLANE")),
        ("@林月", Character("林月")),
        ("MEI ^", Character("MEI", dual=True)),
        ("MEI (O.S.)^", Character("MEI", ("O.S.",), dual=True)),
    ],
)
def test_character_cues(cue: str, expected: Character) -> None:
    assert body(f"{cue}\nHello.\n")[0] == expected


@pytest.mark.parametrize("line", ["23", "McClane", "林月", "(V.O.)"])
def test_lines_that_are_not_cues(line: str) -> None:
    assert body(f"{line}\nHello.\n") == (Action(f"{line}\nHello."),)


def test_dialogue_line_breaks_and_two_space_blank_line() -> None:
    assert body("MEI\nFirst line.\nSecond line.\n  \nAfter a pause.\n") == (
        Character("MEI"),
        Dialogue("First line.\nSecond line.\n\nAfter a pause."),
    )


def test_parentheticals_split_dialogue_and_indentation_is_ignored() -> None:
    text = "\tMEI\n\t\t(sobbing)\n\tI can't.\n\t\t(beat)\n\tI won't.\n"
    assert body(text) == (
        Character("MEI"),
        Parenthetical("sobbing"),
        Dialogue("I can't."),
        Parenthetical("beat"),
        Dialogue("I won't."),
    )


def test_dual_dialogue() -> None:
    assert body("BRICK\nScrew retirement.\n\nSTEEL ^\nScrew retirement.\n") == (
        Character("BRICK"),
        Dialogue("Screw retirement."),
        Character("STEEL", dual=True),
        Dialogue("Screw retirement."),
    )


def test_lyrics_inside_and_outside_dialogue() -> None:
    assert body("WONKA\n~Come with me\nSpoken.\n\n~And you'll be\n") == (
        Character("WONKA"),
        Lyrics("Come with me"),
        Dialogue("Spoken."),
        Lyrics("And you'll be"),
    )


# --- transitions -----------------------------------------------------------------------


def test_transition_needs_blank_lines_around_it() -> None:
    assert body("Lin falls.\n\nCUT TO:\n\nINT. HOUSE\n")[1] == Transition("CUT TO:")
    assert body("Lin falls.\nCUT TO:\n") == (Action("Lin falls.\nCUT TO:"),)
    assert body("Lin falls.\n\nCut to:\n")[1] == Action("Cut to:")


def test_forced_transition() -> None:
    (transition,) = body("> Burn to White.\n")
    assert transition == Transition("Burn to White.")
    assert isinstance(transition, Transition) and transition.forced


# --- notes, boneyard, sections, synopses, page breaks ----------------------------------


def test_notes_standalone_and_inline() -> None:
    assert body("[[Check continuity.]]\n") == (Note("Check continuity."),)
    assert body("He waits [[how long?]] then leaves.\n") == (
        Action("He waits [[how long?]] then leaves."),
    )
    assert body("MEI\nHello [[louder]] there.\n")[1] == Dialogue("Hello [[louder]] there.")


def test_multi_line_note_with_connected_blank_line() -> None:
    assert body("[[First thought\n  \nsecond thought]]\n") == (
        Note("First thought\n\nsecond thought"),
    )


def test_boneyard_spans_blank_lines_and_hides_what_is_inside() -> None:
    text = "Kept.\n\n/*\nINT. CUT SCENE\n\nMEI\nGone.\n*/\n\nAlso kept.\n"
    assert body(text) == (
        Action("Kept."),
        Boneyard("\nINT. CUT SCENE\n\nMEI\nGone.\n"),
        Action("Also kept."),
    )
    assert body("He /* slowly */ turns.\n") == (Action("He /* slowly */ turns."),)


def test_sections_and_synopses() -> None:
    assert body("# Act one\n\n### The slap\n\n= Lin is humiliated.\n") == (
        Section("Act one", 1),
        Section("The slap", 3),
        Synopsis("Lin is humiliated."),
    )


def test_page_break() -> None:
    assert body("End of page.\n\n===\n\nNew page.\n")[1] == PageBreak()
    assert body("======\n") == (PageBreak(),)


# --- title page, line endings ----------------------------------------------------------


def test_title_page_inline_and_indented_values() -> None:
    doc = parse("Title: The Contract\nAuthors:\n\tMei Chen\n   Bo Li\n\nINT. OFFICE - DAY\n")
    assert doc.title_page == TitlePage(
        (TitleField("Title", "The Contract"), TitleField("Authors", "Mei Chen\nBo Li"))
    )
    assert doc.elements == (SceneHeading("INT. OFFICE - DAY"),)


def test_no_title_page_when_the_first_line_is_not_a_key() -> None:
    assert parse("INT. OFFICE: NIGHT\n\nLin waits.\n").title_page is None


def test_windows_line_endings_and_byte_order_mark() -> None:
    doc = parse("\ufeffTitle: X\r\n\r\nMEI\r\nHi.\r\n")
    assert doc == Document(
        (Character("MEI"), Dialogue("Hi.")), TitlePage((TitleField("Title", "X"),))
    )


def test_empty_text_is_an_empty_document() -> None:
    assert parse("") == Document()
    assert parse("\n\n   \n  \n") == Document()


# --- errors name the file and the line -------------------------------------------------


def test_unterminated_boneyard_names_file_and_opening_line() -> None:
    with pytest.raises(FountainError) as caught:
        parse("INT. HOUSE\n\nLin waits.\n\n/* cut from here\n\nto the end\n", "ep001.fountain")
    assert caught.value.path == Path("ep001.fountain")
    assert caught.value.line == 5
    assert str(caught.value).startswith("ep001.fountain:5: ")
    assert "*/" in str(caught.value)


def test_unterminated_note_names_file_and_opening_line() -> None:
    with pytest.raises(FountainError) as caught:
        parse("INT. HOUSE\n\nLin waits [[fix this\nlater.\n\nMore.\n", Path("s/ep2.fountain"))
    assert (caught.value.path, caught.value.line) == (Path("s/ep2.fountain"), 3)
    assert "]]" in caught.value.message


def test_inline_boneyard_cannot_cross_a_blank_line() -> None:
    with pytest.raises(FountainError) as caught:
        parse("Lin /* cut\n\nthis */ waits.\n", "a.fountain")
    assert caught.value.line == 1


def test_malformed_title_page_key() -> None:
    with pytest.raises(FountainError) as caught:
        parse("Title: The Contract\nwritten by Mei\n\nINT. HOUSE\n", "ep.fountain")
    assert caught.value.line == 2
    assert "Key: value" in caught.value.message


# --- emphasis and notes inside text ----------------------------------------------------


def test_emphasis_runs() -> None:
    assert parse_emphasis("a *b* **c** ***d*** _e_") == (
        Run("a "),
        Run("b", italic=True),
        Run(" "),
        Run("c", bold=True),
        Run(" "),
        Run("d", bold=True, italic=True),
        Run(" "),
        Run("e", underline=True),
    )


def test_emphasis_nests_and_combines_with_underline() -> None:
    assert parse_emphasis("_**Bold** text_") == (
        Run("Bold", bold=True, underline=True),
        Run(" text", underline=True),
    )
    assert parse_emphasis("**bold *and italic***") == (
        Run("bold ", bold=True),
        Run("and italic", bold=True, italic=True),
    )


@pytest.mark.parametrize(
    ("text", "plain"),
    [
        ("He dialed *69 and hung up.", "He dialed *69 and hung up."),
        ("Steel enters **\\*9765\\***.", "Steel enters *9765*."),
        ("snake_case_name", "snake_case_name"),
        ("* not * emphasis", "* not * emphasis"),
        ("*no\nspan*", "*no\nspan*"),
        ("a \\_b\\_ c", "a _b_ c"),
        ("***a** b*", "a b"),
        ("****", "****"),
    ],
)
def test_emphasis_edge_cases(text: str, plain: str) -> None:
    assert plain_text(text) == plain


def test_escaped_markers_are_plain_runs() -> None:
    assert parse_emphasis("**\\*9765\\***") == (Run("*9765*", bold=True),)


def test_runs_may_be_used_in_part() -> None:
    assert parse_emphasis("***a** b*") == (
        Run("a", bold=True, italic=True),
        Run(" b", italic=True),
    )
    assert parse_emphasis("***a**") == (Run("*"), Run("a", bold=True))


def test_strip_notes_removes_notes_and_boneyard() -> None:
    assert strip_notes("He waits [[how long?]] and leaves.") == "He waits and leaves."
    assert strip_notes("Hello.\n[[louder]]\nBye.") == "Hello.\nBye."
    assert strip_notes("A /* cut\nacross */ B") == "A B"
    assert strip_notes("[[only a note]]") == ""
    assert strip_notes("Untouched  spacing.\n\n") == "Untouched  spacing.\n\n"


plain_words = st.text(
    alphabet=st.characters(categories=["L", "N", "P", "Zs"], exclude_characters="*_\\"),
    min_size=1,
    max_size=20,
).filter(lambda t: t == t.strip())


@settings(max_examples=100, deadline=None)
@given(plain_words)
def test_text_without_markers_is_one_plain_run(text: str) -> None:
    assert parse_emphasis(text) == (Run(text),)


@settings(max_examples=100, deadline=None)
@given(plain_words, st.sampled_from(["*", "**", "***", "_"]))
def test_wrapped_text_takes_the_marker_style(text: str, marker: str) -> None:
    (run,) = parse_emphasis(f"{marker}{text}{marker}")
    assert run.text == text
    assert (run.bold, run.italic, run.underline) == {
        "*": (False, True, False),
        "**": (True, False, False),
        "***": (True, True, False),
        "_": (False, False, True),
    }[marker]
