from __future__ import annotations

from dataclasses import replace

from cliffhanger.model import Line, Script
from cliffhanger.writing.doctor import SpeakerIndex
from cliffhanger.writing.doctor.continuity import absences
from tests.writing.doctor import kit


def speaker(script: Script, scene: int, index: int, cue: str) -> Script:
    return kit.put(script, scene, index, replace(kit.line(script, scene, index), speaker=cue))


def resolved(index: SpeakerIndex, cue: str) -> str | None:
    who = index.resolve(cue)
    return who.id if who is not None else None


def test_cues_resolve_by_full_name_or_an_unambiguous_word() -> None:
    index = SpeakerIndex(kit.bible())
    assert resolved(index, "ETHAN BLAKE") == "ethan"
    assert resolved(index, "ethan blake (V.O.)") == "ethan"
    assert resolved(index, "Ethan") == "ethan"
    assert resolved(index, "YUE") == "lin_yue"
    assert resolved(index, "@Lin  Yue^") == "lin_yue"
    assert resolved(index, "BLAKE") is None  # Ethan Blake or Vivian Blake?
    assert resolved(index, "ETHAN BLAKES") is None


def test_an_unknown_speaker_is_an_error_with_a_suggestion() -> None:
    script = speaker(kit.episode(2), 1, 4, "ETAHN")
    found = kit.run_with(script).findings
    assert [f.code for f in found] == ["unknown-speaker"]
    f = found[0]
    line = kit.element(kit.episode(2), 1, 4).source_line
    assert (f.severity, f.episode, f.scene, f.line) == ("error", 2, 2, line)
    assert "'ETAHN'" in f.message and "ETHAN" in f.message


def test_an_ambiguous_name_word_is_unknown() -> None:
    script = speaker(kit.episode(1), 0, 2, "BLAKE")
    found = kit.run_with(script).findings
    assert [(f.code, f.line) for f in found] == [("unknown-speaker", 12)]


def test_absences_run_from_the_departure_to_the_return() -> None:
    plan = kit.outline(6, {2: {3: {"departs": ("vivian",)}}, 5: {2: {"returns": ("vivian",)}}})
    away = absences(plan)
    assert [sorted(away[n]) for n in range(1, 7)] == [[], [], ["vivian"], ["vivian"], [], []]
    assert away[4]["vivian"].since == 2


def test_a_departed_character_who_speaks_later() -> None:
    departs = {2: {3: {"departs": ("vivian",)}}}
    keep_out = {n: {i: {"characters": ("lin_yue", "ethan")} for i in range(4)} for n in (3, 4)}
    plan = kit.outline(4, {**departs, **keep_out})
    found = kit.run(kit.series(), plan).findings
    assert [(f.code, f.episode) for f in found] == [
        ("departed-present", 3),
        ("departed-present", 4),
    ]
    first_vivian_line = kit.element(kit.episode(3), 0, 2).source_line
    f = found[0]
    assert (f.severity, f.scene, f.line, f.file) == (
        "error",
        1,
        first_vivian_line,
        "scripts/ep003.fountain",
    )
    assert "Vivian Blake" in f.message and "episode 2" in f.message
    assert "(4 more line(s))" in f.message


def test_a_departed_character_listed_in_a_later_outline_beat() -> None:
    plan = kit.outline(5, {2: {3: {"departs": ("vivian",)}}})
    report = kit.run(kit.series(2), plan, outline_file="outline.yaml")
    outline_findings = [f for f in report.findings if f.file == "outline.yaml"]
    assert [(f.code, f.episode, f.line) for f in outline_findings] == [
        ("departed-present", n, None) for n in (3, 4, 5)
    ]
    # the bible's display name, not the id
    assert all(f.message.startswith("Vivian Blake is in a beat") for f in outline_findings)


def test_a_returned_character_and_voice_overs_are_fine() -> None:
    plan = kit.outline(
        4,
        {
            2: {3: {"departs": ("vivian",)}},
            3: {i: {"characters": ("lin_yue", "ethan")} for i in range(4)},
            4: {0: {"returns": ("vivian",)}},
        },
    )
    ep3 = kit.episode(3)
    for scene, s in enumerate(ep3.scenes):
        for i, e in enumerate(s.elements):
            if isinstance(e, Line) and e.speaker == "VIVIAN BLAKE":
                ep3 = kit.put(ep3, scene, i, replace(e, extension="V.O."))
    report = kit.run(kit.with_episode(kit.series(), ep3), plan)
    assert report.findings == ()
