"""The outline planner: episode shape, the season arc, secrets, departures, variety."""

from __future__ import annotations

from collections import Counter
from functools import cache
from itertools import pairwise

import pytest

from cliffhanger.model import BeatKind, Bible, Outline
from cliffhanger.writing.local.outline import knowers, ledger, phase_of, plan_outline
from tests.writing.local.fixtures import BUILDERS, request_for

K = BeatKind


@cache
def planned(
    name: str, episodes: int = 60, seconds: int = 90, seed: int = 0
) -> tuple[Bible, Outline]:
    bible = BUILDERS[name](episodes=episodes, seconds=seconds)
    return bible, plan_outline(request_for(bible, seed=seed), bible)


def check_outline(bible: Bible, outline: Outline, seconds: int) -> None:
    """The invariants every planned season keeps, whatever the bible."""
    assert [e.number for e in outline.episodes] == list(range(1, bible.episodes + 1))
    ids = {c.id for c in bible.characters}
    places = {x.id for x in bible.locations[:5]}
    used_places: set[str] = set()
    for ep in outline.episodes:
        kinds = [b.kind for b in ep.beats]
        assert kinds[0] is K.HOOK, ep.number
        assert kinds[-1] is K.CLIFFHANGER and ep.beats[-1].cliffhanger_kind, ep.number
        assert K.HOOK not in kinds[1:] and K.CLIFFHANGER not in kinds[:-1]
        jolts = sum(k.is_jolt for k in kinds)
        assert jolts >= (2 if seconds >= 90 else 1), (ep.number, kinds)
        if seconds >= 45:  # every episode turns at least once
            assert K.REVERSAL in kinds, (ep.number, kinds)
        assert sum(b.seconds for b in ep.beats) == pytest.approx(seconds)
        assert ep.beats[0].seconds <= 15
        assert ep.title.strip() and ep.summary.strip()
        for beat in ep.beats:
            assert beat.location in places
            assert set(beat.characters) <= ids and beat.characters
            assert beat.summary.strip() and "{" not in beat.summary
        used_places.update(b.location for b in ep.beats)
        if ep.number > 1:
            assert f"episode {ep.number - 1}" in ep.beats[0].summary
    assert len(used_places) <= 5
    titles = [e.title.lower() for e in outline.episodes]
    assert len(set(titles)) == len(titles)


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_every_episode_has_the_shape_of_the_format(name: str) -> None:
    bible, outline = planned(name)
    check_outline(bible, outline, 90)


@pytest.mark.parametrize("episodes", [1, 3, 8, 20])
@pytest.mark.parametrize("seconds", [15, 60, 120])
def test_short_and_long_seasons_and_episodes(episodes: int, seconds: int) -> None:
    bible, outline = planned("heiress", episodes, seconds)
    check_outline(bible, outline, seconds)


