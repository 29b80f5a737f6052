"""Reading checks over whole seasons: twenty premises x 60 episodes, as the series suite makes
them, scanned for slips a viewer would notice in the text itself."""

from __future__ import annotations

import re

import pytest

from cliffhanger.model import Bible, Outline, Script
from cliffhanger.model.script import Action, BeatMarker, Line
from cliffhanger.writing.base import SeriesRequest
from cliffhanger.writing.local.phrases import genre_words, load
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
    # every scan below passes trivially on nothing: a season must hold some of each kind
    assert out, f"no {kind.__name__} in {len(scripts)} scripts"
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


OUTDOOR_KINDS = frozenset({"forest_night", "street_night", "rooftop"})
_ROOFED = re.compile(
    r"\b(?:(?<!place at the )(?<!seat at the )tables?|desks?|(?<!car )(?<!van )doors?|doorway|"
    r"doorknob|knock(?:s|ed)?|chandeliers?|ceilings?)\b",
    re.IGNORECASE,
)
_CHINESE_COURT = re.compile(r"\b(?:jade|ministers?|dragons?|incense|eunuchs?)\b", re.IGNORECASE)


def test_outdoor_places_have_no_furniture_or_doors(seasons: dict[str, Season]) -> None:
    checked = 0  # outdoor action lines actually looked at: the test must not pass vacuously
    for name, (bible, outline, scripts) in seasons.items():
        outside = {x.id for x in bible.locations if not x.interior or x.kind in OUTDOOR_KINDS}
        for ep in outline.episodes:
            for beat in ep.beats:
                if beat.location in outside:
                    assert not _ROOFED.search(beat.summary), (name, ep.number, beat.summary)
        for script in scripts:
            for scene in script.scenes:
                if scene.location not in outside:
                    continue
                for e in scene.elements:
                    if isinstance(e, Action):
                        checked += 1
                        assert not _ROOFED.search(e.text), (name, scene.heading, e.text)
    assert checked > 100


def test_chinese_court_dressing_stays_at_the_chinese_court(seasons: dict[str, Season]) -> None:
    for name, (bible, _, scripts) in seasons.items():
        if bible.genre == "palace":  # the one genre set in ancient China
            continue
        props = " ".join(genre_words(bible.genre, "prop"))  # a "jade pendant" is the genre's own
        names = {w for c in bible.characters for w in c.name.split()}  # a girl called Jade
        named = re.compile(r"\b(?:" + "|".join(map(re.escape, names)) + r")\b")
        for text in _texts(scripts, Action):
            m = _CHINESE_COURT.search(named.sub("", text))
            assert m is None or m.group(0).lower() in props.lower(), (name, text)


def test_no_one_is_followed_since_a_place(seasons: dict[str, Season]) -> None:
    for name, (bible, _, scripts) in seasons.items():
        places = [x.name for x in bible.locations]
        since = re.compile(
            r"\bsince (?:the )?(?:" + "|".join(map(re.escape, places)) + ")", re.IGNORECASE
        )
        for text in _texts(scripts, Line):
            assert not since.search(text), (name, text)


_PROOF = re.compile(r"\b(?:proof|proves?|evidence)\b", re.IGNORECASE)
_EVIDENCE = re.compile(
    r"\b(?:recording|contract|report|ledger|photos|transfers?|footage|confession|records?|"
    r"file|scroll|letter|minutes|cloak|edict|sachet|register|seal|testimony|glove|alibi|"
    r"statement|log|papers|phone|wiretap)$"
)


def test_lines_about_proof_draw_on_evidence() -> None:
    for name in ("moves", "outline"):
        data = load(name)
        groups = [data] if name == "moves" else list(data.values())
        texts = [
            str(t)
            for group in groups
            for spec in group.values()
            for t in (
                spec
                if isinstance(spec, list)
                else [*spec["lines"], *(x for g in (spec.get("genre") or {}).values() for x in g)]
            )
        ]
        for text in texts:
            if _PROOF.search(text):
                assert not re.search(r"\{(?:detail|other_detail|prop)\}", text), text
    for genre in ("default", *load("genres")):
        for item in genre_words(genre, "evidence"):
            assert item.startswith("the ") and _EVIDENCE.search(item), (genre, item)


def test_places_are_named_in_natural_case(seasons: dict[str, Season]) -> None:
    small = {"of", "the", "in", "at", "on", "and", "a", "an", "to", "for", "by", "with"}
    for name, (bible, _, scripts) in seasons.items():
        for loc in bible.locations:
            words = loc.name.split()
            assert loc.name != loc.name.upper() and "'S" not in loc.name, (name, loc.name)
            big = words[:1] + [w for w in words[1:] if w not in small]
            assert not any(w[:1].islower() for w in big), (name, loc.name)
            assert all(w.lower() not in small or w.islower() for w in words[1:]), (name, loc.name)
            assert loc.heading.endswith(f" {loc.name.upper()} - {loc.time_of_day.upper()}")
        headings = {s.heading for script in scripts for s in script.scenes}
        assert headings <= {x.heading for x in bible.locations}, name


def test_a_slot_mid_sentence_keeps_its_small_article(seasons: dict[str, Season]) -> None:
    capital = re.compile(r"\b(?:or|about|over|with|lied about) (?:The|A|An) [a-z]")
    for name, (_, outline, scripts) in seasons.items():
        summaries = [b.summary for ep in outline.episodes for b in ep.beats]
        for text in [*_texts(scripts, Line), *_texts(scripts, Action), *summaries]:
            assert not capital.search(text), (name, text)
