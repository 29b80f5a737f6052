"""The realizer: one episode's beats → its screenplay.

Every beat becomes a :class:`BeatMarker`, a line or two of visual action and a run of
spoken lines; a new scene starts wherever the location changes. Who says what follows the
beat's kind: a humiliation is a mocker and a victim, a face-slap a doubter and the hero who
proves them wrong (``data/lines/beats.yaml`` holds these patterns). Each line is a move
(mock, vow, threaten ...) drawn from ``data/lines/moves.yaml`` and dressed with an opener and
a tag from ``glue.yaml``; slots take names and forms of address, relationships, the genre's
props and the episode's own details. Lines said once an episode at a fixed place (the
hook's first line, the cliffhanger's sting, a shouting match) are dealt from a per-series
shuffle of every variant, so they cannot come round again for many episodes.

A beat gets its share of the episode's words (about 1.7 per second) and of its estimated
screen time (:mod:`cliffhanger.writing.timing`), whichever runs out first. A secret is
spoken only among people who know it (:func:`.season.knowers`), and no line may say most of
a secret someone in the room must not hear yet. Episodes are realized independently: the
same inputs always give the same script.
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from cliffhanger.model import Beat, BeatKind, Bible, Character, EpisodeOutline, Location, Script
from cliffhanger.model.script import Action, BeatMarker, Element, Line, Scene, Transition
from cliffhanger.writing.base import SeriesRequest
from cliffhanger.writing.local import setpieces
from cliffhanger.writing.local.lines import MAX_LINE_WORDS, Address, Composer, moves_for
from cliffhanger.writing.local.outline import knowers, phase_of
from cliffhanger.writing.local.phrases import (
    Bank,
    SlotValue,
    draw,
    genre_slots,
    noun_phrase,
    place_phrase,
    pronouns,
    proper_words,
    secret_handle,
    short_names,
)
from cliffhanger.writing.local.rng import rng_for
from cliffhanger.writing.local.setpieces import beat_patterns
from cliffhanger.writing.local.staging import images, outdoor
from cliffhanger.writing.timing import element_seconds


def realize(
    request: SeriesRequest,
    bible: Bible,
    episode: EpisodeOutline,
    previous: EpisodeOutline | None,
) -> Script:
    """One episode's screenplay, in English whatever ``request.language`` says."""
    return EpisodeWriter(request, bible, episode, previous).script()


@dataclass
class BeatState:
    """What one beat's lines may use."""

    beat: Beat
    index: int
    rng: random.Random
    present: list[Character]
    known: dict[str, frozenset[str]]
    elements: list[Element] = field(default_factory=list)
    last_speaker: str | None = None
    extra: dict[str, str] = field(default_factory=dict)
    until: float = 0.0  # the estimated screen time this beat should end by

    def all_know(self, secret: str) -> bool:
        return all(p.id in self.known.get(secret, ()) for p in self.present)


