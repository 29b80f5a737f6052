"""The genre and trope library: one YAML file per genre under ``data/genres``, loaded once.

A genre file holds the genre's keywords (English, Spanish, Chinese, emoji), its tropes, its
settings, tones and title patterns, and one or more *variants*: a story shape with its own cast
template, secrets, twist patterns and locations (``hidden_identity`` has the lost heiress and
the hidden CEO). Adding a genre is adding a file: ``data/genres/<id>.yaml`` whose ``id`` is
its name (copy ``comedy.yaml``, the shortest). Every file is validated when loaded — fields,
cast references, placeholders, and that a story can be cast without its optional characters —
and a bad one raises :class:`~cliffhanger.errors.SourceError` naming the file and the field.

Text fields are templates filled with ``str.format``: ``{lead}`` is a character's short name
(the given name, or the full name where the family name comes first), and ``{lead_full}``,
``{lead_family}``, ``{lead_given}``, ``{lead_they}``/``{lead_them}``/``{lead_their}``,
``{lead_job}``/``{lead_a_job}`` are its variants; ``{city}`` and the genre's ``words`` are
filled too. A relation kind such as ``"husband/wife"`` is written male/female.
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from cliffhanger.errors import SourceError
from cliffhanger.model.bible import Gender, LocationKind, Role
from cliffhanger.writing.local.arc import TWIST_KINDS

Keywords = dict[str, dict[str, float]]
"""Language (``en``, ``es``, ``zh``, ``emoji``, ...) → keyword → weight. A trailing ``*``
matches any ending (``betray*``); Latin words match whole words, other scripts substrings."""


def safe_load(text: str) -> Any:
    """``yaml.safe_load``, with libyaml's C loader when it is installed (ten times faster)."""
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


SUFFIXES = ("_full", "_family", "_given", "_they", "_them", "_their", "_a_job", "_job")
BUILTINS = frozenset({"city"})
Time = Literal["day", "night", "dusk", "dawn"]
Pace = Literal["slow", "measured", "quick"]
GenderSpec = Literal["female", "male", "any", "lead", "opposite"]


class Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Gendered(Record):
    """Choices by gender; a plain list in YAML means the same choices for everyone."""

    female: tuple[str, ...] = ()
    male: tuple[str, ...] = ()
    any: tuple[str, ...] = ()

    @model_validator(mode="before")
    @classmethod
    def _plain_list(cls, data: Any) -> Any:
        return {"any": data} if isinstance(data, list | tuple) else data

    def get(self, gender: Gender) -> tuple[str, ...]:
        own = self.female if gender == "female" else self.male if gender == "male" else ()
        return own + self.any or self.female + self.male

    def all(self) -> tuple[str, ...]:
        return self.female + self.male + self.any


class Trope(Record):
    id: str
    description: str
    keywords: Keywords = {}


class Relation(Record):
    """``to`` is this character's ``kind``; ``back`` is what this character is to ``to``."""

    to: str
    kind: str
    back: str | None = None
    note: str = ""


