from __future__ import annotations

from cliffhanger.cli import main

main()
