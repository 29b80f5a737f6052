"""A shot's picture: its plate composed once, then each frame cut from it.

Composition (once per shot): the set's layers, zoomed for the framing; the actors painted
straight into the plate at the size the framing needs (vectors, so a close-up is as sharp
as a wide); the set's near layer in front. The plate is as large as the camera will ever
see, at the resolution of the move's tightest moment.

Per frame: each actor's mouth and eyes are *patches*, regions pre-painted once per mouth
shape and per blink, copied into the plate in place (a few kilobytes); then the camera is
an affine resample of the plate (OpenCV, ~5 ms at 1080×1920), or a plain copy for a static
shot. A pan uses two plates — the room and the people — moved by different amounts for
parallax.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import cv2
import numpy as np
import skia

from cliffhanger.cast.base import Actor, Box, Pose, SetLayer, SetPlate, premultiply
from cliffhanger.render import camera
from cliffhanger.render.base import Figure, Frame, Shot

BGRA = skia.kBGRA_8888_ColorType
PREMUL = skia.kPremul_AlphaType
LINEAR = skia.SamplingOptions(skia.FilterMode.kLinear)

# Figure sizes per framing, in frame heights (half-body portraits, 4:5); the bottom of
# every portrait sits below the frame so no one ever floats.
WIDE_H = 0.62
MEDIUM_H = 0.8
CLOSE_FACE_W = 0.74  # a close-up's face spans this much of the frame's width
EXTREME_FACE_W = 1.15
SET_ZOOM = {"wide": 1.0, "medium": 1.25, "close": 1.6, "extreme": 1.9}
BLINK_EVERY_S = (2.2, 5.0)
BLINK_S = 0.13
DIM_OTHERS = 0.72  # people at the edge of a single's frame, darkened to keep the eye on the speaker


@dataclass(frozen=True)
class Placement:
    """A figure on the plate: its sprite's top-left and height in plate pixels."""

    figure: Figure
    x: float
    y: float
    height: int
    dim: bool = False


@dataclass
class _Patch:
    region: Box  # in plate pixels
    states: dict[object, np.ndarray]  # state → premultiplied BGRA pixels of the region
    shown: object = None  # the state the plate holds now (None: as composed)


@dataclass
class Plate:
    """A composed shot: ``back`` (opaque, premultiplied BGRA) and, for parallax shots,
    ``front`` (the people and the near layer, with alpha); patches for mouths and eyes."""

    back: np.ndarray
    front: np.ndarray | None
    mouths: dict[str, _Patch]
    eyes: dict[str, _Patch]
    zmax: float


def zmax_for(shot: Shot) -> float:
    if shot.move in {"push_in", "pull_out"}:
        return camera.PUSH
    if shot.move == "zoom_punch":
        return camera.PUNCH
    if shot.move == "shake":
        return 1.06
    return 1.0


def layout(shot: Shot, frame: tuple[int, int], aspect: float = 0.8) -> list[Placement]:
    """Where each figure stands for the shot's framing, in frame pixels at zoom 1
    (the frame's top-left is the origin). ``aspect`` is the portraits' width/height."""
    fw, fh = frame
    figs = list(shot.figures)
    if not figs:
        return []
    focus = next((f for f in figs if f.character == shot.focus), None)
    out: list[Placement] = []
    if shot.framing == "wide" or focus is None:
        # A group: tall enough that every face sits above the subtitles' band, so people
        # overlap like a staged group, the ones at the sides behind the middle.
        n = len(figs)
        h = (WIDE_H if shot.framing == "wide" else MEDIUM_H * 0.85) * fh
        spread = 1.15 if n > 2 else 1.0
        order = sorted(figs, key=lambda f: -abs(f.x - 0.5))
        for f in order:
            cx = fw * (0.5 + (f.x - 0.5) * (spread if n > 1 else 0.0))
            out.append(Placement(f, cx - h * aspect / 2, fh * 1.02 - h, round(h)))
        return out
    if shot.framing == "medium":
        h = MEDIUM_H * fh
        side = -1.0 if focus.x < 0.5 else (1.0 if focus.x > 0.5 else 0.0)
        cx = fw * (0.5 + 0.06 * side)
        others = [f for f in figs if f is not focus]
        if others:  # the nearest listener, half in frame at the far edge
            o = min(others, key=lambda f: abs(f.x - focus.x))
            ox = fw * (0.5 - 0.52 * (side or 1.0))
            out.append(Placement(o, ox - h * aspect / 2, fh * 1.08 - h, round(h), dim=True))
        out.append(Placement(focus, cx - h * aspect / 2, fh * 1.05 - h, round(h)))
        return out
    face_w = CLOSE_FACE_W if shot.framing == "close" else EXTREME_FACE_W
    # The puppet's face box spans ~0.48 of its width and is centred 0.38 down its height.
    h = face_w * fw / (0.48 * aspect)
    face_y = 0.4 if shot.framing == "close" else 0.45
    x = fw / 2 - h * aspect / 2
    y = face_y * fh - 0.38 * h
    return [Placement(focus, x, y, round(h))]


