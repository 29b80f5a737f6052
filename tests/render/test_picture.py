"""The shot picture: who stands where, lips and eyes that move only where they should, a
still camera that redraws only what changed, and a camera that moves smoothly."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from cliffhanger.cast.puppet.actor import PuppetActor
from cliffhanger.model.bible import Appearance
from cliffhanger.model.look import Look
from cliffhanger.render import camera
from cliffhanger.render.base import QUALITIES, Cue, Figure, Shot
from cliffhanger.render.encode import SegmentWriter
from cliffhanger.render.picture import ShotFrames, compose, layout
from cliffhanger.render.subtitles import SubtitleRenderer

SIZE = (270, 480)


def actor(ident: str, hair: str, gender: str = "female") -> PuppetActor:
    style = "long_straight" if gender == "female" else "crop"
    look = Look.model_validate(
        {"skin": "#c68e6a", "hair": hair, "hair_style": style, "eyes": "#3b2a20"}
    )
    return PuppetActor.of(ident, Appearance(age=30, gender=gender), look)  # type: ignore[arg-type]


ACTORS = {"ana": actor("ana", "#2a1a12"), "ben": actor("ben", "#8a5a2b", "male")}
TALK = ((0.0, "rest"), (0.2, "a"), (0.4, "mbp"), (0.6, "ou"), (0.8, "rest"))


def shot(framing: str = "medium", move: str = "static", seconds: float = 1.0) -> Shot:
    return Shot(
        index=0,
        kind="scene",
        start=0.0,
        end=seconds,
        framing=framing,  # type: ignore[arg-type]
        move=move,  # type: ignore[arg-type]
        figures=(
            Figure("ana", 0.3, "right", ((0.0, "angry"),), TALK),
            Figure("ben", 0.7, "left", ((0.0, "neutral"),)),
        ),
        focus="ana",
    )


@pytest.mark.parametrize("framing", ["wide", "medium", "close", "extreme"])
def test_no_one_floats_and_wide_faces_clear_the_subtitles(framing: str) -> None:
    h = SIZE[1]
    places = layout(shot(framing), SIZE)
    assert places
    for p in places:
        assert p.y + p.height >= h, "a half-body portrait reaches below the frame"
    if framing == "wide":
        for p in places:
            face_centre = p.y + 0.33 * p.height
            assert face_centre < 0.66 * h, "a face in a wide sits above the subtitle band"
    if framing in {"close", "extreme"}:
        assert [p.figure.character for p in places] == ["ana"]


def test_lips_move_only_in_the_mouth_and_blinks_only_above_it() -> None:
    plate = compose(shot(), SIZE, ACTORS, None, parallax=False)
    frames = ShotFrames(shot(), plate, SIZE, seed=1)
    rest = frames.frame(0.1, blinks=False).copy()
    talking = frames.frame(0.3, blinks=False).copy()
    diff = np.abs(talking.astype(int) - rest).max(axis=2) > 0
    ys, xs = np.nonzero(diff)
    assert len(ys), "the mouth opens"
    mouth = plate.mouths["ana"].region
    ox, oy = (plate.back.shape[1] - SIZE[0]) // 2, (plate.back.shape[0] - SIZE[1]) // 2
    assert xs.min() >= mouth[0] - ox and xs.max() < mouth[2] - ox
    assert ys.min() >= mouth[1] - oy and ys.max() < mouth[3] - oy
    eyes = plate.eyes["ana"]
    closed = eyes.states[True]
    opened = eyes.states[False]
    assert not np.array_equal(closed, opened), "a blink closes the eyes"
    # Both patches carry a 2-pixel margin; they meet at the top of the mouth box.
    assert eyes.region[3] <= mouth[1] + 4, "the blink patch stops above the mouth"


def test_a_freeze_frame_never_catches_a_blink() -> None:
    sh = shot(seconds=30.0)
    plate = compose(sh, SIZE, ACTORS, None, parallax=False)
    frames = ShotFrames(sh, plate, SIZE, seed=3)
    blink = frames.blinks["ana"][0] + 0.05
    shut = frames.frame(blink).copy()
    frozen = frames.frame(blink, blinks=False).copy()
    assert not np.array_equal(shut, frozen)
    assert np.array_equal(frozen, frames.frame(0.05, blinks=False))


def test_a_still_shot_redraws_only_what_changed_and_gets_it_right() -> None:
    """The still path keeps its frame and repaints boxes; it must equal a full repaint."""
    sh = shot(seconds=2.0)
    plate = compose(sh, SIZE, ACTORS, None, parallax=False)
    kept = ShotFrames(sh, plate, SIZE, seed=2)
    subs = SubtitleRenderer(*SIZE)
    cue = Cue(1, 0.2, 0.9, "ana", "Ana", "Not again.", "#ffd166")
    from cliffhanger.render.subtitles import blend

    for i in range(40):
        t = i / 30
        frame = kept.frame(t)
        if cue.start <= t < cue.end:
            o = subs.overlay(cue)
            blend(frame, o)
            kept.touch((o.x, o.y, o.x + o.width, o.y + o.height))
        fresh = ShotFrames(sh, plate, SIZE, seed=2).frame(t).copy()
        if cue.start <= t < cue.end:
            blend(fresh, subs.overlay(cue))
        assert np.array_equal(frame, fresh), f"frame {i} drifted from a full repaint"


def test_camera_moves_are_smooth_and_stay_on_the_plate() -> None:
    pw, ph = round(SIZE[0] * 1.2 * camera.PUSH), round(SIZE[1] * 1.2 * camera.PUSH)
    for move in ("push_in", "pan_left", "pan_right", "shake", "zoom_punch", "static"):
        last = None
        for i in range(61):
            t = i / 30
            m = camera.affine(camera.view_at(move, t / 2.0, t), (pw, ph), SIZE)  # type: ignore[arg-type]
            # Every frame corner maps back inside the plate: no edge ever shows.
            inv = np.linalg.inv(np.vstack([m, [0, 0, 1]]))
            for x, y in ((0, 0), (SIZE[0], 0), (0, SIZE[1]), SIZE):
                px, py, _ = inv @ np.array([x, y, 1.0])
                assert -0.5 <= px <= pw + 0.5 and -0.5 <= py <= ph + 0.5, (move, t)
            if last is not None and move in {"push_in", "pan_left", "pan_right"}:
                assert np.abs(m - last).max() < 0.02 * SIZE[0], f"{move} jumps at {t:.2f} s"
            last = m
    assert camera.view_at("push_in", 1.0, 2.0).zoom > camera.view_at("push_in", 0.0, 0.0).zoom


def test_segments_of_still_and_moving_shots_join(tmp_path: Path) -> None:
    """Still and moving shots use different encoder analysis; their headers must match."""
    import av

    from cliffhanger.render.encode import join

    q = QUALITIES["draft"]
    segs = []
    for k, still in enumerate((True, False)):
        w = SegmentWriter(tmp_path / f"{k}.mp4", q, still=still)
        for i in range(10):
            w.write(np.full((q.height, q.width, 4), 40 + 20 * i, np.uint8))
        w.close()
        segs.append(tmp_path / f"{k}.mp4")
    joined = join(segs, None, tmp_path / "ep.mp4", q)
    assert joined.seconds == pytest.approx(20 / 30)
    with av.open(str(tmp_path / "ep.mp4")) as box:
        frames = list(box.decode(video=0))
        assert len(frames) == 20
        # the key frames it reports (for the HLS cut) are the file's: each segment's first
        keys = [float(f.pts * f.time_base) for f in frames if f.key_frame]
    assert joined.keys == pytest.approx(keys) and joined.keys == pytest.approx((0.0, 10 / 30))


def test_an_overshooting_aac_track_is_brought_under_the_ceiling(tmp_path: Path) -> None:
    """Dense noise limited to −1 dBTP decodes from AAC well over it; the encoder's check
    brings what decodes back under the ceiling."""
    import av

    from cliffhanger.mix.dynamics import limit, true_peak
    from cliffhanger.render.encode import _encode_aac, _planar, encode_audio

    rng = np.random.default_rng(3)
    hot = limit((rng.standard_normal((4 * 48000, 2)) * 0.4).astype(np.float32), -1.0)
    _, _, raw = _encode_aac(_planar(hot, len(hot)), 128, 2)
    assert raw > -1.0, "the codec overshoots this material (else the test proves nothing)"
    peak = encode_audio(hot, 4.0, tmp_path / "fixed.m4a", 128, -1.0)
    with av.open(str(tmp_path / "fixed.m4a")) as box:
        heard = np.concatenate([f.to_ndarray() for f in box.decode(audio=0)], axis=1).T
    assert peak <= -1.0 and true_peak(heard.astype(np.float32)) <= -1.0
    # From cached pieces (their sound not at hand) under a lower ceiling: decoded to be
    # measured and limited again, and still under it.
    cache = tmp_path / "pieces"
    encode_audio(hot, 4.0, tmp_path / "a.m4a", 128, -1.0, 2, cache)
    lower = encode_audio(hot, 4.0, tmp_path / "b.m4a", 128, -1.5, 2, cache)
    with av.open(str(tmp_path / "b.m4a")) as box:
        heard = np.concatenate([f.to_ndarray() for f in box.decode(audio=0)], axis=1).T
    assert lower <= -1.5 and true_peak(heard.astype(np.float32)) <= -1.5
