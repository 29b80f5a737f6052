"""Script + voiced timings → shots: the editor's decisions, made from the beat.

The rules a micro-drama editor follows, in order of precedence:

* a scene opens on an establishing wide (a slow pan over the set) while its action plays;
* a line is shot on its speaker: a medium by default, a close-up when the line is charged
  (anger, tears, a reveal, a reversal), an extreme close-up with a shake on a shock;
* a long line cuts away to the listener's reaction for its last third, and a jolt (a
  reveal, a slap, a betrayal) is followed by the listener's face;
* moves alternate so consecutive shots never repeat (push-in, pan, static), a reversal
  lands with a zoom punch and a flash, a "SMASH CUT" whips;
* the episode ends on a freeze of the cliffhanger, then an end card for the next episode;
  episode 1 carries the title over its opening shot (the hook still plays underneath).

Everything is a pure function of its inputs (no randomness beyond the series seed).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from cliffhanger.model.bible import Bible
from cliffhanger.model.script import Action, BeatMarker, Line, Scene, Script, Transition
from cliffhanger.render.base import Figure, Framing, Move, Shot, TransitionIn
from cliffhanger.voice.timeline import place
from cliffhanger.writing.timing import Timed

CHARGED = frozenset(
    {"angry", "crying", "sad", "shouting", "desperate", "hurt", "fearful", "pleading", "cold"}
)
SHOCKED = frozenset({"shocked"})
JOLT_BEATS = frozenset({"reveal", "reversal", "betrayal", "face_slap", "humiliation", "threat"})
ESTABLISH_S = 1.2  # the wide a scene opens on, when it opens straight into a line
REACTION_MIN_LINE_S = 3.6  # a line this long cuts to the listener for its end
REACTION_SHARE = 0.34
MIN_SHOT_S = 0.5
EPS = 1e-6  # slack for comparing frame-aligned times
FREEZE_S = 1.2  # the cliffhanger holds this long (the stinger rings over it)
END_CARD_S = 2.2
TITLE_S = 2.6  # episode 1's title sits over its opening this long
ACTION_EXPRESSIONS = (
    (re.compile(r"\b(slap\w*|slam\w*|shov\w*|punch\w*|glar\w*|storm\w*)\b", re.I), "angry"),
    (re.compile(r"\b(gasp\w*|freez\w*|stun\w*|froze|drops?|dropped)\b", re.I), "shocked"),
    (re.compile(r"\b(tears?|cr(y|ies|ying)|sob\w*|weep\w*)\b", re.I), "crying"),
    (re.compile(r"\b(smil\w*|smirk\w*|laugh\w*|grin\w*|toast\w*)\b", re.I), "smug"),
)
_SMASH = re.compile(r"\b(smash|whip|match)\b", re.I)


@dataclass(frozen=True)
class Board:
    """An episode's shots and running time (``seconds`` covers the freeze and end card)."""

    episode: int
    seconds: float
    audio_seconds: float
    shots: tuple[Shot, ...]
    title: str = ""  # shown over the opening (episode 1)
    title_s: float = 0.0


@dataclass(frozen=True)
class _Voiced:
    """A spoken line as the voice stage timed it."""

    index: int
    speaker: str
    start: float
    end: float
    emotion: str
    mouth: tuple[tuple[float, str], ...]


