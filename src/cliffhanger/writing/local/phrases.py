"""A small phrase grammar: templates with alternatives, optional parts and slots.

The local writer's words live in YAML banks under ``data/lines/``; this module compiles
their templates once and expands them with a seeded ``random.Random``.

Template syntax::

    (a|b|c)      one of the alternatives (they nest: "(a (b|c)|d)")
    [x]          x or nothing, even odds
    {slot}       a value from the slots mapping: a plain string, or a Bank to expand
    \\(           a literal bracket (any character after a backslash is literal)

>>> import random
>>> t = compile_template("(Well|Oh), {name}[, darling].")
>>> expand(t, random.Random(1), {"name": "Mei"}) in {
...     "Well, Mei.", "Oh, Mei.", "Well, Mei, darling.", "Oh, Mei, darling."}
True
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, TypeAlias

from cliffhanger.model.bible import Character
from cliffhanger.writing.local.genres import safe_load


@dataclass(frozen=True, slots=True)
class Slot:
    name: str


@dataclass(frozen=True, slots=True)
class Alt:
    options: tuple[Template, ...]


Part: TypeAlias = "str | Slot | Alt"
Template: TypeAlias = "tuple[Part, ...]"


@dataclass(frozen=True, slots=True)
class Bank:
    """A list of compiled templates; expanding a bank expands one of them at random."""

    templates: tuple[Template, ...]

    def __bool__(self) -> bool:
        return bool(self.templates)


SlotValue: TypeAlias = "str | Bank"
Slots: TypeAlias = "Mapping[str, SlotValue]"


class TemplateError(ValueError):
    """A template in a phrase bank that cannot be parsed (a bug in the data files)."""


def compile_template(text: str) -> Template:
    """Parse one template string into parts."""
    parts, end = _parse(text, 0, top=True)
    if end != len(text):
        raise TemplateError(f"unbalanced ')' or ']' at {end} in {text!r}")
    return parts


def _parse(text: str, pos: int, *, top: bool = False) -> tuple[Template, int]:
    """Parse a sequence until ``|``, ``)`` or ``]`` (not consumed) or the end."""
    parts: list[Part] = []
    buf: list[str] = []

    def flush() -> None:
        if buf:
            parts.append("".join(buf))
            buf.clear()

    while pos < len(text):
        ch = text[pos]
        if ch in "|)]":
            if top:
                raise TemplateError(f"stray {ch!r} at {pos} in {text!r}")
            break
        if ch == "\\" and pos + 1 < len(text):
            buf.append(text[pos + 1])
            pos += 2
            continue
        if ch == "(":
            flush()
            options: list[Template] = []
            pos += 1
            while True:
                option, pos = _parse(text, pos)
                options.append(option)
                if pos >= len(text):
                    raise TemplateError(f"unclosed '(' in {text!r}")
                if text[pos] == "|":
                    pos += 1
                    continue
                if text[pos] != ")":
                    raise TemplateError(f"expected ')' at {pos} in {text!r}")
                pos += 1
                break
            parts.append(Alt(tuple(options)))
            continue
        if ch == "[":
            flush()
            option, pos = _parse(text, pos + 1)
            if pos >= len(text) or text[pos] != "]":
                raise TemplateError(f"unclosed '[' in {text!r}")
            pos += 1
            parts.append(Alt((option, ())))
            continue
        if ch == "{":
            flush()
            close = text.find("}", pos)
            if close < 0:
                raise TemplateError(f"unclosed '{{' in {text!r}")
            parts.append(Slot(text[pos + 1 : close]))
            pos = close + 1
            continue
        buf.append(ch)
        pos += 1
    flush()
    return tuple(parts), pos


def bank(texts: Sequence[str] | str) -> Bank:
    """Compile a list of template strings (or one) into a bank."""
    if isinstance(texts, str):
        texts = [texts]
    return Bank(tuple(compile_template(str(t)) for t in texts))


def _emit(template: Template, rng: random.Random, slots: Slots, out: list[str]) -> None:
    for part in template:
        if isinstance(part, str):
            out.append(part)
        elif isinstance(part, Slot):
            value = slots.get(part.name)
            if value is None:
                raise KeyError(f"template slot {{{part.name}}} has no value")
            if isinstance(value, str):
                out.append(value)
            elif value.templates:
                _emit(rng.choice(value.templates), rng, slots, out)
        else:
            _emit(rng.choice(part.options), rng, slots, out)


_SPACES = re.compile(r"\s+")
_SPACE_BEFORE = re.compile(r" ([,.!?;:])")
_FIXES = (
    (re.compile(r"([,;:])[,;:]+"), r"\1"),  # ",," → ","
    (re.compile(r"[,;:]+([.!?])"), r"\1"),  # ",." → "."
    (re.compile(r"([!?])\.(?!\.)"), r"\1"),  # "?." → "?"
    (re.compile(r"(?<![.])([.!?]),"), r"\1"),  # "again.," → "again."
    (re.compile(r"(?<![.])\.\.(?![.])"), "."),  # ".." → "." (an ellipsis stays)
)
_SENTENCE = re.compile(r"(^|(?<![.])[.!?] +)([a-z])")


def tidy(text: str) -> str:
    """Collapse spaces, drop doubled punctuation, capitalise sentence starts."""
    text = _SPACES.sub(" ", text).strip()
    text = _SPACE_BEFORE.sub(r"\1", text)
    for pattern, repl in _FIXES:
        text = pattern.sub(repl, text)
    return _SENTENCE.sub(lambda m: m.group(1) + m.group(2).upper(), text)


def expand(template: Template, rng: random.Random, slots: Slots) -> str:
    """One tidy string from a template."""
    out: list[str] = []
    _emit(template, rng, slots, out)
    return tidy("".join(out))


@cache
def variants(template: Template) -> int:
    """How many different strings a template can give (slots counted once)."""
    n = 1
    for part in template:
        if isinstance(part, Alt):
            n *= sum(variants(option) for option in part.options)
    return n


def bank_size(b: Bank) -> int:
    """How many different strings a bank can give (slots counted once)."""
    return sum(variants(t) for t in b.templates)


def expand_nth(b: Bank, index: int, rng: random.Random, slots: Slots) -> str:
    """The ``index``-th variant of a bank (0 <= index < bank_size): a fixed choice at every
    alternative, so distinct indices give distinct lines. Slot banks still draw from ``rng``."""
    for template in b.templates:
        count = variants(template)
        if index < count:
            out: list[str] = []
            _emit_nth(template, index, rng, slots, out)
            return tidy("".join(out))
        index -= count
    raise IndexError(f"variant {index} past the end of the bank")


def _emit_nth(template: Template, k: int, rng: random.Random, slots: Slots, out: list[str]) -> int:
    """Emit the variant of ``template`` that ``k`` encodes (mixed radix); return what is left."""
    for part in template:
        if isinstance(part, Alt):
            total = variants((part,))
            pick, k = k % total, k // total
            for option in part.options:
                size = variants(option)
                if pick < size:
                    _emit_nth(option, pick, rng, slots, out)
                    break
                pick -= size
        else:
            _emit((part,), rng, slots, out)
    return k


def draw(b: Bank, rng: random.Random, slots: Slots) -> str:
    """Expand one template of a bank, chosen at random."""
    return expand(rng.choice(b.templates), rng, slots) if b.templates else ""


@cache
def load(name: str) -> dict[str, Any]:
    """A YAML file from ``data/lines/`` (``name`` without ``.yaml``), parsed once."""
    ref = resources.files("cliffhanger.writing.local") / "data" / "lines" / f"{name}.yaml"
    data = safe_load(ref.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise TemplateError(f"data/lines/{name}.yaml must hold a mapping")
    return data


def banks(name: str) -> dict[str, Bank]:
    """A flat ``key: [templates]`` YAML file compiled to banks (cached)."""
    return _banks(name)


@cache
def _banks(name: str) -> dict[str, Bank]:
    return {str(k): bank(v) for k, v in load(name).items()}


def nested_banks(name: str) -> dict[str, dict[str, Bank]]:
    """A two-level ``group: key: [templates]`` YAML file compiled to banks (cached)."""
    return _nested(name)


@cache
def _nested(name: str) -> dict[str, dict[str, Bank]]:
    out: dict[str, dict[str, Bank]] = {}
    for group, entries in load(name).items():
        out[str(group)] = {str(k): bank(v) for k, v in (entries or {}).items()}
    return out


# -- slots drawn from the bible -----------------------------------------------------------------


def genre_slots(genre: str) -> dict[str, SlotValue]:
    """The genre's flavour words (props, institutions, insults ...) as slot banks.

    ``data/lines/genres.yaml`` holds a ``default`` entry and one per genre; a genre's own list
    replaces the default one for the same key.
    """
    return dict(_genre_slots(genre.strip().lower()))


@cache
def _genre_slots(genre: str) -> tuple[tuple[str, Bank], ...]:
    data = load("genres")
    merged: dict[str, Any] = dict(data.get("default") or {})
    merged.update(data.get(genre) or {})
    return tuple((str(k), bank(v)) for k, v in merged.items())


@cache
def genre_words(genre: str, key: str) -> tuple[str, ...]:
    """The raw texts of one of a genre's slots (the default's where the genre has none)."""
    data = load("genres")
    own = (data.get(genre.strip().lower()) or {}).get(key)
    found = own if own is not None else (data.get("default") or {}).get(key, ())
    return tuple(str(x) for x in ([found] if isinstance(found, str) else found))


def third_person(text: str, obj: str, pos: str) -> str:
    """A phrase said to someone, told about them: "your rank" → "her rank"."""
    text = re.sub(r"\byourself\b", f"{obj}self" if obj != "them" else "themselves", text)
    text = re.sub(r"\byours\b", {"her": "hers", "his": "his"}.get(pos, "theirs"), text)
    text = re.sub(r"\byour\b", pos, text)
    return re.sub(r"\byou\b", obj, text)


def pronouns(gender: str) -> tuple[str, str, str]:
    """Subject, object and possessive pronouns for a gender."""
    return {"female": ("she", "her", "her"), "male": ("he", "him", "his")}.get(
        gender, ("they", "them", "their")
    )


def short_names(names: Mapping[str, str]) -> dict[str, str]:
    """How characters address each other: a word of the name no one else shares.

    ``{"lin_yue": "Lin Yue", "lin_hao": "Lin Hao"}`` → ``{"lin_yue": "Yue", "lin_hao": "Hao"}``.
    """
    owners: dict[str, int] = {}
    for name in names.values():
        for word in set(name.split()):
            owners[word] = owners.get(word, 0) + 1
    out: dict[str, str] = {}
    for ident, name in names.items():
        words = name.split() or [ident]
        unique = [w for w in words if owners.get(w, 0) == 1 and len(w) > 1]
        out[ident] = unique[0] if unique else name
    return out


def place_phrase(name: str) -> str:
    """A place name as it reads inside a sentence: "the Grand Hall", "Kael's Chamber".

    An all-capitals name (as a scene heading writes it) is put in title case first.
    """
    if name.isupper():
        small = {"of", "in", "the", "at", "on", "and", "by", "to", "a"}
        words = name.lower().split()
        name = " ".join(
            w if i and w in small else w[:1].upper() + w[1:] for i, w in enumerate(words)
        )
    if "'s " in name or name.lower().startswith("the "):
        return name if not name.lower().startswith("the ") else "the " + name[4:]
    return "the " + name


# -- text helpers -------------------------------------------------------------------------------

_TITLE_WORDS = (
    "Alpha Luna Moon Goddess His Her Majesty Highness Empress Emperor Dowager Don Elders "
    "Cold Palace Lantern Festival Commission God Mr Mrs Ms Miss Dr"
)


def proper_words(names: Iterable[str]) -> frozenset[str]:
    """Words that keep their capital mid-sentence: names, places and the genre's titles."""
    words = set(_TITLE_WORDS.split())
    for text in names:
        words.update(w.removesuffix("'s") for w in text.split())
    return frozenset(words)


