"""Every error Cliffhanger raises on purpose.

The tree::

    CliffhangerError                 anything the user can act on; the CLI prints it, exit 1
    ├── UsageError                   a bad command-line value (exit 2)
    ├── ProjectError                 no project here, or a broken cliffhanger.toml
    ├── SourceError                  a user-editable file is wrong; names file, line, field
    │   ├── FountainError            a screenplay line that cannot be placed
    │   ├── ModelFileError           bible.yaml / outline.yaml fails validation
    │   └── AssetError               a picture the user supplied (looks/...) is missing or unusable
    ├── PremiseError                 an empty or unusable premise
    ├── HandEditError                regenerating would overwrite a hand edit (use --force)
    ├── StageError                   a pipeline stage failed; names the stage and artifact
    └── ProviderError                an external engine failed (LLM, TTS, ...)
        ├── ProviderNotFound         a name missing from a registry; lists the known ones
        └── InvalidProviderOutput    an engine answered, but not with what we asked for

Messages say what was wrong, where, and what to do. Every error survives pickling with its
fields (``__reduce__``), because tasks raise them in worker processes.
"""

from __future__ import annotations

from pathlib import Path


class CliffhangerError(Exception):
    """Base for errors meant for the user; ``exit_code`` is what the CLI returns."""

    exit_code = 1


class UsageError(CliffhangerError):
    exit_code = 2


class ProjectError(CliffhangerError):
    pass


class SourceError(CliffhangerError):
    """A problem in a file the user edits; carries the place so tools can point at it."""

    def __init__(self, message: str, path: Path | str | None = None, line: int | None = None):
        self.path = Path(path) if path is not None else None
        self.line = line
        where = ""
        if self.path is not None:
            where = str(self.path) + (f":{line}" if line else "") + ": "
        super().__init__(where + message)
        self.message = message

    def __reduce__(self) -> tuple[type[SourceError], tuple[str, Path | None, int | None]]:
        return (type(self), (self.message, self.path, self.line))


class FountainError(SourceError):
    pass


class ModelFileError(SourceError):
    pass


class AssetError(SourceError):
    """A user's picture cannot be used; ``path`` is the file (or the folder searched)."""


class PremiseError(CliffhangerError):
    pass


class HandEditError(CliffhangerError):
    def __init__(self, paths: list[Path]):
        self.paths = paths
        listed = ", ".join(str(p) for p in paths)
        super().__init__(
            f"refusing to overwrite hand-edited file(s) whose upstream changed: {listed}. "
            "Pass --keep-edits to keep them as they are, or --force to regenerate them "
            "(the edited versions are kept as NAME.N.bak)."
        )

    def __reduce__(self) -> tuple[type[HandEditError], tuple[list[Path]]]:
        return (type(self), (self.paths,))


class StageError(CliffhangerError):
    def __init__(self, stage: str, artifact: str, cause: BaseException | str):
        self.stage = stage
        self.artifact = artifact
        self.cause = str(cause)
        super().__init__(f"stage '{stage}' failed on {artifact}: {cause}")

    def __reduce__(self) -> tuple[type[StageError], tuple[str, str, str]]:
        return (type(self), (self.stage, self.artifact, self.cause))


class ProviderError(CliffhangerError):
    pass


class ProviderNotFound(ProviderError):
    def __init__(self, kind: str, name: str, known: list[str]):
        self.kind, self.name, self.known = kind, name, known
        super().__init__(
            f"unknown {kind} provider '{name}'; known: {', '.join(sorted(known)) or 'none'}"
        )

    def __reduce__(self) -> tuple[type[ProviderNotFound], tuple[str, str, list[str]]]:
        return (type(self), (self.kind, self.name, self.known))


class InvalidProviderOutput(ProviderError):
    pass
