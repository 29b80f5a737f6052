"""The season, decided once before any episode is planned: the tables, the cast by
dramatic function, who arrives, leaves and comes back when, which cliffhanger kind ends each
episode, and who knows which secret at every beat (:func:`knowers`, :func:`ledger`).
"""

from __future__ import annotations

import math
import random
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from itertools import pairwise
from typing import Any

from cliffhanger.model import BeatKind, Bible, EpisodeOutline, Outline, Role, Secret, Twist
from cliffhanger.writing.base import SeriesRequest
from cliffhanger.writing.local.phrases import load, short_names
from cliffhanger.writing.local.rng import rng_for

K = BeatKind


@dataclass(frozen=True)
class Tables:
    """The planner's tables from ``data/lines/plan.yaml``."""

    phases: tuple[tuple[float, dict[BeatKind, int]], ...]  # (until fraction, kind weights)
    emotions: dict[BeatKind, tuple[str, ...]]
    places: dict[BeatKind, tuple[str, ...]]  # Location.kind values, best first
    twist_words: dict[str, BeatKind]


@cache
def tables() -> Tables:
    data = load("plan")
    return Tables(
        phases=tuple(
            (float(p["until"]), {BeatKind(k): int(w) for k, w in p["kinds"].items()})
            for p in data["phases"]
        ),
        emotions={BeatKind(k): tuple(v) for k, v in data["emotions"].items()},
        places={BeatKind(k): tuple(v) for k, v in data["places"].items()},
        twist_words={str(k): BeatKind(v) for k, v in data["twist_words"].items()},
    )


_HERO_SIDE = {
    Role.LEAD,
    Role.LOVE_INTEREST,
    Role.ALLY,
    Role.MENTOR,
    Role.PARENT,
    Role.SIBLING,
    Role.CHILD,
    Role.SERVANT,
}
_WITNESSES = {Role.AUTHORITY, Role.EXTRA}


def twist_beat_kind(kind: str) -> BeatKind:
    """The beat kind a bible twist's free-text ``kind`` stands for (REVERSAL if unknown)."""
    key = re.sub(r"[^a-z]+", "_", kind.lower()).strip("_")
    try:
        found = BeatKind(key)
    except ValueError:
        found = next((v for k, v in tables().twist_words.items() if k in key), K.REVERSAL)
    return K.REVERSAL if found in (K.HOOK, K.CLIFFHANGER, K.SETUP) else found


def beat_count(seconds: int) -> int:
    """About one beat per 13 s: 5 for 60 s, 7 for 90 s, 9 for 120 s."""
    return max(3, min(24, round(seconds / 13)))


def jolts_needed(seconds: int) -> int:
    """One jolt per started 45 s: 2 for 60 and 90 s, 3 for 120 s."""
    return max(1, math.ceil(seconds / 45))


def phase_of(number: int, episodes: int) -> int:
    """The season phase (0-5, an index into :attr:`Tables.phases`) of an episode."""
    fraction = (number - 1) / max(1, episodes - 1)
    return next(i for i, (end, _) in enumerate(tables().phases) if fraction < end)


# -- who knows what ---------------------------------------------------------------------------


def knowers(bible: Bible, episode: EpisodeOutline, beat_index: int) -> dict[str, frozenset[str]]:
    """Who knows each secret once beat ``beat_index`` of ``episode`` has played.

    A secret is known by its holder and ``known_by`` from the start, by ``revealed_to`` after
    its ``revealed_in`` episode, and inside this episode by the ``learned_by`` of every reveal
    beat so far. Realizing one episode needs nothing else.
    """
    out: dict[str, frozenset[str]] = {}
    for s in bible.secrets:
        known = {s.holder, *s.known_by}
        if episode.number > s.revealed_in:
            known.update(s.revealed_to)
        for beat in episode.beats[: beat_index + 1]:
            if beat.reveals == s.id:
                known.update(beat.learned_by)
        out[s.id] = frozenset(known)
    return out


def ledger(bible: Bible, outline: Outline) -> list[list[dict[str, frozenset[str]]]]:
    """The knowledge state after every beat of every episode, built from the outline alone."""
    known = {s.id: {s.holder, *s.known_by} for s in bible.secrets}
    table: list[list[dict[str, frozenset[str]]]] = []
    for episode in outline.episodes:
        row = []
        for beat in episode.beats:
            if beat.reveals in known:
                known[beat.reveals].update(beat.learned_by)
            row.append({k: frozenset(v) for k, v in known.items()})
        table.append(row)
    return table


