"""The season arc planner: which twist lands on which of N episodes (1 to 500).

The shape is the format's escalation (CRAFT.md): a humiliation, the lead's hidden strength
shown to the audience, repeated face-slaps, a bigger enemy, the big reveal, a final reckoning,
with romance alternating misunderstanding and rescue in between. The paywall episode carries
the biggest twist so far: a major secret comes out in full while the main one half-surfaces,
so the episode can end on the strongest unresolved beat. The main secret comes out at 75-90 %
of the season and the reckoning closes the last episode; there is a twist every 2-4 episodes.

The planner knows nothing of genres: the caller hands it the secrets (with their reveal texts
already written) and a ``describe(kind)`` callback for the other twists.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from cliffhanger.model.bible import Twist

TWIST_KINDS = (
    "humiliation",
    "hidden_strength",
    "face_slap",
    "misunderstanding",
    "rescue",
    "betrayal",
    "bigger_enemy",
    "reckoning",
)
"""Every kind the planner asks ``describe`` for. Twists it places also have kind ``reveal``
(a secret comes out in full: ``Twist.secret`` names it) and, when a series has a single
secret, ``half_reveal`` on the paywall."""

# Fillers between the fixed turns, by phase: before the paywall the lead is vindicated again
# and again; after it the pressure turns to rescues and betrayals.
_PHASES = (
    ("face_slap", "misunderstanding", "face_slap", "rescue"),
    ("face_slap", "rescue", "misunderstanding", "betrayal"),
    ("betrayal", "face_slap", "rescue", "misunderstanding"),
)
_ORDER = {
    "humiliation": 0,
    "hidden_strength": 1,
    "bigger_enemy": 3,
    "reveal": 4,
    "half_reveal": 4,
    "reckoning": 6,
}


@dataclass(frozen=True, slots=True)
class ArcSecret:
    id: str
    importance: Literal["main", "major", "minor"]
    reveal: str  # the twist's description when it comes out in full
    hint: str = ""  # a half-reveal, for the paywall episode's cliffhanger


@dataclass(frozen=True, slots=True)
class ArcPlan:
    twists: tuple[Twist, ...]  # sorted by episode
    revealed_in: Mapping[str, int]  # secret id → the episode of its reveal twist


def plan_arc(
    episodes: int,
    paywall: int,
    secrets: Sequence[ArcSecret],
    describe: Callable[[str], str],
    rng: random.Random,
) -> ArcPlan:
    """Place the season's twists; ``paywall`` is clamped to ``1..episodes``.

    >>> secrets = [ArcSecret("s", "main", "It comes out.")]
    >>> plan = plan_arc(1, 8, secrets, str.upper, random.Random(0))
    >>> [(t.episode, t.kind, t.paywall) for t in plan.twists][-1]
    (1, 'reckoning', False)
    """
    n = max(1, episodes)
    p = min(max(1, paywall), n)
    main = next((s for s in secrets if s.importance == "main"), secrets[0] if secrets else None)
    rest = [s for s in secrets if s is not main]
    placed: list[tuple[int, int, Twist]] = []

    def put(
        episode: int, kind: str, text: str, secret: str | None = None, pay: bool = False
    ) -> None:
        rank = 5 if pay else _ORDER.get(kind, 2)
        placed.append(
            (
                episode,
                rank,
                Twist(episode=episode, kind=kind, description=text, secret=secret, paywall=pay),
            )
        )

    revealed: dict[str, int] = {}
    m = _main_episode(n, p, rng)
    if main is not None:
        revealed[main.id] = m
    pay = next((s for s in rest if s.importance == "major"), rest[0] if rest else None)
    if main is not None and m == p:
        put(p, "reveal", main.reveal, main.id, pay=True)
        pay = None
    elif pay is not None:
        hint = f" {main.hint}" if main is not None and main.hint and p < m else ""
        put(p, "reveal", pay.reveal + hint, pay.id, pay=True)
        revealed[pay.id] = p
    else:
        put(
            p,
            "half_reveal",
            main.hint if main is not None and main.hint else describe("betrayal"),
            pay=True,
        )
    if main is not None and m != p:
        put(m, "reveal", main.reveal, main.id)
    others = sorted((s for s in rest if s is not pay), key=lambda s: s.importance != "minor")
    taken = {p, m}
    for s, episode in zip(others, _spread(len(others), n, p, m, taken), strict=True):
        put(episode, "reveal", s.reveal, s.id)
        revealed[s.id] = episode
        taken.add(episode)

    put(1, "humiliation", describe("humiliation"))
    if n > 1:  # a one-episode season goes straight from humiliation to the reveals
        put(2 if p != 2 else 1, "hidden_strength", describe("hidden_strength"))
    enemy = _free_near(p + 0.4 * (m - p) if m - p >= 3 else 0.5 * m, range(2, m), taken | {n})
    if enemy is not None:
        put(enemy, "bigger_enemy", describe("bigger_enemy"))
    put(n, "reckoning", describe("reckoning"))

    occupied = sorted({e for e, _, _ in placed})
    # Before the paywall the lead is vindicated first; later phases start anywhere.
    cursor = {0: 0, 1: rng.randrange(4), 2: rng.randrange(4)}
    e = 1
    for nxt in occupied[1:]:
        while True:
            step = rng.randint(2, 4)
            if e + step >= nxt:
                break
            e += step
            phase = 0 if e < p else 1 if enemy is None or e < enemy else 2
            kinds = _PHASES[phase]
            put(e, kinds[cursor[phase] % len(kinds)], describe(kinds[cursor[phase] % len(kinds)]))
            cursor[phase] += 1
        e = nxt
    placed.sort(key=lambda x: (x[0], x[1]))
    return ArcPlan(tuple(t for _, _, t in placed), revealed)


def _main_episode(n: int, p: int, rng: random.Random) -> int:
    """The big reveal: at 75-90 % of the season, never on the first, last or paywall episode."""
    if n <= 3:
        return n
    target = round(n * rng.uniform(0.75, 0.9))
    return min((e for e in range(2, n) if e != p), key=lambda e: (abs(e - target), e))


def _spread(count: int, n: int, p: int, m: int, taken: set[int]) -> list[int]:
    """Episodes for the remaining reveals: evenly between the paywall and the main reveal,
    then in the free window before the paywall, then anywhere (tiny seasons share episodes)."""
    lo, hi = min(p, m), max(p, m)
    windows = [range(lo + 1, hi), range(2, lo), range(hi + 1, n), range(1, n + 1)]
    out: list[int] = []
    for window in windows:
        free = [e for e in window if e not in taken and e not in out]
        want = count - len(out)
        if want <= 0:
            break
        if not free:
            continue
        k = min(want, len(free))
        out += [free[(i * len(free)) // k + (len(free) // k) // 2] for i in range(k)]
    while len(out) < count:  # fewer episodes than secrets: reveal together at the big one
        out.append(m)
    return sorted(out)


def _free_near(target: float, window: range, taken: set[int]) -> int | None:
    free = [e for e in window if e not in taken]
    return min(free, key=lambda e: (abs(e - target), e)) if free else None
