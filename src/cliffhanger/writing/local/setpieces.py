"""The set pieces of an episode: the hook's first seconds, a secret said out loud, a secret
thrown back in someone's face, and the cliffhanger's lead-in and sting.

Each takes the :class:`~cliffhanger.writing.local.realize.EpisodeWriter` writing the episode
and the beat in hand, and adds to the beat's elements through the writer's ``say``,
``action`` and ``slots``.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import TYPE_CHECKING, Any

from cliffhanger.model import BeatKind, Character
from cliffhanger.model.script import Action
from cliffhanger.writing.local.phrases import bank, chunks, draw, load, second_person
from cliffhanger.writing.local.season import knowers
from cliffhanger.writing.local.staging import staged

if TYPE_CHECKING:
    from cliffhanger.writing.local.realize import BeatState, EpisodeWriter

HOOK_WORDS = 8


@cache
def beat_patterns() -> dict[str, Any]:
    return load("beats")


_CALLBACK_KINDS = frozenset(
    {
        BeatKind.CONFRONTATION,
        BeatKind.THREAT,
        BeatKind.FACE_SLAP,
        BeatKind.REVERSAL,
        BeatKind.BETRAYAL,
        BeatKind.SETUP,
    }
)


def hook(ep: EpisodeWriter, b: BeatState) -> list[list[str]] | None:
    """The first seconds: at most one short action, then a short line mid-crisis.

    Returns the pattern the rest of the hook follows (None: the default one)."""
    spec: dict[str, Any] = beat_patterns()["hooks"]
    cliff = ep.prev.cliffhanger if ep.prev else None
    kind = (cliff.cliffhanger_kind or "default") if cliff else "cold"
    entry = spec.get(kind) or spec["default"]
    if entry.get("ext"):
        b.extra["ext_b"] = entry["ext"]
    slots = ep.slots(b, None, None)
    shown = staged(bank(entry.get("action") or []), ep.location(b))
    if shown and b.rng.random() < 0.6:
        for _ in range(4):
            text = draw(shown, b.rng, slots)
            if len(text.split()) <= HOOK_WORDS:
                b.elements.append(Action(text))
                break
    role = entry.get("who", "a")
    move = f"hook_{kind}" if f"hook_{kind}" in ep.moves else "hook_default"
    ep.say(
        b,
        role,
        move,
        max_words=HOOK_WORDS,
        extension=b.extra.get(f"ext_{role}"),
        glue=True,
        dealt=True,
    )
    then: list[list[str]] | None = entry.get("then")
    return then


def reveal(ep: EpisodeWriter, b: BeatState, budget: float) -> list[list[str]] | None:
    """The secret said out loud: told by someone who knows it, or found by a learner.

    Returns the pattern the rest of the beat follows when it is not the usual one."""
    secret = next((s for s in ep.bible.secrets if s.id == b.beat.reveals), None)
    if secret is None:
        return None
    before = (
        knowers(ep.bible, ep.ep, b.index - 1)[secret.id]
        if b.index
        else frozenset({secret.holder, *secret.known_by})
    )
    tellers = [p for p in b.present if p.id in before]
    learners = [p for p in b.present if p.id in b.beat.learned_by and p.id not in before]
    # whoever the summary names first drives the scene: a knower tells, a learner finds out
    first = min(b.present, key=lambda p: ep.mentioned_at(p, b.beat.summary), default=None)
    if first is not None and first in learners:
        tellers = []
        learners.sort(key=lambda p: p is not first)
    teller = tellers[0] if tellers else (learners[0] if learners else None)
    if teller is None:
        return None
    holder = next((p for p in b.present if p.id == secret.holder), None)
    listener = holder if not tellers and holder else None
    listener = listener or next((p for p in b.present if p is not teller), None)
    b.present.sort(key=lambda p: 0 if p is teller else 1 if p is listener else 2)
    if not b.all_know(secret.id):  # someone present must not hear it: only hint
        ep.say(b, "a", "hint_big")
        return None
    slots = ep.slots(b, None, None)
    if not tellers or ep.now(b) < b.until - 2.0:  # a discovery must be seen
        shown = ep.images(b, "reveal" if tellers else "reveal_read")
        if shown:
            b.elements.append(Action(draw(shown, b.rng, slots)))
    if tellers and ep.room(b, budget, 10):
        ep.say(b, "a", "reveal_lead")
    clause = second_person(secret.text, listener, teller, ep.names)
    for i, part in enumerate(chunks(clause)):
        # the heart of the secret is always said; the rest only if the beat has room
        if i == 0 or ep.room(b, budget, len(part.split())):
            ep.say(b, "a", "reveal_state", extra={"secret": part}, glue=False, to="b")
    if holder is not None and holder is not teller:
        b.last_speaker = None
        say_as(ep, b, holder, "reveal_holder", teller)
    elif listener is not None and ep.room(b, budget, 6):
        ep.say(b, "b", "reveal_react", to="a")
    found: list[list[str]] = beat_patterns()["patterns"]["reveal_found"][0]
    return found if not tellers and holder is listener else None


def callback(ep: EpisodeWriter, b: BeatState) -> None:
    """Throw a secret everyone present already knows back in someone's face, or have its
    holder hint at one nobody else here knows yet."""
    if b.beat.kind not in _CALLBACK_KINDS or b.rng.random() > 0.3 or ep.called_back:
        return
    n = ep.ep.number
    for secret in ep.bible.secrets:
        holder = next((p for p in b.present if p.id == secret.holder), None)
        if holder is None:
            continue
        others = [p for p in b.present if p is not holder]
        if 0 < n - secret.revealed_in <= 2 and b.all_know(secret.id) and others:
            speaker = others[0]
            clause = chunks(second_person(secret.text, holder, speaker, ep.names))[0]
            say_as(ep, b, speaker, "known_secret", holder, {"secret": clause})
            ep.called_back = True
            return
        if 0 <= secret.revealed_in - n <= 6 and others and not b.all_know(secret.id):
            say_as(ep, b, holder, "hint", others[0])
            return


def say_as(
    ep: EpisodeWriter,
    b: BeatState,
    speaker: Character,
    move: str,
    to: Character,
    extra: Mapping[str, str] | None = None,
) -> None:
    """A line by a given character to another, whatever their places in the beat."""
    order = list(b.present)
    b.present.sort(key=lambda p: 0 if p is speaker else 1 if p is to else 2)
    ep.say(b, "a", move, extra=extra, to="b")
    b.present[:] = order


def cliffhanger(ep: EpisodeWriter, b: BeatState, budget: float) -> None:
    spec: dict[str, Any] = beat_patterns()["cliffhangers"]
    kind = b.beat.cliffhanger_kind or "default"
    if ep.ep.paywall and kind == "reveal_interrupted":
        revealed = any(x.reveals for x in ep.ep.beats[: b.index])
        kind = "paywall_expose" if revealed else "paywall"
    entry = spec.get(kind) or spec["default"]
    if entry.get("ext"):
        b.extra["ext_b"] = entry["ext"]
    present = {p.id for p in b.present}
    named = [c for c in ep.bible.characters if c.id not in present] or b.present
    b.extra["named"] = ep.name(b.rng.choice(named).id)
    ep.action(
        b,
        f"cliff_{kind}" if ep.images(b, f"cliff_{kind}") else "cliff_default",
        new_scene=False,
    )
    lead: list[list[str]] = entry.get("lead", [["a", "uneasy"]])
    sting_words = 8
    ep.lines(b, lead, budget - sting_words, limit=6, spare=4.0)
    for role, move, *rest in entry.get("sting", []):
        if move.startswith("!"):
            shown = ep.images(b, move[1:])
            if shown:
                b.elements.append(Action(draw(shown, b.rng, ep.slots(b, None, None))))
            continue
        to = rest[0] if rest else None  # [role, move, spoken to, extension]
        ext = rest[1] if len(rest) > 1 else b.extra.get(f"ext_{role}")
        ep.say(b, role, move, max_words=10, extension=ext, to=to, dealt=True)
