"""The outline planner: a bible's season arc → every episode as a run of beats.

Each episode opens on a hook (from episode 2 on, the payoff of the last cliffhanger), carries
a jolt about every 30-45 s and ends on a cliffhanger whose kind varies across the season.
The season escalates (CRAFT.md): humiliation → hidden strength → face-slaps → a bigger
enemy → the big reveal → the reckoning. Bible twists land in their episodes, each secret
comes out in its ``revealed_in`` episode, the paywall episode ends on the paywall twist cut
off mid-reveal, and :func:`knowers` says who knows what at every beat.

Character order in a beat is meaningful: the first acts (the mocker in a humiliation, the
vindicated hero in a face-slap, the revealer in a reveal); in a cliffhanger the second is
the one it turns on (who is at the door, who is calling, who collapses).
"""

from __future__ import annotations

import math
import random
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from itertools import pairwise
from typing import Any

from cliffhanger.model import Beat, BeatKind, Bible, EpisodeOutline, Outline, Role, Secret, Twist
from cliffhanger.writing.base import SeriesRequest
from cliffhanger.writing.local.phrases import (
    Bank,
    SlotValue,
    draw,
    genre_slots,
    load,
    nested_banks,
    place_phrase,
    pronouns,
    short_names,
)
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


# -- one episode ------------------------------------------------------------------------------


def plan_outline(request: SeriesRequest, bible: Bible) -> Outline:
    """Every episode 1..``bible.episodes`` planned beat by beat."""
    season = Season.plan(request, bible)
    titles: set[str] = set()
    episodes: list[EpisodeOutline] = []
    for number in range(1, season.episodes + 1):
        previous = episodes[-1] if episodes else None
        episodes.append(_Episode(season, number, previous).plan(titles))
    return Outline(episodes=tuple(episodes))


def _texts(group: str) -> dict[str, Bank]:
    return nested_banks("outline")[group]


