"""The ``files`` cast provider: the user's own PNGs, from ``<project>/looks/`` by default.

``[cast] files_dir`` names the folder. A character is either one picture, used for every
pose, or a folder of pictures named after what they show::

    looks/lily.png                 one picture for everything, or:
    looks/lily/neutral.png         required in a folder
    looks/lily/happy.png           <expression>.png
    looks/lily/happy.a.png         <expression>.<mouth>.png
    looks/lily/left.happy.png      <angle>.<expression>.png
    looks/lily/left.happy.a.png    <angle>.<expression>.<mouth>.png
    looks/lily/blink.png           the neutral face with closed eyes, and
    looks/lily/happy.blink.png     <expression>.blink.png (<angle>.<expression>.blink.png too)
    looks/sets/office.png          the set for location ``office``: RGB or RGBA

Expressions are :data:`~cliffhanger.model.emotions.EXPRESSIONS`, angles ``front``, ``left``,
``right`` (a three-quarter view turned to that side; a name without one serves every angle)
and mouths the lip-sync shapes ``mbp``, ``a``, ``ei``, ``ou``, ``fv`` (``rest`` is the
picture without a mouth part).

A pose draws the first picture that exists, from the most specific down:

1. ``<angle>.<expression>.<mouth>``  2. ``<angle>.<expression>``  (drop the mouth)
3. ``<expression>.<mouth>``  4. ``<expression>``  (drop the angle)
5. to 8. the same four with ``neutral`` for the expression, ending at ``neutral.png``.

Where a ``right`` picture is missing but the ``left`` one is there, the left one is drawn
mirrored, and vice versa. A blink draws the ``.blink`` version of exactly the picture chosen
above; when that has none (or while the mouth is open), the eyes stay open for that frame.

Everything is checked when the actor or set is made, so ``cliffhanger cast`` stops at once
with an :class:`~cliffhanger.errors.AssetError` naming the file and what to do: actors must be
RGBA with a transparent background, at least 256 px tall and all one size; sets at least
540×960 px.
"""

from __future__ import annotations

import difflib
import hashlib
import itertools
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import Image

from cliffhanger.cast import pictures
from cliffhanger.cast.base import ANGLES, CASTERS, MOUTHS, RGBA, Pose, SetPlate, Sprite
from cliffhanger.errors import AssetError
from cliffhanger.model.bible import Character, Location
from cliffhanger.model.emotions import EXPRESSIONS
from cliffhanger.model.look import Look, SetLook
from cliffhanger.settings import Settings

SETS = "sets"
_VARIANTS = (*(m for m in MOUTHS if m != "rest"), "blink")
_OPPOSITE = {"left": "right", "right": "left"}


@dataclass(frozen=True, order=True)
class Name:
    """What one picture in a character's folder shows."""

    angle: str | None  # None: any angle
    expression: str
    variant: str | None  # a mouth shape other than rest, "blink", or None

    @property
    def filename(self) -> str:
        if (self.angle, self.expression, self.variant) == (None, "neutral", "blink"):
            return "blink.png"
        parts = (self.angle, self.expression, self.variant)
        return ".".join(p for p in parts if p is not None) + ".png"


NEUTRAL = Name(None, "neutral", None)
_NAMES: dict[str, Name] = {
    n.filename: n
    for n in itertools.starmap(
        Name, itertools.product((None, *ANGLES), EXPRESSIONS, (None, *_VARIANTS))
    )
}
_NAMES["neutral.blink.png"] = _NAMES["blink.png"]


def choose(pose: Pose, have: frozenset[Name]) -> tuple[Name, bool]:
    """The picture that draws ``pose`` and whether to mirror it (the order in the docstring)."""
    mouth = None if pose.mouth == "rest" else pose.mouth
    for expression in dict.fromkeys((pose.expression, "neutral")):
        for angle in (pose.angle, None):
            for variant in dict.fromkeys((mouth, None)):
                found = _find(have, Name(angle, expression, variant))
                if found is None:
                    continue
                name, mirrored = found
                closed = Name(name.angle, name.expression, "blink")
                if pose.blink and variant is None and closed in have:
                    return closed, mirrored
                return name, mirrored
    raise AssertionError("neutral.png is always there")  # checked when the actor was made


