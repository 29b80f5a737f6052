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


def pool_for(
    name: str, workers: int, *, inline_up_to: int = 1, preload: tuple[str, ...] = ()
) -> Callable[[int], Executor]:
    """The usual choice for a group of CPU tasks: inline when at most ``inline_up_to`` are
    stale (a pool's start-up would cost more than it saves), else the executor ``name``
    (``[pipeline] executor``) with ``workers`` and ``preload``."""

    def choose(stale: int) -> Executor:
        if stale <= inline_up_to:
            return EXECUTORS.create("inline", 1)
        return EXECUTORS.create(name, workers, preload=preload)

    return choose