# -- the cast and the season ------------------------------------------------------------------


@dataclass(frozen=True)
class Cast:
    """The bible's characters by dramatic function (ids)."""

    lead: str
    love: str | None
    villain: str | None
    rival: str | None
    boss: str | None
    friends: tuple[str, ...]
    witnesses: tuple[str, ...]  # neither side: judges, elders, bystanders
    female: frozenset[str]

    @classmethod
    def of(cls, bible: Bible) -> Cast:
        chars = bible.characters
        by = {r: [c.id for c in chars if c.role is r] for r in Role}
        lead = (by[Role.LEAD] or [chars[0].id])[0]
        love = next(iter(by[Role.LOVE_INTEREST]), None)
        foes = [i for i in (*by[Role.ANTAGONIST], *by[Role.RIVAL]) if i != lead]
        villain = foes[0] if foes else None
        rival = next((i for i in by[Role.RIVAL] if i != villain), None)
        boss = next((i for i in by[Role.ANTAGONIST] if i not in (villain, rival)), None)
        rival = rival or next((i for i in foes if i not in (villain, boss)), None)
        used = {lead, love, villain, rival, boss}
        friends = tuple(c.id for c in chars if c.id not in used and c.role in _HERO_SIDE)
        witnesses = tuple(c.id for c in chars if c.id not in used and c.role in _WITNESSES)
        female = frozenset(c.id for c in chars if c.appearance.gender == "female")
        return cls(lead, love, villain, rival, boss, friends, witnesses, female)

    def foe(self, active: set[str], rng: random.Random, avoid: Iterable[str] = ()) -> str | None:
        order = [self.villain, self.rival, self.boss]
        if rng.random() < 0.35:
            order = [self.rival, self.boss, self.villain]
        skip = set(avoid)
        return next((i for i in order if i in active and i not in skip), None)

    def friend(self, active: set[str], rng: random.Random, avoid: Iterable[str] = ()) -> str | None:
        pool = [i for i in self.friends if i in active and i not in set(avoid)]
        return rng.choice(pool) if pool else None

    def witness(
        self, active: set[str], rng: random.Random, avoid: Iterable[str] = ()
    ) -> str | None:
        """A third person for a public scene: a bystander if any, else a friend."""
        pool = [i for i in self.witnesses if i in active and i not in set(avoid)]
        return rng.choice(pool) if pool and rng.random() < 0.5 else self.friend(active, rng, avoid)


