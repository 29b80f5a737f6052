"""Providers are found by name; a command imports only the one it uses."""

from __future__ import annotations

import subprocess
import sys

import pytest

from cliffhanger.errors import ProviderNotFound
from cliffhanger.voice.base import SPEAKERS
from cliffhanger.writing.base import WRITERS


def test_an_unknown_provider_names_every_built_in_one() -> None:
    with pytest.raises(ProviderNotFound) as caught:
        WRITERS.create("nonesuch")
    assert {"local", "openai"} <= set(WRITERS.names())
    assert "local" in str(caught.value) and "openai" in str(caught.value)
    assert {"espeak", "openai", "piper"} <= set(SPEAKERS.names())


def test_asking_for_one_provider_imports_only_its_module() -> None:
    code = (
        "import sys\n"
        "from cliffhanger.settings import Settings, SeriesSettings\n"
        "from cliffhanger.writing.base import WRITERS\n"
        "WRITERS.create('local', Settings(series=SeriesSettings(premise='x')), None)\n"
        "print('cliffhanger.writing.openai' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