KIN_ADDRESS = {
    "mother": "Mother",
    "father": "Father",
    "mom": "Mom",
    "dad": "Dad",
    "grandmother": "Grandma",
    "grandfather": "Grandpa",
    "sister": "sister",
    "brother": "brother",
    "son": "son",
    "daughter": "my girl",
    "aunt": "Auntie",
    "uncle": "Uncle",
}


def literal(text: str) -> str:
    """Text as a template that expands to itself (brackets and bars escaped)."""
    return re.sub(r"([()\[\]{}|\\])", r"\\\1", text)


def noun_phrase(text: str) -> str:
    """A drawn noun phrase as it reads mid-sentence ("A red envelope" → "a red envelope")."""
    return text[:1].lower() + text[1:] if text[:2].istitle() or text[:2] in ("A ", "An") else text


def lower_ok(text: str, proper: frozenset[str]) -> bool:
    """Whether a line's first word may be lower-cased after an opener: not "I", not a name."""
    first = text.split(" ", 1)[0].strip(",.!?:;")
    return not (first == "I" or first.startswith("I'") or first in proper)


def chars_per_second(text: str, wpm: float = 140.0) -> float:
    """Characters per second of a line as the doctor times it (timing.element_seconds)."""
    seconds = max(1.0, len(text.split()) / wpm * 60 + 0.25)
    return len(text) / seconds


