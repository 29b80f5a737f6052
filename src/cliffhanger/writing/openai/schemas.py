"""The JSON shapes we ask the model for, where our domain models are not pydantic themselves.

:class:`~cliffhanger.model.script.Script` is a tree of frozen dataclasses; :class:`ScriptDraft`
mirrors it in pydantic (so it has a JSON schema and validation errors a model can act on),
with each scene element tagged by ``type``: ``beat``, ``action``, ``line`` or ``transition``.
:class:`OutlineChunk` is a run of episodes that need not start at 1.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from cliffhanger.model import Action, BeatMarker, EpisodeOutline, Line, Scene, Script, Transition
from cliffhanger.model.script import Element


class _Draft(BaseModel):
    # Models often add a stray key; ignoring it costs nothing, rejecting it costs a retry.
    model_config = ConfigDict(frozen=True, extra="ignore")


class BeatElement(_Draft):
    type: Literal["beat"]
    kind: str = Field(description="the outline beat this starts: hook, reversal, cliffhanger, ...")
    summary: str = ""


class ActionElement(_Draft):
    type: Literal["action"]
    text: str = Field(min_length=1, description="what we see, present tense, one or two lines")


class LineElement(_Draft):
    type: Literal["line"]
    speaker: str = Field(min_length=1, description="the character's name as in the bible")
    text: str = Field(min_length=1, description="the spoken words only")
    parenthetical: str | None = Field(
        default=None, description="the emotion or delivery, without brackets: 'furious, to Mei'"
    )
    extension: str | None = Field(default=None, description="V.O. or O.S. when off screen")
    dual: bool = False


class TransitionElement(_Draft):
    type: Literal["transition"]
    text: str = Field(min_length=1, description="CUT TO:, SMASH CUT TO:, ...")


ElementDraft = Annotated[
    BeatElement | ActionElement | LineElement | TransitionElement, Field(discriminator="type")
]


class SceneDraft(_Draft):
    location: str = Field(description="a location id from the bible")
    heading: str = Field(default="", description="INT./EXT. PLACE - TIME; may be left empty")
    elements: list[ElementDraft] = Field(min_length=1)


class ScriptDraft(_Draft):
    episode: int = Field(ge=1)
    title: str = ""
    scenes: list[SceneDraft] = Field(min_length=1)

    def to_script(self) -> Script:
        """The domain script, element for element (names are resolved by the writer)."""
        return Script(
            episode=self.episode,
            title=self.title,
            scenes=tuple(
                Scene(
                    heading=s.heading,
                    location=s.location,
                    elements=tuple(_element(e) for e in s.elements),
                )
                for s in self.scenes
            ),
        )


def _element(e: BeatElement | ActionElement | LineElement | TransitionElement) -> Element:
    if isinstance(e, BeatElement):
        return BeatMarker(kind=e.kind, summary=e.summary)
    if isinstance(e, ActionElement):
        return Action(text=e.text)
    if isinstance(e, LineElement):
        return Line(
            speaker=e.speaker,
            text=e.text,
            parenthetical=e.parenthetical,
            extension=e.extension,
            dual=e.dual,
        )
    return Transition(text=e.text)


class OutlineChunk(BaseModel):
    """Episodes ``first..last`` of an outline; the writer checks the numbers and stitches."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    episodes: list[EpisodeOutline] = Field(min_length=1)


def schema_of(model: type[BaseModel]) -> dict[str, Any]:
    """The JSON schema sent in ``response_format`` and shown in the prompt."""
    return model.model_json_schema()
