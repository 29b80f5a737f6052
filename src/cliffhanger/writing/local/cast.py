"""The cast: which characters a series gets, and their names, ages, relationships, looks and voices.

:func:`cast_members` picks the variant's cast entries (5-8 characters), places the relatives
the premise names ("her twin sister") in the slot that suits them, gives everyone a gender,
an age and a culturally fitting name (family members share a family name); :func:`context`
fills the template context; :func:`characters` turns the members into the bible's
:class:`~cliffhanger.model.Character` values.

``Relationship(to=b, kind=k)`` on character ``a`` reads "b is a's k": the lead's
``Relationship(to="lin_xue", kind="twin sister")``. Every relationship is written both ways.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from cliffhanger.model.bible import Appearance, Character, Gender, Relationship, Role, Voice
from cliffhanger.writing.local.genres import (
    CastEntry,
    Gendered,
    Genre,
    Relation,
    Setting,
    Variant,
    article,
    fill,
    gendered,
    sentence,
    usable,
)
from cliffhanger.writing.local.names import Culture, Name, NameBook, Namer
from cliffhanger.writing.local.premise import JobWord, Premise, RelationWord

MAX_CAST = 8
_MIN_AGE = {Role.CHILD: 4, Role.SIBLING: 8, Role.LOVE_INTEREST: 18}


@dataclass
class Member:
    entry: CastEntry
    gender: Gender
    age: int = 0
    name: Name = field(default_factory=lambda: Name("", ""))
    job: str = ""
    relation: RelationWord | None = None  # the premise named this person ("her twin sister")
    look: JobWord | None = None  # the premise named this person's job ("a nurse")
    family: str = ""  # the key of the family's root: relatives share a name and a look

    @property
    def key(self) -> str:
        return self.entry.key


def cast_members(
    variant: Variant,
    p: Premise,
    tropes: tuple[str, ...],
    culture: Culture,
    rng: Callable[..., random.Random],
) -> list[Member]:
    r = rng("cast")
    fits = [e for e in variant.cast if e.trope is None or e.trope in tropes]
    core = [e for e in fits if not e.optional]
    extra = [e for e in fits if e.optional]
    r.shuffle(extra)
    size = r.randint(max(5, len(core)), max(5, min(MAX_CAST, len(fits)))) if extra else len(core)
    chosen = core + extra[: max(0, size - len(core))]
    spare = extra[max(0, size - len(core)) :]
    lead_gender = p.lead_gender or _resolve(variant.lead_gender, "female", r)
    members = [Member(e, _resolve(e.gender, lead_gender, r)) for e in chosen]
    for relation in p.relations:
        _place(relation, members, spare, lead_gender, r)
    by_key = {m.key: m for m in members}
    lead = by_key["lead"]
    if p.lead_job is not None:
        lead.job, lead.look = p.lead_job.word.job, p.lead_job.word
    for job in p.other_jobs[:1]:  # "falls for the CEO": the love interest, or else the villain
        who = next((m for m in members if m.entry.role in ("love_interest", "antagonist")), None)
        if who is not None and job.word.job != lead.job:
            who.job, who.look = job.word.job, job.word
    lo, hi = lead.entry.age
    lead.age = p.lead_age or r.randint(lo, hi)
    for m in _age_order(members, by_key):
        if m is lead:
            continue
        rel = m.relation
        if rel is not None:
            base = 0 if rel.absolute else lead.age
            m.age = base + r.randint(*rel.age)
        else:
            base = by_key[m.entry.age_from].age if m.entry.age_from in by_key else 0
            m.age = base + r.randint(*m.entry.age)
        m.age = min(95, max(_MIN_AGE.get(m.entry.role, 16), m.age))
    _name(members, by_key, culture, rng("names"))
    return members


def _place(
    rel: RelationWord,
    members: list[Member],
    spare: list[CastEntry],
    lead_gender: Gender,
    r: random.Random,
) -> None:
    """Cast the person the premise names in the slot that suits them best."""

    def fits(e: CastEntry) -> bool:
        return rel.gender is None or e.gender not in ("female", "male") or e.gender == rel.gender

    free = [m for m in members if m.key != "lead" and m.relation is None]
    ranked = [m for m in free if rel.id in m.entry.takes and fits(m.entry)]
    ranked += [m for role in rel.roles for m in free if m.entry.role == role and fits(m.entry)]
    if not ranked:
        entry = next((e for e in spare if rel.id in e.takes or e.role in rel.roles), None)
        if entry is not None and fits(entry) and len(members) < MAX_CAST:
            spare.remove(entry)
            ranked = [Member(entry, _resolve(entry.gender, lead_gender, r))]
            members.append(ranked[0])
        elif len(members) < MAX_CAST:
            key = rel.id if all(m.key != rel.id for m in members) else f"{rel.id}_2"
            ranked = [Member(_stand_in(rel, key), rel.gender or _resolve("any", lead_gender, r))]
            members.append(ranked[0])
        else:
            return
    chosen = ranked[0]
    chosen.relation = rel
    if rel.gender is not None:
        chosen.gender = rel.gender


def _resolve(spec: str, lead: Gender, r: random.Random) -> Gender:
    """A cast entry's gender: its own, the lead's, the lead's opposite, or the seed's choice."""
    if spec == "lead":
        return lead
    if spec == "opposite":
        return "male" if lead == "female" else "female"
    if spec == "female":
        return "female"
    if spec == "male":
        return "male"
    return "female" if r.random() < 0.5 else "male"


def _stand_in(rel: RelationWord, key: str) -> CastEntry:
    """A cast entry for a relative the genre's template has no place for."""
    return CastEntry(
        key=key,
        role=rel.roles[-1],
        age=rel.age,
        professions=Gendered(any=("student",) if rel.absolute else ("office worker", "shop owner")),
        wants=(
            "to stand by {lead}, whatever it costs",
            "to be more to {lead} than an afterthought",
        ),
        outfits=Gendered(any=("a soft knit sweater and jeans", "a neat button-down and chinos")),
        temperament=("guarded", "warm"),
        voice=("earnest and a little unsure",),
    )


