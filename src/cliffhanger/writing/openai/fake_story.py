"""The fake server's default answers: a small, valid, deterministic bible, outline or script.

Built from the facts the prompt carries (:func:`.prompts.sections`): the premise and episode
count for a bible, the bible and episode range for an outline, the bible and episode outline
for a script. The same request always gets the same answer.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from cliffhanger.model.bible import slugify
from cliffhanger.writing.openai.prompts import CLIFFHANGER_KINDS, jolts, output_name, sections

_LEADS = ("Ava Stone", "Lin Yue", "Nora Blake", "Iris Vale", "Mei Chen")
_LOVES = ("Leo Grant", "Kai Wen", "Ethan Cross", "Jun Hale", "Adrian Lowe")
_FOES = ("Vivian Stone", "Madam Qiao", "Celeste Ward", "Bianca Moss", "Regina Fox")
_JOLTS = ("humiliation", "reversal", "face_slap", "betrayal", "threat", "rescue")
_FEELINGS = ("cold", "furious", "shocked", "whispering", "determined", "mocking", "tender")


def default_responder(request: dict[str, Any]) -> str:
    """Answer a chat-completion request body with the JSON object it asks for."""
    task = next(
        (
            m["content"]
            for m in request.get("messages", [])
            if m.get("role") == "user" and "OUTPUT:" in str(m.get("content"))
        ),
        "",
    )
    fmt = request.get("response_format") or {}
    name = (fmt.get("json_schema") or {}).get("name") or output_name(task)
    facts = sections(task)
    if name == "bible":
        return json.dumps(fake_bible(facts["REQUEST"]))
    if name == "outline":
        task_facts = facts["TASK"]
        return json.dumps(fake_outline(facts["BIBLE"], task_facts["first"], task_facts["last"]))
    if name == "script":
        return json.dumps(fake_script(facts["BIBLE"], facts["EPISODE"]))
    return "{}"


def _pick(options: tuple[str, ...], seed: str) -> str:
    return options[int(hashlib.sha256(seed.encode()).hexdigest(), 16) % len(options)]


def fake_bible(facts: dict[str, Any]) -> dict[str, Any]:
    premise = str(facts["premise"])
    episodes = int(facts["episodes"])
    paywall = int(facts["paywall_episode"])
    lead, love, foe = (_pick(names, premise) for names in (_LEADS, _LOVES, _FOES))
    ids = [slugify(n.split()[0]) for n in (lead, love, foe)]

    def person(name: str, ident: str, role: str, want: str, gender: str) -> dict[str, Any]:
        return {
            "id": ident,
            "name": name,
            "role": role,
            "want": want,
            "relationships": [{"to": i, "kind": "rival"} for i in ids if i != ident][:1],
            "appearance": {"age": 28, "gender": gender},
            "voice": {"temperament": "tense", "description": f"{role} voice"},
        }

    return {
        "title": f"The {lead.split()[-1]} Secret",
        "logline": f"{lead} fights back: {premise}",
        "premise": premise,
        "language": facts.get("language", "en"),
        "genre": "romance drama",
        "tropes": ["hidden identity", "revenge after betrayal"],
        "setting": "a glittering modern city",
        "tone": "heightened and fast",
        "episodes": episodes,
        "seconds": int(facts["seconds_per_episode"]),
        "paywall_episode": paywall,
        "characters": [
            {
                **person(lead, ids[0], "lead", "to reclaim her name", "female"),
                "secret": "she is the true heir",
            },
            person(love, ids[1], "love_interest", "to protect her", "male"),
            person(foe, ids[2], "antagonist", "to keep the fortune", "female"),
        ],
        "locations": [
            {"id": "office", "name": "Tower Office", "kind": "ceo_office", "time_of_day": "night"},
            {"id": "mansion", "name": "Family Mansion", "kind": "mansion_living_room"},
            {
                "id": "street",
                "name": "Rain Street",
                "kind": "street_night",
                "interior": False,
                "time_of_day": "night",
            },
        ],
        "secrets": [
            {
                "id": "true_heir",
                "holder": ids[0],
                "text": f"{lead} is the true heir",
                "revealed_in": paywall,
                "revealed_to": [ids[2]],
            },
        ],
        "arc": [
            {"episode": 1, "kind": "humiliation", "description": f"{foe} shames {lead}"},
            {
                "episode": paywall,
                "kind": "reveal",
                "description": "the heir is named",
                "secret": "true_heir",
                "paywall": True,
            },
            {"episode": episodes, "kind": "reckoning", "description": "the final face-slap"},
        ],
    }


def fake_outline(bible: dict[str, Any], first: int, last: int) -> dict[str, Any]:
    seconds = int(bible.get("seconds") or 90)
    chars = [c["id"] for c in bible["characters"]]
    places = [loc["id"] for loc in bible["locations"]]
    secrets = bible.get("secrets", [])
    middle_count = jolts(seconds)
    middle_seconds = round(seconds * 0.65 / middle_count, 1)
    episodes = []
    for n in range(first, last + 1):
        reveal = next((s for s in secrets if s["revealed_in"] == n), None)
        beats: list[dict[str, Any]] = [
            {
                "kind": "hook",
                "summary": f"episode {n} opens mid-crisis",
                "location": places[n % len(places)],
                "characters": chars[:2],
                "seconds": round(seconds * 0.15, 1),
            }
        ]
        for j in range(middle_count):
            beat: dict[str, Any] = {
                "kind": _JOLTS[(n + j) % len(_JOLTS)],
                "summary": f"the tables turn in episode {n}",
                "location": places[(n + 1) % len(places)],
                "characters": chars[:3],
                "seconds": middle_seconds,
            }
            if reveal and j == middle_count - 1:
                beat |= {
                    "kind": "reveal",
                    "summary": reveal["text"],
                    "reveals": reveal["id"],
                    "learned_by": reveal.get("revealed_to", []),
                }
            beats.append(beat)
        beats.append(
            {
                "kind": "cliffhanger",
                "summary": f"a shock ends episode {n}",
                "location": places[(n + 1) % len(places)],
                "characters": chars[:2],
                "seconds": round(seconds * 0.2, 1),
                "cliffhanger_kind": CLIFFHANGER_KINDS[n % len(CLIFFHANGER_KINDS)],
            }
        )
        episodes.append(
            {
                "number": n,
                "title": f"Episode {n}",
                "summary": f"Episode {n} of {bible.get('title', 'the season')}",
                "seconds": seconds,
                "paywall": n == bible.get("paywall_episode"),
                "beats": beats,
            }
        )
    return {"episodes": episodes}


_OPENERS = (
    "{name}, you humiliated me in front of everyone.",
    "Did you really think I would stay silent, {name}?",
    "Step away from her before you regret it.",
    "Everyone here is about to learn who I am.",
    "You signed the contract without reading it, {name}.",
    "Call the guards and see whose side they take.",
    "I kept every receipt, every message, every lie.",
    "Kneel, {name}, and maybe I will forgive you.",
)
_CLOSERS = (
    "It has been {n} days since the wedding.",
    "Day {n}, and you are still lying to me.",
    "I have waited {n} days for this moment.",
    "Count to {n} and it will all be over.",
    "Room {n}, midnight, and come alone.",
    "That was mistake number {n}.",
    "Chapter {n} of your downfall starts now.",
    "Tell them about night {n}, or I will.",
)
_WORDS_PER_LINE = 16


def fake_script(bible: dict[str, Any], episode: dict[str, Any]) -> dict[str, Any]:
    names = {c["id"]: c["name"] for c in bible["characters"]}
    n, beats = int(episode["number"]), episode["beats"]
    # About 110 words a minute: with actions and pauses that times out near the target.
    lines = max(len(beats), round(110 * int(episode.get("seconds", 90)) / 60 / _WORDS_PER_LINE))
    scenes = []
    spoken = 0
    for k, beat in enumerate(beats):
        speakers = [names[c] for c in beat.get("characters", []) if c in names]
        speakers = speakers or list(names.values())[:2]
        elements: list[dict[str, Any]] = [
            {"type": "beat", "kind": beat["kind"], "summary": beat["summary"]},
            {"type": "action", "text": f"{speakers[0]} freezes as {beat['summary']}."},
        ]
        for i in range(lines // len(beats) + (k < lines % len(beats))):
            listener = speakers[(i + 1) % len(speakers)].split()[0]
            opener = _OPENERS[spoken % len(_OPENERS)]
            closer = _CLOSERS[(spoken // len(_OPENERS) + k) % len(_CLOSERS)]
            elements.append(
                {
                    "type": "line",
                    "speaker": speakers[i % len(speakers)],
                    "text": f"{opener} {closer}".format(name=listener, n=n),
                    "parenthetical": _FEELINGS[(k + i) % len(_FEELINGS)],
                }
            )
            spoken += 1
        if k < len(beats) - 1:
            elements.append({"type": "transition", "text": "SMASH CUT TO:"})
        scenes.append({"location": beat["location"], "heading": "", "elements": elements})
    return {"episode": n, "title": episode["title"], "scenes": scenes}
