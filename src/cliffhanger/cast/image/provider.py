"""The ``image`` cast provider: actors and sets painted by an OpenAI-compatible images API.

Each (angle, expression) of a character is one generation on a transparent background; a
mouth shape or a blink is an edit of that picture masked to the mouth or the eyes, and only
the masked box is taken from the edit, so nothing outside it moves between shapes. A set is
one opaque generation, cover-fitted to the frame and its margin. Every picture is cached on
disk by its request (see :mod:`.client`), so a season pays for each pose once.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from cliffhanger.cast import pictures
from cliffhanger.cast.base import CASTERS, RGBA, Box, Pose, SetPlate, Sprite
from cliffhanger.cast.image import prompts
from cliffhanger.cast.image.client import ImageClient
from cliffhanger.model.bible import Character, Location
from cliffhanger.model.look import Look, SetLook
from cliffhanger.project import Project
from cliffhanger.settings import Settings


@dataclass(frozen=True, eq=False)
class ImageActor:
    """A character painted on demand; holds only its description and the client."""

    character: Character
    look: Look
    client: ImageClient
    style: str

    @property
    def id(self) -> str:
        return self.character.id

    def draw(self, pose: Pose, height: int) -> Sprite:
        label = f"{self.id} {pose.angle}/{pose.expression}"
        prompt = prompts.portrait(
            self.character, self.look, self.style, pose.angle, pose.expression
        )
        png = self._portrait(pose, prompt, label)
        rgba = _rgba(png)
        face = pictures.face_box(rgba)
        mouth = pictures.mouth_box(face)
        base = pictures.sprite(rgba, height, face, mouth)
        out = base.rgba
        if pose.mouth != "rest":
            edit = prompts.mouth(pose.mouth)
            edited = self._edited(png, rgba, mouth, edit, f"{label}/{pose.mouth}")
            out = _patch(out, edited, mouth)
        if pose.blink:
            eyes = pictures.eyes_box(face)
            edited = self._edited(png, rgba, eyes, prompts.blink(), f"{label}/blink")
            out = _patch(out, edited, eyes)
        return Sprite(out, base.face, base.mouth)

    def _portrait(self, pose: Pose, prompt: str, label: str) -> bytes:
        """The front, neutral portrait is generated; every other (angle, expression) is
        drawn from it as the reference image, so one person stays the same in every pose
        (separate generations drift: a new face, a new shade of hair)."""
        reference = prompts.portrait(self.character, self.look, self.style, "front", "neutral")
        front = self.client.generate(reference, transparent=True, purpose=f"{self.id} front")
        if (pose.angle, pose.expression) == ("front", "neutral"):
            return front
        return self.client.edit(
            prompts.from_reference(prompt), front, None, purpose=label, transparent=True
        )

    def _edited(self, png: bytes, rgba: RGBA, box: Box, prompt: str, label: str) -> RGBA:
        """An edit of ``png`` masked to ``box``, at ``rgba``'s size."""
        mask = np.full_like(rgba, 255)
        x0, y0, x1, y1 = box
        mask[y0:y1, x0:x1] = 0  # transparent: the part the server may redraw
        edited = _rgba(self.client.edit(prompt, png, pictures.encode_png(mask), purpose=label))
        if edited.shape != rgba.shape:
            edited = pictures.resize(edited, rgba.shape[1], rgba.shape[0])
        return edited


def _patch(scaled: RGBA, edited: RGBA, box: Box) -> RGBA:
    """``scaled`` with only ``box`` (in ``edited``'s pixels) taken from ``edited``, scaled the
    same way; patching after scaling keeps every pixel outside the box exactly as it was."""
    factor = scaled.shape[0] / edited.shape[0]
    x0, y0, x1, y1 = pictures.scale_box(box, factor)
    resized = pictures.resize(edited, scaled.shape[1], scaled.shape[0])
    out = scaled.copy()
    out[y0:y1, x0:x1] = resized[y0:y1, x0:x1]
    return out


class ImageCaster:
    """Actors and sets from ``client``, in ``style`` (``[image] style``)."""

    name = "image"

    def __init__(self, client: ImageClient, *, style: str) -> None:
        self.client = client
        self.style = style

    @classmethod
    def from_settings(
        cls, settings: Settings, root: Path, *, environ: Mapping[str, str] | None = None
    ) -> ImageCaster:
        """The registered factory. ``$OPENAI_API_KEY`` is the fallback when no key is set."""
        env = os.environ if environ is None else environ
        client = ImageClient.from_settings(
            settings.image,
            Project(Path(root)).state_dir,
            fallback_api_key=env.get("OPENAI_API_KEY"),
        )
        return cls(client, style=settings.image.style)

    def __repr__(self) -> str:
        return f"ImageCaster({self.client!r}, style={self.style!r})"

    def fingerprint(self) -> str:
        c = self.client
        return f"image:{c.base_url}|{c.model}|{c.quality}|{self.style}"

    def actor(self, character: Character, look: Look) -> ImageActor:
        return ImageActor(character, look, self.client, self.style)

    def set(self, location: Location, look: SetLook, width: int, height: int) -> SetPlate:
        prompt = prompts.scene(location, look, self.style)
        png = self.client.generate(prompt, transparent=False, purpose=f"set {location.id}")
        return pictures.backdrop(_rgba(png), width, height)

    def close(self) -> None:
        self.client.close()


def _rgba(png: bytes) -> RGBA:
    return pictures.to_rgba(pictures.decode_png(png))  # the client has checked it decodes


CASTERS.register("image", ImageCaster.from_settings)
