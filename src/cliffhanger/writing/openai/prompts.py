"""The writers' room brief for an LLM: micro-drama craft, and one prompt per stage.

Every user prompt is prose plus fenced JSON sections (``### BIBLE`` then a json block), so a
model reads the facts as data and :func:`sections` can read them back (the fake server does).
The last line before the schema names the object asked for: ``OUTPUT: bible``. Bump
:data:`PROMPT_VERSION` whenever a prompt changes: it is part of the writer's fingerprint.
"""

from __future__ import annotations

import json
import re
from typing import Any

from cliffhanger.model import Bible, EpisodeOutline
from cliffhanger.writing.base import SeriesRequest
from cliffhanger.writing.openai.client import Message

PROMPT_VERSION = "openai-writer/1"

CLIFFHANGER_KINDS = (
    "reveal_interrupted",
    "threat",
    "door",
    "phone_call",
    "pregnancy_test",
    "name_spoken",
    "arrival",
    "ultimatum",
    "evidence",
    "collapse",
)

SYSTEM = """\
You are the head writer of a vertical micro-drama (ReelShort / DramaBox style): 60-120 second
episodes watched on phones, dozens of episodes a season. You write to the format's craft:
- The first 3 seconds decide the swipe: open every episode mid-crisis, usually on the payoff of
  the previous cliffhanger (episode 1: the season's most striking moment). The hook is done by 15 s.
- An emotional jolt (reversal, reveal, humiliation, face-slap, rescue, betrayal, threat) every
  30-45 seconds: at least two in a 90-second episode.
- Every episode ends on an unresolved beat, and the kind varies from episode to episode (a reveal
  interrupted, a threat, a door opening on someone, a phone call, a pregnancy test, a name spoken).
- The paywall episode ends on the strongest unresolved beat of the season so far.
- Escalation across the season: humiliation, hidden strength shown to the audience, repeated
  public face-slaps, a bigger enemy, the big reveal, a final reckoning.
- One main plot thread, at most 5 recurring locations, a small cast with clear wants and secrets.
- Continuity: nobody acts on a secret before it is revealed to them; departed characters stay
  gone until they return.
Answer with a single JSON object only: no prose, no markdown fences."""


def word_range(seconds: int) -> tuple[int, int]:
    """Spoken words for an episode of ``seconds``: 100-220 per 90 s, scaled."""
    return round(100 * seconds / 90), round(220 * seconds / 90)


def jolts(seconds: int) -> int:
    """Jolt beats an episode of ``seconds`` needs: one per ~40 s, at least one."""
    return max(1, round(seconds / 40))


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def section(title: str, value: Any) -> str:
    return f"### {title}\n```json\n{_json(value)}\n```"


_SECTION = re.compile(r"^### ([A-Z][A-Z ]*)\n```json\n(.*?)\n```$", re.MULTILINE | re.DOTALL)
_OUTPUT = re.compile(r"^OUTPUT: (\w+)$", re.MULTILINE)


def sections(text: str) -> dict[str, Any]:
    """The JSON sections of a prompt by title; the inverse of :func:`section`."""
    return {m.group(1): json.loads(m.group(2)) for m in _SECTION.finditer(text)}


def output_name(text: str) -> str | None:
    """The object a prompt asks for (``bible``, ``outline``, ``script``), if it says."""
    m = _OUTPUT.search(text)
    return m.group(1) if m else None


def _output(name: str, schema: dict[str, Any]) -> str:
    return f"OUTPUT: {name}\n{section('SCHEMA', schema)}"


def request_facts(request: SeriesRequest) -> dict[str, Any]:
    lo, hi = word_range(request.seconds)
    return {
        "premise": request.premise,
        "language": request.language,
        "episodes": request.episodes,
        "seconds_per_episode": request.seconds,
        "paywall_episode": min(request.paywall_episode, request.episodes),
        "spoken_words_per_episode": [lo, hi],
        "seed": request.seed,
    }


def bible_digest(bible: Bible) -> dict[str, Any]:
    """What later stages need of the bible, without the looks (they only cost tokens)."""
    return {
        "title": bible.title,
        "logline": bible.logline,
        "genre": bible.genre,
        "tropes": list(bible.tropes),
        "setting": bible.setting,
        "tone": bible.tone,
        "episodes": bible.episodes,
        "seconds": bible.seconds,
        "paywall_episode": bible.paywall_episode,
        "characters": [
            {
                "id": c.id,
                "name": c.name,
                "role": c.role.value,
                "want": c.want,
                "secret": c.secret,
                "voice": c.voice.description or c.voice.temperament,
                "relationships": [r.model_dump() for r in c.relationships],
            }
            for c in bible.characters
        ],
        "locations": [
            {"id": loc.id, "name": loc.name, "kind": loc.kind} for loc in bible.locations
        ],
        "secrets": [s.model_dump(mode="json") for s in bible.secrets],
        "arc": [t.model_dump(mode="json") for t in bible.arc],
    }


def _episode(episode: EpisodeOutline) -> dict[str, Any]:
    return episode.model_dump(mode="json", exclude_defaults=True)


