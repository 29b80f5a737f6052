"""What the doctor says about a script: one :class:`Finding` per defect, and the rule codes.

Every code the doctor can emit is listed in :data:`CODES` with its severity and what to do
about it, so a finding's advice is the same wherever it is shown (terminal, JSON, web app).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning", "info"]

#: Most severe first; the order findings of the same place are listed in.
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")


@dataclass(frozen=True, slots=True)
class Code:
    severity: Severity
    summary: str  # what the rule checks, for docs and ``--help``
    fix: str  # what to do, shown after every finding with this code


CODES: dict[str, Code] = {
    "hook-missing": Code(
        "error",
        "the episode opens on its hook beat",
        "start the first scene with a '= hook:' beat that opens mid-crisis.",
    ),
    "hook-late": Code(
        "error",
        "the hook's first action or line starts within hook_seconds",
        "cut or move whatever comes before the hook so it plays in the first seconds.",
    ),
    "hook-slow": Code(
        "warning",
        "someone speaks within the first 15 s",
        "bring the first spoken line forward; trim the opening action.",
    ),
    "cliffhanger-missing": Code(
        "error",
        "the last beat is a cliffhanger",
        "end the episode on a '= cliffhanger:' beat that leaves the question open.",
    ),
    "cliffhanger-resolved": Code(
        "warning",
        "the final line does not close the story",
        "cut the closing line, or end on an open beat: a threat, a door, a name, a call.",
    ),
    "cliffhanger-repeat": Code(
        "warning",
        "consecutive episodes end on different kinds of cliffhanger",
        "vary the ending: a reveal interrupted, a threat, a door, a call, a name spoken.",
    ),
    "jolts-few": Code(
        "warning",
        "one emotional jolt per 45 s (at least one)",
        "add a reversal, reveal, humiliation, face-slap, rescue, betrayal or threat beat.",
    ),
    "words-low": Code(
        "error",
        "enough spoken words for the episode length",
        "add dialogue, or shorten the episode's target seconds in outline.yaml.",
    ),
    "words-high": Code(
        "error",
        "not too many spoken words for the episode length",
        "cut dialogue: shorter lines, fewer of them; let action and faces carry the beat.",
    ),
    "length-off": Code(
        "warning",
        "estimated running time within 25% of the target",
        "add or cut lines and action until the estimate meets the target.",
    ),
    "reading-speed": Code(
        "error",
        "a line's subtitle can be read in the time it is spoken",
        "shorten the line or split it into two lines.",
    ),
    "unknown-speaker": Code(
        "error",
        "every speaker is a character of the bible",
        "use the character's name from bible.yaml, or add the character there.",
    ),
    "secret-early": Code(
        "error",
        "no secret comes out before its revealed_in episode",
        "move the reveal to the episode the bible names, or change revealed_in in bible.yaml.",
    ),
    "departed-present": Code(
        "error",
        "a character who left the story stays gone until an outline beat returns them",
        "remove the character here, or add a beat with 'returns' before this episode.",
    ),
    "line-repeat": Code(
        "error",
        "no spoken line is used more than max_line_repeats times in the series",
        "reword the later uses; a catchphrase loses its force when it is everywhere.",
    ),
    "scene-no-heading": Code(
        "warning",
        "every scene has a heading",
        "add a heading such as 'INT. CEO OFFICE - NIGHT' naming a bible location.",
    ),
    "empty-episode": Code(
        "error",
        "every episode has spoken lines",
        "write the episode's dialogue, or regenerate it from the outline.",
    ),
    "episode-gap": Code(
        "error",
        "episode numbers run without gaps or duplicates",
        "renumber the scripts (the 'Episode' title-page key) or write the missing episode.",
    ),
}


@dataclass(frozen=True, slots=True)
class Finding:
    """One defect, and where it is.

    ``scene`` is 1-based; ``line`` is the line in ``file`` (None when the finding concerns a
    whole episode or the element was made in memory); ``episode`` is None for the series.
    """

    severity: Severity
    code: str
    message: str
    episode: int | None = None
    scene: int | None = None
    line: int | None = None
    file: str | None = None

    @property
    def fix(self) -> str:
        """What to do about it."""
        code = CODES.get(self.code)
        return code.fix if code is not None else ""

    @property
    def where(self) -> str:
        """``episode 3, scene 1`` or ``episode 3`` or ``series``."""
        if self.episode is None:
            return "series"
        if self.scene is None:
            return f"episode {self.episode}"
        return f"episode {self.episode}, scene {self.scene}"

    def sort_key(self) -> tuple[int, int, int, int, str, str, str]:
        return (
            -1 if self.episode is None else self.episode,
            -1 if self.scene is None else self.scene,
            -1 if self.line is None else self.line,
            SEVERITIES.index(self.severity),
            self.code,
            self.file or "",
            self.message,
        )

    def to_dict(self) -> dict[str, object]:
        return {
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
            "episode": self.episode,
            "scene": self.scene,
            "line": self.line,
            "file": self.file,
            "fix": self.fix,
        }

    def to_text(self) -> str:
        """``scripts/ep003.fountain:42: error [hook-late] episode 3, scene 1: ... Fix: ...``"""
        place = ""
        if self.file is not None:
            place = f"{self.file}:{self.line}: " if self.line else f"{self.file}: "
        elif self.line:
            place = f"line {self.line}: "
        text = f"{place}{self.severity} [{self.code}] {self.where}: {self.message.rstrip('.')}"
        return f"{text}. Fix: {self.fix}" if self.fix else text


def finding(
    code: str,
    message: str,
    *,
    episode: int | None = None,
    scene: int | None = None,
    line: int | None = None,
    file: str | None = None,
) -> Finding:
    """A finding with the severity :data:`CODES` gives ``code`` (KeyError for an unknown code)."""
    return Finding(CODES[code].severity, code, message, episode, scene, line or None, file)
