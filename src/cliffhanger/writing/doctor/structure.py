"""Rules on an episode's shape: the hook, the jolts, the cliffhanger, and the series' numbering."""

from __future__ import annotations

import re
from collections.abc import Iterator

from cliffhanger.model import BeatKind
from cliffhanger.model.script import Action, BeatMarker, Line, Transition
from cliffhanger.writing.doctor.context import Episode, Series, beat_kind, each_episode, marker_kind
from cliffhanger.writing.doctor.findings import Finding

#: Final lines that close a story rather than open a question. Only these count as a
#: resolved ending, and only when said calmly or warmly and ended with a full stop: an
#: episode may well end on "I'm pregnant." said softly, and that is a cliffhanger.
CLOSURE_PHRASES = (
    "it's over",
    "it is over",
    "we're safe",
    "we are safe",
    "you're safe now",
    "you are safe now",
    "everything will be fine",
    "everything will be okay",
    "everything is going to be okay",
    "everything's going to be okay",
    "happily ever after",
    "good night",
    "goodnight",
    "i love you too",
    "we did it",
    "thank you for everything",
    "all is forgiven",
    "let's go home",
)
_CALM = {"neutral", "happy", "tender"}


@each_episode
def hook(series: Series, ep: Episode) -> Iterator[Finding]:
    """hook-missing, hook-late, hook-slow."""
    markers = ep.markers
    hooks = [t for t in markers if beat_kind(t.element) is BeatKind.HOOK]
    if not hooks:
        if markers:
            first = marker_kind(markers[0].element)
            message = f"the episode has no hook beat; its first beat is '{first}'"
            yield ep.at("hook-missing", message, markers[0])
        else:
            first_element = ep.timed[0] if ep.timed else None
            yield ep.at("hook-missing", "the episode has no beats at all", first_element)
    elif markers[0] is not hooks[0]:
        yield ep.at(
            "hook-missing",
            f"the first beat is '{marker_kind(markers[0].element)}', not the hook",
            markers[0],
        )
    else:
        opening = hooks[0]
        index = next(i for i, t in enumerate(ep.timed) if t is opening)
        body = []
        for t in ep.timed[index + 1 :]:
            if isinstance(t.element, BeatMarker):
                break
            if isinstance(t.element, Line | Action):
                body.append(t)
        if not body:
            yield ep.at("hook-missing", "the hook beat has no action or line", opening)
        elif body[0].start > series.settings.hook_seconds:
            yield ep.at(
                "hook-late",
                f"the hook starts playing at {body[0].start:.1f} s; it must start within "
                f"{series.settings.hook_seconds:g} s",
                body[0],
            )
    spoken = ep.spoken
    done_by = series.settings.hook_done_seconds
    if spoken and spoken[0][0].start > done_by:
        yield ep.at(
            "hook-slow",
            f"the first spoken line comes at {spoken[0][0].start:.1f} s; the hook should be "
            f"done by {done_by:g} s",
            spoken[0][0],
        )


@each_episode
def cliffhanger(series: Series, ep: Episode) -> Iterator[Finding]:
    """cliffhanger-missing and cliffhanger-resolved."""
    markers = ep.markers
    if not markers:
        last_scene = len(ep.script.scenes) - 1
        if last_scene >= 0:
            yield ep.at_scene("cliffhanger-missing", "the episode has no beats", last_scene)
        else:
            yield ep.at("cliffhanger-missing", "the episode has no beats")
    elif beat_kind(markers[-1].element) is not BeatKind.CLIFFHANGER:
        kind = marker_kind(markers[-1].element)
        yield ep.at(
            "cliffhanger-missing", f"the last beat is '{kind}', not a cliffhanger", markers[-1]
        )
    content = [t for t in ep.timed if isinstance(t.element, Line | Action | Transition)]
    if content and isinstance(content[-1].element, Line):
        line = content[-1].element
        text = line.text.strip()
        plain = f" {_plain(text)} "
        closes = any(f" {p} " in plain for p in CLOSURE_PHRASES)
        if closes and line.emotion in _CALM and text.endswith(".") and not text.endswith(".."):
            yield ep.at(
                "cliffhanger-resolved",
                f'the episode ends on a closing line ("{text}"); nothing is left open',
                content[-1],
            )


def cliffhanger_repeat(series: Series) -> Iterator[Finding]:
    """cliffhanger-repeat: consecutive outline episodes end on the same cliffhanger kind."""
    if series.outline is None:
        return
    previous: str | None = None
    for plan in series.outline.episodes:
        beat = plan.cliffhanger
        kind = (beat.cliffhanger_kind or "").strip().lower() if beat is not None else ""
        if kind and kind == previous:
            message = f"ends on a '{kind}' cliffhanger like episode {plan.number - 1} before it"
            ep = series.episode(plan.number)
            closing = ep.markers[-1] if ep is not None and ep.markers else None
            if ep is not None and closing is not None:
                yield ep.at("cliffhanger-repeat", message, closing)
            else:
                yield series.in_outline("cliffhanger-repeat", message, plan.number)
        previous = kind or None


@each_episode
def jolts(series: Series, ep: Episode) -> Iterator[Finding]:
    """jolts-few: one jolt beat per ``jolt_every_seconds`` (45 s) of target length, at least one."""
    every = series.settings.jolt_every_seconds
    need = max(1, int(ep.target_seconds // every))
    found = [t for t in ep.markers if (k := beat_kind(t.element)) is not None and k.is_jolt]
    if len(found) < need:
        yield ep.at(
            "jolts-few",
            f"{len(found)} jolt beat(s) in a {ep.target_seconds} s episode; it needs at "
            f"least {need} (one per {every:g} s)",
        )


@each_episode
def scene_headings(series: Series, ep: Episode) -> Iterator[Finding]:
    """scene-no-heading."""
    for index, scene in enumerate(ep.script.scenes):
        if not scene.heading.strip():
            yield ep.at_scene("scene-no-heading", "the scene has no heading", index)


@each_episode
def empty(series: Series, ep: Episode) -> Iterator[Finding]:
    """empty-episode: a script without a single spoken line."""
    if not ep.spoken:
        yield ep.at("empty-episode", "the script has no spoken lines")


def numbering(series: Series) -> Iterator[Finding]:
    """episode-gap: script numbers that skip or repeat."""
    seen: dict[int, Episode] = {}
    previous: Episode | None = None
    for ep in series.episodes:
        if ep.number in seen:
            other = seen[ep.number]
            yield ep.at(
                "episode-gap",
                f"episode {ep.number} appears twice (also in {other.file or 'another script'})",
            )
            continue
        if previous is not None and ep.number > previous.number + 1:
            missing = range(previous.number + 1, ep.number)
            listed = str(missing[0]) if len(missing) == 1 else f"{missing[0]}-{missing[-1]}"
            yield ep.at(
                "episode-gap",
                f"episode(s) {listed} missing between episode {previous.number} and this one",
            )
        seen[ep.number] = ep
        previous = ep


def _plain(text: str) -> str:
    return " ".join(re.sub(r"[^\w' ]+", " ", text.lower().replace("’", "'")).split())
