"""The mapping between the pipeline's Script and an episode's Fountain file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cliffhanger.errors import FountainError
from cliffhanger.formats.screenplay import place_name, script_from_fountain, script_to_fountain
from cliffhanger.model import Action, BeatMarker, Line, Scene, Script, Transition

SAMPLE = Path(__file__).parent / "data" / "sample.fountain"
LOCATIONS = {"CEO OFFICE": "ceo-office", "ROOFTOP": "rooftop", "HOSPITAL - ICU": "icu"}

EPISODE = Script(
    episode=3,
    title="The Contract",
    scenes=(
        Scene(
            "",
            "",
            (
                BeatMarker("hook", "Lin is slapped at her own wedding"),
                Action("A hand cracks across LIN YUE's face."),
            ),
        ),
        Scene(
            "INT. CEO OFFICE - NIGHT",
            "ceo-office",
            (
                BeatMarker("reversal"),
                Line("GU CHEN", "Sign it.", "cold"),
                Line("LIN YUE", "Never.\n\nNot in this life.", "furious", "O.S."),
                Line("MEI", "She will.", dual=True),
                Transition("SMASH CUT TO:"),
            ),
        ),
        Scene("EXT. ROOFTOP - DAWN", "rooftop", (Action("Wind."),)),
    ),
    title_page=(("Draft date", "2024-05-01"),),
)

TWO_SPACES = "  "  # a blank line that stays inside the dialogue
EPISODE_TEXT = f"""\
Title: The CEO's Secret Wife
Episode: 3
Episode title: The Contract
Draft date: 2024-05-01

= hook: Lin is slapped at her own wedding

A hand cracks across LIN YUE's face.

INT. CEO OFFICE - NIGHT

= reversal:

GU CHEN
(cold)
Sign it.

LIN YUE (O.S.)
(furious)
Never.
{TWO_SPACES}
Not in this life.

MEI ^
She will.

SMASH CUT TO:

EXT. ROOFTOP - DAWN