def develop_messages(request: SeriesRequest, schema: dict[str, Any]) -> list[Message]:
    facts = request_facts(request)
    paywall = facts["paywall_episode"]
    user = f"""\
Develop the series bible for this premise.

{section("REQUEST", facts)}

Requirements:
- title, logline (one sentence), genre, 2-5 tropes that fit the premise, setting, tone.
- 3-6 characters: exactly one "lead", usually one "antagonist" and one "love_interest" or
  "rival". Each has an id (lower-case slug, ASCII: a-z, 0-9, _), a display name, a want, a
  secret (may be empty), relationships to other character ids, an appearance (age, gender) and
  a voice.
- 2-5 recurring locations, each with an id slug and a kind from the schema's list.
- 2-4 secrets the season turns on: who holds each, who knows it, and revealed_in (an episode
  number from 1 to {request.episodes}); the biggest secret is revealed at or after the paywall.
- arc: 3-8 twists on episode numbers from 1 to {request.episodes}, following the escalation
  pattern; one twist on episode {paywall} with "paywall": true, the strongest turn so far.
- Write names and prose in language "{request.language}"; ids and enum values stay as in the schema.

{_output("bible", schema)}"""
    return [{"role": "system", "content": SYSTEM}, {"role": "user", "content": user}]


def outline_messages(
    request: SeriesRequest,
    bible: Bible,
    *,
    first: int,
    last: int,
    previous: EpisodeOutline | None,
    schema: dict[str, Any],
) -> list[Message]:
    seconds = request.seconds
    paywall = min(request.paywall_episode, request.episodes)
    lo_beats, hi_beats = max(3, seconds // 25), max(4, seconds // 12)
    where = (
        "the free window: hook the viewer and build to the paywall"
        if last < paywall
        else "past the paywall: escalate toward the big reveal and the final reckoning"
        if first > paywall
        else f"it contains the paywall episode {paywall}"
    )
    before = (
        section("PREVIOUS EPISODE", _episode(previous))
        if previous is not None
        else "This is the start of the season."
    )
    paywall_rule = (
        f'"paywall": true only for episode {paywall}, which ends on the strongest cliffhanger '
        "of the season so far"
        if first <= paywall <= last
        else '"paywall": false'
    )
    user = f"""\
Outline episodes {first} to {last} of {request.episodes} ({where}).

{section("BIBLE", bible_digest(bible))}

{before}

{section("TASK", {"first": first, "last": last, "seconds": seconds, "paywall_episode": paywall})}

For each episode, in order from {first} to {last}: number, title, one-sentence summary,
"seconds": {seconds}, {paywall_rule}, and {lo_beats}-{hi_beats} beats whose seconds add up to
about {seconds}.
- The first beat is a "hook": mid-crisis, paying off the previous episode's cliffhanger.
- At least {jolts(seconds)} jolt beats (reversal, reveal, humiliation, face_slap, rescue,
  betrayal, threat), one every 30-45 seconds.
- The last beat is a "cliffhanger" with a cliffhanger_kind; vary it between episodes, e.g.
  {", ".join(CLIFFHANGER_KINDS)}.
- Follow the bible's arc: put each twist on its episode.
- "location" is a location id and "characters" are character ids from the bible, nothing else.
- A beat that reveals a secret sets "reveals" to the secret id and "learned_by" to who learns it;
  never in an episode before that secret's revealed_in, and nobody acts on a secret earlier.
- Write titles and summaries in language "{request.language}".

{_output("outline", schema)}"""
    return [{"role": "system", "content": SYSTEM}, {"role": "user", "content": user}]


def script_messages(
    request: SeriesRequest,
    bible: Bible,
    episode: EpisodeOutline,
    previous: EpisodeOutline | None,
    schema: dict[str, Any],
) -> list[Message]:
    lo, hi = word_range(episode.seconds)
    target = round(request.words_per_minute * episode.seconds / 60)
    target = min(max(target, lo), hi)
    before = (
        section("PREVIOUS EPISODE", _episode(previous))
        if previous is not None
        else "This is episode 1: open on the season's most striking moment."
    )
    secrets = {
        "revealed_by_now": [s.id for s in bible.secrets if s.revealed_in < episode.number],
        "revealed_in_this_episode": [
            s.id for s in bible.secrets if s.revealed_in == episode.number
        ],
        "still_hidden": [s.id for s in bible.secrets if s.revealed_in > episode.number],
    }
    user = f"""\
Write the screenplay of episode {episode.number} ({episode.seconds} seconds).

{section("BIBLE", bible_digest(bible))}

{before}

{section("EPISODE", _episode(episode))}

{section("SECRETS", secrets)}

Rules:
- Scenes in story order; each scene has a bible location id and a list of elements.
- Before the action and lines of each outline beat, put {{"type": "beat", "kind": <the beat's
  kind>, "summary": <its summary>}}, in the outline's order, so beats stay traceable.
- The first spoken line or action lands within 3 seconds: no slow establishing moments.
- About {target} spoken words in all (between {lo} and {hi}): short, punchy lines, 8-20 of them.
- Each line: "speaker" is a character name from the bible, "text" is only the spoken words,
  "parenthetical" names the emotion or delivery (e.g. "furious", "whispering", "cold, to Mei").
- Actions are short and visual, present tense; a "transition" like "SMASH CUT TO:" is optional.
- End on the cliffhanger beat, unresolved: cut on the moment, not after it.
- Continuity: a "still_hidden" secret is never spoken or acted on, except by those who already
  know it (the holder and known_by), and then only in hints.
- Write actions and lines in language "{request.language}".

{_output("script", schema)}"""
    return [{"role": "system", "content": SYSTEM}, {"role": "user", "content": user}]


def correction(errors: str) -> Message:
    """The follow-up that sends a failed answer's problems back to the model."""
    return {
        "role": "user",
        "content": (
            f"Your last answer failed validation:\n{errors}\n"
            "Answer again with the whole corrected JSON object only, matching the schema."
        ),
    }
