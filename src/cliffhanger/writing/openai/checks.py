"""Turn a model's JSON into our domain values, or into errors the model can act on.

Each ``accept_*`` function parses, validates and normalizes one answer. What is mechanical
(episode numbers, the paywall flag, a name where an id belongs) is fixed here; what needs the
model's judgement (an unknown place, a missing cliffhanger, a secret out too early) raises
:class:`Rejected` with messages written to be sent back to the model.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from typing import Any, TypeVar

from pydantic import ValidationError

from cliffhanger.model import BeatKind, Bible, EpisodeOutline, Line, Role, Script
from cliffhanger.model.bible import slugify
from cliffhanger.writing.base import SeriesRequest
from cliffhanger.writing.openai.schemas import OutlineChunk, ScriptDraft

_MAX_ERRORS = 15


class Rejected(Exception):
    """An answer we cannot use; ``errors`` are phrased for the model."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = errors[:_MAX_ERRORS]
        super().__init__("; ".join(self.errors))


def describe(error: ValidationError) -> list[str]:
    """Pydantic errors as ``path: message (got value)`` lines."""
    out = []
    for e in error.errors():
        where = ".".join(str(p) for p in e["loc"]) or "(top level)"
        got = json.dumps(e.get("input"), ensure_ascii=False, default=str)
        got = got if len(got) <= 60 else got[:59] + "…"
        out.append(f"{where}: {e['msg']} (got {got})")
    return out


_FENCE = re.compile(r"^```[a-zA-Z]*\s*\n(.*?)\n?```$", re.DOTALL)


def parse_json(text: str, name: str) -> dict[str, Any]:
    """The JSON object in ``text``, forgiving a markdown fence, chatter, or a wrapper key."""
    s = text.strip()
    if m := _FENCE.match(s):
        s = m.group(1).strip()
    try:
        value = json.loads(s)
    except json.JSONDecodeError as e:
        start, end = s.find("{"), s.rfind("}")
        try:
            value = json.loads(s[start : end + 1]) if 0 <= start < end else None
        except json.JSONDecodeError:
            value = None
        if value is None:
            where = f"line {e.lineno} column {e.colno}"
            raise Rejected([f"not valid JSON: {e.msg} at {where}"]) from None
    if not isinstance(value, dict):
        raise Rejected([f"expected one JSON object (the {name}), got {type(value).__name__}"])
    if len(value) == 1 and isinstance(wrapped := value.get(name), dict):
        return wrapped
    return value


M = TypeVar("M", Bible, OutlineChunk, ScriptDraft)


def _validate(model: type[M], data: dict[str, Any]) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as e:
        raise Rejected(describe(e)) from None


def accept_bible(data: dict[str, Any], request: SeriesRequest) -> Bible:
    """The bible, with the request's facts (premise, counts, paywall) taking precedence."""
    paywall = min(request.paywall_episode, request.episodes)
    bible = _validate(
        Bible,
        {
            **data,
            "premise": request.premise,
            "language": request.language,
            "episodes": request.episodes,
            "seconds": request.seconds,
            "paywall_episode": paywall,
        },
    )
    errors = []
    if not any(c.role is Role.LEAD for c in bible.characters):
        errors.append('no character has role "lead"; exactly one must')
    if not bible.locations:
        errors.append("locations is empty; give 2-5 recurring locations")
    for s in bible.secrets:
        if s.revealed_in > request.episodes:
            errors.append(
                f"secret '{s.id}' is revealed_in {s.revealed_in}, after the last episode "
                f"({request.episodes})"
            )
    for t in bible.arc:
        if t.episode > request.episodes:
            errors.append(f"arc twist on episode {t.episode} is past the last ({request.episodes})")
    on_paywall = [i for i, t in enumerate(bible.arc) if t.episode == paywall]
    if not on_paywall:
        errors.append(f'arc has no twist on the paywall episode {paywall} ("paywall": true)')
    if errors:
        raise Rejected(errors)
    flagged = [i for i in on_paywall if bible.arc[i].paywall] or on_paywall[:1]
    arc = tuple(t.with_(paywall=i in flagged) for i, t in enumerate(bible.arc))
    return bible.with_(arc=arc)


class _Names:
    """Resolves what a model wrote (an id, a name, a near-slug) to a bible id."""

    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        self.ids = [ident for ident, _ in pairs]
        self._map: dict[str, str] = {}
        for ident, name in pairs:
            for alias in (name.lower(), slugify(name), ident):
                self._map.setdefault(alias, ident)

    def __call__(self, text: str) -> str | None:
        t = text.strip()
        return self._map.get(t) or self._map.get(t.lower()) or self._map.get(slugify(t))

    def known(self) -> str:
        return ", ".join(self.ids)

    def each(self, names: tuple[str, ...], where: str, errors: list[str]) -> tuple[str, ...]:
        """Every name resolved (once each, in order); an error for each unknown one."""
        out = []
        for name in names:
            if (ident := self(name)) is None:
                errors.append(f"{where} names '{name}', not a bible id (use: {self.known()})")
            else:
                out.append(ident)
        return tuple(dict.fromkeys(out))


