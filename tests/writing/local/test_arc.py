"""The season arc planner: escalation, the paywall twist, reveals that match their secrets."""

from __future__ import annotations

import itertools
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cliffhanger.model.bible import Twist
from cliffhanger.writing.local.arc import TWIST_KINDS, ArcPlan, ArcSecret, plan_arc

SECRETS = [
    ArcSecret("main", "main", "The big truth comes out.", "Half of the big truth slips."),
    ArcSecret("major", "major", "A major secret comes out."),
    ArcSecret("minor_a", "minor", "A small secret comes out."),
    ArcSecret("minor_b", "minor", "Another small secret comes out."),
]
KINDS = {*TWIST_KINDS, "reveal", "half_reveal"}


def plan(
    episodes: int, paywall: int = 8, secrets: list[ArcSecret] = SECRETS, seed: int = 0
) -> ArcPlan:
    return plan_arc(
        episodes, paywall, secrets, lambda kind: f"{kind} happens.", random.Random(seed)
    )


def check(p: ArcPlan, episodes: int, paywall: int, secrets: list[ArcSecret]) -> None:
    twists = p.twists
    assert twists, "an arc has twists"
    assert [t.episode for t in twists] == sorted(t.episode for t in twists)
    assert all(1 <= t.episode <= episodes and t.kind in KINDS for t in twists)
    pays = [t for t in twists if t.paywall]
    assert len(pays) == 1 and pays[0].episode == min(paywall, episodes)
    assert twists[0] == Twist(episode=1, kind="humiliation", description="humiliation happens.")
    assert twists[-1].kind == "reckoning" and twists[-1].episode == episodes
    assert set(p.revealed_in) == {s.id for s in secrets}
    for s in secrets:
        reveals = [t for t in twists if t.secret == s.id]
        assert len(reveals) == 1, f"{s.id} comes out exactly once"
        assert reveals[0].episode == p.revealed_in[s.id]


@pytest.mark.parametrize("episodes", [1, 2, 3, 4, 8, 10, 20, 40, 60, 100, 500])
@pytest.mark.parametrize("paywall", [1, 2, 8, 10, 600])
def test_every_season_length(episodes: int, paywall: int) -> None:
    check(plan(episodes, paywall), episodes, paywall, SECRETS)


@pytest.mark.parametrize("episodes", [20, 40, 60, 100, 500])
def test_escalation_shape(episodes: int) -> None:
    p = plan(episodes)
    main = p.revealed_in["main"]
    assert 0.75 * episodes - 1 <= main <= 0.9 * episodes + 1, "the big reveal comes late"
    assert p.revealed_in["major"] == 8, "a major secret comes out on the paywall"
    pay = next(t for t in p.twists if t.paywall)
    assert "Half of the big truth slips." in pay.description, "and the main one half-surfaces"
    kinds = [t.kind for t in p.twists]
    assert kinds.index("hidden_strength") < kinds.index("face_slap") < kinds.index("bigger_enemy")
    enemy = next(t.episode for t in p.twists if t.kind == "bigger_enemy")
    assert 8 < enemy < main, "a bigger enemy after the paywall, before the big reveal"
    episodes_with_twists = sorted({t.episode for t in p.twists})
    gaps = [b - a for a, b in itertools.pairwise(episodes_with_twists)]
    assert max(gaps) <= 4, "a twist or reversal every few episodes"
    if episodes >= 40:  # room for romance's misunderstandings and rescues between the turns
        assert {"misunderstanding", "rescue", "betrayal"} <= set(kinds)


def test_minor_secrets_come_out_before_major_ones() -> None:
    p = plan(60, secrets=[*SECRETS, ArcSecret("major_b", "major", "Another major one.")])
    assert max(p.revealed_in["minor_a"], p.revealed_in["minor_b"]) < p.revealed_in["major_b"]


def test_one_episode_season_holds_everything() -> None:
    p = plan(1)
    assert {t.episode for t in p.twists} == {1}
    assert set(p.revealed_in.values()) == {1}
    assert next(t for t in p.twists if t.paywall).secret == "main"


def test_a_single_secret_half_surfaces_on_the_paywall() -> None:
    p = plan(30, secrets=SECRETS[:1])
    pay = next(t for t in p.twists if t.paywall)
    assert (pay.kind, pay.secret, pay.episode) == ("half_reveal", None, 8)
    assert p.revealed_in["main"] > 8


def test_same_seed_same_arc_other_seed_other_arc() -> None:
    assert plan(60, seed=1) == plan(60, seed=1)
    assert len({tuple((t.episode, t.kind) for t in plan(60, seed=s).twists) for s in range(5)}) > 1


@settings(max_examples=60, deadline=None)
@given(
    episodes=st.integers(1, 500),
    paywall=st.integers(1, 600),
    count=st.integers(1, 6),
    seed=st.integers(0, 2**32),
)
def test_any_arc_is_consistent(episodes: int, paywall: int, count: int, seed: int) -> None:
    secrets = [SECRETS[0], *(ArcSecret(f"s{i}", "minor", f"Secret {i}.") for i in range(count - 1))]
    check(plan(episodes, paywall, secrets, seed), episodes, paywall, secrets)
