"""Appearance words become drawable looks: every word the local engine writes is understood, a
cast reads as distinct people, and whatever a person set in ``bible.yaml`` stays as they set it."""

from __future__ import annotations

from itertools import combinations

import pytest

from cliffhanger.cast.looks import (
    OUTFIT_DISTANCE,
    colour_distance,
    complete_looks,
    eye_colour,
    hair_colour,
    hair_style,
    look_for_cast,
    outfit_colours,
    outfit_kind,
    set_kind,
    set_look_for,
    skin_colour,
)
from cliffhanger.model.bible import Appearance, Bible, Character, Location, Role
from cliffhanger.model.look import SET_KINDS, Look, SetLook
from cliffhanger.writing.base import SeriesRequest
from cliffhanger.writing.local.develop import develop
from cliffhanger.writing.local.genres import Gendered, LocationPattern, default_library
from cliffhanger.writing.local.names import default_names
from cliffhanger.writing.local.premise import vocabulary
from tests.writing.test_series_suite import PREMISES

# Seven characters who all wrote "grey" or "black" cannot all be 20 apart on a grey scale; the
# shades that keep their words stay above this.
SUITE_LEAST_DISTANCE = 18.0


def _vocabulary() -> dict[str, set[str]]:
    """Every appearance phrase the local engine can write, by field."""
    book, lib = default_names(), default_library()
    words: dict[str, set[str]] = {k: set() for k in ("style", "hair", "skin", "eyes", "outfit")}
    for styles in (*book.hair_styles.values(), book.hair_old):
        words["style"] |= set(styles.all())
    for culture in book.cultures.values():
        words["hair"] |= set(culture.hair)
        words["skin"] |= set(culture.skin)
        words["eyes"] |= set(culture.eyes)
    wardrobes: list[Gendered] = []
    for genre in lib.genres.values():
        for setting in genre.settings:
            wardrobes += setting.wardrobe.values()
        for variant in genre.variants:
            for entry in variant.cast:
                wardrobes.append(entry.outfits)
                words["eyes"] |= set(entry.eyes)
    for wardrobe in wardrobes:
        words["outfit"] |= set(wardrobe.all())
    words["outfit"] |= {job.outfit for job in vocabulary().jobs if job.outfit}
    return words


VOCABULARY = _vocabulary()


def _locations() -> list[LocationPattern]:
    out: list[LocationPattern] = []
    for genre in default_library().genres.values():
        out += genre.locations
        for setting in genre.settings:
            out += setting.locations
        for variant in genre.variants:
            out += variant.locations
    return out


@pytest.mark.parametrize("words", sorted(VOCABULARY["style"]))
def test_every_hair_style_the_engine_writes_has_a_style(words: str) -> None:
    assert hair_style(words) is not None


@pytest.mark.parametrize("words", sorted(VOCABULARY["outfit"]))
def test_every_outfit_the_engine_writes_has_a_kind(words: str) -> None:
    assert outfit_kind(words) is not None


def test_every_colour_word_the_engine_writes_is_known() -> None:
    unknown = (
        [w for w in VOCABULARY["hair"] if hair_colour(w) is None]
        + [w for w in VOCABULARY["skin"] if skin_colour(w) is None]
        + [w for w in VOCABULARY["eyes"] if eye_colour(w) is None]
    )
    assert unknown == []
    # the old get streaks of silver in their own colour
    assert hair_colour("silver-streaked auburn") == (hair_colour("auburn")[0], "#c8c8cc")  # type: ignore[index]


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("a low chignon", "low_bun"),
        ("a sleek bob", "bob"),
        ("a long braid", "braid"),
        ("half-up half-down curls", "long_wavy"),
        ("tousled, slightly too long", "tousled"),
    ],
)
def test_hair_style_words(words: str, expected: str) -> None:
    assert hair_style(words) == expected


@pytest.mark.parametrize(
    ("words", "kind", "main"),
    [
        ("a crimson qipao", "dress", "#a3152b"),
        ("a linen apron over a rolled-sleeve shirt", "apron", None),
        ("a black turtleneck under a camel overcoat", "coat", "#b88a5a"),
        ("a leather jacket over a white tee", "leather_jacket", None),  # the tee is the accent
        ("a designer power suit in powder blue", "suit", "#a9c4e4"),
        ("a hospital gown and knitted shawl", "scrubs", None),
        ("un vestido rojo", "dress", "#b3202c"),
        ("a gown in #336699", "gown", "#336699"),
    ],
)
def test_outfit_words(words: str, kind: str, main: str | None) -> None:
    assert outfit_kind(words) == kind
    assert outfit_colours(words)[0] == main


def _character(ident: str, role: Role = Role.ALLY, **appearance: object) -> Character:
    words: dict[str, object] = {"age": 30, "gender": "female"} | appearance
    return Character(
        id=ident,
        name=ident.title(),
        role=role,
        want="to win",
        appearance=Appearance.model_validate(words),
    )


def test_words_reach_the_look() -> None:
    (look,) = look_for_cast(
        [
            _character(
                "iris",
                hair_style="a low chignon",
                hair_color="honey blonde",
                skin_tone="olive",
                eye_color="green",
                outfit="a crimson qipao with a pearl necklace",
                accessories=("pruning shears", "reading glasses on a chain"),
            )
        ],
        seed=1,
    )
    assert (look.hair_style, look.outfit, look.colors[0]) == ("low_bun", "dress", "#a3152b")
    assert look.hair == hair_colour("honey blonde")[0]  # type: ignore[index]
    assert {"glasses", "pearls"} <= set(look.accessories)