def accept_outline_chunk(
    data: dict[str, Any], bible: Bible, first: int, last: int
) -> list[EpisodeOutline]:
    """Episodes ``first..last``, numbered, flagged and checked against the bible."""
    chunk = _validate(OutlineChunk, data)
    want = last - first + 1
    if len(chunk.episodes) != want:
        got = [e.number for e in chunk.episodes]
        raise Rejected([f"expected {want} episodes numbered {first} to {last}, got {got}"])
    who = _Names([(c.id, c.name) for c in bible.characters])
    where = _Names([(loc.id, loc.name) for loc in bible.locations])
    secrets = {s.id: s for s in bible.secrets}
    errors: list[str] = []
    episodes = []
    for number, ep in enumerate(chunk.episodes, start=first):
        at = f"episode {number}"
        beats = []
        for k, beat in enumerate(ep.beats, start=1):
            here = f"{at}, beat {k}"
            location = where(beat.location)
            if location is None:
                errors.append(
                    f"{here}: location '{beat.location}' is not a bible location id "
                    f"(use one of: {where.known()})"
                )
            fixed: dict[str, Any] = {"location": location or beat.location}
            for field in ("characters", "learned_by", "departs", "returns"):
                fixed[field] = who.each(getattr(beat, field), f"{here}: {field}", errors)
            if beat.reveals is not None:
                secret = secrets.get(beat.reveals) or secrets.get(slugify(beat.reveals))
                if secret is None:
                    errors.append(
                        f"{here}: reveals '{beat.reveals}', not a bible secret id "
                        f"(use one of: {', '.join(secrets) or 'none'}, or null)"
                    )
                elif number < secret.revealed_in:
                    errors.append(
                        f"{here}: reveals secret '{secret.id}' but the bible reveals it in "
                        f"episode {secret.revealed_in}; move the reveal or hint at it instead"
                    )
                else:
                    fixed["reveals"] = secret.id
            beats.append(beat.with_(**fixed))
        if ep.beats[-1].kind is not BeatKind.CLIFFHANGER:
            errors.append(f'{at}: the last beat must have kind "cliffhanger"')
        if not errors:
            episodes.append(
                ep.with_(
                    number=number,
                    seconds=bible.seconds,
                    paywall=number == bible.paywall_episode,
                    beats=tuple(beats),
                )
            )
    if errors:
        raise Rejected(errors)
    return episodes


_EXTENSION = re.compile(r"^(.*?)\s*\((V\.O\.|O\.S\.|O\.C\.|CONT'D)\)$", re.IGNORECASE)


def accept_script(data: dict[str, Any], bible: Bible, episode: EpisodeOutline) -> Script:
    """The screenplay, with speakers as bible cues and scenes on bible locations."""
    script = _validate(ScriptDraft, data).to_script()
    who = _Names([(c.id, c.name) for c in bible.characters])
    where = _Names([(loc.id, loc.name) for loc in bible.locations])
    errors: list[str] = []
    scenes = []
    for n, scene in enumerate(script.scenes, start=1):
        location_id = where(scene.location)
        if location_id is None:
            errors.append(
                f"scene {n}: location '{scene.location}' is not a bible location id "
                f"(use one of: {where.known()})"
            )
            continue
        heading = scene.heading.strip()
        if not heading.upper().startswith(("INT", "EXT", "I/E")):
            heading = bible.location(location_id).heading
        elements = []
        for e in scene.elements:
            if isinstance(e, Line):
                line = _line(e, bible, who)
                if line is None:
                    errors.append(
                        f"scene {n}: speaker '{e.speaker}' is not a bible character "
                        f"(use one of: {', '.join(c.name for c in bible.characters)})"
                    )
                    continue
                e = line  # noqa: PLW2901 - the element, normalized
            elements.append(e)
        scenes.append(
            replace(scene, heading=heading, location=location_id, elements=tuple(elements))
        )
    if not errors and not any(s.lines for s in scenes):
        errors.append("the script has no spoken lines")
    if errors:
        raise Rejected(errors)
    return Script(episode=episode.number, title=script.title or episode.title, scenes=tuple(scenes))


def _line(line: Line, bible: Bible, who: _Names) -> Line | None:
    speaker, extension = line.speaker.strip(), line.extension
    if m := _EXTENSION.match(speaker):
        speaker, extension = m.group(1), extension or m.group(2).upper()
    ident = who(speaker)
    if ident is None:
        return None
    parenthetical = (line.parenthetical or "").strip().strip("()").strip() or None
    text = line.text.strip()
    return line.with_(
        speaker=bible.character(ident).cue,
        text=text,
        parenthetical=parenthetical,
        extension=(extension or "").strip().strip("()").upper() or None,
    )
