"""The whole writers' room against a real OpenAI-compatible server, when one is configured.

    CLIFFHANGER_TEST_LLM_URL=http://127.0.0.1:11434/v1 CLIFFHANGER_TEST_LLM_MODEL=llama3.1 \\
        .venv/bin/pytest -m llm tests/writing/openai
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cliffhanger.model import BeatKind
from cliffhanger.writing.base import SeriesRequest
from cliffhanger.writing.openai import ChatClient, OpenAIWriter, usage_summary

URL = os.environ.get("CLIFFHANGER_TEST_LLM_URL")

pytestmark = [
    pytest.mark.llm,
    pytest.mark.skipif(not URL, reason="set CLIFFHANGER_TEST_LLM_URL to a real LLM server"),
]


def test_a_real_model_writes_a_short_season(tmp_path: Path) -> None:
    assert URL is not None
    client = ChatClient(
        URL,
        os.environ.get("CLIFFHANGER_TEST_LLM_MODEL", "llama3.1"),
        state_dir=tmp_path,
        api_key=os.environ.get("CLIFFHANGER_TEST_LLM_KEY") or os.environ.get("OPENAI_API_KEY"),
        temperature=0.4,
        timeout_s=600,
        max_retries=4,
    )
    request = SeriesRequest(
        premise="A hotel maid discovers she is the missing heiress of the family she serves.",
        episodes=3,
        seconds=60,
        paywall_episode=2,
    )
    with client:
        writer = OpenAIWriter(client)
        bible = writer.develop(request)
        outline = writer.outline(request, bible)
        script = writer.script(request, bible, outline.episode(1), None)

    assert bible.episodes == 3 and bible.characters and bible.locations
    assert [e.number for e in outline.episodes] == [1, 2, 3]
    assert all(e.beats[-1].kind is BeatKind.CLIFFHANGER for e in outline.episodes)
    assert script.episode == 1 and script.words > 0
    assert usage_summary(tmp_path)["calls"] >= 3