def split_long(text: str, limit: int) -> str:
    """A line cut back to its last whole sentence within the word limit, if it runs over."""
    words = text.split()
    if len(words) <= limit:
        return text
    head = " ".join(words[:limit])
    cut = max(head.rfind(". "), head.rfind("! "), head.rfind("? "))
    return head[: cut + 1] if cut > 0 else text


def secret_handle(text: str, proper: frozenset[str]) -> frozenset[str]:
    """The content words of a secret (no names, no short words): what would give it away."""
    words = re.findall(r"[A-Za-z']+", text)
    return frozenset(w.lower() for w in words if len(w) > 3 and w not in proper)


def chunks(clause: str) -> list[str]:
    """A long secret split into speakable pieces at commas and conjunctions."""
    words = clause.split()
    if len(words) <= 14:
        return [clause]
    parts = re.split(r"(?<=[,;:]) | (?=(?:and|because|but|who|when|after|before) )", clause)
    out: list[str] = []
    for part in parts:
        if out and len(out[-1].split()) + len(part.split()) <= 14:
            out[-1] = f"{out[-1]} {part}"
        else:
            out.append(part)
    return [p.strip().rstrip(",;:") for p in out if p.strip()]


def second_person(
    clause: str, listener: Character | None, speaker: Character | None, names: Mapping[str, str]
) -> str:
    """A secret's text as one character says it to another: names become "you" and "I".

    "Mara is the lost heir" said to Mara → "You are the lost heir"; "Marcus set the fire that
    killed Ethan's father" said by Marcus to Ethan → "I set the fire that killed your father".
    A name right after a capitalised word ("Consort Hua") is a title and stays as it is.
    """
    text = clause.strip().rstrip(".")
    forms = (
        (listener, "you", "you", "your", {"is": "are", "was": "were", "has": "have"}),
        (speaker, "I", "me", "my", {"is": "am", "has": "have"}),
    )
    for who, subj, obj, poss, verbs in forms:
        if who is None:
            continue
        for name in sorted({who.name, names.get(who.id, who.name)}, key=len, reverse=True):
            text = _replace_name(text, name, subj, obj, poss, verbs)
    return text[:1].upper() + text[1:]


