"""Fixtures: fake OpenAI-compatible servers and clients pointed at them, all closed after."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from cliffhanger.writing.base import SeriesRequest
from cliffhanger.writing.openai import ChatClient, OpenAIWriter
from cliffhanger.writing.openai.fake_server import FakeLLMServer

Serve = Callable[..., FakeLLMServer]
Connect = Callable[..., ChatClient]


@pytest.fixture
def state_dir(tmp_path: Path) -> Path:
    return tmp_path / ".cliffhanger"


@pytest.fixture
def serve() -> Iterator[Serve]:
    """Start a fake server with the given knobs; every one started is closed at teardown."""
    servers: list[FakeLLMServer] = []

    def start(**options: Any) -> FakeLLMServer:
        server = FakeLLMServer(**options).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.close()


@pytest.fixture
def connect(state_dir: Path) -> Iterator[Connect]:
    """A client for a server (or URL) with fast backoff; closed at teardown."""
    clients: list[ChatClient] = []

    def make(target: FakeLLMServer | str, **options: Any) -> ChatClient:
        url = target if isinstance(target, str) else target.base_url
        options = {"state_dir": state_dir, "backoff_s": 0.001, **options}
        client = ChatClient(url, options.pop("model", "fake-model"), **options)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def series() -> SeriesRequest:
    return SeriesRequest(
        premise="A maid at a billionaire's wedding is the family's true heiress.",
        episodes=12,
        seconds=90,
        paywall_episode=8,
    )


@pytest.fixture
def writer_for(connect: Connect) -> Callable[..., OpenAIWriter]:
    def make(server: FakeLLMServer, *, outline_chunk: int = 10, **options: Any) -> OpenAIWriter:
        return OpenAIWriter(connect(server, **options), outline_chunk=outline_chunk)

    return make
