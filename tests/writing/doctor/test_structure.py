from __future__ import annotations

from dataclasses import replace

from cliffhanger.model import Action, BeatMarker, Line, Script, Transition
from cliffhanger.writing.doctor import Finding
from tests.writing.doctor import kit

LONG_ACTION = " ".join(["word"] * 16)  # 4 s of action
AT_LIMIT = " ".join(["word"] * 12)  # exactly 3 s


def only(report_findings: tuple[Finding, ...], code: str) -> Finding:
    codes = [f.code for f in report_findings]
    assert codes == [code], codes
    return report_findings[0]


def lint_episode(n: int, script: Script) -> tuple[Finding, ...]:
    assert script.episode == n
    return kit.run_with(script).findings


def test_no_hook_marker_is_an_error_at_the_first_beat() -> None:
    script = kit.drop(kit.episode(2), 0, 0)
    f = only(lint_episode(2, script), "hook-missing")
    assert (f.severity, f.episode, f.scene, f.line) == ("error", 2, 1, 16)
    assert f.file == "scripts/ep002.fountain"
    assert "humiliation" in f.message


def test_a_beat_before_the_hook_is_an_error() -> None:
    script = kit.insert(kit.episode(2), 0, 0, BeatMarker("setup", "a quiet morning", 501))
    f = only(lint_episode(2, script), "hook-missing")
    assert (f.episode, f.scene, f.line) == (2, 1, 501)
    assert "'setup'" in f.message


def test_a_hook_that_starts_after_three_seconds_is_late() -> None:
    script = kit.insert(kit.episode(3), 0, 0, Action(LONG_ACTION, 501))
    f = only(lint_episode(3, script), "hook-late")
    hook_action = kit.element(kit.episode(3), 0, 1)
    assert (f.episode, f.scene, f.line) == (3, 1, hook_action.source_line)
    assert "4.0 s" in f.message and "3 s" in f.message


def test_a_hook_starting_at_exactly_the_limit_is_on_time() -> None:
    script = kit.insert(kit.episode(3), 0, 0, Action(AT_LIMIT, 501))
    assert lint_episode(3, script) == ()


def test_no_spoken_line_by_fifteen_seconds_is_slow() -> None:
    script = kit.insert(kit.episode(1), 0, 2, *(Action(LONG_ACTION, 501 + i) for i in range(4)))
    f = only(lint_episode(1, script), "hook-slow")
    first_line = kit.element(kit.episode(1), 0, 2)
    assert (f.severity, f.episode, f.scene, f.line) == ("warning", 1, 1, first_line.source_line)


def test_an_episode_that_does_not_end_on_a_cliffhanger() -> None:
    script = kit.drop(kit.episode(4), 1, 8)
    f = only(lint_episode(4, script), "cliffhanger-missing")
    reversal = kit.element(kit.episode(4), 1, 0)
    assert (f.episode, f.scene, f.line) == (4, 2, reversal.source_line)
    assert "'reversal'" in f.message


def test_a_closing_line_at_the_end_is_a_resolved_cliffhanger() -> None:
    ending = Line("LIN YUE", "It's over, Ethan. We're safe now.", "softly", source_line=777)
    script = kit.put(kit.episode(2), 1, 11, ending)
    f = only(lint_episode(2, script), "cliffhanger-resolved")
    assert (f.severity, f.episode, f.scene, f.line) == ("warning", 2, 2, 777)


def test_open_endings_are_not_resolved() -> None:
    for ending in (
        Line("LIN YUE", "I'm pregnant.", "softly"),  # a cliffhanger, however softly said
        Line("LIN YUE", "It's over... or is it?", "softly"),
        Line("LIN YUE", "It's over, Ethan.", "shocked"),
        Line("LIN YUE", "It's over, Ethan!", "softly"),
        Line("LIN YUE", "It's overdue.", "softly"),  # whole words only
    ):
        assert lint_episode(2, kit.put(kit.episode(2), 1, 11, ending)) == ()
    closed_then_cut = kit.insert(
        kit.put(kit.episode(2), 1, 11, Line("LIN YUE", "We did it.", "happy")),
        1,
        12,
        Transition("SMASH CUT TO:"),
    )
    assert lint_episode(2, closed_then_cut) == ()


