"""Emphasis inside a Fountain text: ``*italic*``, ``**bold**``, ``***both***``, ``_underline_``.

Texts keep their markers as written; this module reads them into styled runs::

    parse_emphasis("a **big** _deal_") == (
        Run("a "), Run("big", bold=True), Run(" "), Run("deal", underline=True)
    )

As in Markdown, a marker opens only before a non-space and closes only after one, so
``He dialed *69 and hung up`` has no italics; ``_`` does not act inside a word
(``snake_case``); ``\\*`` and ``\\_`` are literal. Emphasis never spans a line break.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Run:
    """A stretch of text in one style."""

    text: str
    bold: bool = False
    italic: bool = False
    underline: bool = False


@dataclass(slots=True)
class _Token:
    text: str
    delim: str = ""  # "*" or "_" for a run of markers, "" for literal text
    can_open: bool = False
    can_close: bool = False
    remaining: int = 0  # markers of the run not yet matched; they print as text
    opens: tuple[int, int, int] = (0, 0, 0)  # (bold, italic, underline) switched on after it
    closes: tuple[int, int, int] = (0, 0, 0)  # ... and switched off before it


_ESCAPABLE = "*_\\"
_STYLE = {"*": (0, 1, 0), "**": (1, 0, 0), "***": (1, 1, 0), "_": (0, 0, 1)}


def parse_emphasis(text: str) -> tuple[Run, ...]:
    """Split ``text`` into runs of uniform style, markers and escapes removed."""
    runs: list[Run] = []
    for number, line in enumerate(text.split("\n")):
        if number:
            _append(runs, Run("\n"))
        for run in _line_runs(line):
            _append(runs, run)
    return tuple(runs)


def plain_text(text: str) -> str:
    """``text`` without emphasis markers or escapes: what a reader hears."""
    return "".join(run.text for run in parse_emphasis(text))


def _append(runs: list[Run], run: Run) -> None:
    if not run.text:
        return
    last = runs[-1] if runs else None
    if last and (last.bold, last.italic, last.underline) == (run.bold, run.italic, run.underline):
        runs[-1] = Run(last.text + run.text, run.bold, run.italic, run.underline)
    else:
        runs.append(run)


def _line_runs(line: str) -> list[Run]:
    tokens = _tokens(line)
    _match(tokens)
    runs: list[Run] = []
    style = (0, 0, 0)
    for token in tokens:
        if not token.delim:
            _append(runs, _run(token.text, style))
            continue
        style = _add(style, token.closes, -1)
        _append(runs, _run(token.delim * token.remaining, style))
        style = _add(style, token.opens, 1)
    return runs


def _run(text: str, style: tuple[int, int, int]) -> Run:
    return Run(text, style[0] > 0, style[1] > 0, style[2] > 0)


def _add(a: tuple[int, int, int], b: tuple[int, int, int], sign: int) -> tuple[int, int, int]:
    return (a[0] + sign * b[0], a[1] + sign * b[1], a[2] + sign * b[2])


def _tokens(line: str) -> list[_Token]:
    tokens: list[_Token] = []
    literal: list[str] = []
    i, n = 0, len(line)
    while i < n:
        char = line[i]
        if char == "\\" and i + 1 < n and line[i + 1] in _ESCAPABLE:
            literal.append(line[i + 1])
            i += 2
            continue
        if char not in "*_":
            literal.append(char)
            i += 1
            continue
        end = i
        while end < n and line[end] == char:
            end += 1
        run = line[i:end]
        if run not in _STYLE:
            literal.append(run)  # "****" or "__": no meaning of its own
            i = end
            continue
        if literal:
            tokens.append(_Token("".join(literal)))
            literal = []
        before = line[i - 1] if i else " "
        after = line[end] if end < n else " "
        can_open, can_close = not after.isspace(), not before.isspace()
        if char == "_":  # intraword underscores are text, as in Markdown
            can_open = can_open and not before.isalnum()
            can_close = can_close and not after.isalnum()
        tokens.append(_Token(run, char, can_open, can_close, len(run)))
        i = end
    if literal:
        tokens.append(_Token("".join(literal)))
    return tokens


def _match(tokens: list[_Token]) -> None:
    """Pair closing runs with the nearest open run of the same marker, as in CommonMark.

    A run may be used in part: ``***a** b*`` is bold-italic ``a`` then italic `` b``.
    """
    openers: list[int] = []
    for index, token in enumerate(tokens):
        if not token.delim:
            continue
        if token.can_close:
            while token.remaining and (k := _last(tokens, openers, token.delim)) >= 0:
                opener = tokens[openers[k]]
                used = min(opener.remaining, token.remaining)
                style = _STYLE[token.delim * used]
                opener.opens = _add(opener.opens, style, 1)
                token.closes = _add(token.closes, style, 1)
                opener.remaining -= used
                token.remaining -= used
                del openers[k + 1 :]  # runs opened inside and never closed stay text
                if not opener.remaining:
                    del openers[k]
        if token.remaining and token.can_open:
            openers.append(index)


def _last(tokens: list[_Token], openers: list[int], delim: str) -> int:
    """Position in ``openers`` of the innermost run of ``delim``, or -1."""
    for k in range(len(openers) - 1, -1, -1):
        if tokens[openers[k]].delim == delim:
            return k
    return -1