def test_same_words_and_seed_give_the_same_looks() -> None:
    cast = [_character(f"c{i}", hair_style="long straight hair") for i in range(6)]
    assert look_for_cast(cast, 7) == look_for_cast(cast, 7)
    assert look_for_cast(cast, 7) != look_for_cast(cast, 8)


def test_a_cast_of_lookalikes_is_told_apart() -> None:
    cast = [
        _character(f"c{i}", hair_style="long straight hair", hair_color="black", outfit="a dress")
        for i in range(8)
    ]
    looks = look_for_cast(cast, 3)
    assert len({(lk.hair_style, lk.hair) for lk in looks}) == len(looks)
    for a, b in combinations(looks, 2):
        assert colour_distance(a.colors[0], b.colors[0]) >= OUTFIT_DISTANCE


def test_a_set_look_is_kept_and_the_others_avoid_it() -> None:
    mine = Look(skin="#f1d0b5", hair="#1c1a1a", hair_style="long_straight", eyes="#3d2614")
    user = _character("user", Role.LEAD, hair_style="long straight hair", hair_color="black")
    others = [
        _character(f"c{i}", hair_style="long straight hair", hair_color="black", outfit="a dress")
        for i in range(4)
    ]
    looks = look_for_cast([user.with_(look=mine), *others], 5)
    assert looks[0] == mine
    assert all((lk.hair_style, lk.hair) != ("long_straight", "#1c1a1a") for lk in looks[1:])
    assert all(colour_distance(lk.colors[0], mine.colors[0]) >= 20 for lk in looks[1:])


def test_a_named_colour_is_kept_and_palette_picks_move_away() -> None:
    red = _character("red", Role.EXTRA, outfit="a red dress")
    lead = _character("lead", Role.LEAD, outfit="a dress")
    looks = look_for_cast([lead, red], 0)
    assert looks[1].colors[0] == "#b3202c"
    assert colour_distance(looks[0].colors[0], "#b3202c") >= OUTFIT_DISTANCE


@pytest.fixture(scope="module")
def suite() -> dict[str, Bible]:
    return {
        name: complete_looks(
            develop(SeriesRequest(premise=premise, episodes=60, seconds=90, seed=i)), i
        )
        for i, (name, premise) in enumerate(PREMISES.items())
    }


@pytest.mark.parametrize("name", list(PREMISES))
def test_every_series_cast_is_distinct(suite: dict[str, Bible], name: str) -> None:
    looks = [c.look for c in suite[name].characters]
    assert all(lk is not None for lk in looks)
    pairs = [(lk.hair_style, lk.hair) for lk in looks if lk is not None]
    assert len(set(pairs)) == len(pairs)
    for a, b in combinations(looks, 2):
        assert a is not None and b is not None
        assert colour_distance(a.colors[0], b.colors[0]) >= SUITE_LEAST_DISTANCE
    assert all(loc.look is not None for loc in suite[name].locations)


def test_complete_looks_keeps_what_is_set(suite: dict[str, Bible]) -> None:
    bible = suite["palace"]
    mine = SetLook(kind="rooftop", weather="snow")
    edited = bible.with_(
        characters=(bible.characters[0].with_(look=None), *bible.characters[1:]),
        locations=(bible.locations[0].with_(look=mine), *bible.locations[1:]),
    )
    again = complete_looks(edited, 6)
    assert again.locations[0].look == mine
    assert again.characters[1:] == bible.characters[1:]
    assert again.characters[0].look is not None


@pytest.mark.parametrize(
    ("words", "kind"),
    [
        ("Harbour View Vineyard", "forest_night"),
        ("the boardroom", "ceo_office"),
        ("Grand Hotel lobby", "banquet_hall"),
        ("ICU", "hospital_room"),
        ("back alley", "street_night"),
        ("the teahouse", "restaurant"),
        ("Lakeside manor", "mansion_living_room"),
        ("student dorm", "bedroom"),
        ("limo", "car_interior"),
        ("university classroom", "school_corridor"),
        ("mountain temple", "palace_hall"),
        ("hotel balcony", "rooftop"),
        ("police station interview room", "ceo_office"),
        ("apartment block rooftop", "rooftop"),
        ("城市医院", "hospital_room"),
        ("Thornfield", None),
    ],
)
def test_place_words_pick_a_set(words: str, kind: str | None) -> None:
    assert set_kind(words) == kind


@pytest.mark.parametrize("pattern", _locations(), ids=lambda p: p.names[0])
def test_every_place_the_engine_writes_has_a_set(pattern: LocationPattern) -> None:
    for name in pattern.names:
        place = Location(id="x", name=name, kind=pattern.kind, interior=pattern.interior)
        look = set_look_for(place, 0)
        assert look.kind in SET_KINDS
        if pattern.kind == "other":
            assert set_kind(name) is not None, name


def test_the_light_decides_what_the_words_leave_open() -> None:
    assert set_look_for(Location(id="x", name="Thornfield", interior=False), 0).kind == "rooftop"
    night = Location(id="x", name="Thornfield", interior=False, time_of_day="night")
    assert set_look_for(night, 0).kind == "street_night"
    bridge = Location(id="b", name="Old Bridge", interior=False)
    assert set_look_for(bridge, 0).kind == "rooftop"
    assert set_look_for(bridge.with_(time_of_day="night"), 0).kind == "street_night"


def test_weather_comes_from_the_words() -> None:
    storm = Location(id="x", name="pier in the storm", kind="street_night", interior=False)
    snow = Location(id="y", name="imperial garden by the frozen lake", interior=False)
    assert set_look_for(storm, 0).weather == "rain"
    assert (set_look_for(snow, 0).kind, set_look_for(snow, 0).weather) == ("forest_night", "snow")
    assert set_look_for(snow, 0) == set_look_for(snow, 0)
