"""What every rule sees: the series, each episode's script on its estimated timeline, and the
helpers that turn a script element into a finding that points at the right file line."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from cliffhanger.model import BeatKind, Bible, Character, EpisodeOutline, Outline, Script
from cliffhanger.model.script import BeatMarker, Element, Line
from cliffhanger.settings import DoctorSettings
from cliffhanger.writing.doctor.findings import Finding, finding
from cliffhanger.writing.timing import Timed, estimate


def marker_kind(element: Element) -> str:
    """The kind text of a beat marker as written, "" for other elements."""
    return element.kind if isinstance(element, BeatMarker) else ""


def beat_kind(element: Element) -> BeatKind | None:
    """The BeatKind a beat marker names (``"Face-slap"`` → FACE_SLAP); None for free text
    and for elements that are not beat markers."""
    if not isinstance(element, BeatMarker):
        return None
    key = re.sub(r"[\s\-]+", "_", element.kind.strip().lower())
    try:
        return BeatKind(key)
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class Episode:
    """One script under examination, with its file and estimated timeline."""

    script: Script
    file: str | None
    timed: tuple[Timed, ...]
    target_seconds: int
    outline: EpisodeOutline | None

    @property
    def number(self) -> int:
        return self.script.episode

    @property
    def seconds(self) -> float:
        return max((t.end for t in self.timed), default=0.0)

    @property
    def markers(self) -> list[Timed]:
        return [t for t in self.timed if isinstance(t.element, BeatMarker)]

    @property
    def spoken(self) -> list[tuple[Timed, Line]]:
        """Every spoken line with its place on the timeline."""
        return [(t, t.element) for t in self.timed if isinstance(t.element, Line)]

    def at(self, code: str, message: str, where: Timed | None = None) -> Finding:
        """A finding about this episode, pointing at ``where`` (the whole episode if None)."""
        if where is None:
            return finding(code, message, episode=self.number, file=self.file)
        return self.at_element(code, message, where.element, where.scene_index)

    def at_element(self, code: str, message: str, element: Element, scene_index: int) -> Finding:
        return finding(
            code,
            message,
            episode=self.number,
            scene=scene_index + 1,
            line=element.source_line,
            file=self.file,
        )

    def at_scene(self, code: str, message: str, scene_index: int) -> Finding:
        scene = self.script.scenes[scene_index]
        return finding(
            code,
            message,
            episode=self.number,
            scene=scene_index + 1,
            line=scene.source_line,
            file=self.file,
        )


_EXTENSION = re.compile(r"\s*\(.*?\)\s*")


def normalize_cue(cue: str) -> str:
    """``"ethan (V.O.)"`` → ``"ETHAN"``: upper case, no extension, no forcing marks."""
    cue = _EXTENSION.sub(" ", cue).strip().lstrip("@").rstrip("^").strip()
    return " ".join(cue.upper().split())


class SpeakerIndex:
    """Resolves speaker cues to bible characters.

    A cue matches a character's full name, case-insensitively and ignoring an extension such
    as ``(V.O.)``. A single word of a name (``ETHAN`` for Ethan Blake, ``YUE`` for Lin Yue)
    also matches, but only if no other character's name contains that word: with Lin Yue and
    Lin Hao in the bible, ``LIN`` is ambiguous and unknown. Full names always win over words.
    """

    def __init__(self, bible: Bible) -> None:
        self.characters = bible.characters
        self._full = {normalize_cue(c.name): c for c in bible.characters}
        owners: dict[str, set[str]] = {}
        for c in bible.characters:
            for word in normalize_cue(c.name).split():
                owners.setdefault(word, set()).add(c.id)
        by_id = {c.id: c for c in bible.characters}
        self._word = {
            w: by_id[next(iter(ids))]
            for w, ids in owners.items()
            if len(ids) == 1 and w not in self._full
        }

    def resolve(self, cue: str) -> Character | None:
        key = normalize_cue(cue)
        return self._full.get(key) or self._word.get(key)

    def cues(self) -> list[str]:
        """The full-name cues of every character."""
        return sorted(self._full)

    def candidates(self) -> list[str]:
        """Every cue that resolves: full names and unambiguous name words."""
        return sorted({*self._full, *self._word})


@dataclass(frozen=True, slots=True)
class Series:
    """All a rule may read. ``episodes`` are sorted by number (duplicates kept, in input order)."""

    bible: Bible
    outline: Outline | None
    episodes: tuple[Episode, ...]
    settings: DoctorSettings
    words_per_minute: float
    speakers: SpeakerIndex
    outline_file: str | None = None

    @classmethod
    def build(
        cls,
        bible: Bible,
        outline: Outline | None,
        scripts: Iterable[tuple[Script, str | None]],
        settings: DoctorSettings,
        words_per_minute: float,
        outline_file: str | None = None,
    ) -> Series:
        episodes = []
        for script, file in scripts:
            plan = outline_episode(outline, script.episode)
            episodes.append(
                Episode(
                    script=script,
                    file=file,
                    timed=tuple(estimate(script, words_per_minute)),
                    target_seconds=plan.seconds if plan is not None else bible.seconds,
                    outline=plan,
                )
            )
        episodes.sort(key=lambda e: e.number)
        return cls(
            bible=bible,
            outline=outline,
            episodes=tuple(episodes),
            settings=settings,
            words_per_minute=words_per_minute,
            speakers=SpeakerIndex(bible),
            outline_file=outline_file,
        )

    def episode(self, number: int) -> Episode | None:
        """The first script given for episode ``number``, if any."""
        return next((e for e in self.episodes if e.number == number), None)

    def name_of(self, ident: str) -> str:
        """The display name of character ``ident``; the id itself if the bible lacks it."""
        try:
            return self.bible.character(ident).name
        except KeyError:
            return ident

    def in_outline(self, code: str, message: str, episode: int) -> Finding:
        """A finding about the outline (no scene or line: outline.yaml has no source lines)."""
        return finding(code, message, episode=episode, file=self.outline_file)


def outline_episode(outline: Outline | None, number: int) -> EpisodeOutline | None:
    if outline is None or not 1 <= number <= len(outline.episodes):
        return None
    return outline.episode(number)


Rule = Callable[[Series], Iterable[Finding]]
"""A rule reads the series and yields findings; register it in ``lint.RULES``."""


def each_episode(check: Callable[[Series, Episode], Iterable[Finding]]) -> Rule:
    """Make a rule from a check of one episode at a time."""

    def rule(series: Series) -> Iterator[Finding]:
        for episode in series.episodes:
            yield from check(series, episode)

    rule.__name__ = check.__name__
    rule.__doc__ = check.__doc__
    return rule
