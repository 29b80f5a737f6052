"""Golden images of a few sets (flattened, small): a regression net for the painted sets."""

from __future__ import annotations

import pytest

from cliffhanger.cast.puppet.sets import draw_set, flatten
from cliffhanger.model.look import SetLook
from tests.cast.puppet.golden import assert_golden

SETS = {
    "set-street-night-rain": SetLook(kind="street_night", time_of_day="night", weather="rain"),
    "set-ceo-office-dusk": SetLook(kind="ceo_office", time_of_day="dusk", variant=3),
    "set-palace-hall-day": SetLook(kind="palace_hall", palette=("#e8d8b8", "#8b1a1a", "#f5c542")),
}


@pytest.mark.parametrize("name", sorted(SETS))
def test_golden_sets(name: str) -> None:
    assert_golden(name, flatten(draw_set(SETS[name], 108, 192)))
