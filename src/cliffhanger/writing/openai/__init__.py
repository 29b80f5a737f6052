"""The ``openai`` writer: bible, outline and scripts from any OpenAI-compatible chat server.

Ollama, llama.cpp's server, vLLM and the clouds all speak ``/v1/chat/completions``. Importing
this package registers the writer as ``openai`` in :data:`cliffhanger.writing.base.WRITERS`::

    CLIFFHANGER_WRITING__PROVIDER=openai CLIFFHANGER_LLM__MODEL=llama3.1 cliffhanger write DIR

:mod:`.fake_server` is a real HTTP server with the same wire format for tests and offline demos.
"""

from __future__ import annotations

from cliffhanger.writing.base import WRITERS
from cliffhanger.writing.openai.client import ChatClient, ChatResult, Message
from cliffhanger.writing.openai.store import usage_summary
from cliffhanger.writing.openai.writer import OpenAIWriter

WRITERS.register("openai", OpenAIWriter.from_settings)

__all__ = ["ChatClient", "ChatResult", "Message", "OpenAIWriter", "usage_summary"]
