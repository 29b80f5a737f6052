"""develop: any premise → a valid, rich bible; deterministic for a seed; the genre library."""

from __future__ import annotations

from collections import deque
from importlib import resources
from pathlib import Path

import pytest

from cliffhanger.errors import PremiseError, SourceError
from cliffhanger.model.bible import Bible, Role
from cliffhanger.writing.base import SeriesRequest
from cliffhanger.writing.local.develop import develop
from cliffhanger.writing.local.genres import default_library, load_genre, load_library
from cliffhanger.writing.local.names import default_names

LONG = "A quiet nurse keeps a diary of everything the family forgets. " * 340
PREMISES: dict[str, str | None] = {  # premise → the genre it must give (None: any)
    "A waitress discovers she is the lost heiress of a billionaire family": "hidden_identity",
    "Everyone at the company mocks the intern, but he is secretly the billionaire who owns it": (
        "hidden_identity"
    ),
    "Una camarera descubre que es la heredera perdida de una familia millonaria": "hidden_identity",
    "被退婚的女孩重生回到十八岁，发誓复仇": "rebirth",
    "A betrayed wife fakes her death to take revenge on her husband and her best friend": "revenge",
    "Framed for murder by his best friend, he walks out of prison after five years": "revenge",
    "She was rejected by her alpha mate in front of the whole pack": "werewolf",
    "🐺🌕💔": "werewolf",
    "A concubine in the emperor's harem plots to clear her family's name": "palace",
    "A nurse signs a contract marriage with a cold CEO to pay for her brother's surgery": (
        "contract_marriage"
    ),
    "Everyone mocks the useless live-in son-in-law, but he is secretly the war god": "son_in_law",
    "A mafia boss takes a waitress as payment for her father's debt": "mafia",
    "A detective investigates the murder of a billionaire on his birthday": "mystery",
    "A clumsy caterer is mistaken for a famous actress at a wedding — hilarious chaos": "comedy",
    "Two rivals at an ad agency fall in love": "romance",
    "A space pilot stranded on Mars must keep her crew alive as the reactor fails": "drama",
    "A nurse discovers her twin sister stole her life and her husband": None,
    "A Korean chaebol heir falls in love with a poor florist in Seoul": None,
    "An Indian girl in Mumbai is forced into a marriage with a stranger": None,
    "THE CEO FALLS FOR HIS SECRETARY": None,
    "x": "drama",
    "?!": "drama",
    LONG: None,
}


def bible(premise: str, seed: int = 0, episodes: int = 60, paywall: int = 8) -> Bible:
    request = SeriesRequest(premise=premise, seed=seed, episodes=episodes, paywall_episode=paywall)
    return develop(request)


def check(b: Bible) -> None:
    """What every bible must hold, whatever the premise."""
    chars = b.characters
    ids = {c.id for c in chars}
    assert 5 <= len(chars) <= 8
    assert len(ids) == len(chars) and len({c.name for c in chars}) == len(chars)
    assert [c.role for c in chars].count(Role.LEAD) == 1
    assert any(c.role is Role.ANTAGONIST for c in chars)
    assert any(c.role in (Role.LOVE_INTEREST, Role.ALLY) for c in chars)
    given = [c.name.split()[-1 if _family_first(b) else 0] for c in chars]
    assert len(set(given)) == len(given), "no two characters share a given name"
    for c in chars:
        assert c.want and c.appearance.outfit and c.voice.description
        for r in c.relationships:
            assert r.to in ids and r.to != c.id
            back = [x for x in b.character(r.to).relationships if x.to == c.id]
            assert back, f"{c.id} → {r.to} ({r.kind}) has no way back"
    looks = {(c.appearance.hair_style, c.appearance.outfit) for c in chars}
    assert len(looks) == len(chars), "every character looks different"
    assert sum(bool(c.secret) for c in chars) >= 2
    assert 3 <= len(b.locations) <= 5
    assert len({loc.id for loc in b.locations}) == len(b.locations)
    assert all(loc.name != loc.name.upper() and loc.description for loc in b.locations)
    assert 3 <= len(b.secrets) <= 6
    for s in b.secrets:
        assert 1 <= s.revealed_in <= b.episodes
        assert [t.episode for t in b.arc if t.secret == s.id] == [s.revealed_in]
    pays = [t for t in b.arc if t.paywall]
    assert len(pays) == 1 and pays[0].episode == b.paywall_episode <= b.episodes
    assert b.arc[-1].kind == "reckoning" and b.arc[-1].episode == b.episodes
    assert b.title and b.title.lower() != b.premise.lower()
    lead = next(c for c in chars if c.role is Role.LEAD)
    assert lead.name in b.logline and b.logline.endswith((".", "!", "?"))
    assert Bible.model_validate_json(b.model_dump_json()) == b


