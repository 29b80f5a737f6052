"""Registers every built-in writer with :data:`~cliffhanger.writing.base.WRITERS`."""

from __future__ import annotations


def load_providers() -> None:
    """Import the built-in writers so their registrations run (idempotent)."""
    import cliffhanger.writing.local.writer
    import cliffhanger.writing.openai  # noqa: F401
