"""Answers are normalized where the fix is mechanical and sent back where it needs the model."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from cliffhanger.model import Bible
from cliffhanger.writing.base import SeriesRequest
from cliffhanger.writing.openai import prompts
from cliffhanger.writing.openai.checks import (
    Rejected,
    accept_bible,
    accept_outline_chunk,
    accept_script,
    parse_json,
)
from cliffhanger.writing.openai.fake_story import fake_bible, fake_outline, fake_script

REQUEST = SeriesRequest(premise="A maid is the true heiress.", episodes=10, paywall_episode=6)


@pytest.fixture
def bible() -> Bible:
    return accept_bible(fake_bible(prompts.request_facts(REQUEST)), REQUEST)


def _outline(bible: Bible, first: int = 1, last: int = 10) -> dict[str, Any]:
    return fake_outline(prompts.bible_digest(bible), first, last)


@pytest.mark.parametrize(
    "text",
    [
        '{"a": 1}',
        '```json\n{"a": 1}\n```',
        'Here you go:\n{"a": 1}\nHope this helps!',
        '{"thing": {"a": 1}}',
    ],
)
def test_parse_json_forgives_fences_chatter_and_a_wrapper(text: str) -> None:
    assert parse_json(text, "thing") == {"a": 1}


@pytest.mark.parametrize(("text", "error"), [("[1, 2]", "got list"), ("{oops", "not valid JSON: ")])
def test_parse_json_rejects_what_is_not_an_object(text: str, error: str) -> None:
    with pytest.raises(Rejected, match=error):
        parse_json(text, "thing")


def test_bible_takes_the_request_facts_and_flags_the_paywall_twist() -> None:
    data = fake_bible(prompts.request_facts(REQUEST))
    data |= {"episodes": 99, "premise": "something else"}
    for twist in data["arc"]:
        twist["paywall"] = False

    bible = accept_bible(data, REQUEST)

    assert (bible.episodes, bible.premise, bible.paywall_episode) == (10, REQUEST.premise, 6)
    assert [t.episode for t in bible.arc if t.paywall] == [6]


def test_bible_without_a_paywall_twist_or_lead_is_sent_back() -> None:
    data = fake_bible(prompts.request_facts(REQUEST))
    data["arc"] = [t for t in data["arc"] if t["episode"] != 6]
    data["characters"][0]["role"] = "ally"
    data["secrets"][0]["revealed_in"] = 40

    with pytest.raises(Rejected) as caught:
        accept_bible(data, REQUEST)

    assert caught.value.errors == [
        'no character has role "lead"; exactly one must',
        "secret 'true_heir' is revealed_in 40, after the last episode (10)",
        'arc has no twist on the paywall episode 6 ("paywall": true)',
    ]


def test_pydantic_errors_name_the_field_and_the_value(bible: Bible) -> None:
    data = _outline(bible)
    data["episodes"][1]["beats"][0]["kind"] = "twist"

    with pytest.raises(Rejected) as caught:
        accept_outline_chunk(data, bible, 1, 10)

    (error,) = caught.value.errors
    assert error.startswith("episodes.1.beats.0.kind: Input should be") and '"twist"' in error


def test_outline_names_become_ids_and_flags_are_set(bible: Bible) -> None:
    data = _outline(bible, 3, 7)
    lead = bible.characters[0]
    beat = data["episodes"][0]["beats"][0]
    beat["characters"] = [lead.name.upper(), lead.id]
    beat["location"] = bible.locations[0].name
    for ep in data["episodes"]:
        ep |= {"number": 1, "paywall": False, "seconds": 15}

    episodes = accept_outline_chunk(data, bible, 3, 7)

    assert [e.number for e in episodes] == [3, 4, 5, 6, 7]
    assert [e.number for e in episodes if e.paywall] == [6]
    assert episodes[0].beats[0].characters == (lead.id,)
    assert episodes[0].beats[0].location == bible.locations[0].id
    assert all(e.seconds == bible.seconds for e in episodes)


def test_outline_continuity_and_shape_errors_are_sent_back(bible: Bible) -> None:
    data = _outline(bible, 1, 5)
    data["episodes"][1]["beats"][1] |= {"reveals": "true_heir", "learned_by": ["nobody"]}
    data["episodes"][3]["beats"].pop()  # no cliffhanger at the end

    with pytest.raises(Rejected) as caught:
        accept_outline_chunk(data, bible, 1, 5)

    errors = caught.value.errors
    assert any("episode 2, beat 2: learned_by names 'nobody'" in e for e in errors)
    assert any(
        "episode 2, beat 2: reveals secret 'true_heir' but the bible reveals it in episode 6" in e
        for e in errors
    )
    assert 'episode 4: the last beat must have kind "cliffhanger"' in errors
    with pytest.raises(Rejected, match=r"expected 5 episodes numbered 1 to 5, got \[1, 2, 3\]"):
        accept_outline_chunk(_outline(bible, 1, 3), bible, 1, 5)


def test_script_problems_are_sent_back(bible: Bible) -> None:
    episode = accept_outline_chunk(_outline(bible), bible, 1, 10)[0]
    good = fake_script(prompts.bible_digest(bible), episode.model_dump(mode="json"))
    bad = copy.deepcopy(good)
    bad["scenes"][0]["location"] = "moon"
    bad["scenes"][1]["elements"][2]["speaker"] = "WAITER"
    silent = copy.deepcopy(good)
    for scene in silent["scenes"]:
        scene["elements"] = [e for e in scene["elements"] if e["type"] != "line"]

    script = accept_script(good, bible, episode)
    with pytest.raises(Rejected) as caught:
        accept_script(bad, bible, episode)
    with pytest.raises(Rejected, match="no spoken lines"):
        accept_script(silent, bible, episode)

    assert script.episode == 1 and script.title == episode.title
    assert caught.value.errors[0].startswith("scene 1: location 'moon' is not a bible location")
    assert caught.value.errors[1].startswith("scene 2: speaker 'WAITER' is not a bible character")
