"""What a stage tells the CLI it did: its own fields, then what the runner ran and skipped."""

from __future__ import annotations

from dataclasses import fields, is_dataclass

from cliffhanger.pipeline.runner import RunReport


class StageSummary:
    """A base for a stage's summary dataclass (which must have a ``report`` field):
    ``as_json`` gives every other field in order (floats to the millisecond), then the
    tasks that ran and the ones that were fresh."""

    report: RunReport

    def as_json(self) -> dict[str, object]:
        assert is_dataclass(self)
        out: dict[str, object] = {}
        for f in fields(self):
            if f.name != "report":
                value = getattr(self, f.name)
                out[f.name] = round(value, 3) if isinstance(value, float) else value
        out["ran"] = self.report.ran
        out["skipped"] = self.report.skipped
        out["task_seconds"] = self.report.seconds
        return out
