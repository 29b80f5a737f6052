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
spoken only among people who know it (:func:`outline.knowers`), and no line may say most of
a secret someone in the room must not hear yet. Episodes are realized independently: the
same inputs always give the same script.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from cliffhanger.model import Beat, BeatKind, Bible, Character, EpisodeOutline, Script
from cliffhanger.model.script import Action, BeatMarker, Element, Line, Scene, Transition
from cliffhanger.writing.base import SeriesRequest
from cliffhanger.writing.local.outline import knowers, phase_of
from cliffhanger.writing.local.phrases import (
    KIN_ADDRESS,
    Bank,
    SlotValue,
    Template,
    bank,
    bank_size,
    chars_per_second,
    chunks,
    draw,
    expand,
    expand_nth,
    genre_slots,
    literal,
    load,
    lower_ok,
    noun_phrase,
    place_phrase,
    pronouns,
    proper_words,
    second_person,
    secret_handle,
    short_names,
    split_long,
    variants,
)
from cliffhanger.writing.local.rng import rng_for
from cliffhanger.writing.timing import element_seconds

MAX_LINE_WORDS = 18
HOOK_WORDS = 8
MAX_CPS = 16.0  # characters per second of estimated speech (the doctor allows 17)


@dataclass(frozen=True)
class Move:
    """One kind of line: its deliveries, its tone (for openers and tags) and its templates."""

    paren: tuple[str, ...]
    tone: str
    lines: Bank
    glue: float  # chance of an opener or a tag


@cache
def _moves(genre: str) -> dict[str, Move]:
    out = {}
    for name, spec in load("moves").items():
        lines = list(spec["lines"]) + list((spec.get("genre") or {}).get(genre, ()))
        out[name] = Move(
            tuple(spec.get("paren") or ()),
            spec.get("tone", "neutral"),
            bank(lines),
            float(spec.get("glue", 0.8)),
        )
    return out


@cache
def _glue() -> dict[str, tuple[Bank, Bank]]:
    data = load("glue")
    return {tone: (bank(v.get("open") or []), bank(v.get("tag") or [])) for tone, v in data.items()}


@cache
def _beats() -> dict[str, Any]:
    return load("beats")


@cache
def _actions() -> dict[str, Bank]:
    return {k: bank(v) for k, v in load("actions").items()}


def realize(
    request: SeriesRequest,
    bible: Bible,
    episode: EpisodeOutline,
    previous: EpisodeOutline | None,
) -> Script:
    """One episode's screenplay, in English whatever ``request.language`` says."""
    return _Episode(request, bible, episode, previous).script()


@dataclass
class _Beat:
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


