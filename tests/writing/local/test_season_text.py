"""Reading checks over whole seasons: twenty premises x 60 episodes, as the series suite makes
them, scanned for slips a viewer would notice in the text itself."""

from __future__ import annotations

import re

import pytest

from cliffhanger.model import Bible, Outline, Script
from cliffhanger.model.script import Action, BeatMarker, Line
from cliffhanger.writing.base import SeriesRequest
from cliffhanger.writing.local.writer import LocalWriter
from tests.writing.test_series_suite import PREMISES

Season = tuple[Bible, Outline, list[Script]]


@pytest.fixture(scope="module")
def seasons() -> dict[str, Season]:
    writer = LocalWriter()
    made = {}
    for i, (name, premise) in enumerate(PREMISES.items()):
        request = SeriesRequest(premise=premise, episodes=60, seconds=90, seed=i)
        bible = writer.develop(request)
        outline = writer.outline(request, bible)
        scripts, previous = [], None
        for episode in outline.episodes:
            scripts.append(writer.script(request, bible, episode, previous))
            previous = episode
        made[name] = (bible, outline, scripts)
    return made


def _texts(scripts: list[Script], kind: type) -> list[str]:
    out = []
    for script in scripts:
        for scene in script.scenes:
            for e in scene.elements:
                if isinstance(e, kind) and isinstance(e, (Line, Action)):
                    out.append(e.text)
                elif isinstance(e, kind) and isinstance(e, BeatMarker):
                    out.append(e.summary)
    return out


def _unquoted(text: str) -> str:
    """Text outside quotes: a twist may quote what someone says."""
    return re.sub(r"'[^']*'|\"[^\"]*\"", "", text)


def test_summaries_are_told_in_the_third_person(seasons: dict[str, Season]) -> None:
    second = re.compile(r"\b(you|your|yours|yourself)\b", re.IGNORECASE)
    for name, (_, outline, _) in seasons.items():
        for ep in outline.episodes:
            for text in (ep.summary, *(b.summary for b in ep.beats)):
                assert not second.search(_unquoted(text)), (name, ep.number, text)


def test_no_word_is_doubled(seasons: dict[str, Season]) -> None:
    doubled = re.compile(r"\b(\w+) \1\b", re.IGNORECASE)
    allowed = {"her her", "that that", "had had"}  # "costs her her badge" is English
    for name, (_, _, scripts) in seasons.items():
        for text in [
            *_texts(scripts, Line),
            *_texts(scripts, Action),
            *_texts(scripts, BeatMarker),
        ]:
            m = doubled.search(text)
            assert m is None or m.group(0).lower() in allowed, (name, text)


def test_no_one_acts_on_themself(seasons: dict[str, Season]) -> None:
    for name, (bible, _, scripts) in seasons.items():
        words = {w for c in bible.characters for w in (c.name, *c.name.split())}
        names = "|".join(sorted(map(re.escape, words), key=len, reverse=True))
        same = re.compile(rf"\b({names})\b [a-z]+s \1\b")
        for text in _texts(scripts, Action):
            assert not same.search(text), (name, text)


def test_no_sentence_is_said_twice_in_one_line(seasons: dict[str, Season]) -> None:
    for name, (_, _, scripts) in seasons.items():
        for text in _texts(scripts, Line):
            sentences = [
                s.strip().strip(".!?…").lower() for s in re.findall(r"[^.!?…]+[.!?…]*", text)
            ]
            long = [s for s in sentences if len(s.split()) > 1]
            assert len(long) == len(set(long)), (name, text)