@dataclass
class Season:
    """Everything decided once for the whole season, before the episodes are planned."""

    bible: Bible
    seed: int
    episodes: int
    seconds: int
    paywall: int
    cast: Cast
    paywall_twist: Twist | None
    twists: dict[int, list[Twist]] = field(default_factory=dict)
    reveals: dict[int, list[Secret]] = field(default_factory=dict)
    arrivals: dict[str, int] = field(default_factory=dict)  # appears at this cliffhanger
    departs: dict[str, int] = field(default_factory=dict)  # leaves during this episode
    returns: dict[str, int] = field(default_factory=dict)  # back at this cliffhanger
    cliff_kinds: list[str] = field(default_factory=list)
    place_total: Counter[str] = field(default_factory=Counter)
    mentions: dict[str, list[int]] = field(default_factory=dict)  # twists naming someone
    exit_twist: dict[str, Twist] = field(default_factory=dict)  # a reckoning that removes them

    @classmethod
    def plan(cls, request: SeriesRequest, bible: Bible) -> Season:
        n = bible.episodes
        paywall = max(1, min(bible.paywall_episode, n))
        pay = next((t for t in bible.arc if t.paywall), None)
        s = cls(bible, request.seed, n, request.seconds, paywall, Cast.of(bible), pay)
        for t in bible.arc:
            if t is not pay and 1 <= t.episode <= n:
                s.twists.setdefault(t.episode, []).append(t)
        for secret in bible.secrets:
            if secret.revealed_in <= n:
                s.reveals.setdefault(secret.revealed_in, []).append(secret)
        short = s.short()
        for ch in bible.characters:
            words = {ch.name, short[ch.id]}
            pattern = re.compile("|".join(rf"\b{re.escape(w)}\b" for w in words))
            s.mentions[ch.id] = sorted(
                t.episode for t in bible.arc if pattern.search(t.description)
            )
        s._schedule_people()
        s.cliff_kinds = s._cliff_kinds()
        return s

    def needs(self, ident: str) -> list[int]:
        """Episodes where a character must be on hand: to learn a secret, or named by a twist."""
        learn = [x.revealed_in for x in self.bible.secrets if ident in x.revealed_to]
        return sorted(e for e in {*learn, *self.mentions.get(ident, ())} if e <= self.episodes)

    def _schedule_people(self) -> None:
        c, n = self.cast, self.episodes
        if c.boss and n >= 6:
            enemy = [t.episode for t in self.bible.arc if "enem" in t.kind.lower()]
            intro = (enemy[0] - 1) if enemy else round(0.5 * n)
            intro = min([intro, *(e - 1 for e in self.needs(c.boss))])
            if intro == self.paywall:
                intro -= 1
            if 1 <= intro < n:
                self.arrivals[c.boss] = intro
        if c.villain and n >= 8:
            last = max([0, *self.needs(c.villain)])
            final = [t for t in self.twists.get(last, []) if twist_beat_kind(t.kind) is K.FACE_SLAP]
            others = any(x and x not in self.departs for x in (c.rival, c.boss))
            leave = max(round(0.9 * n), last + 1) if others else n
            if final and last >= round(0.8 * n):  # the reckoning twist itself removes them
                self.departs[c.villain] = last
                self.exit_twist[c.villain] = final[-1]
            elif last < leave <= n and leave > self.arrivals.get(c.boss or "", 0):
                self.departs[c.villain] = leave
        if c.rival and n >= 20:  # the rival leaves mid-season and comes back: a second wind
            self._absence(c.rival, round(0.5 * n), round(0.85 * n))

    def _absence(self, ident: str, first: int, last: int) -> None:
        """Send someone away for the longest stretch in [first, last] where no reveal or twist
        needs them (at least five episodes), and bring them back at its end."""
        needs = [first - 1, *(e for e in self.needs(ident) if first <= e <= last), last + 2]
        gaps = [(b - a, a + 1, b - 2) for a, b in pairwise(needs)]
        _, out, back = max(gaps)
        if back - out >= 5:
            self.departs[ident], self.returns[ident] = out, back

    def active(self, number: int) -> set[str]:
        """Who may appear at the start of an episode."""
        out = set()
        for ch in self.bible.characters:
            i = ch.id
            if number <= self.arrivals.get(i, 0):
                continue
            if i in self.departs and number > self.departs[i] and number <= self.returns.get(i, 0):
                continue
            if i in self.departs and i not in self.returns and number > self.departs[i]:
                continue
            out.add(i)
        return out

    def _cliff_kinds(self) -> list[str]:
        spec: dict[str, dict[str, Any]] = load("cliffhangers")["kinds"]
        genre = self.bible.genre.lower()
        c = self.cast
        pool = {}
        for kind, info in spec.items():
            if genre in (info.get("not") or ()) or (info.get("only") and genre not in info["only"]):
                continue
            if kind == "pregnancy_test" and not ({c.lead, c.love} & c.female):
                continue
            if kind in ("kiss_interrupted", "wedding_objection") and not c.love:
                continue
            if kind == "bigger_enemy":
                continue  # only where the boss arrives
            pool[kind] = float(info.get("weight", 1))
        forced = {self.paywall: "reveal_interrupted"}
        early = self.paywall + 3  # nothing may steal the paywall's thunder
        for ep in self.arrivals.values():
            forced.setdefault(ep, "bigger_enemy")
        for ep in self.returns.values():
            forced.setdefault(ep, "door_opens")
        rng = rng_for(self.seed, self.bible.title, "cliffhanger-kinds")
        kinds: list[str] = []
        uses: Counter[str] = Counter()
        for ep in range(1, self.episodes + 1):
            chosen = forced.get(ep)
            if chosen is not None:
                kind = chosen
            else:
                avoid = {kinds[-1] if kinds else "", forced.get(ep + 1, "")}
                if ep < early:
                    avoid.add("reveal_interrupted")
                options = {k: w / (1 + 3 * uses[k]) for k, w in pool.items() if k not in avoid}
                kind = rng.choices(list(options), weights=list(options.values()))[0]
            kinds.append(kind)
            uses[kind] += 1
        return kinds

    def short(self) -> dict[str, str]:
        return short_names({ch.id: ch.name for ch in self.bible.characters})
