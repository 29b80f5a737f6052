"""Premise analysis: any free text → what a bible can be built on.

Reads the first :data:`HEAD` characters of the premise (a 20,000-character premise costs the
same as a sentence) and finds its language by Unicode script (Latin text votes English or
Spanish by stopwords), the genre by weighted keywords with a seeded tie-break (``drama`` when
nothing matches), the tropes it names, a culture it names ("Korean", "in Mumbai"), the lead's
gender, age and profession, and the relatives or partners it names ("her twin sister").
The vocabulary lives in ``data/premise.yaml``.

>>> p = analyze("A nurse discovers her twin sister stole her life")
>>> (p.language, p.lead_job.job if p.lead_job else None, [r.id for r in p.relations])
('en', 'nurse', ['twin_sister'])
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from bisect import bisect_left
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Literal

from pydantic import Field

from cliffhanger.errors import PremiseError
from cliffhanger.model.bible import Gender, Role
from cliffhanger.writing.local.genres import Keywords, Library, Record, default_library, safe_load
from cliffhanger.writing.local.names import NameBook, default_names
from cliffhanger.writing.local.rng import rng_for

HEAD = 2000
"""How many characters of a premise are analysed (and kept in the bible)."""

FALLBACK = "drama"
_WORD = re.compile(r"[^\W\d_]+(?:[-'][^\W\d_]+)*")
_ZH_DIGITS = {
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}


class JobWord(Record):
    job: str
    words: tuple[str, ...] = ()
    female: tuple[str, ...] = ()
    male: tuple[str, ...] = ()
    outfit: str = ""
    accessories: tuple[str, ...] = ()


class RelationWord(Record):
    id: str
    words: tuple[str, ...] = Field(min_length=1)
    gender: Gender | None = None
    kind: str  # what this person is to the lead, "male/female"
    back: str | None = None  # what the lead is to them; None: the same as kind
    family: Literal["blood", "marriage"] | None = None
    age: tuple[int, int]
    absolute: bool = False  # age is absolute (a child), not an offset from the lead's
    roles: tuple[Role, ...] = Field(min_length=1)


class Vocabulary(Record):
    stopwords: dict[str, frozenset[str]]
    scripts: dict[str, str]
    lead_words: dict[Gender, tuple[str, ...]]
    first_words: dict[str, Gender]  # an opening article that tells the gender (Spanish "una")
    pronouns: dict[Gender, frozenset[str]]
    owners: frozenset[str]
    articles: dict[Literal["indefinite", "definite"], frozenset[str]]
    numbers: dict[str, int]
    jobs: tuple[JobWord, ...]
    relations: tuple[RelationWord, ...]


@dataclass(frozen=True, slots=True)
class Job:
    word: JobWord
    gender: Gender | None  # when the word itself is gendered ("waitress", "camarero")


@dataclass(frozen=True, slots=True)
class Premise:
    """What :func:`analyze` read in a premise."""

    text: str  # the analysed head, lower-cased
    digest: str  # stable id of the premise, part of every random draw
    language: str  # en, es, zh, ko, ja, ... by script; "und" when it has no letters
    genre: str
    scores: Mapping[str, float]
    tropes: tuple[str, ...]
    culture: str | None  # a culture the premise names; None when it names none
    lead_gender: Gender | None
    lead_age: int | None
    lead_job: Job | None
    other_jobs: tuple[Job, ...]
    relations: tuple[RelationWord, ...]
    city: str | None


def analyze(
    premise: str,
    seed: int = 0,
    library: Library | None = None,
    names: NameBook | None = None,
) -> Premise:
    """Read a premise. Raises :class:`PremiseError` when it is empty or only whitespace."""
    head = premise.strip()[:HEAD]
    if not head:
        raise PremiseError(
            f"premise is empty: {premise[:40]!r}; write a line about who wants what, e.g. "
            "'A waitress discovers she is the lost heiress of a billionaire family'"
        )
    lib = library or default_library()
    book = names or default_names()
    vocab = vocabulary()
    text = unicodedata.normalize("NFKC", head).lower()
    words = _WORD.findall(text)
    digest = hashlib.sha256(head.encode("utf-8")).hexdigest()[:16]
    trope_scores = {(g.id, t.id): score(t.keywords, text) for g, t in lib.tropes()}
    scores = {
        g.id: score(g.keywords, text) + 0.5 * sum(trope_scores[g.id, t.id] for t in g.tropes)
        for g in lib.genres.values()
    }
    best = max(scores.values())
    ties = sorted(g for g, s in scores.items() if s == best and s > 0)
    genre = rng_for(seed, "genre", digest).choice(ties) if ties else FALLBACK
    found: dict[str, float] = {}
    for (_, trope), s in trope_scores.items():
        if s > 0:
            found[trope] = max(found.get(trope, 0.0), s)
    cultures = {c: score(culture.keywords, text) for c, culture in book.cultures.items()}
    named = max(cultures, key=lambda c: cultures[c])
    lead_job, other_jobs = _jobs(text, words, vocab)
    return Premise(
        text=text,
        digest=digest,
        language=_language(text, words, vocab),
        genre=genre,
        scores=scores,
        tropes=tuple(sorted(found, key=lambda t: -found[t])[:4]),
        culture=named if cultures[named] > 0 else None,
        lead_gender=_lead_gender(text, words, vocab, lead_job),
        lead_age=_age(text, vocab),
        lead_job=lead_job,
        other_jobs=other_jobs,
        relations=_relations(text, words, vocab),
        city=_city(text, book),
    )


@lru_cache(maxsize=1024)
def _split(items: tuple[tuple[str, float], ...]) -> tuple[tuple[tuple[str, float], ...], ...]:
    """Latin keywords (matched on words) apart from the others (matched as substrings)."""
    latin: list[tuple[str, float]] = []
    other: list[tuple[str, float]] = []
    for word, weight in items:
        letters = [c for c in word if c.isalpha()]
        is_latin = bool(letters) and all(ord(c) < 0x250 for c in letters)
        (latin if is_latin else other).append((word, weight))
    return tuple(latin), tuple(other)


@lru_cache(maxsize=64)
def _tokens(text: str) -> tuple[frozenset[str], tuple[str, ...], str]:
    words = re.findall(r"\w+(?:[-'’]\w+)*", text)
    return frozenset(words), tuple(sorted(set(words))), " " + " ".join(words) + " "


def _has(word: str, text: str) -> bool:
    tokens, ordered, joined = _tokens(text)
    if word.endswith("*"):  # any ending: "betray*" finds "betrayed"
        stem = word[:-1]
        if " " in stem:
            return f" {stem}" in joined
        i = bisect_left(ordered, stem)
        return i < len(ordered) and ordered[i].startswith(stem)
    if " " in word:
        return any(f" {word}{end} " in joined for end in ("", "s", "es"))
    return word in tokens or f"{word}s" in tokens or f"{word}es" in tokens


def score(keywords: Keywords, text: str) -> float:
    """The summed weight of the distinct keywords found in ``text`` (already lower-cased)."""
    items = tuple((w.lower(), float(x)) for lang in keywords.values() for w, x in lang.items())
    latin, other = _split(items)
    return sum(x for w, x in latin if _has(w, text)) + sum(x for w, x in other if w in text)


@cache
def vocabulary() -> Vocabulary:
    res = resources.files("cliffhanger.writing.local") / "data" / "premise.yaml"
    return Vocabulary.model_validate(safe_load(res.read_text(encoding="utf-8")))


def _language(text: str, words: list[str], vocab: Vocabulary) -> str:
    scripts = Counter(unicodedata.name(c, "? ?").split()[0] for c in text if c.isalpha())
    if not scripts:
        return "und"
    if scripts.get("HIRAGANA") or scripts.get("KATAKANA"):
        return "ja"
    script = scripts.most_common(1)[0][0]
    if script != "LATIN":
        return vocab.scripts.get(script, script.lower()[:3])
    votes = {lang: sum(w in stop for w in words) for lang, stop in vocab.stopwords.items()}
    if any(c in text for c in "ñ¿¡"):
        votes["es"] = votes.get("es", 0) + 2
    return max(sorted(votes), key=lambda lang: (votes[lang], lang == "en"))


def _is_latin(word: str) -> bool:
    return all(ord(c) < 0x250 for c in word if c.isalpha())


def _lead_gender(text: str, words: list[str], vocab: Vocabulary, job: Job | None) -> Gender | None:
    lead: dict[str, Gender] = {w: g for g, ws in vocab.lead_words.items() for w in ws}
    if words and words[0] in vocab.first_words:
        return vocab.first_words[words[0]]
    for i, w in enumerate(words[:20]):
        if w in lead and (i == 0 or words[i - 1] not in vocab.owners):
            return lead[w]
    cjk = [(text.find(w), g) for w, g in lead.items() if not _is_latin(w) and w in text[:40]]
    if cjk:
        return min(cjk)[1]
    if job is not None and job.gender is not None:
        return job.gender
    counts = Counter(g for w in words for g, ps in vocab.pronouns.items() if w in ps)
    counts.update({"female": text.count("她"), "male": text.count("他")})
    if counts["female"] != counts["male"]:
        return "female" if counts["female"] > counts["male"] else "male"
    return None


def _jobs(text: str, words: list[str], vocab: Vocabulary) -> tuple[Job | None, tuple[Job, ...]]:
    rx, table, cjk = _job_index()
    first: dict[str, int] = {}
    for m in rx.finditer(text):
        first.setdefault(m.group(1), m.start())
    hits = [(at, _introduces_lead(text, at, vocab), table[w]) for w, at in first.items()]
    hits += [(at, at < 8, j) for w, j in cjk if (at := text.find(w)) >= 0]
    hits.sort(key=lambda h: h[0])
    lead = next((j for _, mine, j in hits if mine), None)
    others: list[Job] = []
    for _, _, j in hits:
        if j.word.job not in {o.word.job for o in others} and (
            lead is None or j.word is not lead.word
        ):
            others.append(j)
    return lead, tuple(others)


@cache
def _job_index() -> tuple[re.Pattern[str], dict[str, Job], tuple[tuple[str, Job], ...]]:
    """One pattern for every Latin job word (longest first), and the other scripts' words."""
    table: dict[str, Job] = {}
    for jw in vocabulary().jobs:
        for group, gender in ((jw.words, None), (jw.female, "female"), (jw.male, "male")):
            for word in group:
                table.setdefault(word.lower(), Job(jw, gender))  # type: ignore[arg-type]
    latin = sorted((w for w in table if _is_latin(w)), key=len, reverse=True)
    rx = re.compile(r"(?<!\w)(" + "|".join(map(re.escape, latin)) + r")(?:s|es)?(?!\w)")
    return rx, table, tuple((w, j) for w, j in table.items() if not _is_latin(w))


