"""secret-early: no secret comes out before the episode the bible reveals it in.

Who knows a secret starts as its ``holder`` and ``known_by`` (bible.yaml); an outline beat that
``reveals`` it adds its ``learned_by`` (or, when that is empty, every character in the beat).
Three checks, all before the secret's ``revealed_in`` episode:

1. an outline beat that reveals the secret to someone who does not know it yet (knowers
   talking among themselves is fine). When the episode's script is given, the finding points
   at the script's beat marker of that beat (the k-th marker of the beat's kind);
2. a ``reveal`` beat marker with no outline beat behind it whose summary names the secret;
3. a spoken line that names the secret, said by a character who does not know it by then
   (knowledge is tracked per episode: anything learned in an episode counts for all of it).

"Names the secret" is a textual heuristic, kept conservative: :func:`secret_phrases` picks
the distinctive phrases of the secret's text, and a text names the secret when it contains
two of them that share no word (:func:`names_secret`); a secret with a single handle is never
matched in text. Character names never count as phrases, so a line may say "Vivian" freely.
A writer who trips it by accident rewords the line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace

from cliffhanger.model import BeatKind, EpisodeOutline, Secret
from cliffhanger.writing.doctor.context import Episode, Series, beat_kind
from cliffhanger.writing.doctor.findings import Finding
from cliffhanger.writing.timing import Timed

_STOPWORDS = """a an the and or but nor so yet of to in on at by for with from into onto over under
    about after before since until as than then that this these those there here is are was
    were be been being am do does did have has had will would shall should can could may might
    must not no never always also only just even still very really too i me my mine you your
    yours he him his she her hers it its we us our ours they them their theirs who whom whose
    which what when where why how all any both each every some many much more most other
    another such own same one two first last new old secretly secret truly actually"""
STOPWORDS = frozenset(_STOPWORDS.split())

#: Capitalized words that are not proper nouns of a secret on their own ("Grandma, sit").
_TITLES = """mr mrs ms miss mister sir madam lady lord doctor dr ceo president boss chairman
    grandma grandpa grandmother grandfather mom mum mother dad father uncle aunt brother
    sister son daughter wife husband baby young master"""
TITLES = frozenset(_TITLES.split())

_WORD = re.compile(r"\w+(?:['’]\w+)*")
_TOKEN = re.compile(rf"({_WORD.pattern})|([.!?;:,()\"“”—–]|\s-\s)")
_POSSESSIVE = re.compile(r"['’]s$")
_SENTENCE_END = {".", "!", "?"}


@dataclass(frozen=True, slots=True)
class _Tok:
    word: str  # lower case, without a possessive 's
    kind: str  # "name" (a character's), "stop" (a small word) or "content"
    ends: bool  # the clause ends after it
    starts: bool  # it starts a sentence
    capital: bool  # written with a capital


def secret_phrases(secret: Secret, names: Iterable[str] = ()) -> list[str]:
    """The distinctive phrases of a secret's text, lower case, in order of appearance.

    Pairs of content words ("real heiress"), content words around one small word ("swapped
    at birth"), and single proper nouns that are not at a sentence start ("Zurich"), all
    within a clause. Words of ``names`` (the bible's character names) split phrases and are
    never phrases themselves.

    >>> s = Secret(id="s", holder="v", text="Vivian poisoned Grandpa with the jade tonic",
    ...            revealed_in=3)
    >>> secret_phrases(s, ["Vivian Blake"])
    ['poisoned grandpa', 'jade tonic']
    """
    name_words = {w for n in names for w in _plain_words(n)}
    toks: list[_Tok] = []
    sentence_start = True
    for m in _TOKEN.finditer(secret.text):
        word, mark = m.group(1), m.group(2)
        if word is None:  # punctuation ends the clause
            if toks:
                toks[-1] = replace(toks[-1], ends=True)
            sentence_start = mark in _SENTENCE_END
            continue
        low = _strip_possessive(word.lower())
        kind = "name" if low in name_words else "stop" if low in STOPWORDS else "content"
        # A possessive ends a phrase too: "the CEO's hidden daughter" → "hidden daughter".
        ends = kind == "name" or low != word.lower()
        toks.append(_Tok(low, kind, ends, sentence_start, word[0].isupper()))
        sentence_start = False
    phrases: list[str] = []
    for i, tok in enumerate(toks):
        if tok.kind != "content":
            continue
        if tok.capital and not tok.starts and tok.word not in TITLES and len(tok.word) >= 3:
            phrases.append(tok.word)
        if tok.ends or i + 1 >= len(toks):
            continue
        nxt = toks[i + 1]
        after = toks[i + 2] if i + 2 < len(toks) else None
        if nxt.kind == "content":
            phrases.append(f"{tok.word} {nxt.word}")
        elif nxt.kind == "stop" and not nxt.ends and after is not None and after.kind == "content":
            phrases.append(f"{tok.word} {nxt.word} {after.word}")
    longer = {w for p in phrases if " " in p for w in p.split()}
    # A proper noun inside a longer phrase is the same handle, not a second one.
    return list(dict.fromkeys(p for p in phrases if " " in p or p not in longer))


def names_secret(text: str, phrases: list[str]) -> list[str]:
    """The phrases ``text`` contains when they are enough to say it names the secret, else ``[]``.

    Enough is two independent handles: phrases found in ``text`` are grouped when they share
    a word ("blood moon", "moon pack" are one handle, the Blood Moon pack), and there must be
    at least two groups. One handle alone is often public ("the Blood Moon pack attacks") while
    the secret is what links it to something else ("Dorian spies for the Blood Moon pack").
    """
    padded = f" {' '.join(_plain_words(text))} "
    found = [p for p in phrases if f" {p} " in padded]
    groups: list[set[str]] = []
    for phrase in found:
        words = set(phrase.split())
        touching = [g for g in groups if g & words]
        for g in touching:
            words |= g
            groups.remove(g)
        groups.append(words)
    return found if len(groups) >= 2 else []


def secrets(series: Series) -> Iterator[Finding]:
    """secret-early, by the three checks of the module docstring."""
    names = [c.name for c in series.bible.characters]
    for secret in series.bible.secrets:
        phrases = secret_phrases(secret, names)
        knowers, findings, mapped = _outline_reveals(series, secret)
        yield from findings
        for ep in series.episodes:
            if ep.number >= secret.revealed_in:
                continue
            for t in ep.markers:
                if beat_kind(t.element) is not BeatKind.REVEAL or id(t) in mapped:
                    continue
                found = names_secret(getattr(t.element, "summary", ""), phrases)
                if found:
                    yield ep.at("secret-early", _early(secret, ep.number, found), t)
            know = knowers(ep.number)
            for t, line in ep.spoken:
                who = series.speakers.resolve(line.speaker)
                if who is None or who.id in know:
                    continue
                found = names_secret(line.text, phrases)
                if found:
                    yield ep.at(
                        "secret-early",
                        f"{who.name} does not know it yet: " + _early(secret, ep.number, found),
                        t,
                    )


def _outline_reveals(series: Series, secret: Secret) -> tuple[_Knowers, list[Finding], set[int]]:
    """Walk the outline's beats for ``secret``: who knows it after each episode, the early
    reveals, and the ids of script markers that stand for outline beats."""
    know = {secret.holder, *secret.known_by}
    by_episode: dict[int, frozenset[str]] = {}
    findings: list[Finding] = []
    mapped: set[int] = set()
    plans = series.outline.episodes if series.outline is not None else ()
    for plan in plans:
        ep = series.episode(plan.number)
        for index, beat in enumerate(plan.beats):
            marker = _marker_for(ep, plan, index) if ep is not None else None
            if marker is not None:
                mapped.add(id(marker))
            if beat.reveals != secret.id:
                continue
            audience = set(beat.learned_by) or set(beat.characters)
            new = sorted(audience - know)
            if new and plan.number < secret.revealed_in:
                who = ", ".join(series.name_of(c) for c in new)
                message = f"the outline reveals it to {who}: " + _early(secret, plan.number, [])
                if ep is not None and marker is not None:
                    findings.append(ep.at("secret-early", message, marker))
                else:
                    findings.append(series.in_outline("secret-early", message, plan.number))
            know |= audience
        by_episode[plan.number] = frozenset(know)
    return _Knowers(secret, by_episode, frozenset(know)), findings, mapped


class _Knowers:
    """Who knows a secret during an episode (callable with the episode number)."""

    def __init__(self, secret: Secret, by_episode: dict[int, frozenset[str]], last: frozenset[str]):
        self._first = frozenset({secret.holder, *secret.known_by})
        self._by_episode = by_episode
        self._last = last

    def __call__(self, number: int) -> frozenset[str]:
        if number in self._by_episode:
            return self._by_episode[number]
        return self._last if self._by_episode and number > max(self._by_episode) else self._first


def _marker_for(ep: Episode, plan: EpisodeOutline, index: int) -> Timed | None:
    """The script marker realizing beat ``index``: the k-th marker of the beat's kind."""
    kind = plan.beats[index].kind
    k = sum(1 for b in plan.beats[:index] if b.kind is kind)
    same = [t for t in ep.markers if beat_kind(t.element) is kind]
    return same[k] if k < len(same) else None


def _early(secret: Secret, episode: int, found: list[str]) -> str:
    said = f" (names {', '.join(repr(p) for p in found)})" if found else ""
    return (
        f"secret '{secret.id}'{said} comes out in episode {episode}, "
        f"before episode {secret.revealed_in} where the bible reveals it"
    )


def _plain_words(text: str) -> list[str]:
    return [_strip_possessive(w.lower()) for w in _WORD.findall(text)]


def _strip_possessive(word: str) -> str:
    return _POSSESSIVE.sub("", word)