def compose(
    shot: Shot,
    frame: tuple[int, int],
    actors: Mapping[str, Actor],
    plate: SetPlate | None,
    *,
    parallax: bool,
    background: tuple[int, int, int] = (24, 22, 30),
) -> Plate:
    """The shot's plate(s) and patches (see the module doc)."""
    fw, fh = frame
    zmax = zmax_for(shot)
    k = zmax  # plate pixels per frame pixel at zoom 1
    pw = round(fw * (1 + 2 * camera.MARGIN) * k)
    ph = round(fh * (1 + 2 * camera.MARGIN) * k)
    ox, oy = fw * camera.MARGIN * k, fh * camera.MARGIN * k  # frame origin on the plate
    places = layout(shot, frame)
    focus_x = next((p.figure.x for p in places if p.figure.character == shot.focus), 0.5)
    set_back, set_near = _set_layers(plate, shot, (pw, ph), focus_x, background)
    back = set_back.copy()
    front = np.zeros_like(back) if parallax else None
    target = front if front is not None else back
    scaled = [
        Placement(p.figure, p.x * k + ox, p.y * k + oy, round(p.height * k), p.dim) for p in places
    ]
    boxes = _paint_people(target, scaled, actors, {})
    if set_near is not None:
        for face, _ in boxes.values():  # the foreground never hides a face
            x0, y0, x1, y1 = (max(0, v) for v in face)
            set_near[y0:y1, x0:x1] = 0
        over(target, set_near)
    mouths: dict[str, _Patch] = {}
    eyes: dict[str, _Patch] = {}

    def region(box: Box) -> Box:
        x0, y0, x1, y1 = box
        return (max(0, x0 - 2), max(0, y0 - 2), min(pw, x1 + 2), min(ph, y1 + 2))

    def paint(states: dict[str, Pose], reg: Box) -> np.ndarray:
        x0, y0, x1, y1 = reg
        base = (set_back if front is None else np.zeros_like(set_back))[y0:y1, x0:x1].copy()
        _paint_people(base, scaled, actors, states, offset=(x0, y0))
        if set_near is not None:
            over(base, set_near[y0:y1, x0:x1])
        return base

    for p in scaled:
        who = p.figure.character
        if who not in boxes or p.dim:
            continue
        face, mouth = boxes[who]
        pose = Pose(p.figure.angle, p.figure.expression_at(0.0))
        if p.figure.mouth:
            reg = region(mouth)
            shapes = {"rest", *(s for _, s in p.figure.mouth)}
            states: dict[object, np.ndarray] = {
                s: paint({who: Pose(pose.angle, pose.expression, s)}, reg)  # type: ignore[arg-type]
                for s in shapes
            }
            mouths[who] = _Patch(reg, states)
        reg = region((face[0], face[1], face[2], max(face[1] + 1, mouth[1])))
        eyes[who] = _Patch(
            reg,
            {
                False: target[reg[1] : reg[3], reg[0] : reg[2]].copy(),
                True: paint({who: Pose(pose.angle, pose.expression, "rest", True)}, reg),
            },
        )
    return Plate(back, front, mouths, eyes, zmax)


