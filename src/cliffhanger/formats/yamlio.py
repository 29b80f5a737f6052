"""Readable YAML for the bible and the outline, and validation errors that name the line.

Our files are written with keys in model order, Unicode kept, long text folded sensibly.
Reading validates against the model; an error names the file, the line of the offending
value and the field path (``characters[2].appearance.age``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from cliffhanger.errors import ModelFileError

M = TypeVar("M", bound=BaseModel)


# libyaml's C emitter and parser are ~7x faster than the pure-Python ones on a 60-episode
# outline; fall back where PyYAML was built without it.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_SafeDumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _Dumper(_SafeDumper):  # type: ignore[misc, valid-type]
    pass


def _str(dumper: _Dumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    node: yaml.ScalarNode = dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)
    return node


_Dumper.add_representer(str, _str)


def dump_model(model: BaseModel) -> str:
    data = model.model_dump(mode="json")
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


def load_model(cls: type[M], path: Path) -> M:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ModelFileError(
            "file is missing; run `cliffhanger write` to make it", path=path
        ) from None
    try:
        data = yaml.load(text, Loader=_SafeLoader)  # a safe loader, C or Python
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise ModelFileError(
            f"not valid YAML: {getattr(e, 'problem', e)}", path=path, line=line
        ) from e
    try:
        return cls.model_validate(data)
    except ValidationError as e:
        err = e.errors()[0]
        loc = err["loc"]
        field = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".")
        more = f" (and {len(e.errors()) - 1} more)" if len(e.errors()) > 1 else ""
        raise ModelFileError(
            f"{field or 'document'}: {err['msg']}{more}", path=path, line=_line_of(text, loc)
        ) from e


def _line_of(text: str, loc: tuple[int | str, ...]) -> int | None:
    """The 1-based line of the node at ``loc`` (or its deepest existing parent)."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return None
    if node is None:
        return None
    for part in loc:
        child = None
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                if k.value == str(part):
                    child = v
                    break
        elif (
            isinstance(node, yaml.SequenceNode)
            and isinstance(part, int)
            and 0 <= part < len(node.value)
        ):
            child = node.value[part]
        if child is None:
            break
        node = child
    return int(node.start_mark.line) + 1