def storyboard(
    script: Script,
    bible: Bible,
    voiced: Mapping[str, object],
    *,
    next_title: str | None = None,
    words_per_minute: float = 140.0,
    fps: int = 30,
) -> Board:
    """The shots for ``script`` given its ``lines.json`` (``voiced``). ``next_title`` is
    the next episode's title for the end card (None: the season finale)."""
    records = voiced.get("lines")
    assert isinstance(records, list)
    lines = [_voiced(r, fps) for r in records]
    audio_seconds = float(str(voiced.get("seconds", 0.0)))
    # The voice stage's own timeline, from the audio's true lengths (not the frame-rounded
    # ends), so action and the tail fall exactly where the mix has them.
    spoken = {int(r["index"]): float(r["end"]) - float(r["start"]) for r in records}
    timed = place(script, spoken, words_per_minute)
    names = _name_index(bible)
    shots: list[Shot] = []
    line_no = 0
    beat = ""
    for scene_index, scene in enumerate(script.scenes):
        elements = [t for t in timed if t.scene_index == scene_index]
        if not elements:
            continue
        cast = _scene_cast(scene.elements, names)
        layout = _layout(cast)
        where = _Where(scene, scene_index, layout)
        scene_start = elements[0].start if not shots else shots[-1].end
        cursor = scene_start
        transition: TransitionIn = "cut"
        pending_action: list[Timed] = []
        expressions: dict[str, str] = dict.fromkeys(cast, "neutral")
        for t in elements:
            el = t.element
            if isinstance(el, BeatMarker):
                beat = el.kind
                if beat in {"reversal", "reveal"} and shots:
                    transition = "flash"
                continue
            if isinstance(el, Transition):
                transition = "whip" if _SMASH.search(el.text) else transition
                pending_action.append(t)
                continue
            if isinstance(el, Action):
                pending_action.append(t)
                for who in _named(el.text, names):
                    if who in expressions:
                        expressions[who] = _action_expression(el.text, expressions[who])
                continue
            assert isinstance(el, Line)
            v = lines[line_no]
            line_no += 1
            expressions[v.speaker] = _expression(v.emotion, expressions.get(v.speaker))
            # Times are whole frames: compare with a hair of slack, never raw float sums.
            if v.start - cursor > MIN_SHOT_S + EPS or not _scene_opened(shots, scene_index):
                # The establishing wide (or an action insert) before the line.
                end = v.start if v.start - cursor > MIN_SHOT_S - EPS else cursor + ESTABLISH_S
                end = min(end, v.end - MIN_SHOT_S) if end > v.start + EPS else end
                first = not _scene_opened(shots, scene_index)
                framing: Framing = "wide" if first else "medium"
                pan: Move = "pan_right" if scene_index % 2 == 0 else "pan_left"
                move: Move = pan if first else _beat_of("push_in", v.index + 1)
                focus = None if first else _action_focus(pending_action, names, cast)
                shots.append(
                    _shot(
                        len(shots),
                        (cursor, end),
                        where,
                        framing,
                        move,
                        transition,
                        expressions,
                        focus,
                        beat,
                    )
                )
                transition, cursor = "cut", end
            pending_action = []
            fresh_jolt = beat in JOLT_BEATS and not _beat_landed(shots, beat)
            framing, move = _line_framing(v.emotion, fresh_jolt, v.index, _closes(shots))
            if fresh_jolt and beat in {"reversal", "reveal", "face_slap"}:
                move = "zoom_punch"
            listener = _listener(cast, v.speaker)
            split = (
                listener is not None
                and v.end - v.start > REACTION_MIN_LINE_S - EPS
                and framing != "extreme"
            )
            on_speaker = round((v.end - v.start) * (1 - REACTION_SHARE) * fps) / fps
            end = v.start + on_speaker if split else v.end
            end = max(end, cursor + MIN_SHOT_S)
            shots.append(
                _shot(
                    len(shots),
                    (cursor, end),
                    where,
                    framing,
                    move,
                    transition,
                    expressions,
                    v.speaker,
                    beat,
                )
            )
            transition, cursor = "cut", end
            if split and listener is not None:
                reaction = _reaction(v.emotion, beat)
                shots.append(
                    _shot(
                        len(shots),
                        (cursor, v.end),
                        where,
                        "close",
                        _beat_of("push_in", v.index + 1),
                        "cut",
                        {**expressions, listener: reaction},
                        listener,
                        beat,
                    )
                )
                # The reaction stays in its shot: later shots keep the listener's own last
                # emotion, so re-voicing one line changes only the shots around it.
                cursor = v.end
        tail = elements[-1].end
        if pending_action and tail - cursor > MIN_SHOT_S - EPS:
            focus = _action_focus(pending_action, names, cast)
            move = _beat_of("push_in", line_no)
            shots.append(
                _shot(
                    len(shots),
                    (cursor, tail),
                    where,
                    "medium" if focus else "wide",
                    move,
                    transition,
                    expressions,
                    focus,
                    beat,
                )
            )
            cursor = tail
        elif shots:
            shots[-1] = shots[-1].with_(end=max(shots[-1].end, tail))
    if not shots:
        raise ValueError(f"episode {script.episode} has nothing to show: no scenes with lines")
    # Scenes butt together: each shot runs to the next one's start (the gaps are the breaths
    # between scenes), the first from zero.
    shots[0] = shots[0].with_(start=0.0)
    for i in range(len(shots) - 1):
        shots[i] = shots[i].with_(end=shots[i + 1].start)
    last = shots[-1]
    if last.framing in {"wide", "medium"}:  # the cliffhanger freezes on a face
        focus = last.focus or next((f.character for f in last.figures), None)
        last = last.with_(framing="close", focus=focus, move="zoom_punch") if focus else last
    freeze_from = max(last.end, last.start + MIN_SHOT_S)
    shots[-1] = last.with_(end=freeze_from + FREEZE_S, freeze=True, beat=last.beat or "cliffhanger")
    end_start = shots[-1].end
    card_text = (
        ("Next", f"Episode {script.episode + 1}", next_title)
        if next_title
        else ("To be continued",)
    )
    seconds = round(max(audio_seconds, end_start + END_CARD_S) * fps) / fps
    shots.append(
        Shot(
            len(shots),
            "end",
            end_start,
            seconds,
            transition="flash",
            text=tuple(t for t in card_text if t),
        )
    )
    shots = [_lip_sync(_on_frames(s, fps), lines, fps) for s in shots]
    first = script.episode == 1
    if first:
        shots[0] = shots[0].with_(text=(bible.title,), kind="title")
    return Board(
        script.episode,
        seconds,
        audio_seconds,
        tuple(shots),
        title=bible.title if first else "",
        title_s=TITLE_S if first else 0.0,
    )


