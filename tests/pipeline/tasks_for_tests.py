"""Module-level task functions (picklable) used by the pipeline tests."""

from __future__ import annotations

import time
from pathlib import Path


def copy_upper(payload: tuple[str, str, float], staging: Path) -> None:
    """Read ``src`` from the project, write it upper-cased to ``dst``; optional delay."""
    root, dst, delay = payload
    src = Path(root) / "source.txt"
    time.sleep(delay)
    out = staging / dst
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(src.read_text().upper() + dst)


def fail_if_named(payload: tuple[str, str, float], staging: Path) -> None:
    _, dst, _ = payload
    if "bad" in dst:
        raise ValueError(f"cannot make {dst}")
    copy_upper(payload, staging)


def write_nothing(payload: object, staging: Path) -> None:
    del payload, staging


def raise_ours(payload: tuple[str, str, float], staging: Path) -> None:
    """Raise one of our errors with fields, to cross a process boundary."""
    from cliffhanger.errors import ModelFileError, StageError

    del staging
    if "stage" in payload[1]:
        raise StageError("inner", "x", "deep cause")
    raise ModelFileError("characters[0].age: too young", path="bible.yaml", line=12)
