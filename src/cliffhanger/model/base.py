"""The base of every YAML-backed domain value: frozen, strict about unknown keys."""

from __future__ import annotations

from typing import Any, Self

from pydantic import BaseModel, ConfigDict


class Frozen(BaseModel):
    """A frozen pydantic model; change it with ``with_(field=value)`` which returns a copy."""

    model_config = ConfigDict(frozen=True, extra="forbid", validate_default=True)

    def with_(self, **changes: Any) -> Self:
        # model_copy(update=) skips validation; re-validate so a copy is as sound as a parse.
        return type(self).model_validate({**self.model_dump(), **changes})
