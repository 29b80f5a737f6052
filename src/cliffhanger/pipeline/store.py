"""Where artifacts land: atomic writes, and a record of what the pipeline wrote where.

Each output file has a small record under ``.cliffhanger/records/``: the cache key that made
it, the SHA-256 of what was written and of the version before. A file whose content matches
neither was edited by hand (or restored by hand: that is the user's choice too). The record
is written *before* the file is moved into place, so a run killed between the two leaves the
previous version, which the record still names: never a false "hand edit".

A file with no record at all is the user's: they wrote it before the first run, or deleted
``.cliffhanger/``. The runner keeps it.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from cliffhanger.pipeline.hashing import sha256_file

_HISTORY = 2  # the current version and the one before: enough to cover a kill mid-place


def _file_mode() -> int:
    """What ``open()`` would give a new file here: 0o666 less the umask (read once, at
    import, while only one thread runs)."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


FILE_MODE = _file_mode()


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so a reader sees the old file or the new one, never half.
    The file gets the usual permissions (``mkstemp`` makes it private: a web server could
    not read a published video)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, FILE_MODE)
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
    history: tuple[str, ...]  # the previous sha256 we wrote here (if any), then the current
    stat: tuple[int, int] | None = None  # (size, mtime_ns) of the file as placed


@dataclass(frozen=True, slots=True)
class Observed:
    """What is known of one output path: its record, and the hash of the file there now."""

    record: Record | None
    sha256: str | None  # None: no file

    def fresh(self, key: str) -> bool:
        """The file exists, came from ``key`` and is untouched since."""
        rec = self.record
        return rec is not None and rec.key == key and self.sha256 == rec.sha256

    @property
    def hand_edited(self) -> bool:
        """The file exists and holds content the pipeline did not just write (a file with no
        record at all is the user's own)."""
        if self.sha256 is None:
            return False
        return self.record is None or self.sha256 not in self.record.history

    def conflicts_with(self, key: str) -> bool:
        """A hand edit conflicts only when what it was made against has changed since."""
        return self.hand_edited and self.record is not None and self.record.key != key


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
            stat = raw.get("stat")
            return Record(
                raw["key"], raw["sha256"], tuple(raw["history"]), tuple(stat) if stat else None
            )
        except (FileNotFoundError, ValueError, KeyError, TypeError):
            return None

    def observe(self, rel: str) -> Observed:
        """The record of ``rel`` and the hash of the file now on disk, read once."""
        record = self.record(rel)
        return Observed(record, self.digest(rel, record))

    def digest(self, rel: str, record: Record | None = None) -> str | None:
        """The file's SHA-256 (None: no file). A file still as it was placed — same size,
        same modification time to the nanosecond — has the recorded hash without being read
        again: a fresh render would otherwise re-read every video it ever made. Any edit,
        by hand or by a tool, moves the modification time."""
        path = self.root / rel
        try:
            st = path.stat()
        except FileNotFoundError:
            return None
        record = record if record is not None else self.record(rel)
        if record is not None and record.stat == (st.st_size, st.st_mtime_ns):
            return record.sha256
        return sha256_file(path)

    def adopt(self, rel: str, key: str) -> None:
        """Accept a hand edit as made against ``key``'s upstream: it stays the user's (its
        hash is still not ours), but is no longer in conflict until the upstream changes again."""
        rec = self.record(rel)
        sha = rec.sha256 if rec else ""
        history = rec.history if rec else ()
        self._write_record(rel, key, sha, history)

    def _write_record(
        self,
        rel: str,
        key: str,
        sha256: str,
        history: tuple[str, ...],
        stat: tuple[int, int] | None = None,
    ) -> None:
        body: dict[str, object] = {"key": key, "sha256": sha256, "history": list(history)}
        if stat is not None:
            body["stat"] = list(stat)
        atomic_write(self._record_path(rel), json.dumps(body).encode())

    def place(self, rel: str, staged: Path, key: str, sha256: str) -> None:
        """Move a finished output into place and record it (record first: see module doc)."""
        old = self.record(rel)
        previous = (old.sha256,) if old and old.sha256 and old.sha256 != sha256 else ()
        with staged.open("rb") as f:  # durable before it becomes visible
            os.fsync(f.fileno())
        # Date the file a second back: any later write, however soon (file times tick in
        # milliseconds), then carries a newer time than the one recorded here, so a hand
        # edit is never mistaken for the placed file. A rename keeps size and time.
        placed = time.time_ns() - 1_000_000_000
        os.utime(staged, ns=(placed, placed))
        st = staged.stat()
        self._write_record(
            rel, key, sha256, (*previous, sha256)[-_HISTORY:], (st.st_size, st.st_mtime_ns)
        )
        dest = self.root / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staged, dest)

    def backup(self, rel: str) -> Path:
        """Copy a file aside as ``name.N.bak`` (first free N) before it is replaced."""
        return backup(self.root / rel)


def backup(src: Path) -> Path:
    """Copy ``src`` to ``src.N.bak`` with the first N not taken (created exclusively)."""
    n = 1
    while True:
        dest = src.with_name(f"{src.name}.{n}.bak")
        try:
            fd = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            n += 1
            continue
        os.close(fd)
        shutil.copy2(src, dest)
        return dest


@contextmanager
def project_lock(state: Path) -> Iterator[Path]:
    """Hold the project's lock for a run and give a private staging root.

    Two runs on one project would interleave records and renames; the second waits. The
    staging root (``.cliffhanger/tmp``) is on the project's filesystem so placing an output
    is an atomic rename; whatever a killed run left there is cleared first, and this run's
    leftovers on the way out.
    """
    state.mkdir(parents=True, exist_ok=True)
    with (state / "lock").open("a+b") as lock:
        _lock(lock.fileno())
        tmp = state / "tmp"
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir()
        try:
            yield tmp
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


def _lock(fd: int) -> None:
    if sys.platform == "win32":
        import msvcrt

        msvcrt.locking(fd, msvcrt.LK_LOCK, 1)
    else:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_EX)
