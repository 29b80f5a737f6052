"""The outline planner: a bible's season arc → every episode as a run of beats.

Each episode opens on a hook (from episode 2 on, the payoff of the last cliffhanger), carries
a jolt about every 30-45 s and ends on a cliffhanger whose kind varies across the season.
The season escalates (CRAFT.md): humiliation → hidden strength → face-slaps → a bigger
enemy → the big reveal → the reckoning. Bible twists land in their episodes, each secret
comes out in its ``revealed_in`` episode, the paywall episode ends on the paywall twist cut
off mid-reveal, and :func:`.season.knowers` says who knows what at every beat.

Character order in a beat is meaningful: the first acts (the mocker in a humiliation, the
vindicated hero in a face-slap, the revealer in a reveal); in a cliffhanger the second is
the one it turns on (who is at the door, who is calling, who collapses).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from cliffhanger.model import Beat, BeatKind, Bible, EpisodeOutline, Outline, Secret, Twist
from cliffhanger.writing.base import SeriesRequest
from cliffhanger.writing.local.phrases import (
    Bank,
    SlotValue,
    bank,
    draw,
    genre_slots,
    genre_words,
    literal,
    load,
    nested_banks,
    place_phrase,
    pronouns,
    third_person,
)
from cliffhanger.writing.local.rng import rng_for
from cliffhanger.writing.local.season import (
    Season,
    beat_count,
    jolts_needed,
    knowers,
    ledger,
    phase_of,
    tables,
    twist_beat_kind,
)
from cliffhanger.writing.local.staging import outdoor, roofed, under_sky

K = BeatKind

__all__ = ["knowers", "ledger", "phase_of", "plan_outline", "title_case"]


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
        self.places = {x.id: x for x in self.locations}
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
        # every episode of 45 s or more turns at least once: a literal reversal beat
        turn = s.seconds >= 45 and all(k is not K.REVERSAL for k, _ in (*fixed, *early))
        count = max(
            beat_count(s.seconds) - 2,
            len(fixed) + len(early) + max(int(turn), need - fixed_jolts),
        )
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
        forced = -1
        if turn:  # the reversal takes a jolt slot if one is free, else any free slot
            free = [i for i in range(count) if i not in slots]
            forced = self.rng.choice([i for i in must if i in free] or free)
            slots[forced] = (K.REVERSAL, None)
        out: list[tuple[BeatKind, object]] = []
        seen: Counter[BeatKind] = Counter(k for k, _ in slots.values())
        last = K.HOOK
        for i in range(count):
            if i not in slots:
                avoid = {last, K.REVERSAL} if i + 1 == forced else {last}
                pool = {k: w / (1 + 2 * seen[k]) for k, w in weights.items() if k not in avoid}
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
    def _place(self, kind: BeatKind, stay: float = 0.5, roof: bool = False) -> str:
        """Where a beat plays: often where the last one did; ``roof``: somewhere indoors."""
        if roof:
            stay = stay if not outdoor(self.places.get(self.here or "")) else 0.0
        if self.here is not None and self.rng.random() < stay:
            return self.here
        prefs = tables().places.get(kind, ())
        full = len(self.used_places) >= 3

        def score(loc_index: int) -> float:
            loc = self.locations[loc_index]
            value = float(len(prefs) - prefs.index(loc.kind)) if loc.kind in prefs else 0.0
            value -= 10.0 if full and loc.id not in self.used_places else 0.0
            value -= 2.0 * self.s.place_total[loc.id] / max(1, sum(self.s.place_total.values()))
            value -= 100.0 if roof and outdoor(loc) else 0.0
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
        stakes = genre_words(self.s.bible.genre, f"stake_{min(2, self.phase // 2)}")
        for tag in ("a", "b", "c"):
            ident = ids.pop(0) if ids else ""
            char = next((x for x in self.s.bible.characters if x.id == ident), None)
            sub, obj, pos = pronouns(char.appearance.gender if char else "")
            slots[tag] = self.names.get(ident, "everyone")
            slots.update({f"{tag}_sub": sub, f"{tag}_obj": obj, f"{tag}_pos": pos})
            # a summary is told, not said: whose stake it is, in the third person
            told = [third_person(x, obj, pos) for x in stakes] or ["everything"]
            slots[f"{tag}_tier"] = bank([literal(x) for x in told])
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
        place = place if place in self.places else self._place(kind)
        if outdoor(self.places[place]):  # no knocking at a clearing's door
            sky = under_sky(bank)
            told = (v for k, v in (extra or {}).items() if k in ("secret", "twist"))
            if sky and not any(roofed(v) for v in told):  # a twist's own desk needs a roof too
                bank = sky
            else:  # every summary of it needs a roof: play it indoors
                place = self._place(kind, roof=True)
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
    if words and words[0] in {"The", "A", "An", "At", "Two", "Three", "Someone", "Out"}:
        return text[:1].lower() + text[1:]
    return text
