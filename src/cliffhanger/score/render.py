"""A cue sheet made audible: the music bus and the effects bus of an episode.

:func:`lay_music` plays each :class:`~cliffhanger.score.cues.MusicCue` from the user's
library when it has that mood (``music/<mood>/...``), and from the synthesized bed otherwise;
one cue cross-fades into the next over :data:`CROSSFADE_S`. :func:`lay_effects` drops each
effect at its start at its gain. Both return stereo ``float32`` ``(n, 2)`` buses, silent
where nothing plays, ready for the mix.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np

from cliffhanger.audio.base import RATE, Samples, db_to_gain
from cliffhanger.score.cues import CueSheet
from cliffhanger.score.effects import effect
from cliffhanger.score.library import Library, fit
from cliffhanger.score.music import bed

CROSSFADE_S = 0.75


def _add(bus: Samples, x: Samples, at: int) -> None:
    if at >= len(bus):
        return
    take = min(len(x), len(bus) - at)
    bus[at : at + take] += x[:take]


def lay_music(
    sheet: CueSheet,
    n: int,
    seed: int,
    music_dir: str = "",
    loops: Mapping[str, Samples] | None = None,
) -> Samples:
    """The music bus, ``n`` samples long; ``music_dir`` is the user's library ("" for none);
    ``loops`` holds already rendered bed loops by mood (the rest are rendered here)."""
    bus = np.zeros((n, 2), np.float32)
    library = Library(Path(music_dir)) if music_dir else None
    for index, cue in enumerate(sheet.music):
        seconds = cue.end - cue.start + CROSSFADE_S  # ring on under the next cue's fade-in
        track = library.pick(cue.mood, seed) if library is not None else None
        if track is not None:
            x = fit(track, seconds)
        else:
            x = bed(cue.mood, seconds, seed, CROSSFADE_S, (loops or {}).get(cue.mood))
        if index > 0:
            k = min(len(x), int(CROSSFADE_S * RATE))
            x[:k] *= np.linspace(0.0, 1.0, k, dtype=np.float32)[:, None]
        _add(bus, x, round(cue.start * RATE))
    return bus


def lay_effects(sheet: CueSheet, n: int, seed: int) -> Samples:
    """The effects bus, ``n`` samples long; the i-th effect is rendered with ``seed + i``,
    so two slaps in an episode are two different slaps."""
    bus = np.zeros((n, 2), np.float32)
    for index, cue in enumerate(sheet.effects):
        x = effect(cue.name, seed + index, **cue.kwargs) * np.float32(db_to_gain(cue.gain_db))
        _add(bus, x, round(cue.start * RATE))
    return bus
