"""Registers the built-in writers with :data:`~cliffhanger.writing.base.WRITERS`."""

from __future__ import annotations

from importlib import import_module

BUILTIN = {"local": "cliffhanger.writing.local.writer", "openai": "cliffhanger.writing.openai"}


def load_providers(name: str | None = None) -> None:
    """Import the built-in writers so their registrations run (idempotent); given a
    ``name`` it knows, only that one (a command that writes locally does not pay for the
    HTTP client's import). An unknown name loads them all, for the error to list."""
    for provider, module in BUILTIN.items():
        if name is None or name not in BUILTIN or provider == name:
            import_module(module)