def _paint_people(
    target: np.ndarray,
    places: list[Placement],
    actors: Mapping[str, Actor],
    states: Mapping[str, Pose],
    offset: tuple[int, int] = (0, 0),
) -> dict[str, tuple[Box, Box]]:
    """Paint every figure onto ``target`` (premultiplied BGRA) in order; returns each
    one's face and mouth boxes in plate pixels."""
    canvas = skia.Canvas(target, colorType=BGRA, alphaType=PREMUL)
    canvas.translate(-offset[0], -offset[1])
    out: dict[str, tuple[Box, Box]] = {}
    for p in places:
        who = p.figure.character
        actor = actors.get(who)
        if actor is None:
            continue
        pose = states.get(who) or Pose(p.figure.angle, p.figure.expression_at(0.0))
        x, y = round(p.x), round(p.y)
        if p.dim:
            canvas.saveLayer(None, skia.Paint(ColorFilter=_dimmer()))
        face, mouth = paint_actor(canvas, actor, pose, x, y, p.height)
        if p.dim:
            canvas.restore()
        out[who] = (_shift(face, x, y), _shift(mouth, x, y))
    canvas.flush()
    return out


def paint_actor(
    canvas: skia.Canvas, actor: Actor, pose: Pose, x: int, y: int, height: int
) -> tuple[Box, Box]:
    """Draw ``actor`` with its sprite's top-left at (x, y); a provider that can paint
    vectors straight onto a canvas does (only what is visible gets rasterized), any other
    draws its sprite, which is then placed."""
    painter: Callable[[skia.Canvas, Pose, int], tuple[Box, Box]] | None = getattr(
        actor, "paint", None
    )
    canvas.save()
    canvas.translate(x, y)
    try:
        if painter is not None:
            return painter(canvas, pose, height)
        sprite = actor.draw(pose, height)
        image = skia.Image.fromarray(
            premultiply(sprite.rgba), colorType=skia.kRGBA_8888_ColorType, alphaType=PREMUL
        )
        canvas.drawImage(image, 0, 0)
        return sprite.face, sprite.mouth
    finally:
        canvas.restore()


def _shift(box: Box, x: int, y: int) -> Box:
    return (box[0] + x, box[1] + y, box[2] + x, box[3] + y)


def _dimmer() -> skia.ColorFilter:
    d = DIM_OTHERS
    return skia.ColorFilters.Matrix([d, 0, 0, 0, 0, 0, d, 0, 0, 0, 0, 0, d, 0, 0, 0, 0, 0, 1, 0])


def _set_layers(
    plate: SetPlate | None,
    shot: Shot,
    size: tuple[int, int],
    focus_x: float,
    background: tuple[int, int, int],
) -> tuple[np.ndarray, np.ndarray | None]:
    """The set's back layers flattened (opaque) and its near layer, warped onto the plate:
    zoomed for the framing about the focus, deeper layers zoomed less. Shots of a scene
    share these, so they are kept (a copy is handed out: the caller paints on it)."""
    zoom = SET_ZOOM.get(shot.framing, 1.0)
    near_too = shot.framing in {"wide", "medium"}
    key = (id(plate), size, zoom, round(focus_x, 3), near_too, background)
    with _CACHE_LOCK:  # shots may render in threads
        cached = _SETS.get(key)
    # The plate is kept in the entry and checked: an id can be reused once a plate is freed.
    if cached is None or cached[0] is not plate:
        drawn = _draw_set(plate, size, zoom, focus_x, near_too, background)
        cached = (plate, *drawn)
        with _CACHE_LOCK:
            _SETS[key] = cached
            while len(_SETS) > SET_CACHE:
                _SETS.pop(next(iter(_SETS)))
    _, back, near = cached
    return back.copy(), (near.copy() if near is not None else None)


