"""How tasks run: an Executor hands work to workers and gives back futures.

Implementations register a factory in :data:`EXECUTORS` under a name; the runner only sees
this interface, so a cluster executor (Ray) plugs in beside the local ones.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, Protocol

from cliffhanger.registry import Registry


class Executor(Protocol):
    def submit(self, fn: Callable[..., Any], /, *args: Any) -> Future[Any]:
        """Run ``fn(*args)`` somewhere; ``fn`` and ``args`` must be picklable."""
        ...

    def shutdown(self) -> None: ...


EXECUTORS: Registry[Executor] = Registry("executor")
"""Factories are called as ``factory(workers, preload=())``; ``workers=0`` means one per core;
``preload`` names modules a process pool's workers should start with (others ignore it)."""