class _Episode:
    def __init__(self, season: Season, number: int, previous: EpisodeOutline | None) -> None:
        self.s = season
        self.n = number
        self.prev = previous
        self.rng = rng_for(season.seed, season.bible.title, "outline", number)
        self.phase = phase_of(number, season.episodes)
        self.active = season.active(number)
        self.genre = genre_slots(season.bible.genre)
        self.names = season.short()
        self.locations = season.bible.locations[:5]
        self.here: str | None = None
        self.used_places: set[str] = set()

    def plan(self, titles: set[str]) -> EpisodeOutline:
        beats = [self._hook()]
        for kind, payload in self._middle_kinds():
            beats.append(self._middle(kind, payload))
        beats.append(self._cliffhanger())
        beats = self._timed(beats)
        self.s.place_total.update(b.location for b in beats)
        key = next((b for b in beats[1:-1] if b.kind.is_jolt), beats[-1])
        return EpisodeOutline(
            number=self.n,
            title=self._title(key, beats[-1], titles),
            summary=f"{key.summary} It ends as {_lower_first(beats[-1].summary)}",
            seconds=self.s.seconds,
            paywall=self.n == self.s.paywall,
            beats=tuple(beats),
        )

    # -- which beats ---------------------------------------------------------------------
    def _middle_kinds(self) -> list[tuple[BeatKind, object]]:
        """Middle beats as (kind, payload); payload: a Twist, a Secret, "depart" or None."""
        s = self.s
        fixed: list[tuple[BeatKind, object]] = []
        early: list[tuple[BeatKind, object]] = []
        covered: set[str] = set()
        for twist in s.twists.get(self.n, ()):
            secret = self._secret_of(twist)
            if secret is not None and secret.revealed_in == self.n:
                covered.add(secret.id)
                fixed.append((K.REVEAL, twist))
            else:
                fixed.append((twist_beat_kind(twist.kind), twist))
        late: list[tuple[BeatKind, object]] = []
        pay = s.paywall_twist
        for secret in s.reveals.get(self.n, ()):
            if secret.id in covered:
                continue
            if pay is not None and pay.secret == secret.id and self.n == s.paywall:
                late.append((K.REVEAL, pay))  # revealed, then the cliffhanger cuts its fallout
            elif pay is not None and pay.secret == secret.id and self.n == s.paywall + 1:
                early.append((K.REVEAL, secret))  # the paywall's interrupted reveal completes
            else:
                fixed.append((K.REVEAL, secret))
        if any(ep == self.n and who not in s.exit_twist for who, ep in s.departs.items()):
            fixed.append((K.FACE_SLAP, "depart"))
        fixed += late
        need = jolts_needed(s.seconds)
        fixed_jolts = sum(1 for k, _ in (*fixed, *early) if k.is_jolt)
        count = max(beat_count(s.seconds) - 2, len(fixed) + len(early) + max(0, need - fixed_jolts))
        need = min(count, need)
        jolt_slots = sorted({min(count - 1, int((i + 0.5) * count / need)) for i in range(need)})
        order = [i for i in range(count) if i not in jolt_slots][::-1]
        order = [*jolt_slots[::-1], *order]
        order = [i for i in order if i >= len(early)]
        slots: dict[int, tuple[BeatKind, object]] = dict(enumerate(early))
        placed = sorted(order[: len(fixed)])
        if late and placed and placed[-1] != count - 1:
            placed[-1] = count - 1  # the paywall reveal goes right before the cliffhanger
        slots.update(zip(placed, fixed, strict=True))
        weights = dict(tables().phases[self.phase][1])
        if self.s.cast.love not in self.active:
            weights.pop(K.ROMANCE, None)
        jolts = sum(1 for k, _ in slots.values() if k.is_jolt)
        must = [i for i in jolt_slots if i not in slots]
        must += [i for i in range(count) if i not in slots and i not in must]
        must = must[: max(0, need - jolts)]
        out: list[tuple[BeatKind, object]] = []
        seen: Counter[BeatKind] = Counter(k for k, _ in slots.values())
        last = K.HOOK
        for i in range(count):
            if i not in slots:
                pool = {k: w / (1 + 2 * seen[k]) for k, w in weights.items() if k is not last}
                if i in must:
                    pool = {k: w for k, w in pool.items() if k.is_jolt}
                else:  # room to breathe between jolts
                    pool = {k: w * (1 if k.is_jolt else 2.5) for k, w in pool.items()}
                slots[i] = (self.rng.choices(list(pool), list(pool.values()))[0], None)
                seen[slots[i][0]] += 1
            out.append(slots[i])
            last = slots[i][0]
        return out

    def _secret_of(self, twist: object) -> Secret | None:
        ident = getattr(twist, "secret", None)
        return next((x for x in self.s.bible.secrets if x.id == ident), None)

    # -- places and people ---------------------------------------------------------------
    def _place(self, kind: BeatKind, stay: float = 0.5) -> str:
        if self.here is not None and self.rng.random() < stay:
            return self.here
        prefs = tables().places.get(kind, ())
        full = len(self.used_places) >= 3

        def score(loc_index: int) -> float:
            loc = self.locations[loc_index]
            value = float(len(prefs) - prefs.index(loc.kind)) if loc.kind in prefs else 0.0
            value -= 10.0 if full and loc.id not in self.used_places else 0.0
            value -= 2.0 * self.s.place_total[loc.id] / max(1, sum(self.s.place_total.values()))
            return value + 4.0 * self.rng.random()

        return self.locations[max(range(len(self.locations)), key=score)].id

    def _clean(self, people: Iterable[str | None], fill: bool = True) -> tuple[str, ...]:
        out: list[str] = []
        for p in people:
            if p is not None and p in self.active and p not in out:
                out.append(p)
        if len(out) < 2 and fill:  # nobody acts alone: bring in whoever is around
            for p in (self.s.cast.lead, *sorted(self.active)):
                if p in self.active and p not in out and len(out) < 2:
                    out.append(p)
        return tuple(out)

    def _people(self, kind: BeatKind) -> tuple[str, ...]:
        c, act, rng = self.s.cast, self.active, self.rng
        hero = c.lead if c.lead in act else None
        foe = c.foe(act, rng)
        friend = c.friend(act, rng, avoid=(hero or "",))
        love = c.love if c.love in act else None
        boss = c.boss if c.boss in act else None
        third = friend if rng.random() < 0.4 else None
        cast: dict[BeatKind, tuple[str | None, ...]] = {
            K.HUMILIATION: (foe, hero, third),
            K.FACE_SLAP: (hero, foe, friend),
            K.REVERSAL: (hero, foe),
            K.RESCUE: (love or friend, hero, foe if rng.random() < 0.5 else None),
            K.ROMANCE: (hero, love or friend),
            K.BETRAYAL: ((c.rival if c.rival in act else None) or foe, hero),
            K.THREAT: (boss if boss and rng.random() < 0.6 else foe, hero, third),
            K.CONFRONTATION: (hero, love if love and self.n % 2 == 0 else foe),
            K.SETUP: (hero, friend or love),
        }
        return self._clean(cast.get(kind, (hero, foe)))

    def _cliff_people(self, kind: str) -> tuple[str, ...]:
        """(point of view, the one it turns on, others) for a cliffhanger kind."""
        spec: dict[str, Any] = load("cliffhangers")["kinds"].get(kind, {})
        c, act, rng = self.s.cast, self.active, self.rng
        roles: dict[str, str | None] = {
            "hero": c.lead,
            "love": c.love if c.love in act else None,
            "foe": c.foe(act, rng),
            "boss": c.boss,
            "friend": c.friend(act, rng, avoid=(c.lead,)),
        }
        women = [i for i in (c.lead, c.love) if i in c.female and i in act]
        roles["mother"] = women[0] if women else None
        roles["partner"] = next((i for i in (c.love, c.lead) if i != roles["mother"]), None)
        picks = [
            next((roles[r] for r in alts.split("|") if roles.get(r)), None)
            for alts in spec.get("cast", ["hero", "foe|love|friend"])
        ]
        return self._clean(picks)

    # -- the beats -----------------------------------------------------------------------
    def _slots(
        self, people: Iterable[str], place: str, extra: Mapping[str, str]
    ) -> dict[str, SlotValue]:
        slots: dict[str, SlotValue] = dict(self.genre)
        loc = next((x for x in self.locations if x.id == place), None)
        slots["place"] = place_phrase(loc.name) if loc else "here"
        ids = list(people)
        for tag in ("a", "b", "c"):
            ident = ids.pop(0) if ids else ""
            char = next((x for x in self.s.bible.characters if x.id == ident), None)
            sub, obj, pos = pronouns(char.appearance.gender if char else "")
            slots[tag] = self.names.get(ident, "everyone")
            slots.update({f"{tag}_sub": sub, f"{tag}_obj": obj, f"{tag}_pos": pos})
        slots["tier"] = slots.get(f"stake_{min(2, self.phase // 2)}", "everything")
        slots.update(extra)
        return slots

    def _beat(
        self,
        kind: BeatKind,
        people: tuple[str, ...],
        bank: Bank,
        *,
        place: str | None = None,
        extra: Mapping[str, str] | None = None,
        **fields: Any,
    ) -> Beat:
        place = place if place in {x.id for x in self.locations} else self._place(kind)
        assert place is not None
        summary = draw(bank, self.rng, self._slots(people, place, extra or {}))
        self.here = place
        self.used_places.add(place)
        return Beat(
            kind=kind,
            summary=summary,
            location=place,
            characters=people,
            emotion=self.rng.choice(tables().emotions[kind]),
            **fields,
        )

    def _hook(self) -> Beat:
        cliff = self.prev.cliffhanger if self.prev else None
        if cliff is None or self.prev is None:
            place = self._place(K.HUMILIATION, stay=0.0)
            people = self._people(K.HUMILIATION)
            return self._beat(K.HOOK, people, _texts("hook")["cold"], place=place)
        people = self._clean(cliff.characters)
        kind = cliff.cliffhanger_kind or ""
        bank = _texts("payoff").get(kind) or _texts("payoff")["default"]
        extra = {"prev": f"episode {self.prev.number}", "what": cliff.summary.rstrip(".")}
        return self._beat(K.HOOK, people, bank, place=cliff.location, extra=extra)

    def _middle(self, kind: BeatKind, payload: object) -> Beat:
        secret = payload if isinstance(payload, Secret) else self._secret_of(payload)
        twist = payload if isinstance(payload, Twist) else None
        if kind is K.REVEAL and secret is not None and secret.revealed_in == self.n:
            people = self._reveal_people(secret)
            extra = {
                "secret": secret.text.rstrip("."),
                "twist": twist.description.rstrip(".") if twist else "",
            }
            bank = _texts("reveal")["twist" if twist else "plain"]
            return self._beat(
                K.REVEAL,
                people,
                bank,
                extra=extra,
                reveals=secret.id,
                learned_by=secret.revealed_to,
            )
        if payload == "depart":
            leaving = tuple(i for i, ep in self.s.departs.items() if ep == self.n)
            friend = self.s.cast.friend(self.active, self.rng, avoid=(self.s.cast.lead,))
            people = self._clean((self.s.cast.lead, *leaving, friend))
            beat = self._beat(K.FACE_SLAP, people, _texts("depart")["any"], departs=leaving)
            self.active -= set(leaving)
            return beat
        people = self._people(kind)
        if twist is not None:
            named = self._named(twist.description)
            if kind is K.THREAT and self.s.cast.boss in self.active:
                named = [self.s.cast.boss, *named]
            leaving = tuple(i for i, t in self.s.exit_twist.items() if t is twist)
            people = self._clean((*named, *leaving, *people))[: max(3, len(named) + len(leaving))]
            extra = {"twist": twist.description.rstrip(".")}
            beat = self._beat(kind, people, _texts("twist")["any"], extra=extra, departs=leaving)
            self.active -= set(leaving)
            return beat
        return self._beat(kind, people, _texts("beat")[kind.value])

    def _named(self, text: str) -> list[str]:
        """Active characters a free text names, in the order it names them."""
        found = []
        for ch in self.s.bible.characters:
            words = {ch.name, self.names.get(ch.id, ch.name)}
            hits = [m.start() for w in words for m in re.finditer(rf"\b{re.escape(w)}\b", text)]
            if hits and ch.id in self.active:
                found.append((min(hits), ch.id))
        return [i for _, i in sorted(found)]

    def _reveal_people(self, secret: Secret) -> tuple[str, ...]:
        tellers = [i for i in (secret.holder, *secret.known_by) if i in self.active]
        learners = [i for i in secret.revealed_to if i not in tellers]
        # only those who know, or learn it here, may be in the room
        return self._clean((*tellers[:1], *learners, *tellers[1:]), fill=False)

    def _cliffhanger(self) -> Beat:
        s = self.s
        kind = s.cliff_kinds[self.n - 1]
        arriving = tuple(i for i, ep in s.arrivals.items() if ep == self.n)
        returning = tuple(i for i, ep in s.returns.items() if ep == self.n)
        self.active |= {*arriving, *returning}
        place = self.here if self.rng.random() < 0.6 else None
        if self.n == s.paywall and s.paywall_twist is not None:
            secret = self._secret_of(s.paywall_twist)
            exposing = secret is not None and secret.revealed_in == self.n
            people = self._paywall_people(exposing)
            extra = {"twist": s.paywall_twist.description.rstrip(".")}
            return self._beat(
                K.CLIFFHANGER,
                people,
                _texts("paywall")["expose" if exposing else "tell"],
                place=place,
                extra=extra,
                cliffhanger_kind=kind,
            )
        people = self._cliff_people(kind)
        if arriving or returning:
            people = self._clean((s.cast.lead, *arriving, *returning, *people))
        bank = _texts("cliff")["return" if returning else kind]
        return self._beat(
            K.CLIFFHANGER, people, bank, place=place, cliffhanger_kind=kind, returns=returning
        )

    def _paywall_people(self, exposing: bool) -> tuple[str, ...]:
        """(hero, the one at the centre, the interrupter) for the paywall cliffhanger.

        Telling: someone who knows is about to tell the hero. Exposing: the secret came out
        earlier in the episode and the hero is about to say it in front of everyone."""
        c = self.s.cast
        secret = self._secret_of(self.s.paywall_twist)
        holders = [secret.holder, *secret.known_by] if secret else []
        foe = c.foe(self.active, self.rng)
        if exposing:
            centre = next((i for i in holders if i in self.active and i != c.lead), foe)
            other = c.foe(self.active, self.rng, avoid=(centre or "",)) or c.witness(
                self.active, self.rng, avoid=(c.lead, centre or "")
            )
            return self._clean((c.lead, centre, other))
        tellers = [i for i in holders if i in self.active and i != c.lead]
        teller = tellers[0] if tellers else c.friend(self.active, self.rng, avoid=(c.lead,))
        return self._clean((c.lead, teller, foe))

    def _timed(self, beats: list[Beat]) -> list[Beat]:
        """Share the episode's seconds out in tenths, summing exactly to the target."""
        weights = []
        for b in beats:
            w = 0.7 if b.kind is K.HOOK else 1.15 if b.kind.is_jolt else 1.0
            weights.append(w * (0.85 + 0.3 * self.rng.random()))
        total = self.s.seconds * 10
        tenths = [max(10, int(total * w / sum(weights))) for w in weights]
        tenths[0] = min(tenths[0], 150)
        tenths[-1] += total - sum(tenths)
        return [b.with_(seconds=t / 10) for b, t in zip(beats, tenths, strict=True)]

    def _title(self, key: Beat, cliff: Beat, used: set[str]) -> str:
        slots = self._slots([*key.characters[:2], *cliff.characters[1:2]], cliff.location, {})
        titles = _texts("title")
        options = [titles.get(cliff.cliffhanger_kind or ""), titles.get(key.kind.value)]
        for attempt in range(60):
            bank = options[attempt % 3] if attempt % 3 < 2 else None
            title = title_case(draw(bank or titles["any"], self.rng, slots))
            if title.lower() not in used:
                used.add(title.lower())
                return title
        title = f"{title_case(draw(titles['any'], self.rng, slots))}, Part {self.n}"
        used.add(title.lower())
        return title


_SMALL = {"a", "an", "the", "of", "in", "on", "at", "to", "for", "and", "or", "by", "with"}


def title_case(text: str) -> str:
    """ "the slap at the gala" → "The Slap at the Gala"."""
    words = text.strip().rstrip(".").split()
    return " ".join(
        w if (i and w.lower() in _SMALL) or not w[:1].islower() else w[:1].upper() + w[1:]
        for i, w in enumerate(words)
    )


def _lower_first(text: str) -> str:
    words = text.split(" ", 1)
    if words and words[0] in {"The", "A", "An", "Two", "Three", "Someone", "Out"}:
        return text[:1].lower() + text[1:]
    return text
