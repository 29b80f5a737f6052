"""The line composer: how people address each other and how one spoken line is drafted.

A line is a move (mock, vow, threaten ...) from ``data/lines/moves.yaml``: a core sentence,
maybe a second of the same kind, an opener and a tag from ``glue.yaml`` in the move's tone.
Drafts that run long, read too fast or give away a secret someone in the room must not hear
yet are set aside. Lines said once an episode at a fixed place (the hook's first line, a
sting) are *dealt*: every variant shuffled once per series and handed out by episode number,
so none comes round again for many episodes.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache

from cliffhanger.model import Character
from cliffhanger.writing.local.phrases import (
    KIN_ADDRESS,
    Bank,
    SlotValue,
    Template,
    bank,
    bank_size,
    chars_per_second,
    draw,
    expand,
    expand_nth,
    literal,
    load,
    lower_ok,
    secret_handle,
    split_long,
    variants,
)
from cliffhanger.writing.local.rng import rng_for

MAX_LINE_WORDS = 18
MAX_CPS = 16.0  # characters per second of estimated speech (the doctor allows 17)


@dataclass(frozen=True)
class Move:
    """One kind of line: its deliveries, its tone (for openers and tags) and its templates."""

    paren: tuple[str, ...]
    tone: str
    lines: Bank
    glue: float  # chance of an opener or a tag


@cache
def moves_for(genre: str) -> dict[str, Move]:
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


_SENTENCE = re.compile(r"[^.!?…]+(?:[.!?…]+|$)")


def once_each(text: str) -> str:
    """A line with every sentence said once: "Look at me. Only me. Look at me." → "Look at
    me. Only me." (a second sentence or a tag can echo the core)."""
    seen: set[str] = set()
    kept = []
    for sentence in _SENTENCE.findall(text):
        key = sentence.strip().strip(".!?…").lower()
        if len(key.split()) > 1 and key in seen:  # "No. No." is emphasis, not an echo
            continue
        seen.add(key)
        kept.append(sentence.strip())
    return " ".join(s for s in kept if s)


@dataclass(frozen=True)
class Address:
    """Forms of address between the cast: names, kinship words, the lovers' endearments."""

    names: Mapping[str, str]  # short names by id
    lead: str
    love: str
    genre: Mapping[str, SlotValue]

    def name(self, ident: str) -> str:
        return self.names.get(ident, ident)

    def kin(
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

    def address(self, speaker: Character | None, target: Character, tone: str) -> SlotValue:
        """How ``speaker`` calls ``target``: mostly the name, sometimes the full name, a
        kinship word ("Mother", "sister") or, between the lovers, an endearment."""
        short = self.name(target.id)
        forms = [literal(short)] * 5
        if target.name != short and tone in ("hostile", "cold", "smug", "firm"):
            forms.append(literal(target.name))
        kin = self.relation(speaker, target) if speaker else None
        word = KIN_ADDRESS.get(kin.split()[-1].removeprefix("step")) if kin else None
        if word:
            forms += [word, word]
        lovers = {self.lead, self.love}
        tender = tone in ("warm", "hurt", "fearful", "desperate")
        if tender and speaker and {speaker.id, target.id} == lovers and "endear" in self.genre:
            forms += ["{endear}", "{endear}"]
        return bank(forms)

    def relation(self, speaker: Character, target: Character) -> str | None:
        for rel in speaker.relationships:
            if rel.to == target.id and 0 < len(rel.kind.split()) <= 3:
                return rel.kind
        return None


@dataclass
class Composer:
    """Drafts one episode's spoken lines."""

    seed: int
    series: str
    episode: int
    moves: dict[str, Move]
    proper: frozenset[str]
    handles: dict[str, frozenset[str]]  # each secret's give-away words
    dealt: Counter[str] = field(default_factory=Counter)

    def variant(
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
        start = self.episode - 1 + (self.dealt[move] - 1) * (len(order) // 3 + 1)
        for step in range(min(len(order), 12)):
            text = once_each(expand_nth(lines, order[(start + step) % len(order)], rng, slots))
            fast = chars_per_second(text) > MAX_CPS
            if len(text.split()) <= max_words and not fast and not self.leaks(text, unknown):
                return text
        return ""

    def compose(
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
                once_each(self._draft(rng, m, template, slots, max_words, glue)),
                MAX_LINE_WORDS + 2,
            )
            if self.leaks(line, unknown):
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

    def leaks(self, text: str, unknown: frozenset[str]) -> bool:
        """Whether a line says too much of a secret someone in the room must not hear yet."""
        said = secret_handle(text, self.proper)
        for ident in unknown:
            handle = self.handles[ident]
            if len(handle) >= 3 and len(handle & said) >= 0.45 * len(handle):
                return True
        return False

    def paren(self, rng: random.Random, m: Move, slots: Mapping[str, SlotValue]) -> str | None:
        if not m.paren or rng.random() < 0.15:
            return None
        paren = rng.choice(m.paren)
        if rng.random() < 0.12 and slots.get("name_plain") not in (None, "everyone"):
            paren = f"{paren}, to {slots['name_plain']}"
        return paren
