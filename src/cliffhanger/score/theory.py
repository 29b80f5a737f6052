"""Just enough music theory for the score: keys, modes and chords named by scale degree.

A :class:`Chord` is a root in semitones above the key's tonic and a quality, so a
progression written once (``i–bVI–bVII–i``) plays in any key:

>>> key = Key(57, "minor")  # A minor, tonic in the bass octave
>>> key.name
'A minor'
>>> [NOTE_NAMES[p % 12] for p in key.chord(Chord(8, "major"))]
['F', 'A', 'C']
"""

from __future__ import annotations

from dataclasses import dataclass

NOTE_NAMES = ("C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")

#: Semitones of each scale above its tonic.
MODES: dict[str, tuple[int, ...]] = {
    "major": (0, 2, 4, 5, 7, 9, 11),
    "minor": (0, 2, 3, 5, 7, 8, 10),
    "dorian": (0, 2, 3, 5, 7, 9, 10),
    "phrygian": (0, 1, 3, 5, 7, 8, 10),
    "whole-tone": (0, 2, 4, 6, 8, 10),
}

#: Chord qualities as semitones above the chord's root.
QUALITIES: dict[str, tuple[int, ...]] = {
    "major": (0, 4, 7),
    "minor": (0, 3, 7),
    "sus2": (0, 2, 7),
    "augmented": (0, 4, 8),
}


@dataclass(frozen=True, slots=True)
class Chord:
    """A chord on a scale degree: ``root`` semitones above the tonic, and its quality."""

    root: int
    quality: str = "major"


@dataclass(frozen=True, slots=True)
class Key:
    """A key: the tonic as a MIDI note (its octave is where the bass plays it) and a mode."""

    tonic: int
    mode: str

    @property
    def name(self) -> str:
        return f"{NOTE_NAMES[self.tonic % 12]} {self.mode}"

    @property
    def pitch_class(self) -> int:
        return self.tonic % 12

    def scale(self, octave: int = 0) -> tuple[int, ...]:
        """The scale's MIDI notes starting ``octave`` octaves above the tonic."""
        base = self.tonic + 12 * octave
        return tuple(base + step for step in MODES[self.mode])

    def chord(self, chord: Chord, octave: int = 0) -> tuple[int, ...]:
        """The chord's MIDI notes in root position, ``octave`` octaves above the tonic's."""
        root = self.tonic + chord.root + 12 * octave
        return tuple(root + step for step in QUALITIES[chord.quality])
