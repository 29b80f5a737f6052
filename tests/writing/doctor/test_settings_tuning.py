"""The format's ranges are settings: tightening one changes what the doctor reports."""

from __future__ import annotations

from cliffhanger.settings import DoctorSettings
from tests.writing.doctor import kit


def codes(settings: DoctorSettings) -> set[str]:
    return kit.run(kit.series(), settings=settings).codes


def test_defaults_pass_the_clean_series() -> None:
    assert kit.run(kit.series()).ok and not kit.run(kit.series()).findings


def test_tighter_ranges_are_reported() -> None:
    assert "jolts-few" in codes(DoctorSettings(jolt_every_seconds=10.0))
    assert "length-off" in codes(DoctorSettings(length_tolerance=0.0))
    assert "hook-slow" in codes(DoctorSettings(hook_done_seconds=0.1))
