"""A named registry of provider factories: each pluggable kind keeps one.

Backends are chosen by name from settings, never by ``if name == ...`` chains::

    WRITERS: Registry[Writer] = Registry("writer")
    WRITERS.register("local", LocalWriter.from_settings)
    writer = WRITERS.create(settings.writing.provider, settings)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from cliffhanger.errors import ProviderNotFound

T = TypeVar("T")


class Registry(Generic[T]):
    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._factories: dict[str, Callable[..., T]] = {}

    def register(self, name: str, factory: Callable[..., T]) -> None:
        self._factories[name] = factory

    def names(self) -> list[str]:
        return sorted(self._factories)

    def create(self, name: str, *args: object, **kwargs: object) -> T:
        try:
            factory = self._factories[name]
        except KeyError:
            raise ProviderNotFound(self.kind, name, self.names()) from None
        return factory(*args, **kwargs)
