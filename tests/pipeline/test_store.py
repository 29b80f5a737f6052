"""The artifact store: a placed file is vouched for by its record until anything touches
it, so a fresh run need not re-read every video it made."""

from __future__ import annotations

from pathlib import Path

import pytest

from cliffhanger.pipeline import store as store_mod
from cliffhanger.pipeline.hashing import sha256_file
from cliffhanger.pipeline.store import ArtifactStore


def placed(tmp_path: Path, content: bytes = b"frame data " * 100) -> ArtifactStore:
    store = ArtifactStore(tmp_path)
    staged = tmp_path / "staged.bin"
    staged.write_bytes(content)
    store.place("out/video.bin", staged, key="k1", sha256=sha256_file(staged))
    return store


def test_an_untouched_output_is_not_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = placed(tmp_path)
    reads: list[Path] = []
    real = store_mod.sha256_file
    monkeypatch.setattr(store_mod, "sha256_file", lambda p: reads.append(p) or real(p))
    seen = store.observe("out/video.bin")
    assert seen.fresh("k1") and not seen.hand_edited
    assert reads == [], "the record vouched for the file"


def test_an_edit_made_at_once_with_the_same_size_is_still_seen(tmp_path: Path) -> None:
    """File times tick in milliseconds: an edit right after placing must not pass for the
    placed file (the store dates placed files a second back)."""
    store = placed(tmp_path)
    path = tmp_path / "out/video.bin"
    data = bytearray(path.read_bytes())
    data[0] ^= 0xFF
    path.write_bytes(bytes(data))  # same size, within the same clock tick
    seen = store.observe("out/video.bin")
    assert seen.hand_edited and not seen.fresh("k1")
    assert seen.sha256 == sha256_file(path)