def _find(have: frozenset[Name], name: Name) -> tuple[Name, bool] | None:
    if name in have:
        return name, False
    if name.angle in _OPPOSITE:
        other = Name(_OPPOSITE[name.angle], name.expression, name.variant)
        if other in have:
            return other, True
    return None


@dataclass(frozen=True, eq=False)
class FilesActor:
    """A character drawn from its pictures (checked when made); picklable."""

    id: str
    pictures: dict[Name, Path]

    def draw(self, pose: Pose, height: int) -> Sprite:
        name, mirrored = choose(pose, frozenset(self.pictures))
        path = self.pictures[name]
        try:
            stamp = path.stat().st_mtime_ns
        except OSError:
            raise AssetError(
                "file not found (it was there when the cast was checked)", path
            ) from None
        rgba = _load(path, stamp)
        if mirrored:
            rgba = pictures.mirror(rgba)
        face = pictures.face_box(rgba)
        return pictures.sprite(rgba, height, face, pictures.mouth_box(face))


class FilesCaster:
    """Actors and sets from ``folder``; see the module docstring for the names."""

    name = "files"

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    @classmethod
    def from_settings(cls, settings: Settings, root: Path) -> FilesCaster:
        return cls(Path(root) / settings.cast.files_dir)

    def fingerprint(self) -> str:
        """``files:`` and a SHA-256 over every PNG's name and content: editing one redraws."""
        digest = hashlib.sha256()
        for path in sorted(self.folder.rglob("*.png")) if self.folder.is_dir() else ():
            digest.update(path.relative_to(self.folder).as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
        return f"files:{digest.hexdigest()}"

    def actor(self, character: Character, look: Look) -> FilesActor:
        single = self.folder / f"{character.id}.png"
        folder = self.folder / character.id
        if single.exists() and folder.is_dir():
            raise AssetError(
                f"both {single.name} and the folder {folder.name}/ are there for "
                f"{character.name}; keep one of them",
                single,
            )
        if folder.is_dir():
            found = _folder_pictures(folder)
        elif single.is_file():
            found = {NEUTRAL: single}
        else:
            raise AssetError(self._no_actor(character, single, folder), self.folder)
        _check_actor(found)
        return FilesActor(character.id, found)

    def set(self, location: Location, look: SetLook, width: int, height: int) -> SetPlate:
        path = self.folder / SETS / f"{location.id}.png"
        if not path.is_file():
            raise AssetError(self._no_set(location, path), path)
        image = pictures.read_png(path)
        need_w, need_h = pictures.MIN_SET_SIZE
        if image.width < need_w or image.height < need_h:
            raise AssetError(
                f"is {image.width}×{image.height} px; a set needs at least {need_w}×{need_h} "
                "px (portrait 9:16, e.g. 1080×1920)",
                path,
            )
        return pictures.backdrop(pictures.to_rgba(image), width, height)

    def close(self) -> None:
        """Nothing to release: pictures are read when drawn."""

    def _no_actor(self, character: Character, single: Path, folder: Path) -> str:
        found = _found_instead(self.folder, character.id)
        return (
            f"no picture for {character.name} (id '{character.id}'): tried {single} and "
            f"{folder / NEUTRAL.filename}.{found} Add an RGBA PNG with a transparent "
            'background under one of those names, or set [cast] provider = "puppet".'
        )

    def _no_set(self, location: Location, path: Path) -> str:
        found = _found_instead(path.parent, location.id)
        return (
            f"no picture for the set of {location.name} (id '{location.id}').{found} "
            f"Add a PNG of at least {pictures.MIN_SET_SIZE[0]}×{pictures.MIN_SET_SIZE[1]} px "
            "under that name."
        )


def _folder_pictures(folder: Path) -> dict[Name, Path]:
    found: dict[Name, Path] = {}
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() != ".png" or path.name.startswith("."):
            continue  # notes, thumbnails and the like are not ours to judge
        name = _NAMES.get(path.name)
        if name is None:
            guess = difflib.get_close_matches(path.name, list(_NAMES), n=1, cutoff=0.6)
            hint = f"did you mean {guess[0]}? " if guess else ""
            raise AssetError(
                f"unknown picture name {path.name!r}; {hint}Names are <expression>.png, "
                "<expression>.<mouth>.png, <angle>.<expression>.png, "
                "<angle>.<expression>.<mouth>.png and <expression>.blink.png, with "
                f"expressions {', '.join(EXPRESSIONS)}; angles {', '.join(ANGLES)}; "
                f"mouths {', '.join(_VARIANTS[:-1])}",
                path,
            )
        if name in found:
            raise AssetError(f"{found[name].name} and {path.name} are the same picture", path)
        found[name] = path
    if NEUTRAL not in found:
        listed = ", ".join(p.name for p in found.values()) or "no PNG at all"
        raise AssetError(
            f"a character's folder needs {NEUTRAL.filename} (found: {listed})",
            folder / NEUTRAL.filename,
        )
    return found


def _check_actor(found: dict[Name, Path]) -> None:
    """Every picture readable, RGBA, tall enough, and all the size of the neutral one."""
    first: tuple[Path, tuple[int, int]] | None = None
    neutral = found[NEUTRAL]
    for path in [neutral, *sorted(p for p in found.values() if p != neutral)]:
        image = pictures.read_png(path)
        if not pictures.has_alpha(image):
            raise AssetError(
                f"mode {image.mode}, need RGBA with a transparent background "
                "(cut the character out, then export as PNG with transparency)",
                path,
            )
        if image.convert("RGBA").getchannel("A").getextrema()[0] == 255:
            raise AssetError(
                f"mode {image.mode} but no pixel is transparent; need a transparent background "
                "around the character (cut it out, then export as PNG with transparency)",
                path,
            )
        if image.height < pictures.MIN_ACTOR_HEIGHT:
            raise AssetError(
                f"is {image.width}×{image.height} px; a character needs at least "
                f"{pictures.MIN_ACTOR_HEIGHT} px tall (a close-up crops the face out of it)",
                path,
            )
        if first is None:
            first = (path, image.size)
        elif image.size != first[1]:
            (w, h), (fw, fh) = image.size, first[1]
            raise AssetError(
                f"is {w}×{h} px but {first[0].name} is {fw}×{fh} px; every picture of one "
                "character must be the same size (so the face stays put between poses)",
                path,
            )


def _found_instead(folder: Path, ident: str) -> str:
    """A sentence naming files in ``folder`` that look meant for ``ident`` (a typo, another
    format, another case), or saying that the folder is missing."""
    if not folder.is_dir():
        return f" The folder {folder} does not exist."
    near = _near(folder, ident)
    return f" Found instead: {', '.join(near)}." if near else ""


def _near(folder: Path, ident: str) -> list[str]:
    names = [p.name for p in sorted(folder.iterdir()) if not p.name.startswith(".")]
    stems = {n.split(".")[0].lower(): n for n in names}
    close = difflib.get_close_matches(ident, list(stems), n=3, cutoff=0.7)
    return [str(folder / stems[s]) for s in close]


@lru_cache(maxsize=16)
def _load(path: Path, mtime_ns: int) -> RGBA:
    """A picture's pixels; keyed on the modification time so an edited file is read again."""
    image: Image.Image = pictures.read_png(path)
    return pictures.to_rgba(image)


CASTERS.register("files", FilesCaster.from_settings)
