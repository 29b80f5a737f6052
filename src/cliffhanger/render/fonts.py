"""Typefaces for on-screen text.

Subtitles must render the same on a bare CI box and on a workstation, so we pick a bold
sans from known file locations (Noto, then DejaVu) and only then ask the system font
manager. CJK text needs a face that has those glyphs; Noto Sans CJK is used when the
``fonts-noto-cjk`` package is installed, and we fall back to the Latin face (drawing
boxes) rather than fail when it is not.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from pathlib import Path

import skia

BOLD_CANDIDATES: tuple[Path, ...] = (
    Path("/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf"),
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
)
CJK_CANDIDATES: tuple[Path, ...] = (
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"),
    Path("/usr/share/fonts/truetype/noto/NotoSansCJK-Bold.ttc"),
    Path("/usr/share/fonts/noto-cjk/NotoSansCJK-Bold.ttc"),
)

# Unicode blocks whose glyphs a Latin face lacks: CJK punctuation, kana, ideographs,
# Hangul and the full-width forms.
_CJK_RANGES: tuple[tuple[int, int], ...] = (
    (0x1100, 0x11FF),
    (0x2E80, 0x9FFF),
    (0xA960, 0xA97F),
    (0xAC00, 0xD7FF),
    (0xF900, 0xFAFF),
    (0xFE30, 0xFE4F),
    (0xFF00, 0xFFEF),
    (0x20000, 0x3FFFF),
)


def _load(paths: Sequence[Path]) -> skia.Typeface | None:
    for path in paths:
        if path.is_file():
            face = _FILES.makeFromFile(str(path))
            if face is not None:
                return face
    return None


# Faces are loaded from their files by a font manager that never consults fontconfig:
# skia's bundled fontconfig is older than Debian's configuration and warns on every run.
_FILES = skia.FontMgr.New_Custom_Empty()


@functools.cache
def bold_typeface(candidates: tuple[Path, ...] = BOLD_CANDIDATES) -> skia.Typeface:
    """The bold sans used for subtitles: the first candidate file that loads, else the
    system's bold default (never None, so callers need no fallback of their own)."""
    face = _load(candidates)
    if face is None:
        # Typeface.MakeDefault is deprecated upstream (and warns); the font manager is not.
        face = skia.FontMgr.RefDefault().legacyMakeTypeface("", skia.FontStyle.Bold())
    if face is None:
        face = skia.Typeface.MakeEmpty()
    return face


@functools.cache
def cjk_typeface(candidates: tuple[Path, ...] = CJK_CANDIDATES) -> skia.Typeface | None:
    """Noto Sans CJK Bold if installed; None otherwise."""
    return _load(candidates)


def has_cjk(text: str) -> bool:
    """Whether ``text`` holds a character only a CJK face can draw."""
    return any(lo <= ord(ch) <= hi for ch in text for lo, hi in _CJK_RANGES)


def typeface_for(text: str) -> skia.Typeface:
    """The face to draw ``text`` with: CJK-capable where needed and available."""
    if has_cjk(text):
        face = cjk_typeface()
        if face is not None:
            return face
    return bold_typeface()


def font_for(text: str, size: float) -> skia.Font:
    """A font for ``text`` at ``size`` pixels: its script's face, anti-aliased, unhinted
    with linear metrics — a line measures the same at every frame size, so the draft and
    final renders break and shrink alike."""
    font = skia.Font(typeface_for(text), size)
    font.setEdging(skia.Font.Edging.kAntiAlias)
    font.setSubpixel(True)
    font.setHinting(skia.FontHinting.kNone)
    font.setLinearMetrics(True)
    return font


def fonts_in_use() -> list[str]:
    """The font files text would be set in now (part of every shot's cache key: installing
    Noto CJK must re-render the subtitles that were drawn as empty boxes)."""
    bold = next((str(p) for p in BOLD_CANDIDATES if p.is_file()), "system default")
    cjk = next((str(p) for p in CJK_CANDIDATES if p.is_file()), "none")
    return [bold, cjk]