def test_consecutive_episodes_ending_on_the_same_kind_of_cliffhanger() -> None:
    plan = kit.outline(
        changes={3: {3: {"cliffhanger_kind": "Knife"}}, 2: {3: {"cliffhanger_kind": "knife"}}}
    )
    f = only(kit.run(kit.series(), plan).findings, "cliffhanger-repeat")
    marker = kit.element(kit.episode(3), 1, 8)
    assert (f.severity, f.episode, f.scene, f.line) == ("warning", 3, 2, marker.source_line)
    assert "'knife'" in f.message and "episode 2" in f.message


def test_a_repeated_cliffhanger_without_its_script_points_at_the_outline() -> None:
    plan = kit.outline(count=5, changes={5: {3: {"cliffhanger_kind": "threat"}}})
    report = kit.run(kit.series(), plan, outline_file="outline.yaml")
    f = only(report.findings, "cliffhanger-repeat")
    assert (f.episode, f.scene, f.line, f.file) == (5, None, None, "outline.yaml")


def test_too_few_jolts() -> None:
    script = kit.put(kit.episode(1), 1, 0, BeatMarker("setup", "they talk"))
    f = only(lint_episode(1, script), "jolts-few")
    assert (f.severity, f.episode, f.scene, f.line) == ("warning", 1, None, None)
    assert "1 jolt" in f.message and "at least 2" in f.message


def test_free_text_jolt_kinds_count_and_short_episodes_need_one() -> None:
    script = kit.put(kit.episode(1), 1, 0, BeatMarker("Face-slap", "vindicated"))
    assert lint_episode(1, script) == ()
    one_jolt = kit.put(kit.episode(1), 1, 0, BeatMarker("setup", "they talk"))
    plan = kit.outline(seconds=60)
    report = kit.run(kit.with_episode(kit.series(), one_jolt), plan)
    assert "jolts-few" not in report.codes


def test_a_scene_without_heading() -> None:
    ep = kit.episode(2)
    script = replace(ep, scenes=(ep.scenes[0], replace(ep.scenes[1], heading=" ")))
    f = only(lint_episode(2, script), "scene-no-heading")
    assert (f.severity, f.episode, f.scene, f.line) == ("warning", 2, 2, 28)


def test_an_episode_without_spoken_lines() -> None:
    ep = kit.episode(2)
    silent = replace(
        ep,
        scenes=tuple(
            replace(s, elements=tuple(e for e in s.elements if not isinstance(e, Line)))
            for s in ep.scenes
        ),
    )
    findings = lint_episode(2, silent)
    assert {f.code for f in findings} == {"empty-episode", "length-off"}
    f = next(f for f in findings if f.code == "empty-episode")
    assert (f.severity, f.episode, f.file) == ("error", 2, "scripts/ep002.fountain")


def test_missing_episode_numbers() -> None:
    scripts = [s for s in kit.series(5) if s[0].episode not in (3, 4)]
    f = only(kit.run(scripts).findings, "episode-gap")
    assert (f.episode, f.file) == (5, "scripts/ep005.fountain")
    assert "3-4" in f.message


def test_duplicate_episode_numbers() -> None:
    scripts = [*kit.series(3), (kit.episode(2), "scripts/ep002-copy.fountain")]
    findings = kit.run(scripts).findings
    gap = [f for f in findings if f.code == "episode-gap"]
    assert len(gap) == 1
    assert gap[0].episode == 2 and gap[0].file == "scripts/ep002-copy.fountain"
    assert "scripts/ep002.fountain" in gap[0].message