class CastEntry(Record):
    key: str = Field(pattern=r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
    role: Role
    gender: GenderSpec = "any"
    age: tuple[int, int]
    age_from: str | None = None  # the age range is an offset from this character's age
    family: str | None = None  # blood family: shares that character's family name
    in_law: str | None = None  # married into that character's family
    optional: bool = False
    trope: str | None = None  # only cast when the series has this trope
    takes: tuple[str, ...] = ()  # premise relations this character gladly becomes
    professions: Gendered
    wants: tuple[str, ...] = Field(min_length=1)
    outfits: Gendered
    accessories: Gendered = Gendered()
    builds: Gendered = Gendered()
    eyes: tuple[str, ...] = ()
    temperament: tuple[str, ...] = Field(min_length=1)
    voice: tuple[str, ...] = Field(min_length=1)
    pace: tuple[Pace, ...] = ("measured",)
    relations: tuple[Relation, ...] = ()


class SecretPattern(Record):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    holder: str
    importance: Literal["main", "major", "minor"]
    text: tuple[str, ...] = Field(min_length=1)
    known_by: tuple[str, ...] = ()
    revealed_to: tuple[str, ...] = ()
    reveal: tuple[str, ...] = Field(min_length=1)  # the twist when it comes out in full
    hint: tuple[str, ...] = ()  # a half-reveal, for the paywall cliffhanger
    trope: str | None = None


class LocationPattern(Record):
    kind: LocationKind
    names: tuple[str, ...] = Field(min_length=1)
    interior: bool = True
    times: tuple[Time, ...] = ("day",)
    descriptions: tuple[str, ...] = Field(min_length=1)
    required: bool = False


class Setting(Record):
    id: str
    text: tuple[str, ...] = Field(min_length=1)
    era: Literal["modern", "ancient", "future"] = "modern"
    culture: str | None = None  # forces the names' culture (a palace drama is Chinese)
    keywords: Keywords = {}
    weight: float = Field(default=1.0, ge=0)  # 0: only when the premise asks for it
    locations: tuple[LocationPattern, ...] = ()  # replaces the variant's locations
    wardrobe: dict[str, Gendered] = {}  # cast key or role → outfits, replaces the cast's
    words: dict[str, tuple[str, ...]] = {}  # overrides the genre's words of the same name


class Variant(Record):
    id: str
    keywords: Keywords = {}
    lead_gender: Literal["female", "male", "any"] = "any"
    cast: tuple[CastEntry, ...] = Field(min_length=5)
    secrets: tuple[SecretPattern, ...] = Field(min_length=3)
    twists: dict[str, tuple[str, ...]] = {}
    locations: tuple[LocationPattern, ...] = ()
    titles: Gendered = Gendered()
    loglines: tuple[str, ...] = Field(min_length=1)

    def entry(self, key: str) -> CastEntry:
        return next(e for e in self.cast if e.key == key)


class Genre(Record):
    id: str
    name: str
    culture: str | None = None
    keywords: Keywords = {}
    tones: tuple[str, ...] = Field(min_length=1)
    tropes: tuple[Trope, ...] = Field(min_length=3)
    settings: tuple[Setting, ...] = Field(min_length=1)
    twists: dict[str, tuple[str, ...]] = {}
    locations: tuple[LocationPattern, ...] = ()
    titles: Gendered = Gendered()
    words: dict[str, tuple[str, ...]] = {}
    variants: tuple[Variant, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> Genre:
        for i, variant in enumerate(self.variants):
            for where, problem in _variant_problems(self, variant):
                raise ValueError(f"variants.{i}.{where}: {problem}")
        if not any(s.weight > 0 for s in self.settings):
            raise ValueError("settings: at least one setting needs a weight above 0")
        for s in self.settings:
            if set(s.words) - set(self.words):
                raise ValueError(
                    f"settings.{s.id}.words: {sorted(set(s.words) - set(self.words))} "
                    "must also be genre words (the default)"
                )
        return self

    def twists_for(self, variant: Variant, kind: str) -> tuple[str, ...]:
        return variant.twists.get(kind, ()) + self.twists.get(kind, ())

    def locations_for(self, variant: Variant) -> tuple[LocationPattern, ...]:
        return variant.locations + self.locations

    def titles_for(self, variant: Variant, gender: Gender) -> tuple[str, ...]:
        return variant.titles.get(gender) + self.titles.get(gender)


def _variant_problems(genre: Genre, v: Variant) -> Iterator[tuple[str, str]]:
    keys = [e.key for e in v.cast]
    known = set(keys)
    if len(known) != len(keys):
        yield "cast", f"duplicate keys {sorted(k for k in known if keys.count(k) > 1)}"
    leads = [e.key for e in v.cast if e.role is Role.LEAD]
    if leads != ["lead"]:
        yield "cast", f"exactly one entry must be 'lead' with role lead, got {leads}"
    core = [e for e in v.cast if not e.optional and e.trope is None]
    if len(core) < 5:
        yield "cast", f"needs at least 5 entries that are not optional, got {len(core)}"
    if not any(e.role is Role.ANTAGONIST for e in core):
        yield "cast", "needs an antagonist that is always cast"
    for i, e in enumerate(v.cast):
        for field, ref in (("age_from", e.age_from), ("family", e.family), ("in_law", e.in_law)):
            if ref is not None and ref not in known:
                yield f"cast.{i}.{field}", f"unknown cast key '{ref}'"
        for j, r in enumerate(e.relations):
            if r.to not in known or r.to == e.key:
                yield f"cast.{i}.relations.{j}.to", f"bad cast key '{r.to}'"
    for i, e in enumerate(v.cast):
        for text in (*e.outfits.all(), *e.accessories.all(), *e.voice, *e.temperament):
            if "{" in text:
                yield f"cast.{i}", f"outfits, accessories and voices are not templates: {text!r}"
    for i, s in enumerate(v.secrets):
        for field in ("holder", "known_by", "revealed_to"):
            refs = getattr(s, field)
            for ref in (refs,) if isinstance(refs, str) else refs:
                if ref not in known:
                    yield f"secrets.{i}.{field}", f"unknown cast key '{ref}'"
        if s.importance == "main" and not s.hint:
            yield f"secrets.{i}.hint", "a main secret needs at least one hint"
    if not any(s.importance == "main" for s in v.secrets):
        yield "secrets", "needs a secret with importance 'main'"
    for kind in TWIST_KINDS:
        if not genre.twists_for(v, kind):
            yield "twists", f"no '{kind}' twist (in the variant or the genre)"
    if len(genre.locations_for(v)) < 3:
        yield "locations", "needs at least 3 locations (in the variant or the genre)"
    if not genre.titles_for(v, "female") or not genre.titles_for(v, "male"):
        yield "titles", "needs titles for both a female and a male lead"
    allowed = known | BUILTINS | set(genre.words)
    for where, text in _templates(genre, v):
        for name in fields(text):
            if _base(name) not in allowed:
                yield where, f"unknown placeholder '{{{name}}}' in {text!r}"
    # Optional characters may be left out: each choice must have a version without them.
    always = {e.key for e in core} | BUILTINS | set(genre.words)
    for i, e in enumerate(v.cast):
        if not usable(e.wants, always | {e.key}):
            yield f"cast.{i}.wants", "every want names a character who may be left out"
    for kind in TWIST_KINDS:
        if not usable(genre.twists_for(v, kind), always):
            yield f"twists.{kind}", "every twist names a character who may be left out"
    for i, s in enumerate(v.secrets):
        if s.importance == "main" and not all(
            usable(t, always) for t in (s.text, s.reveal, s.hint)
        ):
            yield f"secrets.{i}", "a main secret must not need a character who may be left out"
    steady = [
        s
        for s in v.secrets
        if s.trope is None
        and s.holder in always
        and usable(s.text, always)
        and usable(s.reveal, always)
    ]
    if len(steady) < 3:
        yield "secrets", "needs 3 secrets that name no character who may be left out"
    places = [x for x in genre.locations_for(v) if usable(x.names, always)]
    if len(places) < 3:
        yield "locations", "needs 3 locations that name no character who may be left out"
    if not usable(v.loglines, always):
        yield "loglines", "every logline names a character who may be left out"


def usable(templates: Iterable[str], keys: Iterable[str] | Mapping[str, str]) -> tuple[str, ...]:
    """The templates whose placeholders are all among ``keys`` (names or a filled context)."""
    have = set(keys)
    return tuple(t for t in templates if all(f in have or _base(f) in have for f in fields(t)))


def _templates(genre: Genre, v: Variant) -> Iterator[tuple[str, str]]:
    for i, e in enumerate(v.cast):
        for field in ("wants", "professions"):
            value = getattr(e, field)
            for t in value.all() if isinstance(value, Gendered) else value:
                yield f"cast.{i}.{field}", t
        for j, r in enumerate(e.relations):
            yield f"cast.{i}.relations.{j}.note", r.note
    for i, s in enumerate(v.secrets):
        for t in (*s.text, *s.reveal, *s.hint):
            yield f"secrets.{i}", t
    for kind in TWIST_KINDS:
        for t in genre.twists_for(v, kind):
            yield f"twists.{kind}", t
    for i, loc in enumerate(
        (*genre.locations_for(v), *(x for s in genre.settings for x in s.locations))
    ):
        for t in (*loc.names, *loc.descriptions):
            yield f"locations.{i}", t
    for t in (*genre.titles_for(v, "female"), *genre.titles_for(v, "male"), *v.loglines):
        yield "titles/loglines", t
    for setting in genre.settings:
        for t in setting.text:
            yield f"settings.{setting.id}", t


def _base(name: str) -> str:
    for suffix in SUFFIXES:
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


@lru_cache(maxsize=4096)
def fields(template: str) -> frozenset[str]:
    """The placeholder names a template uses: ``fields("{lead} meets {ex_full}")``."""
    return frozenset(f for _, f, _, _ in string.Formatter().parse(template) if f)


def fill(template: str, ctx: Mapping[str, str]) -> str:
    """A template filled from the context, its first letter capitalised."""
    text = template.format_map(ctx)
    return text[:1].upper() + text[1:]


def sentence(text: str) -> str:
    """The text, ending with a full stop unless it ends on other punctuation."""
    return text if text.rstrip("'\"’”").endswith((".", "!", "?")) else text + "."


def article(word: str) -> str:
    """``"nurse"`` → ``"a nurse"``, ``"intern"`` → ``"an intern"``."""
    return ("an " if word[:1].lower() in "aeiou" else "a ") + word


def gendered(kind: str, gender: Gender) -> str:
    """``"husband/wife"`` for a woman is ``"wife"``; a kind without a slash is as it is."""
    male, _, female = kind.partition("/")
    return female if female and gender == "female" else male


# --- loading --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Library:
    """Every genre, by id, in file-name order."""

    genres: Mapping[str, Genre]

    def genre(self, ident: str) -> Genre:
        try:
            return self.genres[ident]
        except KeyError:
            raise KeyError(f"unknown genre '{ident}'; known: {', '.join(self.genres)}") from None

    def tropes(self) -> Iterator[tuple[Genre, Trope]]:
        for genre in self.genres.values():
            for trope in genre.tropes:
                yield genre, trope


def load_genre(path: Traversable | Path) -> Genre:
    """One genre file; ``SourceError`` naming the file and field when it is wrong."""
    try:
        data = safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise SourceError(f"not valid YAML: {exc}", path=str(path)) from None
    if not isinstance(data, dict):
        raise SourceError("a genre file must be a mapping with 'id', 'name', ...", path=str(path))
    try:
        genre = Genre.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        where, msg = ".".join(str(p) for p in err["loc"]), err["msg"]
        if not where:  # a cross-field check: its message starts with the field
            where, _, msg = msg.removeprefix("Value error, ").partition(": ")
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        raise SourceError(f"field '{where}': {msg}{more}", path=str(path)) from None
    stem = path.name.rsplit(".", 1)[0]
    if genre.id != stem:
        raise SourceError(
            f"field 'id': '{genre.id}' must match the file name '{stem}'", path=str(path)
        )
    return genre


def load_library(root: Traversable | Path | None = None) -> Library:
    """All ``*.yaml`` genre files in ``root`` (default: the package's ``data/genres``)."""
    if root is None:
        return default_library()
    files: Iterable[Traversable | Path] = sorted(
        (p for p in root.iterdir() if p.name.endswith(".yaml")), key=lambda p: p.name
    )
    genres = {g.id: g for g in map(load_genre, files)}
    if not genres:
        raise SourceError("no genre files (*.yaml) found", path=str(root))
    return Library(genres)


@cache
def default_library() -> Library:
    return load_library(resources.files("cliffhanger.writing.local") / "data" / "genres")
