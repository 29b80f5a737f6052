from __future__ import annotations

from cliffhanger.model import BeatKind, BeatMarker
from cliffhanger.settings import DoctorSettings
from cliffhanger.writing.doctor import CODES, RULES, lint
from cliffhanger.writing.timing import episode_seconds
from tests.writing.doctor import kit


def test_the_kit_episode_fits_the_format() -> None:
    for n in (1, 2, 3, 4):
        script = kit.episode(n)
        assert 130 <= script.words <= 190
        assert abs(episode_seconds(script) - 90) < 9
        kinds = [e.kind for s in script.scenes for e in s.elements if isinstance(e, BeatMarker)]
        assert kinds[0] == "hook" and kinds[-1] == "cliffhanger"
        assert sum(BeatKind(k).is_jolt for k in kinds) == 2


def test_a_clean_series_has_no_findings_with_or_without_an_outline() -> None:
    for plan in (kit.outline(), None):
        report = kit.run(kit.series(), plan, outline_file="outline.yaml")
        assert report.findings == ()
        assert report.ok


def test_every_rule_is_registered_and_every_code_has_advice() -> None:
    names = {r.__name__ for r in RULES}
    assert {"hook", "cliffhanger", "words", "secrets", "departures", "line_repeat"} <= names
    for code in CODES.values():
        assert code.fix.endswith(".") and code.summary


def test_settings_default_when_omitted() -> None:
    assert lint(kit.bible(), None, kit.series()).findings == ()
    assert lint(kit.bible(), None, kit.series(), DoctorSettings()).ok
