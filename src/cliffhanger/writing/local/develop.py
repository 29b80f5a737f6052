"""develop: a premise → a series bible, offline, instant and deterministic for a seed.

The premise is read (:mod:`.premise`) for its genre, culture, lead and named relatives; the
genre file supplies a story shape (a *variant*: cast template, secrets, twists, locations);
the cast is chosen, named, dressed and voiced (:mod:`.cast`, :mod:`.names`); the season arc
(:mod:`.arc`) places the twists and the reveal of each secret. Every choice draws from
``rng_for(seed, premise digest, what)``, so the same request gives an equal bible and another
seed a visibly different one.

A ``Relationship(to=b, kind=k)`` on character ``a`` reads "b is a's k" (see :mod:`.cast`).
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Mapping, Sequence
from typing import TypeVar

from cliffhanger.model.bible import Bible, Location, Secret, slugify
from cliffhanger.writing.base import SeriesRequest
from cliffhanger.writing.local.arc import ArcSecret, plan_arc
from cliffhanger.writing.local.cast import Member, cast_members, characters, context
from cliffhanger.writing.local.genres import (
    Genre,
    Library,
    SecretPattern,
    Setting,
    Variant,
    default_library,
    fields,
    fill,
    sentence,
    usable,
)
from cliffhanger.writing.local.names import NameBook, ascii_fold, default_names
from cliffhanger.writing.local.premise import HEAD, Premise, analyze, score
from cliffhanger.writing.local.rng import rng_for

T = TypeVar("T")


def develop(
    request: SeriesRequest, library: Library | None = None, names: NameBook | None = None
) -> Bible:
    """Premise → series bible. Raises :class:`~cliffhanger.errors.PremiseError` when empty."""
    lib, book = library or default_library(), names or default_names()
    p = analyze(request.premise, request.seed, lib, book)

    def rng(*what: object) -> random.Random:
        return rng_for(request.seed, p.digest, *what)

    genre = lib.genre(p.genre)
    # A story shape the premise names wins almost always; with no clue the seed decides.
    variant = _weighted(
        genre.variants,
        [(0.5 + score(v.keywords, p.text) + _fits(v, p)) ** 3 for v in genre.variants],
        rng("variant"),
    )
    setting = _weighted(
        genre.settings,
        [s.weight + 10 * score(s.keywords, p.text) for s in genre.settings],
        rng("setting"),
    )
    culture_id = p.culture or setting.culture or genre.culture or _by_language(book, p.language)
    culture = book.culture(culture_id)
    tropes = _tropes(genre, p, rng("tropes"))
    cast = cast_members(variant, p, tropes, culture, rng)
    ctx = context(cast, genre, setting, p.city or rng("city").choice(culture.cities), rng("words"))
    episodes, paywall = request.episodes, min(max(1, request.paywall_episode), request.episodes)

    # A short season has room for fewer reveals: 3 secrets up to 3 episodes, 4 up to 8.
    most = 3 if episodes <= 3 else 4 if episodes <= 8 else 6
    secrets = _secrets(variant, tropes, cast, ctx, most, rng("secrets"))
    arc_rng = rng("arc", episodes, paywall)
    texts = {
        s.id: (sentence(fill(arc_rng.choice(usable(s.reveal, ctx)), ctx)), _hint(s, ctx, arc_rng))
        for s, _ in secrets
    }
    plan = plan_arc(
        episodes,
        paywall,
        [ArcSecret(s.id, s.importance, *texts[s.id]) for s, _ in secrets],
        _describer(genre, variant, ctx, arc_rng),
        arc_rng,
    )
    held: dict[str, str] = {}
    for s, text in secrets:
        held.setdefault(s.holder, text)
    lead = cast[0]
    title_rng = rng("title")
    titles = [
        t
        for t in usable(genre.titles_for(variant, lead.gender), ctx)
        if fill(t, ctx).lower() != p.text
    ]
    return Bible(
        title=fill(title_rng.choice(titles), ctx),
        logline=_logline(variant, p, ctx, title_rng),
        premise=request.premise[:HEAD],
        language=request.language,
        genre=genre.id,
        tropes=tropes,
        setting=fill(rng("setting-text").choice(setting.text), ctx),
        tone=rng("tone").choice(genre.tones),
        episodes=episodes,
        seconds=request.seconds,
        paywall_episode=paywall,
        characters=characters(cast, ctx, setting, book, culture, held, rng),
        locations=_locations(genre, variant, setting, ctx, rng("locations")),
        secrets=tuple(
            Secret(
                id=s.id,
                holder=ids[s.holder],
                text=text,
                known_by=tuple(ids[k] for k in s.known_by if k in ids),
                revealed_in=plan.revealed_in[s.id],
                revealed_to=tuple(ids[k] for k in s.revealed_to if k in ids and k != s.holder),
            )
            for ids in [{m.key: m.name.slug for m in cast}]
            for s, text in secrets
        ),
        arc=plan.twists,
    )


# --- choices ----------------------------------------------------------------------------------


def _weighted(items: Sequence[T], weights: Sequence[float], rng: random.Random) -> T:
    return rng.choices(list(items), weights=[max(w, 1e-6) for w in weights])[0]


def _fits(variant: Variant, p: Premise) -> float:
    return (
        1.0 if p.lead_gender is not None and variant.lead_gender in (p.lead_gender, "any") else 0.0
    )


def _by_language(book: NameBook, language: str) -> str | None:
    return next((c for c, culture in book.cultures.items() if language in culture.languages), None)


def _tropes(genre: Genre, p: Premise, rng: random.Random) -> tuple[str, ...]:
    """The premise's own tropes first, then the genre's, 3 to 5 in all."""
    picked = list(p.tropes[:3])
    pool = [t.id for t in genre.tropes if t.id not in picked]
    rng.shuffle(pool)
    want = rng.randint(3, 5)
    return tuple(picked + pool[: max(0, want - len(picked))])


def _logline(variant: Variant, p: Premise, ctx: Mapping[str, str], r: random.Random) -> str:
    """One sentence with the lead's name; the premise's "a nurse" stays a nurse in it."""
    template = r.choice(usable(variant.loglines, ctx))
    # "..., Lin Yue returns": "..., Lin Yue, a nurse, returns" (not before "'s" or a dash)
    plain = re.search(r"\{lead_full\}(?= [a-z])", template)
    if p.lead_job is not None and plain and not {"lead_job", "lead_a_job"} & fields(template):
        template = template[: plain.end()] + ", {lead_a_job}," + template[plain.end() :]
    return sentence(fill(template, ctx))


# --- places, secrets, twists ----------------------------------------------------------------


_SMALL_WORDS = frozenset(
    ["a", "an", "the", "of", "in", "on", "at", "to", "for", "and", "or", "by", "with"]
)


def place_name(text: str) -> str:
    """A place's name in title case, as prose writes it (a scene heading upper-cases it).

    >>> place_name("ye group president's office")
    "Ye Group President's Office"
    >>> place_name("moonlit clearing in the Nightfall woods")
    'Moonlit Clearing in the Nightfall Woods'
    """
    return " ".join(
        w.lower() if i and w.lower() in _SMALL_WORDS else w[:1].upper() + w[1:]
        for i, w in enumerate(text.split())
    )


def _locations(
    genre: Genre, variant: Variant, setting: Setting, ctx: Mapping[str, str], r: random.Random
) -> tuple[Location, ...]:
    pool = [x for x in setting.locations or genre.locations_for(variant) if usable(x.names, ctx)]
    required = [x for x in pool if x.required]
    rest = [x for x in pool if not x.required]
    r.shuffle(rest)
    count = r.randint(max(3, len(required)), max(3, min(5, len(pool))))
    out: list[Location] = []
    for x in (required + rest)[:count]:
        name = place_name(fill(r.choice(usable(x.names, ctx)), ctx))
        ident = slugify(ascii_fold(name))
        while any(loc.id == ident for loc in out):
            ident += "_2"
        out.append(
            Location(
                id=ident,
                name=name,
                kind=x.kind,
                interior=x.interior,
                time_of_day=r.choice(x.times),
                description=fill(r.choice(usable(x.descriptions, ctx) or ("",)), ctx),
            )
        )
    return tuple(out)


def _secrets(
    variant: Variant,
    tropes: tuple[str, ...],
    cast: list[Member],
    ctx: Mapping[str, str],
    most: int,
    r: random.Random,
) -> list[tuple[SecretPattern, str]]:
    """One main secret, then majors and minors (a premise trope's own secret first): 3 to
    ``most``."""
    here = {m.key for m in cast}
    fit = [
        s
        for s in variant.secrets
        if s.holder in here
        and (s.trope is None or s.trope in tropes)
        and usable(s.text, ctx)
        and usable(s.reveal, ctx)
    ]
    mains = [s for s in fit if s.importance == "main"]
    main = r.choice(mains)
    rest = [s for s in fit if s.importance != "main"]
    r.shuffle(rest)
    rest.sort(key=lambda s: (s.trope is None, s.importance != "major"))
    chosen = [main, *rest[: min(most - 1, r.randint(2, 5))]]
    order = {"main": 0, "major": 1, "minor": 2}
    chosen.sort(key=lambda s: order[s.importance])
    return [(s, fill(r.choice(usable(s.text, ctx)), ctx)) for s in chosen]


def _hint(s: SecretPattern, ctx: Mapping[str, str], r: random.Random) -> str:
    hints = usable(s.hint, ctx)
    return sentence(fill(r.choice(hints), ctx)) if hints else ""


def _describer(
    genre: Genre, variant: Variant, ctx: Mapping[str, str], r: random.Random
) -> Callable[[str], str]:
    last: dict[str, str] = {}

    def describe(kind: str) -> str:
        options = list(usable(genre.twists_for(variant, kind), ctx))
        if len(options) > 1 and last.get(kind) in options:
            options.remove(last[kind])
        last[kind] = r.choice(options)
        return sentence(fill(last[kind], ctx))

    return describe
