"""Integrated loudness (ITU-R BS.1770-4, EBU R128), vectorized.

The same measurement as ``pyloudnorm.Meter(48000).integrated_loudness`` (K-weighting, 400 ms
blocks every 100 ms, absolute gate at −70 LUFS, relative gate 10 LU down), to within a few
hundredths of an LU, in a fraction of the time: pyloudnorm loops over blocks in Python and
takes ~0.5 s per stereo minute here, and a master measures several times.
"""

from __future__ import annotations

import numpy as np
from scipy.signal import sosfilt

from cliffhanger.audio.base import RATE, Samples

# K-weighting at 48 kHz, BS.1770-4 table 1 (pre-filter) and table 2 (RLB high-pass).
_K_WEIGHTING = np.array(
    [
        [
            1.53512485958697,
            -2.69169618940638,
            1.19839281085285,
            1.0,
            -1.69065929318241,
            0.73248077421585,
        ],
        [1.0, -2.0, 1.0, 1.0, -1.99004745483398, 0.99007225036621],
    ]
)
_HOP = RATE // 10  # 100 ms
_BLOCK_HOPS = 4  # a gating block is 400 ms
ABSOLUTE_GATE = -70.0


def integrated_loudness(x: Samples) -> float:
    """Integrated loudness of ``x`` (mono or stereo, 48 kHz) in LUFS; ``-inf`` when nothing
    rises above the absolute gate (silence, or shorter than one 400 ms block)."""
    frames = x[:, None] if x.ndim == 1 else x
    hops = len(frames) // _HOP
    if hops < _BLOCK_HOPS:
        return float("-inf")
    weighted = sosfilt(_K_WEIGHTING, frames[: hops * _HOP], axis=0)
    # Mean square per 100 ms hop, summed over channels (L and R weigh 1); a block is 4 hops.
    hop_power = np.square(weighted).reshape(hops, _HOP, -1).mean(axis=1).sum(axis=1)
    window = np.lib.stride_tricks.sliding_window_view(hop_power, _BLOCK_HOPS)
    block_power = window.mean(axis=1)
    with np.errstate(divide="ignore"):
        block_lufs = -0.691 + 10.0 * np.log10(block_power)
    gated = block_power[block_lufs > ABSOLUTE_GATE]
    if len(gated) == 0:
        return float("-inf")
    relative = -0.691 + 10.0 * np.log10(gated.mean()) - 10.0
    kept = block_power[(block_lufs > ABSOLUTE_GATE) & (block_lufs > relative)]
    return float(-0.691 + 10.0 * np.log10(kept.mean()))