class _Episode:
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
        self.moves = _moves(bible.genre.strip().lower())
        rng = rng_for(self.seed, self.series, "script", episode.number)
        self.rate = rng.uniform(1.6, 1.85)  # spoken words per second of screen time
        self.target = episode.seconds * self.rate
        self.total_seconds = sum(b.seconds for b in episode.beats) or 1.0
        details = self.genre["detail"]
        assert isinstance(details, Bank)
        self.details = (noun_phrase(draw(details, rng, {})), noun_phrase(draw(details, rng, {})))
        tier = min(2, phase_of(episode.number, max(bible.episodes, episode.number)) // 2)
        self.genre["tier"] = self.genre.get(f"stake_{tier}", "everything")
        self.proper = proper_words(
            (*(c.name for c in bible.characters), *(x.name for x in bible.locations))
        )
        self.clashed = False
        self.dealt: Counter[str] = Counter()
        self.called_back = False
        self.handles = {s.id: secret_handle(s.text, self.proper) for s in bible.secrets}
        roles = {c.role.value: c.id for c in reversed(bible.characters)}
        self.lead, self.love = roles.get("lead", ""), roles.get("love_interest", "")
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
        b = _Beat(
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
            pattern = self._hook(b) or pattern
        elif beat.kind is BeatKind.CLIFFHANGER:
            self._cliffhanger(b, budget)
            return b.elements
        elif beat.reveals:
            self._action(b, "", new_scene)
            pattern = self._reveal(b, budget) or pattern
        else:
            self._action(b, beat.kind.value, new_scene)
            self._callback(b)
        self._lines(b, pattern, budget)
        if beat.departs:
            gone = ", ".join(self._name(i) for i in beat.departs)
            text = draw(_actions()["depart"], b.rng, {**self._slots(b, None, None), "who": gone})
            b.elements.append(Action(text))
            self.departed.update(beat.departs)
        return b.elements

    def _pattern(self, beat: Beat) -> list[list[str]]:
        patterns: dict[str, list[list[list[str]]]] = _beats()["patterns"]
        key = beat.kind.value
        if beat.kind is BeatKind.REVEAL and not beat.reveals:
            key = "reveal_plain"
        options = patterns.get(key) or patterns["setup"]
        rng = rng_for(self.seed, self.series, "script", self.ep.number, "pattern", beat.kind.value)
        return rng.choice(options)

    def _now(self, b: _Beat) -> float:
        """Estimated screen time at the end of what the beat holds so far."""
        return self.clock + sum(element_seconds(e, self.wpm) for e in b.elements)

    def _lines(
        self, b: _Beat, pattern: list[list[str]], budget: float, limit: int = 14, spare: float = 0
    ) -> None:
        """Lines after the pattern until the beat's words or its screen time run out."""
        step = 0
        while self.words < budget - 3 and self._now(b) < b.until - spare - 1.5 and step < limit:
            role, move, *to = pattern[step % len(pattern)]
            step += 1
            speaker = self._who(b, role)
            if speaker is not None and speaker.id == b.last_speaker and len(b.present) > 1:
                continue  # let someone else speak
            self._say(
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

    def _maybe_clash(self, b: _Beat) -> None:
        """Once in a while, two people shout over each other (dual dialogue)."""
        if b.beat.kind not in _CLASH_KINDS or len(b.present) < 2 or self.clashed:
            return
        if b.rng.random() > 0.1:
            return
        first = self._say(b, "a", "clash", max_words=9, to="b", glue=False, dealt=True)
        second = self._say(b, "b", "clash", max_words=9, to="a", glue=False, dealt=True)
        if first is not None and second is not None:
            b.elements[-1] = second.with_(dual=True)
            self.clashed = True

    def _mentioned_at(self, who: Character, text: str) -> int:
        """Where a text first names a character (its length when it does not)."""
        hits = [
            m.start()
            for n in {who.name, self._name(who.id)}
            for m in re.finditer(rf"\b{re.escape(n)}\b", text)
        ]
        return min(hits, default=len(text))

    def _room(self, b: _Beat, budget: float, words: int) -> bool:
        """Whether the beat has words and screen time left for a line of about ``words``."""
        seconds = words / self.wpm * 60 + 0.25
        return self.words + words <= budget + 6 and self._now(b) + seconds <= b.until + 1.5

    def _maybe_aside(self, b: _Beat, step: int) -> None:
        """Now and then an action beat in the middle of the talk."""
        if step in (2, 4) and b.rng.random() < 0.3 and self._now(b) < b.until - 6:
            key = f"{b.beat.kind.value}_mid"
            if key in _actions():
                b.elements.append(Action(draw(_actions()[key], b.rng, self._slots(b, None, None))))

    # -- who speaks ------------------------------------------------------------------------
    def _who(self, b: _Beat, role: str) -> Character | None:
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

    def _target(self, b: _Beat, speaker: Character, to: str | None = None) -> Character | None:
        others = [p for p in b.present if p.id != speaker.id]
        if not others:
            return None
        wanted = self._who(b, to) if to else None
        if wanted is not None and wanted in others:
            return wanted
        if b.last_speaker and b.last_speaker != speaker.id and b.last_speaker in self.chars:
            last = self.chars[b.last_speaker]
            if last in others:
                return last
        return others[0]

    def _name(self, ident: str) -> str:
        return self.names.get(ident, ident)

    def _kin(
        self, of: Character | None, besides: Character | None, pronoun: str, fallback: str
    ) -> str:
        """Someone close to ``of`` other than ``besides``: "your stepmother", "my brother".

        ``Relationship(to=b, kind=k)`` on ``of`` reads "b is of's k"; family comes first."""
        if of is None:
            return fallback
        skip = besides.id if besides else ""
        kinds = [r.kind for r in of.relationships if r.to != skip and len(r.kind.split()) <= 2]
        family = [k for k in kinds if k.split()[-1].removeprefix("step") in _FAMILY]
        return f"{pronoun} {(family or kinds)[0]}" if family or kinds else fallback

    def _address(self, speaker: Character | None, target: Character, tone: str) -> SlotValue:
        """How ``speaker`` calls ``target``: mostly the name, sometimes the full name, a
        kinship word ("Mother", "sister") or, between the lovers, an endearment."""
        short = self._name(target.id)
        forms = [literal(short)] * 5
        if target.name != short and tone in ("hostile", "cold", "smug", "firm"):
            forms.append(literal(target.name))
        kin = self._relation(speaker, target) if speaker else None
        word = KIN_ADDRESS.get(kin.split()[-1].removeprefix("step")) if kin else None
        if word:
            forms += [word, word]
        lovers = {self.lead, self.love}
        tender = tone in ("warm", "hurt", "fearful", "desperate")
        if tender and speaker and {speaker.id, target.id} == lovers and "endear" in self.genre:
            forms += ["{endear}", "{endear}"]
        return bank(forms)

    def _relation(self, speaker: Character, target: Character) -> str | None:
        for rel in speaker.relationships:
            if rel.to == target.id and 0 < len(rel.kind.split()) <= 3:
                return rel.kind
        return None

    # -- slots -------------------------------------------------------------------------
    def _slots(
        self, b: _Beat, speaker: Character | None, target: Character | None, tone: str = ""
    ) -> dict[str, SlotValue]:
        slots: dict[str, SlotValue] = dict(self.genre)
        people = b.present
        for tag, i in (("a", 0), ("b", 1), ("c", 2)):
            p = people[i] if i < len(people) else (people[-1] if people else None)
            slots[tag] = self._name(p.id) if p else "someone"
            sub, obj, pos = pronouns(p.appearance.gender if p else "")
            slots.update({f"{tag}_sub": sub, f"{tag}_obj": obj, f"{tag}_pos": pos})
        who = target or (people[1] if len(people) > 1 else None)
        slots["name_plain"] = self._name(who.id) if who else "everyone"
        slots["name"] = self._address(speaker, who, tone) if who else "everyone"
        sub, obj, pos = pronouns(who.appearance.gender if who else "")
        slots.update({"t_sub": sub, "t_obj": obj, "t_pos": pos})
        slots["me"] = self._name(speaker.id) if speaker else "me"
        rel = self._relation(speaker, who) if speaker and who else None
        slots["rel"] = f"my own {rel}" if rel else slots["name_plain"]
        slots["your_kin"] = self._kin(who, speaker, "your", "your family")
        slots["my_kin"] = self._kin(speaker, who, "my", "my family")
        loc = next((x for x in self.bible.locations if x.id == b.beat.location), None)
        slots["place"] = place_phrase(loc.name) if loc else "this place"
        slots["detail"] = self.details[b.index % 2]
        slots["other_detail"] = self.details[(b.index + 1) % 2]
        slots["ep"] = str(self.ep.number)
        third = [p for p in people if p not in (speaker, who)]
        slots["them"] = self._name(third[0].id) if third else "the others"
        slots.update(b.extra)
        return slots

    # -- lines -------------------------------------------------------------------------
    def _say(
        self,
        b: _Beat,
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
        speaker = self._who(b, role)
        if speaker is None or move not in self.moves:
            return None
        target = self._target(b, speaker, to)
        m = self.moves[move]
        slots = self._slots(b, speaker, target, m.tone)
        slots.update(extra or {})
        unknown = frozenset(i for i in self.handles if not b.all_know(i) and "secret" not in slots)
        words = max(3, min(MAX_LINE_WORDS, max_words))
        text = self._variant(b.rng, move, slots, words, unknown) if dealt else ""
        if not text:
            text = self._compose(b.rng, m, slots, words, glue, unknown)
        if not text:
            return None
        paren = self._paren(b.rng, m, slots)
        line = Line(speaker.cue, text, paren, extension)
        b.elements.append(line)
        b.last_speaker = speaker.id
        self.words += line.words
        return line

    def _variant(
        self,
        rng: random.Random,
        move: str,
        slots: Mapping[str, SlotValue],
        max_words: int,
        unknown: frozenset[str],
    ) -> str:
        """This episode's variant of a once-an-episode line: the variants are shuffled once per
        series and dealt out by episode number, so none comes back within ``size`` episodes.
        One that does not fit (too long, too fast, a secret) passes to the next in the deal."""
        lines = self.moves[move].lines
        order = _deal(self.seed, self.series, move, bank_size(lines))
        self.dealt[move] += 1  # a second line of one move in an episode takes another variant
        start = self.ep.number - 1 + (self.dealt[move] - 1) * (len(order) // 3 + 1)
        for step in range(min(len(order), 12)):
            text = expand_nth(lines, order[(start + step) % len(order)], rng, slots)
            fast = chars_per_second(text) > MAX_CPS
            if len(text.split()) <= max_words and not fast and not self._leaks(text, unknown):
                return text
        return ""

    def _compose(
        self,
        rng: random.Random,
        m: Move,
        slots: Mapping[str, SlotValue],
        max_words: int,
        glue: bool,
        unknown: frozenset[str] = frozenset(),
    ) -> str:
        """One line of a move: a core sentence, maybe a second one, an opener and a tag.

        Tries a few drafts and keeps the first that fits the word limit, reads at a
        comfortable speed and gives away no secret; failing that, the least bad draft."""
        drafts: list[tuple[int, float, str]] = []
        for _ in range(10):
            template = rng.choice(m.lines.templates)
            line = split_long(
                self._draft(rng, m, template, slots, max_words, glue), MAX_LINE_WORDS + 2
            )
            if self._leaks(line, unknown):
                continue
            words = len(line.split())
            if words <= max_words and chars_per_second(line) <= MAX_CPS:
                return line
            drafts.append((max(0, words - max_words), chars_per_second(line), line))
        # over the doctor's reading speed is worse than a few words over the budget
        return min(drafts, key=lambda d: (d[1] > 17.0, d))[2] if drafts else ""

    def _draft(
        self,
        rng: random.Random,
        m: Move,
        template: Template,
        slots: Mapping[str, SlotValue],
        max_words: int,
        glue: bool,
    ) -> str:
        core = expand(template, rng, slots)
        words = len(core.split())
        if words > max_words or not glue:
            return core
        # a template with few variants needs company to stay fresh across a long series
        few = variants(template)
        name = str(slots.get("name_plain", ""))
        boost = 2.0 if few < 12 else 1.6 if few < 30 else 1.25 if few < 80 else 1.0
        if few < 30 and len(m.lines.templates) > 1 and rng.random() < 0.45:
            # a second sentence of the same kind: "Look at you. Who let you in?"
            more = expand(rng.choice(m.lines.templates), rng, slots)
            twice = name in core and name in more
            if more != core and not twice and words + len(more.split()) <= max_words:
                core, words = f"{core} {more}", words + len(more.split())
        opener_bank, tag_bank = _glue().get(m.tone, (Bank(()), Bank(())))
        said = name in core
        interjection = core.split(" ", 1)[0].strip(",.!?") in _INTERJECTIONS
        if opener_bank and not interjection and rng.random() < m.glue * 0.55 * boost:
            opener = draw(opener_bank, rng, slots)
            if words + len(opener.split()) <= max_words and not (said and name in opener):
                said = said or name in opener
                lower = opener.endswith((",", "—")) and lower_ok(core, self.proper)
                core = f"{opener} {core[:1].lower() if lower else core[:1]}{core[1:]}"
                words = len(core.split())
        if tag_bank and rng.random() < m.glue * 0.5 * boost:
            tag = draw(tag_bank, rng, slots)
            if words + len(tag.split()) <= max_words and not (said and name in tag):
                core = f"{core} {tag}"
        return core

    def _leaks(self, text: str, unknown: frozenset[str]) -> bool:
        """Whether a line says too much of a secret someone in the room must not hear yet."""
        said = secret_handle(text, self.proper)
        for ident in unknown:
            handle = self.handles[ident]
            if len(handle) >= 3 and len(handle & said) >= 0.45 * len(handle):
                return True
        return False

    def _paren(self, rng: random.Random, m: Move, slots: Mapping[str, SlotValue]) -> str | None:
        if not m.paren or rng.random() < 0.15:
            return None
        paren = rng.choice(m.paren)
        if rng.random() < 0.12 and slots.get("name_plain") not in (None, "everyone"):
            paren = f"{paren}, to {slots['name_plain']}"
        return paren

    # -- action ------------------------------------------------------------------------
    def _action(self, b: _Beat, key: str, new_scene: bool, limit: int = 0) -> None:
        """A beat's opening image (and a new scene's establishing one), unless time is short."""
        if self._now(b) > b.until - 2.0:
            return  # a crowded episode runs late: the talk carries the beat
        actions = _actions()
        slots = self._slots(b, None, None)
        loc = next((x for x in self.bible.locations if x.id == b.beat.location), None)
        short = self.ep.seconds < 75  # a short episode keeps to one image per beat
        if new_scene and loc is not None and not short and b.rng.random() < 0.5:
            ambience = actions.get(f"at_{loc.kind}") or actions["at_other"]
            b.elements.append(Action(draw(ambience, b.rng, slots)))
        if key in actions:
            text = draw(actions[key], b.rng, slots)
            if not limit or len(text.split()) <= limit:
                b.elements.append(Action(text))

    # -- special beats -------------------------------------------------------------------
    def _hook(self, b: _Beat) -> list[list[str]] | None:
        """The first seconds: at most one short action, then a short line mid-crisis.

        Returns the pattern the rest of the hook follows (None: the default one)."""
        spec: dict[str, Any] = _beats()["hooks"]
        cliff = self.prev.cliffhanger if self.prev else None
        kind = (cliff.cliffhanger_kind or "default") if cliff else "cold"
        entry = spec.get(kind) or spec["default"]
        if entry.get("ext"):
            b.extra["ext_b"] = entry["ext"]
        slots = self._slots(b, None, None)
        if entry.get("action") and b.rng.random() < 0.6:
            for _ in range(4):
                text = draw(bank(entry["action"]), b.rng, slots)
                if len(text.split()) <= HOOK_WORDS:
                    b.elements.append(Action(text))
                    break
        role = entry.get("who", "a")
        move = f"hook_{kind}" if f"hook_{kind}" in self.moves else "hook_default"
        self._say(
            b,
            role,
            move,
            max_words=HOOK_WORDS,
            extension=b.extra.get(f"ext_{role}"),
            glue=True,
            dealt=True,
        )
        then: list[list[str]] | None = entry.get("then")
        return then

    def _reveal(self, b: _Beat, budget: float) -> list[list[str]] | None:
        """The secret said out loud: told by someone who knows it, or found by a learner.

        Returns the pattern the rest of the beat follows when it is not the usual one."""
        secret = next((s for s in self.bible.secrets if s.id == b.beat.reveals), None)
        if secret is None:
            return None
        before = (
            knowers(self.bible, self.ep, b.index - 1)[secret.id]
            if b.index
            else frozenset({secret.holder, *secret.known_by})
        )
        tellers = [p for p in b.present if p.id in before]
        learners = [p for p in b.present if p.id in b.beat.learned_by and p.id not in before]
        # whoever the summary names first drives the scene: a knower tells, a learner finds out
        first = min(b.present, key=lambda p: self._mentioned_at(p, b.beat.summary), default=None)
        if first is not None and first in learners:
            tellers = []
            learners.sort(key=lambda p: p is not first)
        teller = tellers[0] if tellers else (learners[0] if learners else None)
        if teller is None:
            return None
        holder = next((p for p in b.present if p.id == secret.holder), None)
        listener = holder if not tellers and holder else None
        listener = listener or next((p for p in b.present if p is not teller), None)
        b.present.sort(key=lambda p: 0 if p is teller else 1 if p is listener else 2)
        if not b.all_know(secret.id):  # someone present must not hear it: only hint
            self._say(b, "a", "hint_big")
            return None
        slots = self._slots(b, None, None)
        if not tellers or self._now(b) < b.until - 2.0:  # a discovery must be seen
            image = draw(_actions()["reveal" if tellers else "reveal_read"], b.rng, slots)
            b.elements.append(Action(image))
        if tellers and self._room(b, budget, 10):
            self._say(b, "a", "reveal_lead")
        clause = second_person(secret.text, listener, teller, self.names)
        for i, part in enumerate(chunks(clause)):
            # the heart of the secret is always said; the rest only if the beat has room
            if i == 0 or self._room(b, budget, len(part.split())):
                self._say(b, "a", "reveal_state", extra={"secret": part}, glue=False, to="b")
        if holder is not None and holder is not teller:
            b.last_speaker = None
            self._say_as(b, holder, "reveal_holder", teller)
        elif listener is not None and self._room(b, budget, 6):
            self._say(b, "b", "reveal_react", to="a")
        found: list[list[str]] = _beats()["patterns"]["reveal_found"][0]
        return found if not tellers and holder is listener else None

    def _callback(self, b: _Beat) -> None:
        """Throw a secret everyone present already knows back in someone's face, or have its
        holder hint at one nobody else here knows yet."""
        if b.beat.kind not in _CALLBACK_KINDS or b.rng.random() > 0.3 or self.called_back:
            return
        n = self.ep.number
        for secret in self.bible.secrets:
            holder = next((p for p in b.present if p.id == secret.holder), None)
            if holder is None:
                continue
            others = [p for p in b.present if p is not holder]
            if 0 < n - secret.revealed_in <= 2 and b.all_know(secret.id) and others:
                speaker = others[0]
                clause = chunks(second_person(secret.text, holder, speaker, self.names))[0]
                self._say_as(b, speaker, "known_secret", holder, {"secret": clause})
                self.called_back = True
                return
            if 0 <= secret.revealed_in - n <= 6 and others and not b.all_know(secret.id):
                self._say_as(b, holder, "hint", others[0])
                return

    def _say_as(
        self,
        b: _Beat,
        speaker: Character,
        move: str,
        to: Character,
        extra: Mapping[str, str] | None = None,
    ) -> None:
        """A line by a given character to another, whatever their places in the beat."""
        order = list(b.present)
        b.present.sort(key=lambda p: 0 if p is speaker else 1 if p is to else 2)
        self._say(b, "a", move, extra=extra, to="b")
        b.present[:] = order

    def _cliffhanger(self, b: _Beat, budget: float) -> None:
        spec: dict[str, Any] = _beats()["cliffhangers"]
        kind = b.beat.cliffhanger_kind or "default"
        if self.ep.paywall and kind == "reveal_interrupted":
            revealed = any(x.reveals for x in self.ep.beats[: b.index])
            kind = "paywall_expose" if revealed else "paywall"
        entry = spec.get(kind) or spec["default"]
        if entry.get("ext"):
            b.extra["ext_b"] = entry["ext"]
        present = {p.id for p in b.present}
        named = [c for c in self.bible.characters if c.id not in present] or b.present
        b.extra["named"] = self._name(b.rng.choice(named).id)
        self._action(
            b,
            f"cliff_{kind}" if f"cliff_{kind}" in _actions() else "cliff_default",
            new_scene=False,
        )
        lead: list[list[str]] = entry.get("lead", [["a", "uneasy"]])
        sting_words = 8
        self._lines(b, lead, budget - sting_words, limit=6, spare=4.0)
        for role, move, *rest in entry.get("sting", []):
            if move.startswith("!"):
                b.elements.append(
                    Action(draw(_actions()[move[1:]], b.rng, self._slots(b, None, None)))
                )
                continue
            to = rest[0] if rest else None  # [role, move, spoken to, extension]
            ext = rest[1] if len(rest) > 1 else b.extra.get(f"ext_{role}")
            self._say(b, role, move, max_words=10, extension=ext, to=to, dealt=True)


@cache
def _deal(seed: int, series: str, move: str, size: int) -> tuple[int, ...]:
    """A series' own order of a move's variants."""
    order = list(range(size))
    rng_for(seed, series, "deal", move).shuffle(order)
    return tuple(order)


_FAMILY_WORDS = (
    "mother father mom dad sister brother son daughter wife husband grandmother grandfather "
    "aunt uncle cousin child baby fiance fiancé fiancée twin"
)
_FAMILY = frozenset(_FAMILY_WORDS.split())
_INTERJECTION_WORDS = "Oh Well Look Ha Please Honestly Seriously So Wait No Go Listen"
_INTERJECTIONS = frozenset(_INTERJECTION_WORDS.split())
_CLASH_KINDS = frozenset({BeatKind.CONFRONTATION, BeatKind.BETRAYAL, BeatKind.HUMILIATION})
_CALLBACK_KINDS = frozenset(
    {
        BeatKind.CONFRONTATION,
        BeatKind.THREAT,
        BeatKind.FACE_SLAP,
        BeatKind.REVERSAL,
        BeatKind.BETRAYAL,
        BeatKind.SETUP,
    }
)
