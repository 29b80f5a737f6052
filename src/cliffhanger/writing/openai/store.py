"""What the chat client keeps on disk: answers cached by prompt, and one usage line per call.

Both live in the project's private folder (``<project>/.cliffhanger``)::

    llm-cache/<sha256>.json   one answer, keyed by everything that shaped it (never the API key)
    llm-usage.jsonl           one small JSON line per call: stage, model, tokens, usd, cached

Usage lines are appended with a single ``write(2)`` on a file opened ``O_APPEND``; lines stay
far below ``PIPE_BUF`` so concurrent writers (threads or processes) never interleave
(:func:`cliffhanger.paidapi.append_jsonl`, shared with the image and speech ledgers).
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cliffhanger.paidapi import append_jsonl, request_key

CACHE_DIR = "llm-cache"
USAGE_FILE = "llm-usage.jsonl"

_MAX_FIELD = 200  # stage and model names are truncated so a usage line stays small


def cache_key(
    base_url: str,
    model: str,
    temperature: float,
    messages: list[dict[str, str]],
    *,
    schema: dict[str, Any] | None,
    seed: int | None = None,
) -> str:
    """SHA-256 over the explicit inputs of one chat request, as canonical JSON."""
    payload = {
        "base_url": base_url.rstrip("/"),
        "model": model,
        "temperature": temperature,
        "messages": messages,
        "schema": schema,
        "seed": seed,
    }
    return request_key(payload)


@dataclass(frozen=True, slots=True)
class CachedAnswer:
    content: str
    model: str
    prompt_tokens: int
    completion_tokens: int


class ResponseCache:
    """Answers stored one file per key; writes are atomic (temp file + ``os.replace``)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def get(self, key: str) -> CachedAnswer | None:
        path = self.folder / f"{key}.json"
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return CachedAnswer(
                content=str(data["content"]),
                model=str(data.get("model", "")),
                prompt_tokens=int(data.get("prompt_tokens", 0)),
                completion_tokens=int(data.get("completion_tokens", 0)),
            )
        except (OSError, ValueError, KeyError, TypeError):
            return None  # a damaged entry is a miss; the next answer overwrites it

    def put(self, key: str, answer: CachedAnswer) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        data = {
            "content": answer.content,
            "model": answer.model,
            "prompt_tokens": answer.prompt_tokens,
            "completion_tokens": answer.completion_tokens,
        }
        fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=f".{key[:12]}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(data, f, ensure_ascii=False)
            os.replace(tmp, self.folder / f"{key}.json")
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


class UsageLog:
    """Appends one JSON line per LLM call to ``llm-usage.jsonl``."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()

    def record(
        self,
        *,
        stage: str,
        model: str,
        prompt_tokens: int,
        completion_tokens: int,
        usd: float,
        cached: bool,
    ) -> None:
        line = {
            "stage": stage[:_MAX_FIELD],
            "model": model[:_MAX_FIELD],
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "usd": round(usd, 8),
            "cached": cached,
        }
        with self._lock:
            append_jsonl(self.path, line)

    def __getstate__(self) -> dict[str, Any]:
        return {"path": self.path}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.path = state["path"]
        self._lock = threading.Lock()


def _empty_totals() -> dict[str, Any]:
    return {"calls": 0, "cached_calls": 0, "prompt_tokens": 0, "completion_tokens": 0, "usd": 0.0}


def usage_summary(state_dir: Path) -> dict[str, Any]:
    """Totals of ``<state_dir>/llm-usage.jsonl``, overall and per stage.

    >>> usage_summary(Path("/nonexistent"))["calls"]
    0

    Returns ``{"calls", "cached_calls", "prompt_tokens", "completion_tokens", "usd",
    "by_stage": {stage: {same keys}}}``. A torn or foreign line is skipped, not fatal.
    """
    total = _empty_totals()
    by_stage: dict[str, dict[str, Any]] = {}
    path = Path(state_dir) / USAGE_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = ""
    for raw in text.splitlines():
        try:
            entry = json.loads(raw)
            stage = str(entry["stage"])
            row = (
                int(entry["prompt_tokens"]),
                int(entry["completion_tokens"]),
                float(entry["usd"]),
                bool(entry["cached"]),
            )
        except (ValueError, KeyError, TypeError):
            continue
        for totals in (total, by_stage.setdefault(stage, _empty_totals())):
            totals["calls"] += 1
            totals["cached_calls"] += int(row[3])
            totals["prompt_tokens"] += row[0]
            totals["completion_tokens"] += row[1]
            totals["usd"] += row[2]
    total["usd"] = round(total["usd"], 8)
    for totals in by_stage.values():
        totals["usd"] = round(totals["usd"], 8)
    total["by_stage"] = by_stage
    return total
