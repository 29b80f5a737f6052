"""The LocalWriter: registry, protocol, pickling, and the whole room over many premises."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from cliffhanger.writing.base import WRITERS, SeriesRequest
from cliffhanger.writing.doctor.lint import lint
from cliffhanger.writing.local.writer import VERSION, LocalWriter
from tests.writing.local.fixtures import PREMISES
from tests.writing.local.test_outline import check_outline
from tests.writing.local.test_realize import Series, check_series, dialogue_stats


def test_registered_and_described() -> None:
    writer = WRITERS.create("local", None, Path("."))
    assert isinstance(writer, LocalWriter)
    assert writer.name == "local" and writer.io_bound is False
    assert writer.fingerprint() == {"engine": "local", "version": VERSION}
    writer.close()


def test_picklable() -> None:
    writer = LocalWriter()
    assert pickle.loads(pickle.dumps(writer)) == writer


def _room(premise: str, episodes: int = 60, seconds: int = 90, seed: int = 0) -> Series:
    writer = LocalWriter()
    request = SeriesRequest(premise, episodes=episodes, seconds=seconds, seed=seed)
    bible = writer.develop(request)
    outline = writer.outline(request, bible)
    scripts = tuple(
        writer.script(request, bible, e, outline.episode(e.number - 1) if e.number > 1 else None)
        for e in outline.episodes
    )
    return bible, outline, scripts


@pytest.mark.parametrize("premise", PREMISES, ids=lambda p: p[:24])
def test_sixty_episodes_from_any_premise(premise: str) -> None:
    data = _room(premise)
    bible, outline, scripts = data
    check_outline(bible, outline, 90)
    check_series(data)
    most, ratio = dialogue_stats(scripts)
    assert most <= 2 and ratio >= 0.5
    kinds = [e.beats[-1].cliffhanger_kind for e in outline.episodes]
    assert len(set(kinds)) >= 6
    report = lint(bible, outline, [(s, None) for s in scripts])
    assert report.findings == (), report.findings[:3]


@pytest.mark.parametrize("episodes", [1, 3, 8, 20])
def test_short_seasons_from_develop(episodes: int) -> None:
    data = _room(PREMISES[1], episodes=episodes, seconds=60)
    check_outline(data[0], data[1], 60)
    check_series(data, 60)


def test_same_request_same_series_other_seed_another() -> None:
    a = _room(PREMISES[4], episodes=4)
    assert _room(PREMISES[4], episodes=4) == a
    assert _room(PREMISES[4], episodes=4, seed=9) != a