class EpisodeWriter:
    def __init__(
        self,
        request: SeriesRequest,
        bible: Bible,
        episode: EpisodeOutline,
        previous: EpisodeOutline | None,
    ) -> None:
        self.request = request
        self.bible = bible
        self.ep = episode
        self.prev = previous
        self.seed = request.seed
        self.wpm = request.words_per_minute or 140.0
        self.series = bible.title  # streams differ between series, stay put under small edits
        self.chars = {c.id: c for c in bible.characters}
        self.names = short_names({c.id: c.name for c in bible.characters})
        self.genre = genre_slots(bible.genre)
        self.genre_key = bible.genre.strip().lower()
        self.moves = moves_for(self.genre_key)
        self.places = {x.id: x for x in bible.locations}
        rng = rng_for(self.seed, self.series, "script", episode.number)
        self.rate = rng.uniform(1.6, 1.85)  # spoken words per second of screen time
        self.target = episode.seconds * self.rate
        self.total_seconds = sum(b.seconds for b in episode.beats) or 1.0
        details = self.genre["detail"]
        assert isinstance(details, Bank)
        self.details = (noun_phrase(draw(details, rng, {})), noun_phrase(draw(details, rng, {})))
        proofs = self.genre["evidence"]
        assert isinstance(proofs, Bank)
        self.evidence = (noun_phrase(draw(proofs, rng, {})), noun_phrase(draw(proofs, rng, {})))
        tier = min(2, phase_of(episode.number, max(bible.episodes, episode.number)) // 2)
        self.genre["tier"] = self.genre.get(f"stake_{tier}", "everything")
        self.proper = proper_words(
            (*(c.name for c in bible.characters), *(x.name for x in bible.locations))
        )
        self.clashed = False
        self.called_back = False
        self.handles = {s.id: secret_handle(s.text, self.proper) for s in bible.secrets}
        roles = {c.role.value: c.id for c in reversed(bible.characters)}
        lead, love = roles.get("lead", ""), roles.get("love_interest", "")
        self.address = Address(self.names, lead, love, self.genre)
        self.composer = Composer(
            self.seed, self.series, episode.number, self.moves, self.proper, self.handles
        )
        self.words = 0
        self.elapsed = 0.0  # the outline's seconds up to the end of the current beat
        self.clock = 0.0  # estimated screen time of everything written before it
        self.departed: set[str] = set()

    # -- the script ----------------------------------------------------------------------
    def script(self) -> Script:
        scenes: list[Scene] = []
        elements: list[Element] = []
        here: str | None = None
        transitions = 0
        for i, beat in enumerate(self.ep.beats):
            if beat.location != here and elements:
                prev_kind = self.ep.beats[i - 1].kind
                rng = rng_for(self.seed, self.series, "script", self.ep.number, "cut", i)
                if transitions < 2 and rng.random() < (0.45 if prev_kind.is_jolt else 0.2):
                    elements.append(Transition("SMASH CUT TO:" if prev_kind.is_jolt else "CUT TO:"))
                    self.clock += element_seconds(elements[-1])
                    transitions += 1
                scenes.append(self._scene(here, elements))
                elements = []
            new_scene = beat.location != here
            here = beat.location
            done = self._beat(i, beat, new_scene)
            self.clock += sum(element_seconds(e, self.wpm) for e in done)
            elements.extend(done)
        elements.append(Transition("SMASH CUT TO BLACK."))
        scenes.append(self._scene(here, elements))
        return Script(episode=self.ep.number, title=self.ep.title, scenes=tuple(scenes))

    def _scene(self, location: str | None, elements: list[Element]) -> Scene:
        loc = next((x for x in self.bible.locations if x.id == location), None)
        if loc is None:
            heading = f"INT. {(location or 'somewhere').replace('_', ' ').upper()} - DAY"
            return Scene(heading, "", tuple(elements))
        return Scene(loc.heading, loc.id, tuple(elements))

    # -- one beat ------------------------------------------------------------------------
    def _beat(self, index: int, beat: Beat, new_scene: bool) -> list[Element]:
        present = [
            self.chars[i] for i in beat.characters if i in self.chars and i not in self.departed
        ]
        b = BeatState(
            beat,
            index,
            rng_for(self.seed, self.series, "script", self.ep.number, "beat", index),
            present,
            knowers(self.bible, self.ep, index),
        )
        b.elements.append(BeatMarker(kind=beat.kind.value, summary=beat.summary))
        self.elapsed += beat.seconds
        b.until = self.elapsed * self.ep.seconds / self.total_seconds
        budget = self.target * self.elapsed / self.total_seconds
        pattern = self._pattern(beat)
        if beat.kind is BeatKind.HOOK:
            pattern = setpieces.hook(self, b) or pattern
        elif beat.kind is BeatKind.CLIFFHANGER:
            setpieces.cliffhanger(self, b, budget)
            return b.elements
        elif beat.reveals:
            self.action(b, "", new_scene)
            pattern = setpieces.reveal(self, b, budget) or pattern
        else:
            self.action(b, beat.kind.value, new_scene)
            setpieces.callback(self, b)
        self.lines(b, pattern, budget)
        if beat.departs:
            gone = ", ".join(self.name(i) for i in beat.departs)
            departs = self.images(b, "depart")
            if departs:
                text = draw(departs, b.rng, {**self.slots(b, None, None), "who": gone})
                b.elements.append(Action(text))
            self.departed.update(beat.departs)
        return b.elements

    def _pattern(self, beat: Beat) -> list[list[str]]:
        patterns: dict[str, list[list[list[str]]]] = beat_patterns()["patterns"]
        key = beat.kind.value
        if beat.kind is BeatKind.REVEAL and not beat.reveals:
            key = "reveal_plain"
        options = patterns.get(key) or patterns["setup"]
        rng = rng_for(self.seed, self.series, "script", self.ep.number, "pattern", beat.kind.value)
        return rng.choice(options)

    def now(self, b: BeatState) -> float:
        """Estimated screen time at the end of what the beat holds so far."""
        return self.clock + sum(element_seconds(e, self.wpm) for e in b.elements)

    def lines(
        self,
        b: BeatState,
        pattern: list[list[str]],
        budget: float,
        limit: int = 14,
        spare: float = 0,
    ) -> None:
        """Lines after the pattern until the beat's words or its screen time run out."""
        step = 0
        while self.words < budget - 3 and self.now(b) < b.until - spare - 1.5 and step < limit:
            role, move, *to = pattern[step % len(pattern)]
            step += 1
            speaker = self.who(b, role)
            if speaker is not None and speaker.id == b.last_speaker and len(b.present) > 1:
                continue  # let someone else speak
            self.say(
                b,
                role,
                move,
                max_words=max(14, int(budget - self.words) + 4),
                to=to[0] if to else None,
                extension=b.extra.get(f"ext_{role}"),
            )
            self._maybe_aside(b, step)
            if step == 2:
                self._maybe_clash(b)

    def _maybe_clash(self, b: BeatState) -> None:
        """Once in a while, two people shout over each other (dual dialogue)."""
        if b.beat.kind not in _CLASH_KINDS or len(b.present) < 2 or self.clashed:
            return
        if b.rng.random() > 0.1:
            return
        first = self.say(b, "a", "clash", max_words=9, to="b", glue=False, dealt=True)
        second = self.say(b, "b", "clash", max_words=9, to="a", glue=False, dealt=True)
        if first is not None and second is not None:
            b.elements[-1] = second.with_(dual=True)
            self.clashed = True

    def mentioned_at(self, who: Character, text: str) -> int:
        """Where a text first names a character (its length when it does not)."""
        hits = [
            m.start()
            for n in {who.name, self.name(who.id)}
            for m in re.finditer(rf"\b{re.escape(n)}\b", text)
        ]
        return min(hits, default=len(text))

    def room(self, b: BeatState, budget: float, words: int) -> bool:
        """Whether the beat has words and screen time left for a line of about ``words``."""
        seconds = words / self.wpm * 60 + 0.25
        return self.words + words <= budget + 6 and self.now(b) + seconds <= b.until + 1.5

    def _maybe_aside(self, b: BeatState, step: int) -> None:
        """Now and then an action beat in the middle of the talk."""
        if step in (2, 4) and b.rng.random() < 0.3 and self.now(b) < b.until - 6:
            mid = self.images(b, f"{b.beat.kind.value}_mid")
            if mid:
                b.elements.append(Action(draw(mid, b.rng, self.slots(b, None, None))))

    # -- who speaks ------------------------------------------------------------------------
    def who(self, b: BeatState, role: str) -> Character | None:
        """A role in the beat: "a", "b", "c" (by position), or "any" other than the last."""
        people = b.present
        if not people:
            return None
        if role in ("a", "b", "c"):
            i = "abc".index(role)
            if i < len(people):
                return people[i]
            return None if role == "c" else people[-1]
        others = [p for p in people if p.id != b.last_speaker] or people
        return b.rng.choice(others)

    def _target(self, b: BeatState, speaker: Character, to: str | None = None) -> Character | None:
        others = [p for p in b.present if p.id != speaker.id]
        if not others:
            return None
        wanted = self.who(b, to) if to else None
        if wanted is not None and wanted in others:
            return wanted
        if b.last_speaker and b.last_speaker != speaker.id and b.last_speaker in self.chars:
            last = self.chars[b.last_speaker]
            if last in others:
                return last
        return others[0]

    def name(self, ident: str) -> str:
        return self.names.get(ident, ident)

    # -- slots -------------------------------------------------------------------------
    def slots(
        self, b: BeatState, speaker: Character | None, target: Character | None, tone: str = ""
    ) -> dict[str, SlotValue]:
        slots: dict[str, SlotValue] = dict(self.genre)
        people = b.present
        for tag, i in (("a", 0), ("b", 1), ("c", 2)):
            # with only two people a third falls back to the first, never onto {b}: no one
            # films themself
            p = people[i] if i < len(people) else (people[0] if people else None)
            slots[tag] = self.name(p.id) if p else "someone"
            sub, obj, pos = pronouns(p.appearance.gender if p else "")
            slots.update({f"{tag}_sub": sub, f"{tag}_obj": obj, f"{tag}_pos": pos})
        who = target or (people[1] if len(people) > 1 else None)
        slots["name_plain"] = self.name(who.id) if who else "everyone"
        slots["name"] = self.address.address(speaker, who, tone) if who else "everyone"
        sub, obj, pos = pronouns(who.appearance.gender if who else "")
        slots.update({"t_sub": sub, "t_obj": obj, "t_pos": pos})
        slots["me"] = self.name(speaker.id) if speaker else "me"
        rel = self.address.relation(speaker, who) if speaker and who else None
        slots["rel"] = f"my own {rel}" if rel else slots["name_plain"]
        slots["your_kin"] = self.address.kin(who, speaker, "your", "your family")
        slots["my_kin"] = self.address.kin(speaker, who, "my", "my family")
        loc = next((x for x in self.bible.locations if x.id == b.beat.location), None)
        slots["place"] = place_phrase(loc.name) if loc else "this place"
        slots["detail"] = self.details[b.index % 2]
        slots["other_detail"] = self.details[(b.index + 1) % 2]
        slots["evidence"] = self.evidence[b.index % 2]
        slots["ep"] = str(self.ep.number)
        third = [p for p in people if p not in (speaker, who)]
        slots["them"] = self.name(third[0].id) if third else "the others"
        slots.update(b.extra)
        return slots

    # -- lines -------------------------------------------------------------------------
    def say(
        self,
        b: BeatState,
        role: str,
        move: str,
        max_words: int = MAX_LINE_WORDS,
        extra: Mapping[str, str] | None = None,
        extension: str | None = None,
        glue: bool = True,
        to: str | None = None,
        dealt: bool = False,
    ) -> Line | None:
        """A line of ``move`` by ``role``; ``dealt`` marks a line said once an episode at a
        fixed place (the hook's first line, a sting), which takes its episode's variant."""
        speaker = self.who(b, role)
        if speaker is None or move not in self.moves:
            return None
        target = self._target(b, speaker, to)
        m = self.moves[move]
        slots = self.slots(b, speaker, target, m.tone)
        slots.update(extra or {})
        unknown = frozenset(i for i in self.handles if not b.all_know(i) and "secret" not in slots)
        words = max(3, min(MAX_LINE_WORDS, max_words))
        text = self.composer.variant(b.rng, move, slots, words, unknown) if dealt else ""
        if not text:
            text = self.composer.compose(b.rng, m, slots, words, glue, unknown)
        if not text:
            return None
        paren = self.composer.paren(b.rng, m, slots)
        line = Line(speaker.cue, text, paren, extension)
        b.elements.append(line)
        b.last_speaker = speaker.id
        self.words += line.words
        return line

    # -- action ------------------------------------------------------------------------
    def location(self, b: BeatState) -> Location | None:
        return self.places.get(b.beat.location)

    def images(self, b: BeatState, *keys: str) -> Bank:
        """The first of ``keys`` with images that suit the genre and the beat's place."""
        return images(keys, self.genre_key, outdoor(self.location(b)))

    def action(self, b: BeatState, key: str, new_scene: bool, limit: int = 0) -> None:
        """A beat's opening image (and a new scene's establishing one), unless time is short."""
        if self.now(b) > b.until - 2.0:
            return  # a crowded episode runs late: the talk carries the beat
        slots = self.slots(b, None, None)
        loc = self.location(b)
        short = self.ep.seconds < 75  # a short episode keeps to one image per beat
        if new_scene and loc is not None and not short and b.rng.random() < 0.5:
            ambience = self.images(b, f"at_{loc.kind}", "at_other")
            b.elements.append(Action(draw(ambience, b.rng, slots)))
        shown = self.images(b, key) if key else Bank(())
        if shown:
            text = draw(shown, b.rng, slots)
            if not limit or len(text.split()) <= limit:
                b.elements.append(Action(text))


_CLASH_KINDS = frozenset({BeatKind.CONFRONTATION, BeatKind.BETRAYAL, BeatKind.HUMILIATION})
