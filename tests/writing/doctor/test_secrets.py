from __future__ import annotations

from cliffhanger.model import BeatMarker, Line, Script, Secret
from cliffhanger.writing.doctor import names_secret, secret_phrases
from tests.writing.doctor import kit

NAMES = [c.name for c in kit.bible().characters]
POISON = kit.bible().secret("poison")
ACCUSATION = "You poisoned Grandpa with the jade tonic!"


def test_phrases_are_distinctive_word_groups_never_character_names() -> None:
    assert secret_phrases(POISON, NAMES) == ["poisoned grandpa", "jade tonic"]
    swapped = Secret(
        id="s",
        holder="ethan",
        text="Ethan's real mother is Countess Ada Voss; he was swapped at birth in Zurich.",
        revealed_in=9,
    )
    phrases = secret_phrases(swapped, NAMES)
    assert "real mother" in phrases and "swapped at birth" in phrases
    assert {"countess ada", "ada voss", "birth in zurich"} <= set(phrases)
    assert "zurich" not in phrases  # a proper noun inside a longer phrase is the same handle
    assert names_secret("Countess Ada Voss is here.", phrases) == []
    assert not any("ethan" in p for p in phrases)


def test_a_text_names_the_secret_with_two_independent_phrases() -> None:
    phrases = secret_phrases(POISON, NAMES)
    assert names_secret(ACCUSATION, phrases) == ["poisoned grandpa", "jade tonic"]
    assert names_secret("Grandpa loved his jade tonic.", phrases) == []
    spy = Secret(id="d", holder="ethan", text="Ethan spies for the Blood Moon pack leader",
                 revealed_in=5)  # fmt: skip
    spy_phrases = secret_phrases(spy, NAMES)
    assert spy_phrases == ["blood moon", "moon pack", "pack leader"]
    assert names_secret("The Blood Moon pack leader is at the gate!", spy_phrases) == []
    royal = Secret(id="m", holder="ethan", text="Lin Yue is the lost daughter of the Moon King",
                   revealed_in=5)  # fmt: skip
    royal_phrases = secret_phrases(royal, NAMES)
    assert royal_phrases == ["lost daughter", "moon king"]
    assert names_secret("The Moon King is dead.", royal_phrases) == []
    assert names_secret("You are the Moon King's lost daughter!", royal_phrases) == [
        "lost daughter",
        "moon king",
    ]


def _accuse(n: int, cue: str) -> Script:
    line = Line(cue, ACCUSATION, "furious", source_line=700)
    return kit.put(kit.episode(n), 1, 6, line)


def test_a_line_that_names_a_secret_before_it_is_revealed() -> None:
    scripts = kit.with_episode(kit.series(), _accuse(2, "LIN YUE"))
    found = kit.run(scripts, kit.outline()).findings
    assert [f.code for f in found] == ["secret-early"]
    f = found[0]
    assert (f.severity, f.episode, f.scene, f.line) == ("error", 2, 2, 700)
    assert "Lin Yue does not know it" in f.message
    assert "'poison'" in f.message and "episode 3" in f.message


def test_holders_may_speak_of_it_and_anyone_may_once_it_is_out() -> None:
    holder = kit.with_episode(kit.series(), _accuse(1, "VIVIAN BLAKE"))
    assert kit.run(holder, kit.outline()).findings == ()
    on_time = kit.with_episode(kit.series(), _accuse(3, "LIN YUE"))
    assert kit.run(on_time, kit.outline()).findings == ()
    assert kit.run(on_time).findings == ()  # out in episode 3, whoever learned it


def test_someone_told_early_in_the_outline_may_speak_of_it() -> None:
    plan = kit.outline(changes={1: {2: {"reveals": "poison", "learned_by": ("lin_yue",)}}})
    scripts = kit.with_episode(kit.series(), _accuse(2, "LIN YUE"))
    report = kit.run(scripts, plan)
    assert [(f.code, f.episode) for f in report.findings] == [("secret-early", 1)]


def test_an_outline_beat_revealing_a_secret_early_points_at_the_script_marker() -> None:
    plan = kit.outline(changes={2: {2: {"reveals": "poison", "learned_by": ("ethan",)}}})
    found = kit.run(kit.series(), plan).findings
    assert [f.code for f in found] == ["secret-early"]
    f = found[0]
    marker = kit.element(kit.episode(2), 1, 0)
    assert (f.episode, f.scene, f.line, f.file) == (
        2,
        2,
        marker.source_line,
        "scripts/ep002.fountain",
    )
    assert "reveals it to Ethan Blake" in f.message


def test_an_early_outline_reveal_without_its_script_points_at_the_outline() -> None:
    plan = kit.outline(changes={2: {2: {"reveals": "poison", "learned_by": ()}}})
    found = kit.run(kit.series(1), plan, outline_file="outline.yaml").findings
    assert [(f.code, f.episode, f.file, f.line) for f in found] == [
        ("secret-early", 2, "outline.yaml", None)
    ]
    assert "Ethan Blake, Lin Yue" in found[0].message  # everyone in the beat hears it


def test_knowers_among_themselves_reveal_nothing() -> None:
    plan = kit.outline(
        changes={2: {2: {"reveals": "poison", "learned_by": (), "characters": ("vivian",)}}}
    )
    assert kit.run(kit.series(), plan).findings == ()


def test_a_reveal_marker_naming_the_secret_too_early_without_an_outline() -> None:
    marker = BeatMarker("reveal", "Lin finds the jade tonic: Vivian poisoned Grandpa", 801)
    script = kit.put(kit.episode(2), 1, 0, marker)
    found = kit.run_with(script).findings
    assert [(f.code, f.episode, f.scene, f.line) for f in found] == [("secret-early", 2, 2, 801)]