# -- pieces -----------------------------------------------------------------------------------


def _voiced(record: object, fps: int) -> _Voiced:
    """A lines.json record, its end rounded up to a whole frame after its start (the start
    is on a frame already): shot cuts made from it then move with the line."""
    assert isinstance(record, Mapping)
    mouth = tuple((float(t), str(s)) for t, s in record.get("mouth", ()))
    start = round(float(record["start"]) * fps) / fps
    frames = math.ceil((float(record["end"]) - start) * fps - 1e-6)
    return _Voiced(
        int(record["index"]),
        str(record["speaker"]),
        start,
        start + max(1, frames) / fps,
        str(record.get("emotion", "neutral")),
        mouth,
    )


def _name_index(bible: Bible) -> dict[str, str]:
    """Every way a script names a character (full name, first name, cue) → their id."""
    out: dict[str, str] = {}
    for c in bible.characters:
        out[c.name.lower()] = c.id
        out[c.cue.lower()] = c.id
        first = c.name.split()[0].lower()
        out.setdefault(first, c.id)
    return out


def _named(text: str, names: Mapping[str, str]) -> list[str]:
    found: list[str] = []
    for name, who in names.items():
        if re.search(rf"\b{re.escape(name)}\b", text, re.I) and who not in found:
            found.append(who)
    return found


def _scene_cast(elements: Sequence[object], names: Mapping[str, str]) -> list[str]:
    """Who is in the scene: its speakers, then whoever its action names, in order of entry."""
    cast: list[str] = []
    for el in elements:
        if isinstance(el, Line):
            who = names.get(el.speaker.lower())
            if who and who not in cast:
                cast.append(who)
        elif isinstance(el, Action):
            for who in _named(el.text, names):
                if who not in cast:
                    cast.append(who)
    return cast[:4]


def _layout(cast: Sequence[str]) -> tuple[tuple[str, float, str], ...]:
    """(id, x, angle) across the set: people on the left turn right and vice versa."""
    spots = {1: (0.5,), 2: (0.3, 0.7), 3: (0.2, 0.5, 0.8), 4: (0.14, 0.38, 0.62, 0.86)}
    xs = spots.get(len(cast), ())
    out = []
    for who, x in zip(cast, xs, strict=False):
        angle = "front" if abs(x - 0.5) < 0.05 else ("right" if x < 0.5 else "left")
        out.append((who, x, angle))
    return tuple(out)


def _expression(emotion: str, current: str | None) -> str:
    from cliffhanger.model.emotions import EXPRESSIONS

    if emotion in EXPRESSIONS:
        return emotion
    return {
        "shouting": "angry",
        "desperate": "crying",
        "hurt": "sad",
        "pleading": "sad",
        "fearful": "shocked",
        "cold": "determined",
        "mocking": "smug",
        "sarcastic": "smug",
        "tender": "happy",
        "whisper": current or "neutral",
    }.get(emotion, "neutral")


def _action_expression(text: str, current: str) -> str:
    for pattern, expression in ACTION_EXPRESSIONS:
        if pattern.search(text):
            return expression
    return current