def _introduces_lead(text: str, at: int, vocab: Vocabulary) -> bool:
    """Whether the job at ``at`` is the lead's: "A nurse ...", "The young CEO ..."."""
    before = _WORD.findall(text[max(0, at - 40) : at])
    indefinite = vocab.articles["indefinite"]
    count = len(_WORD.findall(text[: min(at, 200)]))
    if not before or (before[-1] in indefinite and count <= 4):
        return True
    if count <= 3 and not set(before) & vocab.owners:
        return True
    # "a young nurse" is the lead too; "... falls for a poor florist" is not
    return (
        count <= 6
        and len(before) >= 2
        and before[-2] in indefinite
        and before[-1] not in vocab.owners
    )


def _relations(text: str, words: list[str], vocab: Vocabulary) -> tuple[RelationWord, ...]:
    owners = vocab.owners | vocab.articles["definite"]
    found: list[tuple[int, RelationWord]] = []
    rx, table = _relation_index()
    for m in rx.finditer(text):
        before = _WORD.findall(text[max(0, m.start() - 30) : m.start()])[-2:]
        if any(b in owners for b in before):
            found.append((m.start(), table[m.group(1)]))
    taken: list[tuple[int, int]] = []
    for w, rel in sorted(
        ((w, r) for r in vocab.relations for w in r.words if not _is_latin(w)),
        key=lambda x: -len(x[0]),
    ):
        at = text.find(w)
        if at >= 0 and not any(a <= at < b for a, b in taken):
            taken.append((at, at + len(w)))
            found.append((at, rel))
    out: list[RelationWord] = []
    for _, rel in sorted(found, key=lambda x: x[0]):
        if rel.id not in {o.id for o in out}:
            out.append(rel)
    return tuple(out[:3])


