"""Staging: which images a place can hold.

An image needs what the place has. A forest clearing has no table to slam a file on and no
door to knock at; a werewolf throne room has no jade floor. Action banks in
``data/lines/actions.yaml`` may be keyed by genre (``at_palace_hall@palace``) before the plain
key, and may add lines that only suit the open air (``setup@outdoor``). Outdoors, any
template that needs a roof, a wall or furniture is left out of a bank.

>>> from cliffhanger.writing.local.phrases import bank
>>> len(under_sky(bank(["{a} slams the table.", "{a} kicks the (mud|dust)."])).templates)
1
"""

from __future__ import annotations

import re
from functools import cache

from cliffhanger.model import Location
from cliffhanger.writing.local.phrases import Alt, Bank, Template, banks

OUTDOOR_KINDS = frozenset({"forest_night", "street_night", "rooftop"})
"""Location kinds that are open air whatever a bible says about them."""

_ROOFED = re.compile(
    r"\b(?:tables?|desks?|chairs?|(?<!car )(?<!van )doors?|doorways?|doorknob|knock(?:s|ed)?|"
    r"raps|lights (?:snap|die)|windows?|windshield|chandeliers?|ceilings?|curtains?|drawers?|"
    r"cupboard|sink|bathroom|lamp|walls?|floors?|room|pews?|altar|lockers?|corridor|inside)\b",
    re.IGNORECASE,
)


def outdoor(location: Location | None) -> bool:
    """Whether a place is open air: an exterior, or a kind that always is."""
    return location is not None and (not location.interior or location.kind in OUTDOOR_KINDS)


def roofed(text: str) -> bool:
    """Whether a text needs a roof over it: furniture, a door, walls, a ceiling."""
    return _ROOFED.search(text) is not None


def _needs_roof(template: Template) -> bool:
    for part in template:
        if isinstance(part, str):
            if roofed(part):
                return True
        elif isinstance(part, Alt) and any(_needs_roof(option) for option in part.options):
            return True
    return False


@cache
def under_sky(b: Bank) -> Bank:
    """The templates of a bank that can play in the open air."""
    return Bank(tuple(t for t in b.templates if not _needs_roof(t)))


def staged(b: Bank, location: Location | None) -> Bank:
    """A bank as a place can hold it (outdoors, only what needs no roof)."""
    return under_sky(b) if outdoor(location) else b


@cache
def images(keys: tuple[str, ...], genre: str, open_air: bool) -> Bank:
    """The first of ``keys`` with images that suit the genre and the place.

    Each key is looked up as ``key@genre`` and then ``key``; outdoors its roofed templates
    are dropped and its ``key@outdoor`` ones added. Empty when none of the keys has any.
    """
    actions = banks("actions")
    for key in keys:
        found = actions.get(f"{key}@{genre}") or actions.get(key) or Bank(())
        if open_air:
            extra = actions.get(f"{key}@outdoor") or Bank(())
            found = Bank(under_sky(found).templates + extra.templates)
        if found:
            return found
    return Bank(())