def _age_order(members: list[Member], by_key: Mapping[str, Member]) -> list[Member]:
    done: list[Member] = []
    pending = list(members)
    while pending:
        for m in list(pending):
            ref = m.entry.age_from or ""
            if m.relation is not None or ref not in by_key or by_key[ref] in done or ref == m.key:
                done.append(m)
                pending.remove(m)
                break
        else:  # a cycle in the data: settle the rest in order
            done += pending
            break
    return done


def _name(
    members: list[Member], by_key: Mapping[str, Member], culture: Culture, r: random.Random
) -> None:
    """Family names by family (blood, and marriage where the culture takes the name)."""
    order = {m.key: i for i, m in enumerate(members)}
    root = {m.key: m.key for m in members}

    def find(key: str) -> str:
        while root[key] != key:
            key = root[key]
        return key

    for m in members:  # join each member to the family it belongs to; the earliest one names it
        rel = m.relation
        if rel is not None:
            joins = rel.family == "blood" or (rel.family == "marriage" and not culture.keeps_name)
            target = "lead" if joins else None
        else:
            target = m.entry.family or (None if culture.keeps_name else m.entry.in_law)
        if target is not None and target in by_key:
            a, b = sorted((find(m.key), find(target)), key=order.__getitem__)
            root[b] = a
    namer = Namer(culture, r)
    families: dict[str, str] = {}
    for m in members:
        m.family = find(m.key)
        if m.family not in families:
            families[m.family] = namer.family_name()
        m.name = namer.name(m.gender, families[m.family])


def context(
    cast: list[Member], genre: Genre, setting: Setting, city: str, r: random.Random
) -> dict[str, str]:
    words = (
        genre.words | setting.words
    )  # a setting may say "the colony" where others say "the town"
    ctx = {"city": city} | {k: r.choice(v) for k, v in sorted(words.items()) if v}
    for m in cast:
        they, them, their = ("she", "her", "her") if m.gender == "female" else ("he", "him", "his")
        ctx |= {
            m.key: m.name.short,
            f"{m.key}_full": m.name.full,
            f"{m.key}_family": m.name.family,
            f"{m.key}_given": m.name.given,
            f"{m.key}_they": they,
            f"{m.key}_them": them,
            f"{m.key}_their": their,
        }
    jobs = random.Random(r.random())
    for m in cast:  # professions may name other characters' families
        m.job = m.job or fill(jobs.choice(usable(m.entry.professions.get(m.gender), ctx)), ctx)
        m.job = m.job[:1].lower() + m.job[1:] if not m.job[:3].isupper() else m.job
        ctx |= {f"{m.key}_job": m.job, f"{m.key}_a_job": article(m.job)}
    return ctx


def characters(
    cast: list[Member],
    ctx: Mapping[str, str],
    setting: Setting,
    book: NameBook,
    culture: Culture,
    held: Mapping[str, str],
    rng: Callable[..., random.Random],
) -> tuple[Character, ...]:
    """The bible's characters; ``held`` maps a cast key to the text of the secret it keeps."""
    rels = _relationships(cast, ctx)
    looks = _Looks(book, culture, setting, rng("looks"))
    wants, voices = rng("wants"), rng("voices")
    return tuple(
        Character(
            id=m.name.slug,
            name=m.name.full,
            role=m.entry.role,
            want=(wants.choice(usable(m.entry.wants, ctx))).format_map(ctx),
            secret=held.get(m.key, ""),
            relationships=tuple(rels.get(m.key, {}).values()),
            appearance=looks.of(m),
            voice=_voice(m, voices),
        )
        for m in cast
    )


