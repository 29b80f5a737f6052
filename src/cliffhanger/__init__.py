"""Cliffhanger: an offline AI micro-drama studio, from a one-line premise to vertical episodes."""

from __future__ import annotations

__version__ = "0.1.0"
