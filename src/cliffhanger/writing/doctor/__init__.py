"""The script doctor: a linter for a whole series of scripts.

    report = lint(bible, outline, [(script, "scripts/ep001.fountain"), ...], settings.doctor,
                  settings.writing.words_per_minute)
    print(report.to_text())        # scripts/ep001.fountain:12: error [hook-late] episode 1, ...
    report.ok                      # False when any finding is an error

Rules are small functions listed in :data:`RULES`; their codes, severities and advice are in
:data:`CODES`. Time is estimated by :mod:`cliffhanger.writing.timing`.
"""

from __future__ import annotations

from cliffhanger.writing.doctor.context import Episode, Rule, Series, SpeakerIndex, each_episode
from cliffhanger.writing.doctor.findings import CODES, Code, Finding, Severity
from cliffhanger.writing.doctor.lint import RULES, lint
from cliffhanger.writing.doctor.report import Report
from cliffhanger.writing.doctor.secrets import names_secret, secret_phrases

__all__ = [
    "CODES",
    "RULES",
    "Code",
    "Episode",
    "Finding",
    "Report",
    "Rule",
    "Series",
    "Severity",
    "SpeakerIndex",
    "each_episode",
    "lint",
    "names_secret",
    "secret_phrases",
]
