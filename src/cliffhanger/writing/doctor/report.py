"""A doctor's report: the findings of one lint run, sorted, counted and rendered."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, cast

from cliffhanger.writing.doctor.findings import SEVERITIES, Finding, Severity


@dataclass(frozen=True, slots=True)
class Report:
    """Findings in a stable order: by episode, scene, line, severity, code, file, message."""

    findings: tuple[Finding, ...] = ()

    @classmethod
    def of(cls, findings: Iterable[Finding]) -> Report:
        return cls(tuple(sorted(set(findings), key=Finding.sort_key)))

    @property
    def counts(self) -> dict[Severity, int]:
        return {s: sum(1 for f in self.findings if f.severity == s) for s in SEVERITIES}

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == "error")

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == "warning")

    @property
    def ok(self) -> bool:
        """True when there is no error (warnings and notes do not block the pipeline)."""
        return not self.errors

    @property
    def codes(self) -> list[str]:
        """The code of every finding, in report order."""
        return [f.code for f in self.findings]

    def to_json(self) -> str:
        """A stable JSON document: same findings, same bytes."""
        doc = {
            "ok": self.ok,
            "counts": self.counts,
            "findings": [f.to_dict() for f in self.findings],
        }
        return json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Report:
        doc = json.loads(text)
        findings = []
        for item in cast(list[dict[str, Any]], doc["findings"]):
            findings.append(
                Finding(
                    severity=item["severity"],
                    code=item["code"],
                    message=item["message"],
                    episode=item["episode"],
                    scene=item["scene"],
                    line=item["line"],
                    file=item["file"],
                )
            )
        return cls.of(findings)

    def summary(self) -> str:
        c = self.counts
        return (
            f"{_plural(c['error'], 'error')}, {_plural(c['warning'], 'warning')}, "
            f"{_plural(c['info'], 'note')}"
        )

    def to_text(self) -> str:
        """One line per finding, compiler style, then a summary line."""
        lines = [f.to_text() for f in self.findings]
        lines.append(self.summary())
        return "\n".join(lines)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"
