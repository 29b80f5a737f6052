from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from cliffhanger.model import Action, Line, Outline, Script
from cliffhanger.settings import DoctorSettings
from cliffhanger.writing.doctor import Finding
from tests.writing.doctor import kit


def findings(
    script: Script, plan: Outline | None = None, settings: DoctorSettings | None = None
) -> tuple[Finding, ...]:
    return kit.run_with(script, plan, settings).findings


def first_words(k: int) -> Callable[[Line], Line]:
    return lambda line: replace(line, text=" ".join(line.text.split()[:k]))


def test_too_few_words_is_an_error() -> None:
    script = kit.map_lines(kit.episode(2), first_words(6))  # 13 lines x 6 words
    found = findings(script)
    assert [f.code for f in found if f.severity == "error"] == ["words-low"]
    f = next(f for f in found if f.code == "words-low")
    assert (f.episode, f.scene, f.line, f.file) == (2, None, None, "scripts/ep002.fountain")
    assert "78 spoken words" in f.message and "100-220" in f.message


def test_too_many_words_is_an_error() -> None:
    script = kit.map_lines(kit.episode(2), lambda ln: replace(ln, text=f"{ln.text} {ln.text}"))
    codes = [f.code for f in findings(script) if f.severity == "error"]
    assert codes == ["words-high"]


def test_the_word_budget_scales_with_the_outline_target() -> None:
    # 165 words are fine for 90 s but too many for a 60 s episode (67-147).
    found = findings(kit.episode(2), kit.outline(seconds=60))
    high = [f for f in found if f.code == "words-high"]
    assert [f.episode for f in high] == [1, 2, 3, 4]
    assert "67-147" in high[0].message
    assert "length-off" in {f.code for f in found}


def test_the_word_budget_follows_the_settings() -> None:
    found = findings(kit.episode(2), settings=DoctorSettings(min_words_per_90s=170))
    assert [(f.code, f.episode) for f in found] == [("words-low", e) for e in (1, 2, 3, 4)]


def test_an_episode_far_longer_than_its_target() -> None:
    padding = [Action(" ".join(["slow"] * 20), source_line=600 + i) for i in range(8)]
    script = kit.insert(kit.episode(3), 1, 2, *padding)
    found = findings(script)
    assert [f.code for f in found] == ["length-off"]
    assert found[0].severity == "warning" and found[0].episode == 3
    assert "121 s" in found[0].message and "too long" in found[0].message


def test_a_line_too_dense_to_read_in_time() -> None:
    dense = Line("ETHAN BLAKE", "Internationalization, institutionalization, decentralization.")
    script = kit.put(kit.episode(1), 1, 7, replace(dense, source_line=901))
    found = findings(script)
    assert [f.code for f in found] == ["reading-speed"]
    f = found[0]
    assert (f.severity, f.episode, f.scene, f.line) == ("error", 1, 2, 901)
    assert "ETHAN BLAKE" in f.message and "17" in f.message


def test_short_exclamations_get_a_full_second_to_be_read() -> None:
    script = kit.put(kit.episode(1), 1, 7, Line("ETHAN BLAKE", "Unbelievable!", source_line=902))
    assert "reading-speed" not in {f.code for f in findings(script)}
    strict = [
        f
        for f in findings(script, settings=DoctorSettings(max_chars_per_second=12))
        if f.line == 902
    ]
    assert [f.code for f in strict] == ["reading-speed"]
    assert "13 in 1.0 s" in strict[0].message


def test_a_line_used_more_than_twice_in_the_series() -> None:
    said = "You will pay for this, Vivian!"
    scripts = kit.series()
    for n, text in (
        (1, said),
        (2, "you will PAY for this vivian"),
        (4, "You will pay for this, Vivian."),
    ):
        ep = kit.episode(n)
        scripts = kit.with_episode(
            scripts, kit.put(ep, 0, 7, replace(kit.line(ep, 0, 7), text=text))
        )
    found = kit.run(scripts).findings
    assert [f.code for f in found] == ["line-repeat"]
    f = found[0]
    line = kit.element(kit.episode(4), 0, 7).source_line
    assert (f.severity, f.episode, f.scene, f.line) == ("error", 4, 1, line)
    assert f.file == "scripts/ep004.fountain"
    assert "3 times" in f.message
    for n in (1, 2, 4):
        assert f"episode {n} scene 1 line {line}" in f.message


def test_twice_is_allowed_and_short_lines_repeat_freely() -> None:
    scripts = kit.series()
    for n in (1, 2):
        ep = kit.episode(n)
        again = replace(kit.line(ep, 0, 7), text="You will pay for this.")
        scripts = kit.with_episode(scripts, kit.put(ep, 0, 7, again))
    for n in (3, 4):
        ep = kit.episode(n)
        scripts = kit.with_episode(scripts, kit.insert(ep, 0, 8, Line("LIN YUE", "No, no, no!")))
    scripts.append((kit.insert(kit.episode(5), 0, 8, Line("LIN YUE", "NO! No. No!")), kit.path(5)))
    assert kit.run(scripts).findings == ()
    assert [
        f.code for f in kit.run(scripts, settings=DoctorSettings(max_line_repeats=1)).findings
    ] == ["line-repeat"]