Wind.
"""


def test_script_to_fountain_layout() -> None:
    text = script_to_fountain(EPISODE, series_title="The CEO's Secret Wife")
    assert text == EPISODE_TEXT
    assert text.endswith("\n") and not text.endswith("\n\n")


def test_script_to_fountain_is_deterministic_and_series_title_is_optional() -> None:
    assert script_to_fountain(EPISODE) == script_to_fountain(EPISODE)
    assert script_to_fountain(EPISODE).startswith("Episode: 3\nEpisode title: The Contract\n")


def test_script_from_fountain_reads_it_back_with_source_lines() -> None:
    script = script_from_fountain(EPISODE_TEXT, locations=LOCATIONS)
    assert script == EPISODE
    cold_open, office, roof = script.scenes
    assert (cold_open.source_line, office.source_line, roof.source_line) == (6, 10, 29)
    assert [e.source_line for e in office.elements] == [12, 14, 18, 24, 27]
    assert [e.source_line for e in cold_open.elements] == [6, 8]


def test_unknown_places_get_no_location() -> None:
    script = script_from_fountain(EPISODE_TEXT)
    assert [s.location for s in script.scenes] == ["", "", ""]


def test_hand_written_sample() -> None:
    locations = {"Grand Hotel": "hotel", "BALLROOM": "ballroom", "CAR": "car"}
    script = script_from_fountain(SAMPLE.read_text(encoding="utf-8"), locations=locations)
    assert script.episode == 7
    assert script.title == ""
    assert script.title_page == (
        ("Credit", "Written by"),
        ("Author", "Mei Chen"),
        ("Draft date", "2024-05-01"),
        ("Contact", "mei@example.com\n+1 555 0100"),
    )
    headings = [(s.heading, s.location) for s in script.scenes]
    assert headings == [
        ("", ""),
        ("EXT. GRAND HOTEL - NIGHT", "hotel"),
        ("INT. BALLROOM - CONTINUOUS", "ballroom"),
        ("FLASHBACK - THREE YEARS EARLIER", ""),
        ("int. hospital corridor - day", ""),
        ("I/E CAR - MOVING - NIGHT", "car"),
    ]
    cold_open, _, ballroom, _, corridor, _ = script.scenes
    assert cold_open.elements == (BeatMarker("hook", "Lin is slapped at her own wedding"),)
    assert ballroom.elements == (
        Action("LIN YUE, 24, in a borrowed gown, stands alone at the altar."),
        Action("THE DOOR SLAMS OPEN."),
        Line(
            "MADAM ZHAO",
            "You thought you could marry into *my* family?\n\nA nobody like you?",
            "furious",
        ),
        Line("LIN YUE", "Three years ago, I would have cried.", "whispering", "V.O."),
        Line("McCLANE", "Yippee ki-yay."),
        Line("BROTHER ONE", "Get out!"),
        Line("BROTHER TWO", "Get out!", dual=True),
        Line("GUEST", "Here comes the bride\nAll dressed in white", extension="O.S., CONT'D"),
        Action("He sneaks a look at the doors."),  # the inline note is gone
        Transition("SMASH CUT TO:"),
    )
    assert corridor.elements == (
        Action("A contract, **\\*signed\\*** in _blood_."),
        Transition("Burn to white."),
        Action("THREE YEARS LATER"),  # centered text
        BeatMarker("cliffhanger", "the door opens and *he* walks in"),
    )


def test_several_parentheticals_make_several_lines_of_one_speaker() -> None:
    text = "Episode: 1\n\nINT. HALL\n\nLIN (V.O.) ^\n(softly)\nStay.\n(beat)\n(then, cold)\nGo.\n"
    (scene,) = script_from_fountain(text).scenes
    assert scene.elements == (
        Line("LIN", "Stay.", "softly", "V.O.", dual=True),
        Line("LIN", "", "beat", "V.O."),
        Line("LIN", "Go.", "then, cold", "V.O."),
    )
    assert [e.source_line for e in scene.elements] == [5, 8, 9]


def test_elements_with_no_place_in_a_script_are_dropped_or_become_action() -> None:
    text = (
        "INT. HALL\n\n# Act two\n\n[[fix]]\n\n/* gone\n\nLIN\nHi. */\n\n===\n\n"
        "~La la la\n\n> THE END <\n\nSo [[really]] quiet.\n"
    )
    (scene,) = script_from_fountain(text, episode=2).scenes
    assert scene.elements == (Action("La la la"), Action("THE END"), Action("So quiet."))


def test_notes_are_not_spoken() -> None:
    text = "INT. HALL\n\nLIN\nHello [[louder]] there.\n[[cut?]]\nBye.\n"
    (scene,) = script_from_fountain(text, episode=1).scenes
    assert scene.elements == (Line("LIN", "Hello there.\nBye."),)


def test_synopsis_without_a_kind() -> None:
    (scene,) = script_from_fountain("= Lin learns the truth\n", episode=1).scenes
    assert scene.elements == (BeatMarker("", "Lin learns the truth"),)


def test_a_file_with_only_notes_before_the_first_heading_has_no_cold_open() -> None:
    script = script_from_fountain("# Act one\n\n[[note]]\n\nINT. HALL\n\nWind.\n", episode=1)
    assert [s.heading for s in script.scenes] == ["INT. HALL"]


@pytest.mark.parametrize(
    ("text", "episode", "expected"),
    [
        ("Episode: 12\n\nINT. HALL\n", None, 12),
        ("Episode: 12\n\nINT. HALL\n", 4, 12),  # the file wins
        ("INT. HALL\n", 4, 4),
        ("Title: Series\n\nINT. HALL\n", 5, 5),
    ],
)
def test_episode_number(text: str, episode: int | None, expected: int) -> None:
    assert script_from_fountain(text, episode=episode).episode == expected


def test_missing_episode_number_names_the_file() -> None:
    with pytest.raises(FountainError, match="Episode") as caught:
        script_from_fountain("INT. HALL\n\nWind.\n", path="scripts/ep004.fountain")
    assert caught.value.path == Path("scripts/ep004.fountain")


def test_episode_that_is_not_a_number_names_its_line() -> None:
    with pytest.raises(FountainError, match="whole number") as caught:
        script_from_fountain("Title: X\nEpisode: three\n\nINT. HALL\n", path="ep.fountain")
    assert (caught.value.path, caught.value.line) == (Path("ep.fountain"), 2)


def test_fountain_errors_carry_the_path() -> None:
    with pytest.raises(FountainError) as caught:
        script_from_fountain("Episode: 1\n\n/* never closed\n", path="ep.fountain")
    assert (caught.value.path, caught.value.line) == (Path("ep.fountain"), 3)


@pytest.mark.parametrize(
    ("script", "complaint"),
    [
        (Script(1, "", (Scene("INT. A", ""), Scene("", "", (Action("x"),)))), "no heading"),
        (Script(1, "", (Scene("", ""),)), "no heading"),
        (Script(1, "", (), (("Episode", "2"),)), "reserved"),
        (Script(1, "", (Scene("INT. A", "", (Action("a [[note]]"),)),)), "note"),
        (Script(1, "", (Scene("INT. A", "", (BeatMarker("a:b"),)),)), "':'"),
        (Script(1, "", (Scene("INT. A", "", (Line("LIN", "(laughs)"),)),)), "Parenthetical"),
    ],
)
def test_scripts_that_would_not_read_back_are_refused(script: Script, complaint: str) -> None:
    with pytest.raises(ValueError, match=re.escape(complaint)):
        script_to_fountain(script)


@pytest.mark.parametrize(
    ("heading", "place"),
    [
        ("INT. CEO OFFICE - NIGHT", "CEO OFFICE"),
        ("ext. rooftop - dawn", "ROOFTOP"),
        ("INT./EXT. CAR - MOVING - DAY", "CAR - MOVING"),
        ("I/E ELEVATOR", "ELEVATOR"),
        ("INT.LOBBY – DAY", "LOBBY"),
        ("FLASHBACK", "FLASHBACK"),
    ],
)
def test_place_name(heading: str, place: str) -> None:
    assert place_name(heading) == place


def test_longest_known_place_wins() -> None:
    text = "Episode: 1\n\nINT. HOSPITAL - ICU - NIGHT\n\nINT. HOSPITAL - LOBBY - DAY\n"
    locations = {"HOSPITAL": "hospital", "hospital - icu": "icu"}
    script = script_from_fountain(text, locations=locations)
    assert [s.location for s in script.scenes] == ["icu", "hospital"]


# --- property: any script the writer accepts reads back the same -----------------------

FRAGMENTS = [
    "INT. ",
    "EXT ",
    "CUT TO:",
    "TO:",
    "LIN YUE",
    "(V.O.)",
    "^",
    "@",
    "!",
    "#",
    "=",
    "===",
    "~",
    ">",
    "<",
    ".",
    "...",
    "*",
    "**",
    "_",
    "\\",
    ":",
    "Title:",
    "Episode:",
    "(",
    ")",
    " ",
    "\t",
    "李月",
    "你好。",
    "🎬",
    "ß",
]
words = st.text(alphabet=st.characters(categories=["L", "N"]), min_size=1, max_size=6)
raw = st.lists(st.one_of(st.sampled_from(FRAGMENTS), words), min_size=1, max_size=5).map("".join)
one_line = raw.map(str.strip)
word_line = one_line.filter(bool)
said_line = word_line.filter(
    lambda t: not (t.startswith("(") and t.endswith(")")) and not t.startswith("~")
)
no_parens = one_line.filter(lambda t: "(" not in t and ")" not in t)


def multi(line: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.lists(line | st.just(""), min_size=1, max_size=3).map("\n".join)


indented = st.tuples(st.sampled_from(["", "  ", "\t"]), word_line).map("".join)
action = st.builds(
    Action,
    st.tuples(indented, multi(indented) | st.just("")).map(lambda p: "\n".join(p).rstrip("\n")),
)
line = st.builds(
    Line,
    word_line.filter(lambda t: "(" not in t and not t.endswith("^")),
    multi(said_line) | st.just(""),
    st.none() | one_line,
    st.none() | no_parens,
    st.booleans(),
)
beat = st.builds(BeatMarker, one_line.filter(lambda t: ":" not in t), one_line)
transition = st.builds(Transition, one_line.filter(lambda t: not t.endswith("<")))
scene_elements = st.lists(st.one_of(action, line, beat, transition), max_size=6).map(tuple)
known = st.sampled_from([*LOCATIONS.items(), ("BASEMENT", "")])
known_scene = st.builds(
    lambda place, time, body: Scene(f"INT. {place[0]} - {time}", place[1], body),
    known,
    st.sampled_from(["DAY", "NIGHT", "CONTINUOUS"]),
    scene_elements,
)
odd_heading = st.tuples(st.sampled_from(["EXT. ", "I/E ", "Flashback ", "李"]), one_line).map(
    lambda p: (p[0] + p[1]).strip()
)
odd_scene = st.builds(
    Scene, odd_heading.filter(lambda h: not h.endswith("#")), st.just(""), scene_elements
)
cold_open = st.builds(Scene, st.just(""), st.just(""), scene_elements.filter(bool))
scenes = st.tuples(
    st.lists(cold_open, max_size=1), st.lists(known_scene | odd_scene, max_size=4)
).map(lambda p: tuple(p[0] + p[1]))
extra_key = st.from_regex(re.compile(r"[A-Z][a-z]{1,8}( [a-z]{1,6})?"), fullmatch=True).filter(
    lambda k: k.casefold() not in {"title", "episode", "episode title"}
)
scripts = st.builds(
    Script,
    st.integers(-3, 10_000),
    multi(word_line).map(str.strip),
    scenes,
    st.lists(st.tuples(extra_key, multi(word_line).map(str.strip)), max_size=3).map(tuple),
)


@settings(max_examples=100, deadline=None)
@given(scripts, st.sampled_from(["", "The CEO's Secret Wife"]))
def test_script_round_trip(script: Script, series_title: str) -> None:
    text = script_to_fountain(script, series_title=series_title)
    assert script_from_fountain(text, locations=LOCATIONS) == script
