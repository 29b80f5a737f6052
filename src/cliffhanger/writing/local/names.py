"""Culturally fitting names, cities and looks, from ``data/names.yaml``.

A :class:`Namer` hands out the names of one series: no two characters share a given name, and
a family name is shared only inside one family. Chinese, Korean and Japanese names are written
family name first ("Lin Yue") and a story calls those characters by the full name.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources

from pydantic import Field, ValidationError

from cliffhanger.errors import SourceError
from cliffhanger.model.bible import Gender, slugify
from cliffhanger.writing.local.genres import Gendered, Keywords, Record, safe_load


class Culture(Record):
    family_first: bool = False
    keeps_name: bool = False  # a spouse keeps their own family name
    languages: tuple[str, ...] = ()  # premise languages that imply this culture
    keywords: Keywords = Field(default_factory=dict)
    given: Gendered
    family: tuple[str, ...] = Field(min_length=12)
    cities: tuple[str, ...] = Field(min_length=1)
    skin: tuple[str, ...] = Field(min_length=1)
    hair: tuple[str, ...] = Field(min_length=1)
    eyes: tuple[str, ...] = Field(min_length=1)


class NameBook(Record):
    default: str
    hair_styles: dict[str, Gendered]
    hair_old: Gendered
    builds: Gendered
    cultures: dict[str, Culture]

    def culture(self, ident: str | None) -> Culture:
        return self.cultures.get(ident or self.default, self.cultures[self.default])


@dataclass(frozen=True, slots=True)
class Name:
    given: str
    family: str
    family_first: bool = False

    @property
    def full(self) -> str:
        return f"{self.family} {self.given}" if self.family_first else f"{self.given} {self.family}"

    @property
    def short(self) -> str:
        """What the story calls the character: the given name, or the full name where the
        family name comes first (a drama says "Lin Yue", never "Yue")."""
        return self.full if self.family_first else self.given

    @property
    def slug(self) -> str:
        return slugify(ascii_fold(self.full))


def ascii_fold(text: str) -> str:
    """``"Lucía García"`` → ``"Lucia Garcia"``: accents off, for ids and file names."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


class Namer:
    """Unique names for one series, drawn from one culture with a seeded generator."""

    def __init__(self, culture: Culture, rng: random.Random) -> None:
        self.culture = culture
        self.rng = rng
        self._given: set[str] = set()
        self._family: set[str] = set()

    def family_name(self) -> str:
        pick = self._draw(self.culture.family, self._family | self._given)
        self._family.add(pick)
        return pick

    def name(self, gender: Gender, family: str) -> Name:
        given = self._draw(self.culture.given.get(gender), self._given | self._family | {family})
        self._given.add(given)
        return Name(given, family, self.culture.family_first)

    def _draw(self, pool: tuple[str, ...], used: set[str]) -> str:
        free = [x for x in pool if x not in used]
        return self.rng.choice(free) if free else f"{self.rng.choice(pool)} {len(used) + 2}"


@cache
def default_names() -> NameBook:
    """The package's name book; ``SourceError`` naming the file and field when it is wrong."""
    res = resources.files("cliffhanger.writing.local") / "data" / "names.yaml"
    return _parse(res.read_text(encoding="utf-8"), str(res))


def _parse(text: str, where: str) -> NameBook:
    try:
        book = NameBook.model_validate(safe_load(text))
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(p) for p in err["loc"])
        raise SourceError(f"field '{field}': {err['msg']}", path=where) from None
    if book.default not in book.cultures:
        raise SourceError(f"field 'default': no culture '{book.default}'", path=where)
    return book
