"""A small, valid series built in code for the script doctor's tests.

Every episode of :func:`series` is clean: 90 s, a hook, two jolts, a cliffhanger, about
170 spoken words, distinct lines. Tests break one thing and expect exactly one code.
Elements carry ``source_line`` numbers as if read from a file, so findings can be checked
for the line they point at.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from cliffhanger.model import (
    Action,
    Appearance,
    Beat,
    BeatKind,
    BeatMarker,
    Bible,
    Character,
    Element,
    EpisodeOutline,
    Line,
    Location,
    Outline,
    Role,
    Scene,
    Script,
    Secret,
    Transition,
)
from cliffhanger.model.bible import Gender
from cliffhanger.settings import DoctorSettings
from cliffhanger.writing.doctor import Report, lint

THINGS = ("ring", "letter", "key", "photo", "watch", "scarf", "fan", "locket", "badge", "vase")
ENDINGS = ("door", "call", "name", "threat", "photo", "test", "door", "call", "name", "threat")


def _char(ident: str, name: str, role: Role, gender: Gender) -> Character:
    return Character(
        id=ident, name=name, role=role, want="to win", appearance=Appearance(age=30, gender=gender)
    )


def bible(episodes: int = 4, seconds: int = 90) -> Bible:
    return Bible(
        title="The Maid Who Owned the Tower",
        logline="A thrown-out maid turns out to own the company.",
        premise="A maid humiliated by a rich family is the hidden heiress.",
        genre="hidden_identity",
        tropes=("hidden heiress",),
        setting="a glass city",
        episodes=episodes,
        seconds=seconds,
        paywall_episode=min(3, episodes),
        characters=(
            _char("lin_yue", "Lin Yue", Role.LEAD, "female"),
            _char("ethan", "Ethan Blake", Role.LOVE_INTEREST, "male"),
            _char("vivian", "Vivian Blake", Role.ANTAGONIST, "female"),
        ),
        locations=(
            Location(id="mansion", name="Blake Mansion", time_of_day="night"),
            Location(id="office", name="Blake Tower Office", time_of_day="night"),
        ),
        secrets=(
            Secret(
                id="poison",
                holder="vivian",
                text="Vivian poisoned Grandpa Blake with the jade tonic",
                revealed_in=3,
                revealed_to=("lin_yue", "ethan"),
            ),
        ),
    )


def _jolt(n: int) -> str:
    return "reveal" if n == 3 else "reversal"


def episode(n: int) -> Script:
    """Episode ``n`` (1-based, up to 10) of the clean series."""
    t = THINGS[n - 1]
    scene1 = (
        BeatMarker("hook", "Lin Yue is thrown out in the rain"),
        Action(f"Rain hammers the glass. LIN YUE kneels on the marble floor, clutching a {t}."),
        Line("VIVIAN BLAKE", f"Get out of my house with that cheap {t}, you little thief.", "cold"),
        Line("LIN YUE", f"I never stole anything from you. This {t} was my mother's.", "desperate"),
        BeatMarker("humiliation", "Vivian shames her in front of the guests"),
        Action(f"Guests gather on the stairs, whispering. Vivian snatches the {t} and drops it."),
        Line(
            "VIVIAN BLAKE",
            f"Look at her, everyone. The maid thinks a {t} buys her a seat at our table.",
            "mocking",
        ),
        Line("LIN YUE", f"Keep the {t} then. One day you will beg me to sit at that table."),
        Line("VIVIAN BLAKE", f"One day? You have until midnight to take your {t} and go.", "smug"),
        Transition("CUT TO:"),
    )
    scene2 = (
        BeatMarker(_jolt(n), "Ethan walks in and takes her side"),
        Action(f"The doors swing open. ETHAN BLAKE strides in, coat wet, and picks up the {t}."),
        Line("ETHAN BLAKE", f"Nobody touches her or her {t}. From tonight Lin Yue works for me."),
        Line(
            "VIVIAN BLAKE",
            f"Ethan, you cannot be serious. She is nobody, and that {t} is worthless.",
            "shocked",
        ),
        Line("ETHAN BLAKE", f"She is the only one in this family who never lied about the {t}."),
        Line(
            "VIVIAN BLAKE",
            f"You will regret choosing a servant and her {t} over your own family.",
            "angry",
        ),
        Line("LIN YUE", f"Why would you help me after what your family did over a {t}?", "hurt"),
        Line("ETHAN BLAKE", f"Because I know who really took the {t} tonight."),
        BeatMarker("cliffhanger", "A stranger at the door has her face"),
        Action(f"The lights die. A FIGURE stands in the doorway holding an old {t} and a photo."),
        Line(
            "ETHAN BLAKE", f"Who let you into my building at this hour with that {t}?", "shouting"
        ),
        Line("LIN YUE", f"Wait. The woman holding that {t} in the picture has my face.", "shocked"),
    )
    return numbered(
        Script(
            episode=n,
            title=f"Episode {n}",
            scenes=(
                Scene("INT. BLAKE MANSION - NIGHT", "mansion", scene1),
                Scene("INT. BLAKE TOWER OFFICE - NIGHT", "office", scene2),
            ),
        )
    )


def numbered(script: Script, first: int = 6) -> Script:
    """The script with source lines as a Fountain file would give them: a heading, then one
    element every two lines (elements that already have a line keep it)."""
    line = first
    scenes = []
    for scene in script.scenes:
        elements: list[Element] = []
        heading_line = line
        line += 2
        for e in scene.elements:
            elements.append(e if e.source_line else replace(e, source_line=line))
            line += 2
        scenes.append(replace(scene, elements=tuple(elements), source_line=heading_line))
    return replace(script, scenes=tuple(scenes))


def path(n: int) -> str:
    return f"scripts/ep{n:03d}.fountain"


def series(count: int = 4) -> list[tuple[Script, str | None]]:
    return [(episode(n), path(n)) for n in range(1, count + 1)]


def outline(
    count: int = 4, changes: dict[int, dict[int, dict[str, Any]]] | None = None, seconds: int = 90
) -> Outline:
    """The outline behind :func:`series`; ``changes[episode][beat_index]`` overrides fields."""
    changes = changes or {}
    episodes = []
    for n in range(1, count + 1):
        beats = [
            Beat(kind=BeatKind.HOOK, summary="thrown out", location="mansion",
                 characters=("lin_yue", "vivian")),
            Beat(kind=BeatKind.HUMILIATION, summary="shamed", location="mansion",
                 characters=("lin_yue", "vivian")),
            Beat(kind=BeatKind(_jolt(n)), summary="Ethan sides with her", location="office",
                 characters=("ethan", "vivian", "lin_yue"),
                 reveals="poison" if n == 3 else None,
                 learned_by=("lin_yue", "ethan") if n == 3 else ()),
            Beat(kind=BeatKind.CLIFFHANGER, summary="a stranger", location="office",
                 characters=("ethan", "lin_yue"), cliffhanger_kind=ENDINGS[n - 1]),
        ]  # fmt: skip
        for index, fields in changes.get(n, {}).items():
            beats[index] = beats[index].with_(**fields)
        episodes.append(
            EpisodeOutline(number=n, title=f"Episode {n}", summary="...", seconds=seconds,
                           beats=tuple(beats))
        )  # fmt: skip
    return Outline(episodes=tuple(episodes))


# ---- editing a script -------------------------------------------------------------------


def element(script: Script, scene: int, index: int) -> Element:
    """Element ``index`` of scene ``scene`` (both 0-based)."""
    return script.scenes[scene].elements[index]


def line(script: Script, scene: int, index: int) -> Line:
    """The spoken line at that place (AssertionError if it is something else)."""
    found = element(script, scene, index)
    assert isinstance(found, Line), found
    return found


def edit(script: Script, scene: int, change: Callable[[list[Element]], None]) -> Script:
    """The script with scene ``scene``'s element list changed in place by ``change``."""
    elements = list(script.scenes[scene].elements)
    change(elements)
    scenes = list(script.scenes)
    scenes[scene] = replace(scenes[scene], elements=tuple(elements))
    return replace(script, scenes=tuple(scenes))


