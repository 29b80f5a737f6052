"""The ``espeak`` speech provider: Debian's ``espeak-ng``, for the languages piper lacks.

Each line is one ``espeak-ng --stdout`` subprocess (a WAV on stdout, resampled to
:data:`~cliffhanger.audio.base.RATE`). The tune's ``base`` picks an espeak variant when it
names one (``f3``, or ``en+f3`` style); any other base speaks in the language's plain voice.

Phone times are *estimated*: espeak-ng reports durations only through mbrola voices, so the
phones from ``espeak-ng -q --ipa --sep=_`` (one line per clause) are spread over the clause's
stretch of sound — the audio's voiced runs between pauses of at least ``PAUSE_S`` — in
proportion to typical durations (vowels longer than consonants, a length mark longer still).
When the runs and clauses do not pair up, every phone is spread over the whole voiced span.
"""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from cliffhanger.audio.base import RATE, Samples, decode_wav, resample
from cliffhanger.errors import InvalidProviderOutput, ProviderError
from cliffhanger.model.voicing import VoiceTune
from cliffhanger.settings import Settings
from cliffhanger.voice.base import SPEAKERS, Delivery, Phone, Speech

WPM = 175  # espeak-ng's default speed: a tune rate of 1
PAUSE_S = 0.12  # a quieter stretch at least this long separates clauses
_FRAME_S = 0.01
_VOWELS = frozenset("aeiouyæøœɐɑɒɔɘəɚɛɜɝɞɤɨɪʉʊʌʏɯɵɶ")


class EspeakSpeaker:
    """``espeak-ng`` at ``binary``; stateless apart from the cached voice lists."""

    name = "espeak"

    def __init__(self, binary: str = "espeak-ng") -> None:
        self.binary = binary

    @classmethod
    def from_settings(cls, settings: Settings, root: Path) -> EspeakSpeaker:
        return cls(settings.voice.espeak_binary)

    def __getstate__(self) -> dict[str, Any]:
        return {"binary": self.binary}  # voice lists are re-read in the new process

    def __repr__(self) -> str:
        return f"EspeakSpeaker({self.binary!r})"

    def fingerprint(self) -> str:
        return f"espeak:{self._version}"

    def languages(self) -> tuple[str, ...]:
        return self._languages

    def speak(self, text: str, tune: VoiceTune, delivery: Delivery, language: str) -> Speech:
        if language not in self._languages:
            raise ProviderError(
                f"espeak-ng has no voice for language '{language}'; it speaks: "
                + ", ".join(self._languages)
            )
        voice = self.voice(tune.base, language)
        wpm = round(min(450, max(80, WPM * tune.rate * delivery.rate)))
        wav = self._run("-v", voice, "-s", str(wpm), "--stdout", "--", text)
        try:
            samples, rate = decode_wav(wav)
        except ValueError as e:
            raise InvalidProviderOutput(f"{self.binary} --stdout wrote no usable WAV: {e}") from e
        ipa = self._run("-q", "-v", voice, "--ipa", "--sep=_", "--", text).decode()
        return Speech(resample(samples, rate, RATE), RATE, spread(ipa, samples, rate))

    def voice(self, base: str, language: str) -> str:
        """The ``-v`` argument: ``language+variant`` when ``base`` names a variant."""
        variant = base.rpartition("+")[2]
        return f"{language}+{variant}" if variant in self._variants else language

    def close(self) -> None:
        pass

    # -- the binary --------------------------------------------------------------------

    @cached_property
    def _version(self) -> str:
        text = self._run("--version").decode(errors="replace")
        return text.split("Data at")[0].split(":")[-1].strip()  # "1.51", not the data path

    @cached_property
    def _languages(self) -> tuple[str, ...]:
        rows = [row for row in self._voices() if not row[4].startswith("mb/")]  # need mbrola
        return tuple(sorted({code for row in rows for code in _codes(row[1])}))

    @cached_property
    def _variants(self) -> frozenset[str]:
        return frozenset(row[4].rpartition("/")[2] for row in self._voices("=variant"))

    def _voices(self, which: str = "") -> list[list[str]]:
        lines = self._run(f"--voices{which}").decode(errors="replace").splitlines()[1:]
        return [row for row in (line.split() for line in lines) if len(row) >= 5]

    def _run(self, *args: str) -> bytes:
        binary = shutil.which(self.binary)
        if binary is None:
            raise ProviderError(
                f"espeak-ng is not installed (no '{self.binary}' on PATH); install it with "
                "`apt-get install espeak-ng`, or set [voice] espeak_binary to its path"
            )
        done = subprocess.run([binary, *args], capture_output=True, check=False, timeout=120)
        if done.returncode != 0:
            message = done.stderr.decode(errors="replace").strip()
            raise ProviderError(f"{self.binary} failed (exit {done.returncode}): {message}")
        return done.stdout


