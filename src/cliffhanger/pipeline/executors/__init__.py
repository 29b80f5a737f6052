"""Executors: the interface and registry in ``base``, the built-in local ones in ``local``."""

from __future__ import annotations

from cliffhanger.pipeline.executors import local as _local  # registers process/thread/inline
from cliffhanger.pipeline.executors.base import EXECUTORS, Executor

__all__ = ["EXECUTORS", "Executor"]
del _local
