"""The openai writer end to end over HTTP: valid models, corrective retries, chunked outlines."""

from __future__ import annotations

import json
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from cliffhanger.errors import InvalidProviderOutput, PremiseError
from cliffhanger.model import Action, BeatKind, BeatMarker, Bible, Line, Outline, Script
from cliffhanger.settings import LLMSettings, SeriesSettings, Settings
from cliffhanger.writing.base import WRITERS, SeriesRequest
from cliffhanger.writing.openai import OpenAIWriter, usage_summary
from cliffhanger.writing.openai.fake_story import default_responder
from cliffhanger.writing.openai.prompts import PROMPT_VERSION, sections
from tests.writing.openai.conftest import Serve

WriterFor = Callable[..., OpenAIWriter]


def _users(body: dict[str, Any]) -> list[str]:
    return [m["content"] for m in body["messages"] if m["role"] == "user"]


def test_develop_outline_script_make_valid_models(
    serve: Serve, writer_for: WriterFor, series: SeriesRequest
) -> None:
    server = serve()
    writer = writer_for(server)

    bible = writer.develop(series)
    outline = writer.outline(series, bible)
    script = writer.script(series, bible, outline.episode(8), outline.episode(7))

    assert isinstance(bible, Bible) and isinstance(outline, Outline)
    assert (bible.premise, bible.episodes, bible.paywall_episode) == (series.premise, 12, 8)
    assert [t.episode for t in bible.arc if t.paywall] == [8]
    assert [e.number for e in outline.episodes] == list(range(1, 13))
    assert [e.number for e in outline.episodes if e.paywall] == [8]
    assert all(e.beats[-1].kind is BeatKind.CLIFFHANGER for e in outline.episodes)
    assert isinstance(script, Script) and script.episode == 8
    cues = {c.cue for c in bible.characters}
    assert script.lines and all(line.speaker in cues for line in script.lines)
    assert all(line.parenthetical and "(" not in line.parenthetical for line in script.lines)
    locations = {loc.id: loc for loc in bible.locations}
    assert all(s.heading == locations[s.location].heading for s in script.scenes)
    markers = [e.kind for s in script.scenes for e in s.elements if isinstance(e, BeatMarker)]
    assert markers == [b.kind.value for b in outline.episode(8).beats]
    assert any(isinstance(e, Action) for s in script.scenes for e in s.elements)


def test_each_stage_sends_its_schema_and_the_craft(
    serve: Serve, writer_for: WriterFor, series: SeriesRequest
) -> None:
    server = serve()
    writer = writer_for(server)
    bible = writer.develop(series)
    outline = writer.outline(series, bible)
    writer.script(series, bible, outline.episode(1), None)

    develop, outline_body, _, script_body = server.chat_bodies  # 12 episodes: 2 chunks
    assert develop["response_format"]["json_schema"]["name"] == "bible"
    assert develop["response_format"]["json_schema"]["schema"] == Bible.model_json_schema()
    assert outline_body["response_format"]["json_schema"]["name"] == "outline"
    assert script_body["response_format"]["json_schema"]["name"] == "script"
    system = develop["messages"][0]
    assert system["role"] == "system" and "first 3 seconds" in system["content"]
    (prompt,) = _users(develop)
    assert sections(prompt)["REQUEST"]["paywall_episode"] == 8
    assert "SCHEMA" in sections(prompt)  # the schema is in the prompt too
    assert "between 100 and 220" in _users(script_body)[0]  # words for 90 s


def test_word_targets_scale_with_episode_length(
    serve: Serve, writer_for: WriterFor, series: SeriesRequest
) -> None:
    server = serve()
    writer = writer_for(server)
    long = SeriesRequest(premise=series.premise, episodes=2, seconds=180, paywall_episode=2)
    bible = writer.develop(long)
    writer.script(long, bible, writer.outline(long, bible).episode(1), None)

    assert "between 200 and 440" in _users(server.chat_bodies[-1])[0]


def test_invalid_json_gets_a_corrective_retry(
    serve: Serve, writer_for: WriterFor, series: SeriesRequest
) -> None:
    server = serve(invalid_times=1)

    bible = writer_for(server).develop(series)

    first, second = server.chat_bodies
    assert bible.episodes == 12
    assert second["messages"][: len(first["messages"])] == first["messages"]
    assistant, correction = second["messages"][-2:]
    assert assistant["role"] == "assistant" and "{not json" in assistant["content"]
    assert correction["role"] == "user"
    assert "your last answer failed validation" in correction["content"].lower()
    assert "not valid JSON" in correction["content"]


def test_validation_errors_are_sent_back_to_the_model(
    serve: Serve, writer_for: WriterFor, series: SeriesRequest
) -> None:
    calls: list[int] = []

    def moon_once(request: dict[str, Any]) -> str:
        answer = json.loads(default_responder(request))
        if request["response_format"]["json_schema"]["name"] == "outline" and not calls:
            calls.append(1)
            answer["episodes"][2]["beats"][0]["location"] = "moon_base"
        return json.dumps(answer)

    server = serve(responder=moon_once)
    writer = writer_for(server)
    outline = writer.outline(series, writer.develop(series))

    correction = server.chat_bodies[2]["messages"][-1]["content"]
    assert "episode 3, beat 1: location 'moon_base' is not a bible location id" in correction
    assert outline.episode(3).beats[0].location != "moon_base"