def _family_first(b: Bible) -> bool:
    names = default_names()
    first = [c for c in names.cultures.values() if c.family_first]
    return any(b.characters[0].name.split()[0] in c.family for c in first)


@pytest.mark.parametrize("premise", list(PREMISES), ids=lambda p: p[:30])
def test_any_premise_gives_a_sound_bible(premise: str) -> None:
    b = bible(premise)
    check(b)
    if PREMISES[premise] is not None:
        assert b.genre == PREMISES[premise]
    assert b.premise == premise[:2000] and b.language == "en"


def test_twenty_premises_do_not_read_alike() -> None:
    bibles = [bible(p) for p in PREMISES]
    assert len({b.title for b in bibles}) >= 18
    assert len({b.logline for b in bibles}) == len(bibles)
    leads = [next(c.name for c in b.characters if c.role is Role.LEAD) for b in bibles]
    assert len(set(leads)) >= len(bibles) - 2


def test_chinese_rebirth_premise_has_chinese_names() -> None:
    b = bible("被退婚的女孩重生回到十八岁，发誓复仇")
    chinese = default_names().cultures["chinese"]
    assert b.genre == "rebirth"
    assert all(c.name.split()[0] in chinese.family for c in b.characters), "family name first"
    lead = b.characters[0]
    assert (lead.appearance.gender, lead.appearance.age) == ("female", 18)
    assert any(r.kind in ("fiancé", "ex-boyfriend") for r in lead.relationships)


def test_spanish_heiress_premise_has_spanish_names_and_her_job() -> None:
    b = bible("Una camarera descubre que es la heredera perdida de una familia millonaria")
    spanish = default_names().cultures["spanish"]
    assert b.genre == "hidden_identity"
    assert all(c.name.split()[-1] in spanish.family for c in b.characters)
    lead = b.characters[0]
    assert lead.appearance.gender == "female" and "apron" in lead.appearance.outfit
    assert "waitress" in b.logline


def test_palace_drama_dresses_its_court() -> None:
    b = bible("A concubine in the emperor's harem plots to clear her family's name")
    chinese = default_names().cultures["chinese"]
    assert all(c.name.split()[0] in chinese.family for c in b.characters)
    styles = default_names().hair_styles["ancient"]
    for c in b.characters:
        a = c.appearance
        assert a.hair_style in styles.all() or a.age >= 55
        assert any(w in a.outfit for w in ("robe", "hanfu", "armour"))
    assert any("hairpin" in " ".join(c.appearance.accessories) for c in b.characters)
    assert {loc.kind for loc in b.locations} & {"palace_hall"}


def test_a_named_relative_is_cast_both_ways_and_shares_the_family_name() -> None:
    b = bible("A nurse discovers her twin sister stole her life and her husband")
    lead = b.characters[0]
    twin = [r for r in lead.relationships if r.kind == "twin sister"]
    assert len(twin) == 1
    sister = b.character(twin[0].to)
    assert [r.kind for r in sister.relationships if r.to == lead.id] == ["twin sister"]
    assert sister.name.split()[-1] == lead.name.split()[-1]
    assert sister.appearance.age == lead.appearance.age
    assert any(r.kind == "husband" for r in lead.relationships)
    assert "scrubs" in lead.appearance.outfit and "nurse" in b.logline


