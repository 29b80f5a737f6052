"""Executors on this machine: worker processes (CPU work), threads (I/O work), or inline."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from typing import Any

from cliffhanger.pipeline.executors.base import EXECUTORS


def _cores(workers: int) -> int:
    return workers if workers > 0 else max(1, os.cpu_count() or 1)


def start_fork_server(preload: tuple[str, ...]) -> None:
    """Start the fork server now, importing ``preload`` in its own process, so a process
    pool made a moment later forks its workers at once (a cold start leaves both cores
    idle ~0.7 s while the server imports); nothing where there is no fork server."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return
    from multiprocessing import forkserver

    multiprocessing.get_context("forkserver").set_forkserver_preload(list(preload))
    forkserver.ensure_running()


class ProcessExecutor:
    """A process pool; 'forkserver' keeps workers clean of the parent's threads ('spawn'
    where there is no forkserver, as on Windows).

    ``preload`` names modules the fork server imports once, so every worker forks with them
    loaded (numpy, scipy and a speech model's runtime take seconds to import); it applies
    when this is the run's first pool, since one fork server serves the whole process."""

    def __init__(self, workers: int = 0, preload: tuple[str, ...] = ()) -> None:
        methods = multiprocessing.get_all_start_methods()
        ctx = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
        if preload and "forkserver" in methods:
            ctx.set_forkserver_preload(list(preload))
        self._pool = ProcessPoolExecutor(max_workers=_cores(workers), mp_context=ctx)

    def submit(self, fn: Callable[..., Any], /, *args: Any) -> Future[Any]:
        return self._pool.submit(fn, *args)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


class ThreadExecutor:
    def __init__(self, workers: int = 0, preload: tuple[str, ...] = ()) -> None:
        del preload  # threads share the parent's modules
        self._pool = ThreadPoolExecutor(max_workers=_cores(workers))

    def submit(self, fn: Callable[..., Any], /, *args: Any) -> Future[Any]:
        return self._pool.submit(fn, *args)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


class InlineExecutor:
    """Runs each task at once in the calling thread: for debugging and tiny jobs."""

    def __init__(self, workers: int = 0, preload: tuple[str, ...] = ()) -> None:
        del workers, preload

    def submit(self, fn: Callable[..., Any], /, *args: Any) -> Future[Any]:
        future: Future[Any] = Future()
        try:
            future.set_result(fn(*args))
        except BaseException as e:  # delivered through the future, like a pool would
            future.set_exception(e)
        return future

    def shutdown(self) -> None:
        pass


EXECUTORS.register("process", ProcessExecutor)
EXECUTORS.register("thread", ThreadExecutor)
EXECUTORS.register("inline", InlineExecutor)
