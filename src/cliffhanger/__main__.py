from __future__ import annotations

from cliffhanger.cli import run

run()
