"""Camera moves: where the frame sits on a shot's plate at each moment.

A shot is composed once onto a *plate* a little larger than the frame (``MARGIN`` on each
side, at the resolution of the tightest moment of the move), then each frame is an affine
resample of that plate: a scale at or below 1, so the picture only ever shrinks and stays
crisp. A move is a function of the shot's progress ``u`` in [0, 1] (and of time, for
shakes): the frame's zoom against the plate's widest view, and its centre offset.

``depth`` gives parallax: a far layer (depth 0) travels ``PARALLAX_FAR`` of what the
actors (depth 1) do, so a pan slides the room behind the people.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from cliffhanger.render.base import Move

MARGIN = 0.1  # the plate reaches this fraction of the frame past each edge
PUSH = 1.09  # a push-in ends this much tighter than it starts
PAN = 0.12  # a pan travels this fraction of the frame's width
PUNCH = 1.14  # a zoom punch peaks here
PARALLAX_FAR = 0.45


@dataclass(frozen=True)
class View:
    """The frame on the plate: ``zoom`` ≥ 1 against the widest view, and the centre's
    offset from the plate's centre, in fractions of the frame's width and height."""

    zoom: float = 1.0
    dx: float = 0.0
    dy: float = 0.0


def ease(u: float) -> float:
    """Smooth start and stop (a camera operator never jerks into a move)."""
    u = min(1.0, max(0.0, u))
    return u * u * (3 - 2 * u)


def view_at(move: Move, u: float, t: float, seed: int = 0) -> View:
    """Where the camera is at progress ``u`` (0..1) and ``t`` seconds into the shot."""
    if move == "push_in":
        return View(1.0 + (PUSH - 1.0) * ease(u))
    if move == "pull_out":
        return View(PUSH - (PUSH - 1.0) * ease(u))
    if move in {"pan_left", "pan_right"}:
        sign = 1.0 if move == "pan_right" else -1.0
        return View(1.0, sign * PAN * (ease(u) - 0.5))
    if move == "shake":
        amp = 0.018 * math.exp(-t / 1.4) + 0.004
        return View(1.06, amp * _wobble(t, seed), amp * _wobble(t, seed + 7))
    if move == "zoom_punch":
        punch = PUNCH - (PUNCH - 1.08) * ease(min(1.0, t / 0.6)) if t > 0.12 else None
        zoom = 1.0 + (PUNCH - 1.0) * ease(t / 0.12) if punch is None else punch
        amp = 0.012 * math.exp(-t / 0.35)
        return View(zoom, amp * _wobble(t, seed), amp * _wobble(t, seed + 3))
    return View()


def _wobble(t: float, seed: int) -> float:
    """A smooth pseudo-random wave in [-1, 1] (three incommensurate sines)."""
    rng = np.random.default_rng(seed)
    phases = rng.uniform(0, 2 * math.pi, 3)
    freqs = (11.0, 17.3, 23.9)
    return float(
        sum(math.sin(2 * math.pi * f * t + p) for f, p in zip(freqs, phases, strict=True)) / 3
    )


def moves(move: Move) -> bool:
    """Whether the frame changes with the camera (a static shot is a plain copy)."""
    return move != "static"


def affine(
    view: View, plate: tuple[int, int], frame: tuple[int, int], depth: float = 1.0
) -> np.ndarray:
    """The 2×3 matrix taking plate pixels to frame pixels for ``view``; ``depth`` < 1
    scales the move down for a layer farther back (parallax)."""
    pw, ph = plate
    fw, fh = frame
    travel = PARALLAX_FAR + (1.0 - PARALLAX_FAR) * depth
    zoom = 1.0 + (view.zoom - 1.0) * travel
    # At zoom 1 the frame shows the plate's centre, the plate's margin cropped off.
    base = fw / (pw / (1 + 2 * MARGIN))
    s = base * zoom
    cx = pw / 2 + view.dx * travel * pw / (1 + 2 * MARGIN)
    cy = ph / 2 + view.dy * travel * ph / (1 + 2 * MARGIN)
    return np.array([[s, 0.0, fw / 2 - s * cx], [0.0, s, fh / 2 - s * cy]], np.float64)