def _replace_name(
    text: str, name: str, subj: str, obj: str, poss: str, verbs: Mapping[str, str]
) -> str:
    pattern = re.compile(rf"\b{re.escape(name)}('s)?\b( \w+)?")
    out: list[str] = []
    last = 0
    for m in pattern.finditer(text):
        before = text[: m.start()].rstrip()
        prev_word = before.split()[-1] if before.split() else ""
        if prev_word[:1].isupper() and not prev_word.endswith((".", ":", ";", ",")):
            continue  # "Consort Hua": part of a longer name
        out.append(text[last : m.start()])
        nxt = (m.group(2) or "").strip()
        if m.group(1):
            out.append(poss + (m.group(2) or ""))
        elif nxt in verbs or _is_verb(nxt) or not before or prev_word.endswith((":", ";")):
            out.append(subj + (f" {verbs.get(nxt) or _base_verb(nxt, subj)}" if nxt else ""))
        else:
            out.append(obj + (m.group(2) or ""))
        last = m.end()
    out.append(text[last:])
    return "".join(out)


_AUXILIARIES = {"had", "will", "would", "can", "could", "must", "never", "always", "once", "did"}


def _is_verb(word: str) -> bool:
    """A rough test for the verb after a subject name: "poisoned", "spies", "has", "will"."""
    w = word.lower()
    return w in _AUXILIARIES or (len(w) > 3 and (w.endswith("ed") or w.endswith("s")))


def _base_verb(word: str, subject: str) -> str:
    """Third person to first or second: "spies" → "spy", "knows" → "know"; past stays."""
    w = word
    if w.lower() in _AUXILIARIES or w.endswith("ed") or w.endswith("ss") or not w.endswith("s"):
        return w
    if w.endswith("ies"):
        return w[:-3] + "y"
    if w.endswith(("ches", "shes", "xes", "sses")):
        return w[:-2]
    return w[:-1]
