"""A unit of pipeline work: explicit inputs, explicit outputs, a picklable function.

A :class:`Task` names the files it reads (hashed by content), the parameters that shape its
result (provider fingerprints, requested lengths ...) and the files it writes. Its cache key
is SHA-256 over its stage name, stage version, parameters and input contents; the runner
skips a task whose outputs are fresh for that key.

``fn(payload, staging)`` runs in a worker: it reads nothing it did not declare, gets its
objects through ``payload`` and writes each output at ``staging / <relative path>``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cliffhanger.pipeline.hashing import canonical_json, sha256_bytes, sha256_file

TaskFn = Callable[[Any, Path], None]


@dataclass(frozen=True)
class Task:
    stage: str
    version: int
    name: str  # what the user sees: "ep003", "bible"
    outputs: tuple[str, ...]  # paths relative to the project root
    fn: TaskFn
    payload: Any = None  # picklable arguments for fn
    inputs: tuple[str, ...] = ()  # project files read; their content is part of the key
    params: Mapping[str, Any] = field(default_factory=dict)  # JSON-able
    source: bool = False  # outputs are user-editable: never overwrite a hand edit silently

    def key(self, root: Path, digest: Callable[[Path], str | None] | None = None) -> str:
        """The cache key. ``digest`` hashes an input file (None if absent); the runner passes
        a memo so sixty tasks reading one bible hash it once."""
        digest = digest or _digest
        digests = [[rel, digest(root / rel)] for rel in self.inputs]
        body = {
            "stage": self.stage,
            "version": self.version,
            "params": self.params,
            "inputs": digests,
        }
        return sha256_bytes(canonical_json(body))


def _digest(path: Path) -> str | None:
    return sha256_file(path) if path.exists() else None