@pytest.mark.parametrize("premise", list(PREMISES)[:12], ids=lambda p: p[:30])
def test_blood_family_shares_a_name_and_strangers_do_not(premise: str) -> None:
    b = bible(premise, seed=7)
    family = _family_first(b)

    def surname(ident: str) -> str:
        name = b.character(ident).name.split()
        return name[0] if family else name[-1]

    links = {c.id: {r.to for r in c.relationships} for c in b.characters}
    for c in b.characters:
        for r in c.relationships:
            other = b.character(r.to)
            if r.kind in ("brother", "sister", "twin brother", "twin sister") or (
                r.kind in ("son", "daughter") and c.appearance.gender == "male"
            ):
                assert surname(c.id) == surname(r.to), f"{c.name} and {other.name} are family"
    for a in b.characters:  # a shared family name is a family: connected by relationships
        for other in b.characters:
            if a.id < other.id and surname(a.id) == surname(other.id):
                assert _connected(links, a.id, other.id), f"{a.name} and {other.name}"


def _connected(links: dict[str, set[str]], a: str, b: str) -> bool:
    seen, todo = {a}, deque([a])
    while todo:
        for n in links[todo.popleft()] - seen:
            seen.add(n)
            todo.append(n)
    return b in seen


def test_same_request_same_bible_byte_for_byte() -> None:
    for premise in ("A waitress discovers she is the lost heiress", "🐺🌕💔", "x"):
        assert (
            bible(premise, seed=42).model_dump_json() == bible(premise, seed=42).model_dump_json()
        )


def test_another_seed_another_story() -> None:
    base = bible("A waitress discovers she is the lost heiress of a billionaire family")
    others = [
        bible("A waitress discovers she is the lost heiress of a billionaire family", s)
        for s in (1, 2, 3)
    ]
    for other in others:
        assert {c.name for c in other.characters} != {c.name for c in base.characters}
    assert len({b.title for b in (base, *others)}) >= 2
    arcs = {tuple((t.episode, t.kind) for t in b.arc) for b in (base, *others)}
    assert len(arcs) >= 2


@pytest.mark.parametrize("episodes", [1, 3, 8, 20, 100, 500])
def test_any_season_length(episodes: int) -> None:
    b = bible("A mafia boss takes a waitress as payment for her father's debt", episodes=episodes)
    check(b)
    assert b.paywall_episode == min(8, episodes)
    if episodes >= 20:
        main = b.secrets[0]  # the main secret comes first
        assert 0.7 * episodes <= main.revealed_in < episodes


def test_empty_premise_is_refused() -> None:
    with pytest.raises(PremiseError, match="premise is empty: '  '"):
        develop(SeriesRequest(premise="  "))


def test_a_long_premise_is_kept_to_2000_characters() -> None:
    b = bible(LONG)
    assert len(LONG) > 20_000 and b.premise == LONG[:2000]


# --- the genre library ------------------------------------------------------------------------

DATA = Path(str(resources.files("cliffhanger.writing.local") / "data" / "genres"))
GENRES = {"hidden_identity", "revenge", "rebirth", "contract_marriage", "son_in_law", "werewolf"}
GENRES |= {"palace", "mafia", "romance", "mystery", "comedy", "drama"}


def test_the_library_has_every_genre_and_every_location_kind_is_known() -> None:
    lib = default_library()
    assert set(lib.genres) == GENRES
    for genre in lib.genres.values():
        assert genre.tropes and genre.tones and genre.settings
        for variant in genre.variants:
            assert len(genre.locations_for(variant)) >= 3


def test_a_bad_genre_file_names_the_file_and_the_field(tmp_path: Path) -> None:
    good = DATA / "mafia.yaml"
    text = good.read_text(encoding="utf-8").replace("role: love_interest", "role: sweetheart", 1)
    bad = tmp_path / "mafia.yaml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(SourceError) as err:
        load_library(tmp_path)
    assert str(bad) in str(err.value) and "variants.0.cast.1.role" in str(err.value)


def test_a_genre_file_with_an_unknown_placeholder_is_refused(tmp_path: Path) -> None:
    good = DATA / "comedy.yaml"
    bad = tmp_path / "comedy.yaml"
    bad.write_text(good.read_text(encoding="utf-8").replace("{grandma}", "{granny}", 1), "utf-8")
    with pytest.raises(SourceError, match=r"comedy\.yaml.*unknown placeholder '\{granny\}'"):
        load_genre(bad)


def test_a_genre_file_that_is_not_yaml(tmp_path: Path) -> None:
    bad = tmp_path / "broken.yaml"
    bad.write_text("id: broken\nname: [unclosed\n", encoding="utf-8")
    with pytest.raises(SourceError, match=r"broken\.yaml: not valid YAML"):
        load_genre(bad)
