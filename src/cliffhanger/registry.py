"""A named registry of provider factories: each pluggable kind keeps one.

Backends are chosen by name from settings, never by ``if name == ...`` chains::

    WRITERS: Registry[Writer] = Registry("writer")
    WRITERS.register("local", LocalWriter.from_settings)
    writer = WRITERS.create(settings.writing.provider, settings)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from importlib import import_module
from typing import Generic, TypeVar

from cliffhanger.errors import ProviderNotFound

T = TypeVar("T")


class Registry(Generic[T]):
    """``builtin`` maps a built-in provider's name to the module that registers it: the
    module is imported when that provider is first asked for, so a command pays only for
    the provider it uses (an HTTP client or a speech runtime is not imported for nothing);
    listing the names imports them all."""

    def __init__(self, kind: str, builtin: Mapping[str, str] | None = None) -> None:
        self.kind = kind
        self.builtin = dict(builtin or {})
        self._factories: dict[str, Callable[..., T]] = {}

    def register(self, name: str, factory: Callable[..., T]) -> None:
        self._factories[name] = factory

    def load(self, name: str | None = None) -> None:
        """Import the built-in providers (idempotent): only ``name``'s when it is one."""
        for provider, module in self.builtin.items():
            if name is None or name not in self.builtin or provider == name:
                import_module(module)

    def names(self) -> list[str]:
        self.load()
        return sorted(self._factories)

    def create(self, name: str, *args: object, **kwargs: object) -> T:
        if name not in self._factories:
            self.load(name)
        try:
            factory = self._factories[name]
        except KeyError:
            raise ProviderNotFound(self.kind, name, self.names()) from None
        return factory(*args, **kwargs)
