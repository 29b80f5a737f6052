"""Where artifacts land: atomic writes, and a record of what the pipeline wrote where.

Each output file has a small record under ``.cliffhanger/records/``: the cache key that made
it and the SHA-256 of every version the pipeline ever wrote there (newest last). A file whose
content matches none of them was edited by hand. The record is written *before* the file is
moved into place, so a run killed between the two leaves a file whose hash is still one of
ours, never a false "hand edit".
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from cliffhanger.pipeline.hashing import sha256_file

_HISTORY = 8  # how many of our past versions per file are remembered


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so a reader sees the old file or the new one, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@dataclass(frozen=True, slots=True)
class Record:
    key: str
    sha256: str
    history: tuple[str, ...]  # every sha256 we wrote to this path, including the current


class ArtifactStore:
    """Records and placement of outputs for one project root."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.state = root / ".cliffhanger"
        self.records = self.state / "records"

    def _record_path(self, rel: str) -> Path:
        return self.records / (rel.replace("/", "__") + ".json")

    def record(self, rel: str) -> Record | None:
        try:
            raw = json.loads(self._record_path(rel).read_text(encoding="utf-8"))
            return Record(raw["key"], raw["sha256"], tuple(raw["history"]))
        except (FileNotFoundError, ValueError, KeyError, TypeError):
            return None

    def hand_edited(self, rel: str) -> bool:
        """True when the file exists and holds content the pipeline never wrote."""
        path = self.root / rel
        if not path.exists():
            return False
        rec = self.record(rel)
        if rec is None:
            return True  # a file we never wrote: the user's own
        return sha256_file(path) not in rec.history

    def fresh(self, rel: str, key: str) -> bool:
        """True when the file exists, came from ``key`` and is untouched since."""
        path = self.root / rel
        rec = self.record(rel)
        return (
            rec is not None and rec.key == key and path.exists() and sha256_file(path) == rec.sha256
        )

    def place(self, rel: str, staged: Path, key: str, sha256: str) -> None:
        """Move a finished output into place and record it (record first: see module doc)."""
        old = self.record(rel)
        history = tuple(h for h in (old.history if old else ()) if h != sha256)[-(_HISTORY - 1) :]
        atomic_write(
            self._record_path(rel),
            json.dumps({"key": key, "sha256": sha256, "history": [*history, sha256]}).encode(),
        )
        dest = self.root / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staged, dest)

    def backup(self, rel: str) -> Path:
        """Copy a file aside as ``name.N.bak`` (first free N) before it is replaced."""
        src = self.root / rel
        n = 1
        while (dest := src.with_name(f"{src.name}.{n}.bak")).exists():
            n += 1
        shutil.copy2(src, dest)
        return dest

    def staging_dir(self) -> Path:
        """A fresh folder on the same filesystem, so placing outputs is an atomic rename."""
        tmp = self.state / "tmp"
        tmp.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(dir=tmp))