def test_more_seconds_more_beats_and_jolts() -> None:
    def per_episode(seconds: int) -> tuple[float, float]:
        _, outline = planned("werewolf", 20, seconds)
        beats = [len(e.beats) for e in outline.episodes]
        jolts = [sum(b.kind.is_jolt for b in e.beats) for e in outline.episodes]
        return sum(beats) / len(beats), sum(jolts) / len(jolts)

    assert per_episode(60) < per_episode(90) < per_episode(120)
    assert per_episode(120)[1] >= 3


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_cliffhanger_kinds_vary(name: str) -> None:
    _, outline = planned(name)
    kinds = [e.beats[-1].cliffhanger_kind for e in outline.episodes]
    assert all(a != b for a, b in pairwise(kinds))
    assert len(set(kinds)) >= 6
    assert Counter(kinds).most_common(1)[0][1] <= 10


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_the_paywall_episode_cuts_off_the_paywall_twist(name: str) -> None:
    bible, outline = planned(name)
    twist = next(t for t in bible.arc if t.paywall)
    ep = outline.episode(bible.paywall_episode)
    assert ep.paywall and sum(e.paywall for e in outline.episodes) == 1
    cliff = ep.beats[-1]
    assert cliff.cliffhanger_kind == "reveal_interrupted"
    assert twist.description.rstrip(".") in cliff.summary
    others = [e.beats[-1].cliffhanger_kind for e in outline.episodes[: ep.number - 1]]
    assert "reveal_interrupted" not in others  # nothing before it steals its thunder
    after = outline.episode(ep.number + 1).beats[0]
    assert f"episode {ep.number}" in after.summary  # and the next hook pays it off


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_every_twist_lands_in_its_episode(name: str) -> None:
    bible, outline = planned(name)
    for twist in bible.arc:
        beats = outline.episode(twist.episode).beats
        assert any(twist.description.rstrip(".") in b.summary for b in beats), twist


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_secrets_come_out_exactly_in_their_episode(name: str) -> None:
    bible, outline = planned(name)
    for secret in bible.secrets:
        reveals = [
            (e.number, b) for e in outline.episodes for b in e.beats if b.reveals == secret.id
        ]
        assert [n for n, _ in reveals] == [secret.revealed_in]
        beat = reveals[0][1]
        assert beat.kind is K.REVEAL and beat.learned_by == secret.revealed_to
        assert set(secret.revealed_to) <= set(beat.characters)


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_knowledge_is_tracked_beat_by_beat(name: str) -> None:
    """knowers() (what the realizer uses) agrees with the outline's own ledger everywhere,
    and nobody sits in a reveal beat who does not know the secret by its end."""
    bible, outline = planned(name)
    table = ledger(bible, outline)
    for ep, row in zip(outline.episodes, table, strict=True):
        for i, state in enumerate(row):
            assert knowers(bible, ep, i) == state, (ep.number, i)
            beat = ep.beats[i]
            if beat.reveals:
                assert set(beat.characters) <= state[beat.reveals]
    for secret in bible.secrets:
        before = table[secret.revealed_in - 2][-1][secret.id]
        assert not set(secret.revealed_to) - {secret.holder, *secret.known_by} <= before


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_departed_characters_stay_gone_until_they_return(name: str) -> None:
    _, outline = planned(name)
    away: set[str] = set()
    departures = returns = 0
    for ep in outline.episodes:
        for beat in ep.beats:
            away -= set(beat.returns)
            assert not away & set(beat.characters), (ep.number, beat.kind, away)
            away |= set(beat.departs)
            departures += len(beat.departs)
            returns += len(beat.returns)
    assert departures >= 1
    if name == "werewolf":  # the rival leaves mid-season and comes back
        assert returns == 1


def test_the_season_escalates() -> None:
    """Humiliation early, face-slaps later, the bigger enemy after the middle (CRAFT.md)."""
    counts: dict[int, Counter[BeatKind]] = {}
    for name in BUILDERS:
        bible, outline = planned(name)
        for ep in outline.episodes:
            phase = phase_of(ep.number, bible.episodes)
            counts.setdefault(phase, Counter()).update(b.kind for b in ep.beats)

    def share(phase: int, kind: BeatKind) -> float:
        return counts[phase][kind] / sum(counts[phase].values())

    assert share(0, K.HUMILIATION) > share(5, K.HUMILIATION)
    assert share(2, K.FACE_SLAP) > share(0, K.FACE_SLAP)
    assert share(3, K.THREAT) > share(2, K.THREAT)
    _, heiress = planned("heiress")
    boss_first = next(
        e.number for e in heiress.episodes for b in e.beats if "marcus" in b.characters
    )
    assert boss_first > 20  # the bigger enemy arrives in the second act
    assert heiress.episode(boss_first).beats[-1].cliffhanger_kind == "bigger_enemy"


def test_summaries_are_specific() -> None:
    bible, outline = planned("palace")
    names = {c.name.split()[-1] for c in bible.characters}
    specific = [b for e in outline.episodes for b in e.beats if any(n in b.summary for n in names)]
    total = sum(len(e.beats) for e in outline.episodes)
    assert len(specific) / total > 0.9


def test_deterministic_and_seeded() -> None:
    bible = BUILDERS["werewolf"]()
    again = plan_outline(request_for(bible), bible)
    assert again == planned("werewolf")[1]
    other = plan_outline(request_for(bible, seed=7), bible)
    assert other != again
    differing = sum(a.title != b.title for a, b in zip(again.episodes, other.episodes, strict=True))
    assert differing > 30


def test_bible_arc_beyond_the_season_is_ignored() -> None:
    """A 3-episode season of a bible whose secrets and twists sit later still plans."""
    bible = BUILDERS["werewolf"](episodes=60).with_(episodes=3, paywall_episode=8)
    outline = plan_outline(request_for(bible), bible)
    check_outline(bible, outline, 90)
    assert outline.episode(3).paywall  # the paywall moves into the season
