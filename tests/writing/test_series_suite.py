"""Twenty varied premises through the real `write` stage: every structural rule of the format
holds on the files on disk, and the doctor passes on everything `write` makes."""

from __future__ import annotations

import re
from collections import Counter
from itertools import pairwise

import pytest

from cliffhanger import settings as settings_mod
from cliffhanger.model import BeatKind, BeatMarker, Role
from cliffhanger.project import Project
from cliffhanger.settings import SeriesSettings
from cliffhanger.writing.doctor import lint
from cliffhanger.writing.series import Series, load_series
from cliffhanger.writing.stages import write

LONG = " ".join(
    ["A disgraced surgeon returns to the hospital that fired her, hiding her new identity."] * 240
)
PREMISES = {
    "werewolf": "A rejected werewolf mate becomes the Luna of the rival pack's alpha.",
    "heiress": "A waitress learns she is the real heiress, swapped at birth with a CEO's girl.",
    "revenge": "Betrayed by her husband and best friend, a woman returns to take everything back.",
    "rebirth": "Killed by her stepsister, a bride wakes up five years earlier and swears revenge.",
    "contract": "A broke florist signs a one-year contract marriage with a cold billionaire.",
    "son_in_law": "The despised live-in son-in-law is secretly the war god of the northern army.",
    "palace": "A palace maid hides that she is the daughter of the executed general.",
    "mafia": "A nurse saves a wounded mafia boss and is forced into his world.",
    "mystery": "A detective investigates the disappearance of her twin sister on a remote island.",
    "comedy": "Two rival food-truck owners are forced to share one parking spot for a summer.",
    "romance": "A shy librarian falls for the rock star hiding from the press in her library.",
    "scifi": "On a generation ship, a janitor learns the captain has been dead for ten years.",
    "spanish": "Una camarera descubre que es la heredera perdida de una familia millonaria.",
    "chinese": "被退婚的女孩重生回到十八岁，发誓复仇",
    "emoji": "🐺🌕💔",
    "letter": "x",
    "long": LONG,
    "punctuation": "?!",
    "shouting": "MY BOSS IS MY EX-HUSBAND AND HE DOESN'T KNOW ABOUT OUR SON",
    "korean": "A K-pop trainee discovers her manager is the chaebol heir who ruined her family.",
}

TRIGRAM_WORD = re.compile(r"[\w']+")


@pytest.fixture(scope="module")
def series(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Series, Project]]:
    made = {}
    for i, (name, premise) in enumerate(PREMISES.items()):
        root = tmp_path_factory.mktemp(name)
        settings_mod.write(root, SeriesSettings(premise=premise, episodes=60, seconds=90, seed=i))
        project = Project(root)
        write(project, settings_mod.load(root))
        made[name] = (load_series(project), project)
    return made


@pytest.mark.parametrize("name", list(PREMISES))
def test_structure_holds(series: dict[str, tuple[Series, Project]], name: str) -> None:
    s, _ = series[name]
    bible, outline = s.bible, s.outline
    assert len(bible.characters) >= 5 and bible.title and bible.logline
    assert [c.role for c in bible.characters].count(Role.LEAD) == 1
    assert all(c.want and c.appearance and c.voice for c in bible.characters)
    assert 1 <= len(bible.locations) <= 5
    paywall = [t for t in bible.arc if t.paywall]
    assert len(paywall) == 1 and paywall[0].episode == bible.paywall_episode == 8

    assert len(outline.episodes) == len(s.scripts) == 60
    kinds = []
    for ep in outline.episodes:
        assert ep.beats[0].kind is BeatKind.HOOK, ep.number
        assert ep.beats[-1].kind is BeatKind.CLIFFHANGER, ep.number
        assert sum(b.kind.is_jolt for b in ep.beats) >= 2, ep.number
        assert any(b.kind is BeatKind.REVERSAL for b in ep.beats), ep.number
        kinds.append(ep.beats[-1].cliffhanger_kind)
    assert len(set(kinds)) >= 6
    assert all(a != b for a, b in pairwise(kinds))

    spoken: list[str] = []
    for script, rel in s.scripts:
        words = script.words
        assert 100 <= words <= 220, (rel, words)
        markers = [e for sc in script.scenes for e in sc.elements if isinstance(e, BeatMarker)]
        assert markers[0].kind == "hook" and markers[-1].kind == "cliffhanger", rel
        spoken += [line.text for line in script.lines]
    counts = Counter(t.lower().strip() for t in spoken)
    worst = counts.most_common(1)[0]
    assert worst[1] <= 2, worst
    tokens = [w for t in spoken for w in TRIGRAM_WORD.findall(t.lower())]
    grams = list(zip(tokens, tokens[1:], tokens[2:], strict=False))
    assert len(set(grams)) / len(grams) >= 0.5


@pytest.mark.parametrize("name", list(PREMISES))
def test_doctor_passes_on_what_write_made(
    series: dict[str, tuple[Series, Project]], name: str
) -> None:
    s, project = series[name]
    settings = settings_mod.load(project.root)
    report = lint(s.bible, s.outline, s.scripts, settings.doctor, settings.writing.words_per_minute)
    assert report.ok and not report.warnings, report.to_text()


def test_premises_read_differently(series: dict[str, tuple[Series, Project]]) -> None:
    titles = {s.bible.title for s, _ in series.values()}
    genres = {s.bible.genre for s, _ in series.values()}
    assert len(titles) == len(series)
    assert len(genres) >= 9
    assert series["werewolf"][0].bible.genre == "werewolf"
    assert series["palace"][0].bible.genre == "palace"
