"""The episode's AAC track encoded in pieces and spliced by packet (render/aac.py)."""

from __future__ import annotations

import itertools
from pathlib import Path

import av
import numpy as np
import pytest

from cliffhanger.audio.base import RATE
from cliffhanger.mix.dynamics import true_peak
from cliffhanger.render import aac

PIECE = 47  # frames: ~1 s pieces, so a short signal has several seams


def _music(seconds: float, seed: int = 5) -> aac.Planar:
    """Chords with attacks and a little noise: window switching and noise substitution
    both happen, as in a real mix."""
    rng = np.random.default_rng(seed)
    n = round(seconds * RATE)
    t = np.arange(n) / RATE
    x = np.zeros((2, n), np.float32)
    for k, f in enumerate((220.0, 277.2, 329.6, 440.0)):
        x[0] += (0.12 * np.sin(2 * np.pi * f * t + k)).astype(np.float32)
        x[1] += (0.12 * np.sin(2 * np.pi * f * 1.003 * t)).astype(np.float32)
    for hit in range(0, n, RATE // 3):  # clicks every third of a second: attacks
        x[:, hit : hit + 200] += (rng.standard_normal((2, 200)) * 0.3).astype(np.float32)
    x += (rng.standard_normal((2, n)) * 0.01).astype(np.float32)
    return x


def _snr(heard: aac.Planar, source: aac.Planar) -> float:
    err = (heard - source).astype(np.float64)
    return float(10 * np.log10(np.sum(source.astype(np.float64) ** 2) / np.sum(err**2)))


def test_a_spliced_track_sounds_like_one_encode_at_every_seam() -> None:
    x = _music(6.0)
    n = x.shape[1]
    whole = aac.encode(x, 128, 1, piece_frames=0).track
    done = aac.encode(x, 128, 2, piece_frames=PIECE)
    spliced = done.track
    assert len(spliced.seams) >= 4 and whole.seams == ()
    assert [t for t, _ in spliced.packets] == [t for t, _ in whole.packets]  # same framing
    assert spliced.packets[0][0] == -aac.FRAME  # the encoder's priming frame first
    one, many = aac.decode(whole, n), aac.decode(spliced, n)
    for at in spliced.seams:  # around each seam, as close to the source as one encode
        span = slice(at - 2 * aac.FRAME, at + 2 * aac.FRAME)
        assert _snr(many[:, span], x[:, span]) > _snr(one[:, span], x[:, span]) - 3.0
    assert _snr(many, x) > 15.0
    assert done.seams_hold and aac.seams_hold(spliced, x)
    # what the pieces measured is what a player hears from the start, give or take the
    # noise-substituted bands (their noise comes from the decoder's random generator)
    assert _snr(done.heard, many) > 20.0
    assert done.peak_db == pytest.approx(true_peak(many.T), abs=0.1)


def test_a_seam_the_decoder_cannot_rebuild_is_caught() -> None:
    """The first packet after a seam taken from an encode half a frame off: the frames it
    makes no longer overlap-add to the signal, while the frames two away are as good as
    anywhere."""
    x = _music(3.0)
    good = aac.encode(x, 128, 1, piece_frames=PIECE).track
    shifted = np.roll(x, aac.FRAME // 2, axis=1)
    other = aac.encode(shifted, 128, 1, piece_frames=PIECE).track
    assert aac.seams_hold(good, x)
    seam = good.seams[0]
    cut = next(i for i, (t, _) in enumerate(good.packets) if t >= seam)
    packets = [*good.packets[:cut], other.packets[cut], *good.packets[cut + 1 :]]
    assert not aac.seams_hold(aac.Track(packets, good.extradata, 128, (seam,)), x)


def test_noise_that_the_codec_substitutes_is_not_taken_for_a_broken_seam() -> None:
    """White noise decodes far from its source everywhere (AAC sends its bands as noise
    levels): the seams are judged against their neighbours, so they hold."""
    noise = (np.random.default_rng(2).standard_normal((2, 4 * RATE)) * 0.03).astype(np.float32)
    done = aac.encode(noise, 128, 2, piece_frames=PIECE)
    assert _snr(aac.decode(done.track, noise.shape[1]), noise) < 5.0  # far, as said
    assert done.seams_hold and len(done.track.seams) >= 3


def test_the_same_mix_gives_the_same_track_whatever_the_threads() -> None:
    x = _music(4.0, seed=9)
    assert aac.encode(x, 128, 1, PIECE).track.packets == aac.encode(x, 128, 3, PIECE).track.packets


def test_the_written_track_plays_from_time_zero(tmp_path: Path) -> None:
    """A player skips the priming frame (the encoder delay is in the file) and hears the
    source in place, not a frame late."""
    x = _music(3.0)
    n = x.shape[1]
    track = aac.encode(x, 128, 2, piece_frames=PIECE).track
    path = tmp_path / "t.m4a"
    aac.write(track, path)
    with av.open(str(path)) as box:
        stream = box.streams.audio[0]
        assert (stream.codec_context.sample_rate, stream.codec_context.channels) == (RATE, 2)
        heard = np.concatenate([f.to_ndarray() for f in box.decode(audio=0)], axis=1)
    assert heard.shape[1] >= n
    np.testing.assert_allclose(heard[:, :n], aac.decode(track, n), atol=1e-6)
    lags = range(-2048, 2049, 256)
    best = max(lags, key=lambda k: float(np.dot(np.roll(heard[0, :n], k), x[0])))
    assert best == 0


@pytest.mark.parametrize("n", [1, 5000, 47 * 1024 * 3 + 100])
def test_pieces_cover_the_track_once_on_frame_boundaries(n: int) -> None:
    spans = aac.pieces(n, PIECE)
    assert spans[0][0] == 0 and spans[-1][1] == n
    assert all(a[1] == b[0] for a, b in itertools.pairwise(spans))
    assert all(s % aac.FRAME == 0 for s, _ in spans)
    assert all(e - s >= PIECE * aac.FRAME // 2 for s, e in spans[:-1])


def test_after_an_edit_only_the_pieces_from_there_on_are_encoded_again(tmp_path: Path) -> None:
    """A re-voiced line changes the mix from its start on: the pieces before it come from
    the cache as they were, the track still decodes seamlessly, and the cache keeps only
    the pieces of the track it holds now."""
    x = _music(8.0)
    cache = tmp_path / "pieces"
    first = aac.encode(x, 128, 2, piece_frames=PIECE, cache=cache)
    assert first.reused == 0 and first.heard is not None
    assert len(list(cache.glob("*.npz"))) == len(first.track.seams) + 1
    cut = 5 * RATE + 300  # the edit: everything after it is new, and a little longer
    edited = np.concatenate([x[:, :cut], _music(3.5, seed=8)], axis=1)
    again = aac.encode(edited, 128, 2, piece_frames=PIECE, cache=cache)
    fresh = aac.encode(edited, 128, 2, piece_frames=PIECE)
    untouched = sum(1 for s in (0, *first.track.seams) if s + (PIECE + 2) * aac.FRAME < cut)
    assert again.reused == untouched >= 3 and again.heard is None
    assert again.track.packets == fresh.track.packets  # as if encoded from scratch
    assert again.peak_db == pytest.approx(fresh.peak_db, abs=1e-9) and again.seams_hold
    kept = {p.stem for p in cache.glob("*.npz")}
    assert len(kept) == len(again.track.seams) + 1  # the old tail's pieces are gone
    n = edited.shape[1]
    assert _snr(aac.decode(again.track, n), edited) > 15.0


def test_a_damaged_cached_piece_is_encoded_again(tmp_path: Path) -> None:
    x = _music(3.0)
    cache = tmp_path / "pieces"
    first = aac.encode(x, 128, 1, piece_frames=PIECE, cache=cache)
    for piece in cache.glob("*.npz"):
        piece.write_bytes(b"not a piece")
    again = aac.encode(x, 128, 1, piece_frames=PIECE, cache=cache)
    assert again.reused == 0 and again.track.packets == first.track.packets