SET_CACHE = 6
_CACHE_LOCK = threading.Lock()
_SETS: dict[tuple[object, ...], tuple[SetPlate | None, np.ndarray, np.ndarray | None]] = {}


def _draw_set(
    plate: SetPlate | None,
    size: tuple[int, int],
    zoom: float,
    focus_x: float,
    near_too: bool,
    background: tuple[int, int, int],
) -> tuple[np.ndarray, np.ndarray | None]:
    pw, ph = size
    back = np.empty((ph, pw, 4), np.uint8)
    back[:] = (*background[::-1], 255)
    if plate is None:
        return back, None
    layers = list(plate.layers)
    near = layers.pop() if len(layers) > 1 else None
    for layer in layers:
        over(back, _warp(layer, (pw, ph), zoom, focus_x))
    if near is None or not near_too:
        return back, None
    return back, _warp(near, (pw, ph), zoom, focus_x)


def _warp(layer: SetLayer, size: tuple[int, int], zoom: float, focus_x: float) -> np.ndarray:
    """A set layer scaled to the plate (premultiplied BGRA), zoomed by ``zoom`` (less for
    far layers) about the focus's column and blurred by its depth of field. A strong blur
    is done at a fraction of the size: the result is the same softness at a tenth the cost."""
    tw, th = size
    pm = _premultiplied(layer.rgba)
    lh, lw = pm.shape[:2]
    z = 1.0 + (zoom - 1.0) * (0.6 + 0.4 * layer.depth)
    s = max(tw / lw, th / lh) * z
    cx = lw * (0.5 + (focus_x - 0.5) * 0.5)
    cx = min(max(cx, tw / s / 2), lw - tw / s / 2)
    sigma = layer.blur * zoom * tw / lw
    f = min(8.0, sigma / 1.5) if sigma > 3 else 1.0
    w, h = max(1, round(tw / f)), max(1, round(th / f))
    k = s / f
    m = np.array([[k, 0, w / 2 - k * cx], [0, k, h / 2 - k * lh / 2]], np.float64)
    out = cv2.warpAffine(pm, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    if sigma > 0.5:
        out = cv2.GaussianBlur(out, (0, 0), sigma / f)
    if f > 1:
        out = cv2.resize(out, (tw, th), interpolation=cv2.INTER_LINEAR)
    return np.ascontiguousarray(out)


_PREMULTIPLIED: dict[int, tuple[np.ndarray, np.ndarray]] = {}


def _premultiplied(rgba: np.ndarray) -> np.ndarray:
    """The layer as premultiplied BGRA, converted once per layer per process."""
    with _CACHE_LOCK:
        found = _PREMULTIPLIED.get(id(rgba))
    if found is None or found[0] is not rgba:
        found = (rgba, premultiply(rgba, bgra=True))
        with _CACHE_LOCK:
            _PREMULTIPLIED[id(rgba)] = found
            while len(_PREMULTIPLIED) > 4 * SET_CACHE:
                _PREMULTIPLIED.pop(next(iter(_PREMULTIPLIED)))
    return found[1]


def over(target: np.ndarray, top: np.ndarray) -> None:
    """Premultiplied source-over of BGRA ``top`` onto ``target`` in place (skia's blitter:
    a couple of milliseconds for a full frame)."""
    canvas = skia.Canvas(target, colorType=BGRA, alphaType=PREMUL)
    image = skia.Image.fromarray(
        np.ascontiguousarray(top), colorType=BGRA, alphaType=PREMUL, copy=False
    )
    canvas.drawImage(image, 0, 0)
    canvas.flush()


# -- frames -----------------------------------------------------------------------------------


def blink_times(character: str, seconds: float, seed: int) -> list[float]:
    """When a figure's eyes close during a shot (irregular, deterministic)."""
    rng = np.random.default_rng([seed, *character.encode()])
    times, t = [], float(rng.uniform(0.4, 2.0))
    while t < seconds:
        times.append(t)
        t += float(rng.uniform(*BLINK_EVERY_S))
    return times


def mouth_at(keys: tuple[tuple[float, str], ...], t: float) -> str:
    shape = "rest"
    for start, name in keys:
        if start > t:
            break
        shape = name
    return shape


class ShotFrames:
    """Frames of one composed shot: ``frame(t)`` for ``t`` seconds into the shot."""

    def __init__(self, shot: Shot, plate: Plate, frame: tuple[int, int], seed: int) -> None:
        self.shot, self.plate, self.size, self.seed = shot, plate, frame, seed
        self.blinks = {
            f.character: blink_times(f.character, shot.seconds, seed + shot.index)
            for f in shot.figures
        }
        self.moving = camera.moves(shot.move) or plate.front is not None
        self._out = np.empty((frame[1], frame[0], 4), np.uint8)
        self._fresh = False  # a still shot's frame is kept and only its changed boxes redone
        self._dirty: list[Box] = []
        self.changed: list[Box] | None = None  # what the last frame() redrew; None: all

    def touch(self, box: Box) -> None:
        """The caller drew over ``box`` (frame pixels): a still shot repaints it next frame."""
        self._dirty.append(box)

    def frame(self, t: float, blinks: bool = True) -> Frame:
        """The picture at ``t`` (``blinks`` False: eyes open, for a freeze frame). The array
        is reused: the next call overwrites it."""
        plate = self.plate
        target = plate.front if plate.front is not None else plate.back
        put: list[_Patch] = []
        for who, patch in plate.eyes.items():
            closed = blinks and any(b <= t < b + BLINK_S for b in self.blinks.get(who, ()))
            if _put(target, patch, closed):
                put.append(patch)
        for who, patch in plate.mouths.items():
            fig = next(f for f in self.shot.figures if f.character == who)
            if _put(target, patch, mouth_at(fig.mouth, t)):
                put.append(patch)
        u = t / self.shot.seconds if self.shot.seconds > 0 else 0.0
        view = camera.view_at(self.shot.move, u, t, self.seed + self.shot.index)
        fw, fh = self.size
        ph, pw = plate.back.shape[:2]
        if not self.moving:
            x0, y0 = round((pw - fw) / 2), round((ph - fh) / 2)
            crop = plate.back[y0 : y0 + fh, x0 : x0 + fw]
            if not self._fresh:
                np.copyto(self._out, crop)
                self._fresh = True
                self.changed = None
            else:  # a still camera: only the faces that moved and what was drawn over them
                boxes = [_shift(p.region, -x0, -y0) for p in put] + self._dirty
                self.changed = boxes
                for box in boxes:
                    bx0, by0 = max(box[0], 0), max(box[1], 0)
                    bx1, by1 = min(box[2], fw), min(box[3], fh)
                    if bx1 > bx0 and by1 > by0:
                        self._out[by0:by1, bx0:bx1] = crop[by0:by1, bx0:bx1]
            self._dirty.clear()
            return self._out
        self.changed = None
        m = camera.affine(view, (pw, ph), (fw, fh), 1.0)
        if plate.front is None:
            cv2.warpAffine(plate.back, m, (fw, fh), dst=self._out, flags=cv2.INTER_LINEAR)
            return self._out
        mb = camera.affine(view, (pw, ph), (fw, fh), 0.0)
        cv2.warpAffine(plate.back, mb, (fw, fh), dst=self._out, flags=cv2.INTER_LINEAR)
        front = cv2.warpAffine(plate.front, m, (fw, fh), flags=cv2.INTER_LINEAR)
        over(self._out, front)
        return self._out


def _put(target: np.ndarray, patch: _Patch, state: object) -> bool:
    """Show ``state`` in ``patch``'s region of ``target``; whether its pixels changed."""
    pixels = patch.states.get(state)
    if pixels is None or patch.shown == state:
        return False
    x0, y0, x1, y1 = patch.region
    target[y0:y1, x0:x1] = pixels
    patch.shown = state
    return True