def _reaction(emotion: str, beat: str) -> str:
    if beat in JOLT_BEATS or emotion in SHOCKED:
        return "shocked"
    if emotion in {"angry", "shouting", "cold"}:
        return "sad"
    if emotion in {"smug", "mocking", "sarcastic"}:
        return "angry"
    if emotion in {"crying", "sad", "hurt"}:
        return "sad"
    return "neutral"


def _line_framing(emotion: str, jolt: bool, index: int, closes: int) -> tuple[Framing, Move]:
    """Shock → extreme close-up; a charged line or the first line of a jolt → close-up,
    unless two close-ups just ran (a third in a row flattens them all): medium."""
    if emotion in SHOCKED:
        return "extreme", "shake"
    if (emotion in CHARGED or jolt) and closes < 2:
        return "close", _beat_of("push_in", index)
    # Dialogue mediums hold still (the panel style of comic dramas): the moves are kept for
    # the moments that earn them, and a still frame costs the encoder a fraction.
    return "medium", "static"


def _closes(shots: Sequence[Shot]) -> int:
    """How many close-ups (or tighter) end the shot list."""
    n = 0
    for s in reversed(shots):
        if s.framing not in {"close", "extreme"}:
            break
        n += 1
    return n


def _beat_of(want: Move, index: int) -> Move:
    """``want`` on even lines, a still camera on odd ones: consecutive shots alternate (a
    push into a push reads as one long zoom) without any shot's move depending on the shots
    before it — so re-voicing one line cannot ripple into the rest of the episode."""
    return want if index % 2 == 0 else "static"


def _listener(cast: Sequence[str], speaker: str) -> str | None:
    others = [c for c in cast if c != speaker]
    return others[0] if others else None


def _action_focus(
    actions: Sequence[Timed], names: Mapping[str, str], cast: Sequence[str]
) -> str | None:
    for t in actions:
        if isinstance(t.element, Action):
            for who in _named(t.element.text, names):
                if who in cast:
                    return who
    return None


def _scene_opened(shots: Sequence[Shot], scene_index: int) -> bool:
    return bool(shots) and shots[-1].scene == scene_index


def _beat_landed(shots: Sequence[Shot], beat: str) -> bool:
    return bool(shots) and shots[-1].beat == beat


@dataclass(frozen=True)
class _Where:
    """The scene a shot is in: its place, its number, and where its people stand."""

    scene: Scene
    index: int
    layout: tuple[tuple[str, float, str], ...]


def _shot(
    index: int,
    span: tuple[float, float],
    where: _Where,
    framing: Framing,
    move: Move,
    transition: TransitionIn,
    expressions: Mapping[str, str],
    focus: str | None,
    beat: str,
) -> Shot:
    start, end = span
    figures = tuple(
        Figure(who, x, angle, ((0.0, expressions.get(who, "neutral")),))  # type: ignore[arg-type]
        for who, x, angle in where.layout
    )
    return Shot(
        index=index,
        kind="scene",
        start=round(start, 3),
        end=round(end, 3),
        location=where.scene.location,
        scene=where.index,
        framing=framing,
        move=move,
        transition=transition,
        figures=figures,
        focus=focus,
        beat=beat,
    )


def _on_frames(shot: Shot, fps: int) -> Shot:
    """Cuts fall on frames (the voice stage starts every element on one)."""
    return shot.with_(start=round(shot.start * fps) / fps, end=round(shot.end * fps) / fps)


def _lip_sync(shot: Shot, lines: Sequence[_Voiced], fps: int) -> Shot:
    """The lines heard during the shot, and each figure's mouth keys in shot time, on the
    frame grid (so a shot that only moves in the episode keeps its cache key)."""
    a, b = round(shot.start * fps), round(shot.end * fps)  # compare frames, not floats
    spoken = [v for v in lines if round(v.end * fps) > a and round(v.start * fps) < b]
    figures = []
    for f in shot.figures:
        keys = [
            (round(t * fps) - a, s) for v in spoken if v.speaker == f.character for t, s in v.mouth
        ]
        before = [k for k in keys if k[0] <= 0]
        inside = [k for k in keys if 0 < k[0] < b - a]
        held = [(0.0, before[-1][1])] if before else []
        mouth = (*held, *((n / fps, s) for n, s in inside))
        figures.append(Figure(f.character, f.x, f.angle, f.expressions, mouth))
    return shot.with_(figures=tuple(figures), lines=tuple(v.index for v in spoken))