def test_persistent_invalid_output_raises_naming_the_stage(
    serve: Serve, writer_for: WriterFor, series: SeriesRequest
) -> None:
    server = serve(invalid_times=100)

    with pytest.raises(InvalidProviderOutput) as caught:
        writer_for(server, max_retries=2).develop(series)

    message = str(caught.value)
    assert "stage 'develop'" in message and "3 tries" in message
    assert "not valid JSON" in message
    assert len(server.chat_bodies) == 3


def test_only_validated_answers_are_cached(
    serve: Serve, writer_for: WriterFor, series: SeriesRequest, state_dir: Path
) -> None:
    broken = serve(invalid_times=100)
    with pytest.raises(InvalidProviderOutput):
        writer_for(broken, max_retries=0).develop(series)
    assert not list((state_dir / "llm-cache").glob("*.json"))

    server = serve(invalid_times=1)
    writer = writer_for(server)
    first = writer.develop(series)  # one rejected answer, then a good one
    again = writer.develop(series)  # the good one, straight from the cache

    assert again == first
    assert len(server.chat_bodies) == 2
    assert usage_summary(state_dir)["by_stage"]["develop"]["cached_calls"] == 1


def test_long_outlines_are_chunked_and_stitched(
    serve: Serve, writer_for: WriterFor, series: SeriesRequest
) -> None:
    server = serve()
    writer = writer_for(server)
    long = SeriesRequest(premise=series.premise, episodes=25, seconds=60, paywall_episode=8)
    bible = writer.develop(long)

    outline = writer.outline(long, bible)

    chunks = [sections(_users(b)[0]) for b in server.chat_bodies[1:]]
    assert [(c["TASK"]["first"], c["TASK"]["last"]) for c in chunks] == [
        (1, 10),
        (11, 20),
        (21, 25),
    ]
    assert "PREVIOUS EPISODE" not in chunks[0]
    assert [c["PREVIOUS EPISODE"]["number"] for c in chunks[1:]] == [10, 20]
    assert all(c["BIBLE"]["arc"] for c in chunks)  # every chunk sees the season arc
    assert [e.number for e in outline.episodes] == list(range(1, 26))
    assert all(e.seconds == 60 for e in outline.episodes)


def test_a_renumbered_chunk_is_fixed_but_a_short_one_is_sent_back(
    serve: Serve, writer_for: WriterFor, series: SeriesRequest
) -> None:
    def numbered_from_one(request: dict[str, Any]) -> str:
        answer = json.loads(default_responder(request))
        if request["response_format"]["json_schema"]["name"] == "outline":
            for i, ep in enumerate(answer["episodes"], start=1):
                ep["number"] = i
        return json.dumps(answer)

    server = serve(responder=numbered_from_one)
    writer = writer_for(server, outline_chunk=5)

    outline = writer.outline(series, writer.develop(series))

    assert [e.number for e in outline.episodes] == list(range(1, 13))
    assert len(server.chat_bodies) == 1 + 3  # no corrective round needed


def test_an_empty_premise_fails_before_any_request(serve: Serve, writer_for: WriterFor) -> None:
    server = serve()
    with pytest.raises(PremiseError):
        writer_for(server).develop(SeriesRequest(premise="   "))
    assert server.requests == []


def test_registered_factory_builds_from_settings(
    serve: Serve, series: SeriesRequest, state_dir: Path
) -> None:
    server = serve(api_key="sk-env")
    settings = Settings(
        series=SeriesSettings(premise=series.premise),
        llm=LLMSettings(base_url=server.base_url, model="qwen2.5:7b", temperature=0.2),
    )
    writer = WRITERS.create("openai", settings, state_dir)
    assert isinstance(writer, OpenAIWriter)
    writer.close()
    with_env = OpenAIWriter.from_settings(settings, state_dir, environ={"OPENAI_API_KEY": "sk-env"})

    with_env.develop(series)
    with_env.close()

    assert server.chat_bodies[0]["model"] == "qwen2.5:7b"
    assert server.requests[0].headers["authorization"] == "Bearer sk-env"
    assert writer.name == "openai" and writer.io_bound
    assert writer.fingerprint() == {
        "writer": "openai",
        "base_url": server.base_url,
        "model": "qwen2.5:7b",
        "temperature": 0.2,
        "prompt_version": PROMPT_VERSION,
        "outline_chunk": 10,
    }
    assert "sk-env" not in repr(with_env.fingerprint())


def test_a_writer_survives_pickling(
    serve: Serve, writer_for: WriterFor, series: SeriesRequest
) -> None:
    server = serve()
    writer = writer_for(server)
    bible = writer.develop(series)

    copy = pickle.loads(pickle.dumps(writer))
    try:
        outline = copy.outline(series, bible)
    finally:
        copy.close()

    assert copy.fingerprint() == writer.fingerprint()
    assert len(outline.episodes) == 12


def test_speaker_names_with_extensions_become_cues(
    serve: Serve, writer_for: WriterFor, series: SeriesRequest
) -> None:
    def off_screen(request: dict[str, Any]) -> str:
        answer = json.loads(default_responder(request))
        if request["response_format"]["json_schema"]["name"] == "script":
            line = answer["scenes"][0]["elements"][2]
            line["speaker"] = line["speaker"].lower() + " (V.O.)"
            line["parenthetical"] = "(whispering)"
        return json.dumps(answer)

    server = serve(responder=off_screen)
    writer = writer_for(server)
    bible = writer.develop(series)
    script = writer.script(series, bible, writer.outline(series, bible).episode(1), None)

    line = script.scenes[0].elements[2]
    assert isinstance(line, Line)
    assert line.speaker in {c.cue for c in bible.characters}
    assert (line.extension, line.parenthetical, line.emotion) == ("V.O.", "whispering", "whisper")
