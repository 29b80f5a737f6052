"""An episode's cover: its most striking frame with the series title and "EP n" set on it.

Platforms show the cover small, under their own buttons (right edge) and caption block
(bottom), so the type sits inside :func:`~cliffhanger.render.base.safe_box`, bottom-left, on
a dark gradient that keeps white type legible over any picture. Nothing above the gradient
is touched.
"""

from __future__ import annotations

from collections.abc import Sequence
from io import BytesIO
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from cliffhanger.pipeline.store import atomic_write
from cliffhanger.render.base import Frame, Shot, safe_box

_FONTS = (
    Path("/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf"),
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
)
TITLE_SIZE = 0.105  # of the frame's width, before shrinking to fit
EPISODE_SIZE = 0.075
MAX_TITLE_LINES = 3
SHADE = 0.78  # darkest the gradient gets (alpha at the bottom of the text block)
EPISODE_COLOUR = (255, 210, 60)
TITLE_COLOUR = (255, 255, 255)
_STRIKING_BEATS = frozenset({"reveal", "cliffhanger"})


def write_cover(
    frame_bgra: Frame, path: Path, *, title: str, episode: int, quality: int = 90
) -> None:
    """Write a JPG cover the frame's size; ``frame_bgra`` is BGRA uint8 (H, W, 4)."""
    if frame_bgra.ndim != 3 or frame_bgra.shape[2] != 4 or frame_bgra.dtype != np.uint8:
        raise ValueError(
            f"{path}: cover frame must be BGRA uint8 (H, W, 4), not {frame_bgra.shape}"
        )
    height, width = frame_bgra.shape[:2]
    x0, y0, x1, y1 = safe_box(width, height)
    picture = Image.fromarray(np.ascontiguousarray(frame_bgra[..., 2::-1]), "RGB")

    label = f"EP {episode}"
    label_font = _font(round(width * EPISODE_SIZE))
    title_font, lines = _fit_title(title, x1 - x0, width)
    stroke = max(1, round(width * 0.003))
    title_step = round(title_font.size * 1.15)
    gap = round(label_font.size * 0.45)
    label_bottom = round(label_font.getbbox(label, stroke_width=stroke)[3])  # ink, from y
    block = title_step * len(lines) + gap + label_bottom
    top = y1 - 1 - block
    if top < y0:
        raise ValueError(f"{path}: a {width}x{height} frame is too small for the cover's type")

    _shade(picture, top - round(block * 0.6))
    draw = ImageDraw.Draw(picture)
    y = top
    for line in lines:
        draw.text(
            (x0, y),
            line,
            font=title_font,
            fill=TITLE_COLOUR,
            stroke_width=stroke,
            stroke_fill=(0, 0, 0),
        )
        y += title_step
    y += gap
    draw.text(
        (x0, y),
        label,
        font=label_font,
        fill=EPISODE_COLOUR,
        stroke_width=stroke,
        stroke_fill=(0, 0, 0),
    )

    buffer = BytesIO()
    picture.save(buffer, "JPEG", quality=quality, optimize=True)
    atomic_write(path, buffer.getvalue())


def pick_cover_time(shots: Sequence[Shot]) -> float:
    """The episode second to take the cover from; never on a title or end card.

    First choice: a close-up on a reveal or cliffhanger beat, while someone shows a
    non-neutral expression (the middle of that look). Then: the middle of the longest
    close-up. Then: the scene moment nearest the middle of the episode.
    """
    scenes = [s for s in shots if s.kind == "scene" and s.end > s.start]
    if not scenes:
        raise ValueError("no scene shots to take a cover from (only cards)")
    close = [s for s in scenes if s.framing in ("close", "extreme")]
    for shot in sorted(
        (s for s in close if s.beat in _STRIKING_BEATS),
        key=lambda s: (s.beat != "cliffhanger", -s.seconds),
    ):
        moment = _expressive_moment(shot)
        if moment is not None:
            return moment
    if close:
        longest = max(close, key=lambda s: (s.seconds, -s.start))
        return (longest.start + longest.end) / 2
    middle = (min(s.start for s in shots) + max(s.end for s in shots)) / 2
    nearest = min(scenes, key=lambda s: abs(min(max(middle, s.start), s.end) - middle))
    if nearest.start <= middle < nearest.end:
        return middle
    return (nearest.start + nearest.end) / 2


def _expressive_moment(shot: Shot) -> float | None:
    """The middle of the longest non-neutral look in the shot (focus figure first)."""
    figures = sorted(shot.figures, key=lambda f: f.character != shot.focus)
    for figure in figures:
        spans: list[tuple[float, float]] = []
        keys = sorted(figure.expressions)
        for i, (since, name) in enumerate(keys):
            until = keys[i + 1][0] if i + 1 < len(keys) else shot.seconds
            start, stop = max(since, 0.0), min(until, shot.seconds)
            if name != "neutral" and stop > start:
                spans.append((start, stop))
        if spans:
            start, stop = max(spans, key=lambda span: span[1] - span[0])
            return shot.start + (start + stop) / 2
    return None


def _font(size: int) -> ImageFont.FreeTypeFont:
    for candidate in _FONTS:
        if candidate.is_file():
            return ImageFont.truetype(str(candidate), size)
    raise FileNotFoundError(f"no bold font for the cover; looked for {', '.join(map(str, _FONTS))}")


def _fit_title(title: str, room: int, width: int) -> tuple[ImageFont.FreeTypeFont, list[str]]:
    """The largest title size (down to half) whose word-wrapped lines fit ``room`` pixels."""
    size = round(width * TITLE_SIZE)
    while True:
        font = _font(size)
        lines = _wrap(title.strip() or " ", font, room)
        fits = all(font.getlength(line) <= room for line in lines)
        if (fits and len(lines) <= MAX_TITLE_LINES) or size <= width * TITLE_SIZE / 2:
            return font, lines[:MAX_TITLE_LINES]
        size = round(size * 0.9)


def _wrap(text: str, font: ImageFont.FreeTypeFont, room: int) -> list[str]:
    lines: list[str] = []
    for word in (piece for whole in text.split() for piece in _split_long(whole, font, room)):
        if lines and font.getlength(f"{lines[-1]} {word}") <= room:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [text]


def _split_long(word: str, font: ImageFont.FreeTypeFont, room: int) -> list[str]:
    """A word wider than the room, cut into pieces that fit (rare: long compound names)."""
    pieces = [""]
    for char in word:
        if pieces[-1] and font.getlength(pieces[-1] + char) > room:
            pieces.append("")
        pieces[-1] += char
    return pieces


def _shade(picture: Image.Image, top: int) -> None:
    """Darken from ``top`` down: transparent at ``top``, ``SHADE`` black at the bottom."""
    height = picture.size[1]
    top = max(0, min(top, height - 1))
    ramp = np.linspace(0.0, 1.0, height - top, dtype=np.float32) ** 0.8 * SHADE
    pixels = np.asarray(picture, dtype=np.float32)
    pixels[top:] *= (1.0 - ramp)[:, None, None]
    picture.paste(Image.fromarray(pixels.round().astype(np.uint8), "RGB"))
