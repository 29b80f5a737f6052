"""Seeded randomness for the story engine: the same seed and the same parts give the same stream.

Every decision draws from a generator keyed by *what* is being decided (``rng_for(seed,
"names", culture)``), never from one shared stream, so adding a character or an episode does
not reshuffle every later choice, and episodes can be written in parallel.
"""

from __future__ import annotations

import hashlib
import random


def rng_for(seed: int, *parts: object) -> random.Random:
    """A ``random.Random`` seeded from SHA-256 of the seed and the parts (stable across runs)."""
    h = hashlib.sha256(repr(seed).encode())
    for part in parts:
        h.update(b"\x1f")
        h.update(str(part).encode("utf-8"))
    return random.Random(int.from_bytes(h.digest()[:8], "big"))