def put(script: Script, scene: int, index: int, new: Element) -> Script:
    """Replace one element."""

    def change(elements: list[Element]) -> None:
        elements[index] = new

    return edit(script, scene, change)


def insert(script: Script, scene: int, index: int, *new: Element) -> Script:
    def change(elements: list[Element]) -> None:
        elements[index:index] = new

    return edit(script, scene, change)


def drop(script: Script, scene: int, index: int) -> Script:
    def change(elements: list[Element]) -> None:
        del elements[index]

    return edit(script, scene, change)


def map_lines(script: Script, fn: Callable[[Line], Line]) -> Script:
    scenes = tuple(
        replace(s, elements=tuple(fn(e) if isinstance(e, Line) else e for e in s.elements))
        for s in script.scenes
    )
    return replace(script, scenes=scenes)


def with_episode(
    scripts: Sequence[tuple[Script, str | None]], script: Script
) -> list[tuple[Script, str | None]]:
    """The series with the script of ``script.episode`` replaced by ``script``."""
    return [(script if s.episode == script.episode else s, p) for s, p in scripts]


def run(
    scripts: Sequence[tuple[Script, str | None]],
    plan: Outline | None = None,
    settings: DoctorSettings | None = None,
    outline_file: str | None = None,
) -> Report:
    return lint(
        bible(), plan, scripts, settings or DoctorSettings(), 140.0, outline_file=outline_file
    )


def run_with(
    script: Script, plan: Outline | None = None, settings: DoctorSettings | None = None
) -> Report:
    """Lint the clean four-episode series with ``script`` in place of its episode."""
    return run(with_episode(series(), script), plan, settings)
