from __future__ import annotations

import json

from cliffhanger.model import BeatMarker, Line
from cliffhanger.writing.doctor import Finding, Report
from tests.writing.doctor import kit


def broken_report() -> Report:
    """Two defects in episode 2 (no hook marker; unknown speaker) and one in episode 3."""
    ep2 = kit.drop(kit.episode(2), 0, 0)
    ep2 = kit.put(ep2, 1, 4, Line("ETAHN", "Who are you?", source_line=38))
    ep3 = kit.put(kit.episode(3), 1, 0, BeatMarker("setup", "they talk"))
    scripts = kit.with_episode(kit.with_episode(kit.series(), ep2), ep3)
    return kit.run(scripts)


def test_counts_and_ok() -> None:
    report = broken_report()
    assert report.counts == {"error": 2, "warning": 1, "info": 0}
    assert not report.ok
    assert Report().ok and Report.of([Finding("warning", "jolts-few", "x", 1)]).ok


def test_findings_are_sorted_by_place() -> None:
    report = broken_report()
    assert [(f.episode, f.line, f.code) for f in report.findings] == [
        (2, 16, "hook-missing"),
        (2, 38, "unknown-speaker"),
        (3, None, "jolts-few"),
    ]


def test_json_is_parseable_stable_and_independent_of_input_order() -> None:
    report = broken_report()
    doc = json.loads(report.to_json())
    assert doc["ok"] is False
    assert doc["counts"] == {"error": 2, "info": 0, "warning": 1}
    first = doc["findings"][0]
    assert first == {
        "code": "hook-missing",
        "episode": 2,
        "file": "scripts/ep002.fountain",
        "fix": first["fix"],
        "line": 16,
        "message": first["message"],
        "scene": 1,
        "severity": "error",
    }
    assert first["fix"]
    shuffled = Report.of(reversed(report.findings))
    assert shuffled.to_json() == report.to_json() == broken_report().to_json()
    assert Report.from_json(report.to_json()) == report


def test_text_points_at_file_and_line_and_says_what_to_do() -> None:
    text = broken_report().to_text()
    lines = text.splitlines()
    assert lines[0].startswith(
        "scripts/ep002.fountain:16: error [hook-missing] episode 2, scene 1: "
        "the episode has no hook beat; its first beat is 'humiliation'. Fix: "
    )
    assert lines[1].startswith("scripts/ep002.fountain:38: error [unknown-speaker] episode 2, ")
    assert lines[2].startswith("scripts/ep003.fountain: warning [jolts-few] episode 3: ")
    assert all("Fix: " in line for line in lines[:3])
    assert lines[-1] == "2 errors, 1 warning, 0 notes"


def test_findings_made_in_memory_render_without_a_place() -> None:
    f = Finding("error", "episode-gap", "episode 2 appears twice.", episode=2)
    assert f.to_text().startswith("error [episode-gap] episode 2: episode 2 appears twice. Fix: ")
    assert Finding("info", "custom", "hello").to_text() == "info [custom] series: hello"
    assert (
        Finding("error", "hook-late", "late", 1, 1, 7)
        .to_text()
        .startswith("line 7: error [hook-late] episode 1, scene 1: late. Fix: ")
    )
