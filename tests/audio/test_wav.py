"""Writing the episode's WAVs."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from cliffhanger.audio.base import RATE, read_wav, write_wav


def test_a_longer_file_keeps_the_same_samples_where_the_audio_is_the_same(tmp_path: Path) -> None:
    """The dither is the same at each sample whatever the length: lengthening an episode
    changes its file only where its sound changed."""
    rng = np.random.default_rng(1)
    x = (rng.standard_normal((3 * RATE, 2)) * 0.1).astype(np.float32)
    longer = np.concatenate([x, x[: RATE // 3]])
    write_wav(tmp_path / "a.wav", x)
    write_wav(tmp_path / "b.wav", longer)
    a, _ = read_wav(tmp_path / "a.wav")
    b, _ = read_wav(tmp_path / "b.wav")
    assert np.array_equal(a, b[: len(a)])
    assert np.abs(a - x).max() <= 2 / 32768  # dithered to 16 bits, within two steps