def _relationships(
    cast: list[Member], ctx: Mapping[str, str]
) -> dict[str, dict[str, Relationship]]:
    """Both directions of every relation; the premise's named relations come first and win."""
    by_key = {m.key: m for m in cast}
    out: dict[str, dict[str, Relationship]] = {m.key: {} for m in cast}

    def link(a: Member, b: Member, kind: str, back: str | None, note: str) -> None:
        if b.key in out[a.key] or a.key in out[b.key]:
            return
        out[a.key][b.key] = Relationship(to=b.name.slug, kind=gendered(kind, b.gender), note=note)
        out[b.key][a.key] = Relationship(
            to=a.name.slug, kind=gendered(back or kind, a.gender), note=note
        )

    lead = by_key["lead"]
    for m in cast:
        if m.relation is not None:  # "her twin sister": the lead's kind of person
            link(lead, m, m.relation.kind, m.relation.back, "")
    for m in cast:
        for rel in m.entry.relations:
            other = by_key.get(rel.to)
            if other is None or (m.relation is not None and other is lead):
                continue
            if other.relation is not None and m is lead:
                continue
            link(m, other, rel.kind, rel.back, _note(rel, ctx))
    return out


def _note(rel: Relation, ctx: Mapping[str, str]) -> str:
    return rel.note.format_map(ctx) if usable((rel.note,), ctx) else ""


class _Looks:
    """Appearance that fits the culture, the era and the role, distinct between characters."""

    def __init__(
        self, book: NameBook, culture: Culture, setting: Setting, r: random.Random
    ) -> None:
        self.book, self.culture, self.setting, self.r = book, culture, setting, r
        self.used: set[str] = set()
        self.family_skin: dict[str, str] = {}

    def _fresh(self, pool: Sequence[str]) -> str:
        free = [x for x in pool if x not in self.used] or list(pool)
        pick = self.r.choice(free)
        self.used.add(pick)
        return pick

    def of(self, m: Member) -> Appearance:
        r, culture, e = self.r, self.culture, m.entry
        styles = self.book.hair_styles.get(self.setting.era) or self.book.hair_styles["modern"]
        old = m.age >= 55 and self.setting.era != "ancient"
        hair_style = self._fresh((self.book.hair_old if old else styles).get(m.gender))
        colour = r.choice(culture.hair)
        if m.age >= 65:
            colour = r.choice(("silver", "white", "iron grey"))
        elif m.age >= 50:
            colour = f"silver-streaked {colour}"
        skin = self.family_skin.setdefault(m.family, r.choice(culture.skin))
        wardrobe = self.setting.wardrobe
        outfits = (
            wardrobe.get(m.key) or wardrobe.get(str(e.role)) or wardrobe.get("any") or e.outfits
        ).get(m.gender)
        accessories = list(e.accessories.get(m.gender))
        outfit = self._fresh(outfits)
        if m.look is not None and m.look.outfit and not wardrobe:  # the premise's "a nurse"
            outfit, accessories = m.look.outfit, list(m.look.accessories) or accessories
        r.shuffle(accessories)
        return Appearance(
            age=m.age,
            gender=m.gender,
            build=r.choice(e.builds.get(m.gender) or self.book.builds.get(m.gender)),
            skin_tone=skin,
            hair_style=hair_style,
            hair_color=colour,
            eye_color=r.choice(e.eyes or culture.eyes),
            outfit=outfit,
            accessories=tuple(accessories[: r.randint(1, 2)]),
        )


def _voice(m: Member, r: random.Random) -> Voice:
    e = m.entry
    pitch: Literal["low", "mid", "high"]
    if m.age < 13:
        pitch, who = "high", "child's"
    elif m.gender == "female":
        pitch = "high" if m.age < 30 else "mid"
        who = ("young " if m.age < 30 else "older " if m.age >= 55 else "") + "woman's"
    else:
        pitch = "mid" if m.age < 35 else "low"
        who = ("young " if m.age < 30 else "older " if m.age >= 55 else "") + "man's"
    temperament = r.choice(e.temperament)
    return Voice(
        pitch=pitch,
        pace=r.choice(e.pace),
        temperament=temperament,
        description=sentence(f"{article(who).capitalize()} voice, {r.choice(e.voice)}"),
    )