@cache
def _relation_index() -> tuple[re.Pattern[str], dict[str, RelationWord]]:
    latin = sorted(
        ((w, r) for r in vocabulary().relations for w in r.words if _is_latin(w)),
        key=lambda x: -len(x[0]),
    )
    rx = re.compile(r"(?<!\w)(" + "|".join(re.escape(w) for w, _ in latin) + r")(?:s)?(?!\w)")
    return rx, dict(latin)


def _age(text: str, vocab: Vocabulary) -> int | None:
    number = r"(\d{1,2}|" + "|".join(re.escape(w) for w in vocab.numbers) + ")"
    for pattern in (
        number + r"[- ]years?[- ]old",
        r"(?:at|aged?|age of|back to|to) " + number + r"(?!\w)",
        r"(?:de|a los) " + number + r" años",
    ):
        m = re.search(pattern, text)
        if m:
            value = m.group(1)
            age = int(value) if value.isdigit() else vocab.numbers[value]
            if 12 <= age <= 90:
                return age
    zh = re.search(r"([零一二两三四五六七八九十\d]{1,3})岁", text)
    years = _zh_number(zh.group(1)) if zh else None
    return years if years is not None and 12 <= years <= 90 else None


def _zh_number(s: str) -> int | None:
    if s.isdigit():
        return int(s)
    if "十" not in s:
        return _ZH_DIGITS.get(s)
    tens, _, ones = s.partition("十")
    return _ZH_DIGITS.get(tens, 1 if not tens else -100) * 10 + (
        _ZH_DIGITS.get(ones, 0) if ones else 0
    )


def _city(text: str, book: NameBook) -> str | None:
    for culture in book.cultures.values():
        for city in culture.cities:
            if re.search(rf"(?<!\w){re.escape(city.lower())}(?!\w)", text):
                return city
    return None
