"""Where things live in a series project folder (the file contract in PRODUCT.md)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cliffhanger.settings import SETTINGS_FILE


@dataclass(frozen=True, slots=True)
class Project:
    root: Path

    @property
    def settings_file(self) -> Path:
        return self.root / SETTINGS_FILE

    @property
    def state_dir(self) -> Path:
        """Private to the pipeline: records, caches, usage logs. Safe to delete."""
        return self.root / ".cliffhanger"

    BIBLE = "bible.yaml"
    OUTLINE = "outline.yaml"

    @staticmethod
    def script(episode: int) -> str:
        return f"scripts/ep{episode:03d}.fountain"

    def path(self, rel: str) -> Path:
        return self.root / rel
