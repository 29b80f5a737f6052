"""The user's music: decoding what they drop in music/, picking by mood, fitting to length."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import pytest

from cliffhanger.audio.base import RATE, write_wav
from cliffhanger.errors import AssetError
from cliffhanger.score.library import Library, decode, fit
from tests.score.measure import jumps


def _sine(seconds: float, freq: float, rate: int) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    return (0.5 * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def _encode(path: Path, codec: str, x: np.ndarray, rate: int) -> None:
    """Mono ``x`` into a compressed file with PyAV, as a user's player would have made it."""
    with av.open(str(path), "w") as out:
        stream = out.add_stream(codec, rate=rate)
        stream.layout = "mono"
        for start in range(0, len(x), 1024):  # the encoder re-frames and converts these
            chunk = x[start : start + 1024]
            frame = av.AudioFrame.from_ndarray(chunk[None, :], format="flt", layout="mono")
            frame.sample_rate = rate
            out.mux(stream.encode(frame))
        out.mux(stream.encode(None))


def _dominant_hz(x: np.ndarray) -> float:
    spectrum = np.abs(np.fft.rfft(x[:, 0]))
    return float(np.fft.rfftfreq(len(x), 1 / RATE)[np.argmax(spectrum)])


def test_a_wav_at_another_rate_decodes_to_48k_stereo(tmp_path: Path) -> None:
    path = tmp_path / "a.wav"
    write_wav(path, _sine(1.0, 441.0, 44100), rate=44100)
    x = decode(path)
    assert x.dtype == np.float32 and x.ndim == 2 and x.shape[1] == 2
    assert len(x) == pytest.approx(RATE, abs=100)
    assert _dominant_hz(x) == pytest.approx(441.0, abs=2)
    np.testing.assert_allclose(x[:, 0], x[:, 1])


@pytest.mark.parametrize(("suffix", "codec"), [(".mp3", "libmp3lame"), (".ogg", "libopus")])
def test_compressed_music_decodes(tmp_path: Path, suffix: str, codec: str) -> None:
    path = tmp_path / f"track{suffix}"
    rate = 48000 if codec == "libopus" else 44100  # opus runs at 48 kHz only
    _encode(path, codec, _sine(1.5, 330.0, rate), rate)
    x = decode(path)
    assert x.shape[1] == 2
    assert len(x) == pytest.approx(1.5 * RATE, rel=0.1)
    assert _dominant_hz(x) == pytest.approx(330.0, abs=2)
    assert 0.3 < np.abs(x).max() < 0.7


def test_moods_come_from_folders_and_name_prefixes(tmp_path: Path) -> None:
    for rel in ("tension/a.wav", "tension/b.wav", "romance-slow.wav", "notes.wav", "jazz/c.wav"):
        write_wav(tmp_path / rel, _sine(0.2, 220.0, RATE))
    (tmp_path / "tension" / "readme.txt").write_text("not music")
    library = Library(tmp_path)
    assert library.moods() == ("tension", "romance")
    assert [p.name for p in library.tracks["tension"]] == ["a.wav", "b.wav"]
    assert library.pick("sorrow", seed=1) is None
    assert Library(tmp_path / "missing").moods() == ()


def test_pick_is_deterministic_and_seeds_spread_over_tracks(tmp_path: Path) -> None:
    for i, freq in enumerate((200.0, 300.0, 400.0, 500.0)):
        write_wav(tmp_path / "sorrow" / f"{i}.wav", _sine(0.3, freq, RATE))
    library = Library(tmp_path)
    picks = [library.pick("sorrow", seed) for seed in range(12)]
    again = [library.pick("sorrow", seed) for seed in range(12)]
    heard = set()
    for a, b in zip(picks, again, strict=True):
        assert a is not None and b is not None
        np.testing.assert_array_equal(a, b)
        heard.add(round(_dominant_hz(a), -1))
    assert len(heard) >= 3


def test_a_broken_file_raises_asset_error_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "comedy" / "broken.mp3"
    path.parent.mkdir()
    path.write_bytes(b"this is not an mp3 at all" * 40)
    with pytest.raises(AssetError, match=r"broken\.mp3") as info:
        Library(tmp_path).pick("comedy", seed=0)
    assert info.value.path == path


@pytest.mark.parametrize("seconds", [0.7, 3.0, 10.25])
def test_fit_loops_to_the_exact_length_without_clicks(seconds: float) -> None:
    # 1.01 s of 220 Hz ends mid-cycle: plain tiling would click at every repeat
    mono = _sine(1.01, 220.0, RATE)
    track = np.stack([mono, mono], axis=1)
    assert jumps(np.concatenate([track, track])).max() > 3 * jumps(track).max()
    x = fit(track, seconds)
    assert x.shape == (round(seconds * RATE), 2) and x.dtype == np.float32
    assert jumps(x).max() <= 1.5 * jumps(track).max()
    assert np.abs(x[-1]).max() < 1e-3  # faded out
    middle = x[: len(x) - int(1.5 * RATE)] if seconds > 3 else x[: len(x) // 2]
    assert np.abs(middle).max() > 0.45  # the loop keeps its level between the fades