def _codes(language: str) -> set[str]:
    """``en-gb-scotland`` → ``{"en-gb-scotland", "en"}``: a voice speaks its family too."""
    return {language, language.split("-", maxsplit=1)[0]}


def spread(ipa: str, samples: Samples, rate: int) -> tuple[Phone, ...]:
    """Phones from espeak's ``--ipa --sep=_`` text, timed over the audio (see module doc)."""
    clauses = [[p for w in line.split() for p in _phones(w)] for line in ipa.splitlines()]
    clauses = [c for c in clauses if c]
    runs = voiced_runs(samples, rate)
    if not clauses or not runs:
        return ()
    if len(runs) != len(clauses):
        clauses, runs = [[p for c in clauses for p in c]], [(runs[0][0], runs[-1][1])]
    out: list[Phone] = []
    for phones, (start, end) in zip(clauses, runs, strict=True):
        weights = np.concatenate([[0.0], np.cumsum([_weight(p) for p in phones])])
        edges = start + (end - start) * weights / weights[-1]
        out += [
            Phone(p, float(a), float(b))
            for p, a, b in zip(phones, edges[:-1], edges[1:], strict=True)
        ]
    return tuple(out)


def voiced_runs(samples: Samples, rate: int) -> list[tuple[float, float]]:
    """(start, end) seconds of the stretches of sound between pauses of ``PAUSE_S``."""
    hop = max(1, round(rate * _FRAME_S))
    frames = len(samples) // hop
    if frames == 0:
        return []
    rms = np.sqrt(np.mean(samples[: frames * hop].reshape(frames, hop) ** 2, axis=1))
    loud = np.flatnonzero(rms > max(1e-4, 0.05 * float(rms.max())))
    if loud.size == 0:
        return []
    gap = round(PAUSE_S / _FRAME_S)
    breaks = np.flatnonzero(np.diff(loud) > gap)
    starts = np.concatenate([[loud[0]], loud[breaks + 1]])
    ends = np.concatenate([loud[breaks], [loud[-1]]]) + 1
    return [(s * hop / rate, e * hop / rate) for s, e in zip(starts, ends, strict=True)]


def _phones(word: str) -> list[str]:
    """``h_ə_l_ˈəʊ`` → ``["h", "ə", "l", "əʊ"]``: stress marks are dropped."""
    return [p for p in (s.strip("ˈˌ") for s in word.split("_")) if p and not _punct(p)]


def _punct(text: str) -> bool:
    return all(unicodedata.category(ch)[0] == "P" for ch in text)


def _weight(phone: str) -> float:
    """A phone's typical share of time: consonant 1, vowel 1.6, diphthong or long vowel 2.2."""
    vowels = sum(ch in _VOWELS for ch in phone)
    if vowels == 0:
        return 1.0
    return 2.2 if vowels > 1 or "ː" in phone else 1.6


SPEAKERS.register("espeak", EspeakSpeaker.from_settings)
