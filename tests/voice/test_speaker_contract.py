"""One contract for every speech provider: what the voice-design step may rely on.

Each provider is made the way the app makes it, by name through ``SPEAKERS`` from Settings:
``piper`` and ``espeak`` as they are, ``openai`` against the in-package fake speech server
over real HTTP.
"""

from __future__ import annotations

import pickle
from collections.abc import Iterator

import numpy as np
import pytest

from cliffhanger.audio.base import RATE
from cliffhanger.model.voicing import VoiceTune
from cliffhanger.settings import SeriesSettings, Settings, SpeechSettings, VoiceSettings
from cliffhanger.voice.base import SPEAKERS, Delivery, Speaker
from cliffhanger.voice.openai.fake_server import FakeSpeechServer

SECRET = "sk-speech-contract-4321"
LINE = "Where were you last night?"
LONGER = "Where were you last night? I waited for you by the river until dawn."


@pytest.fixture(scope="module", params=["piper", "espeak", "openai"])
def speaker(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Speaker]:
    name = request.param
    with FakeSpeechServer(api_key=SECRET) as server:
        settings = Settings(
            series=SeriesSettings(premise="a river town's secret"),
            voice=VoiceSettings(provider=name),
            speech=SpeechSettings(base_url=server.base_url, api_key=SECRET),
        )
        made = SPEAKERS.create(name, settings, tmp_path_factory.mktemp(name))
        yield made
        made.close()


def say(speaker: Speaker, text: str = LINE, rate: float = 1.0) -> np.ndarray:
    speech = speaker.speak(text, VoiceTune(), Delivery(rate=rate), "en")
    assert speech.rate == RATE
    return speech.samples


def test_named_picklable_and_secret_free(speaker: Speaker) -> None:
    again = pickle.loads(pickle.dumps(speaker))
    assert again.name == speaker.name
    assert again.fingerprint() == speaker.fingerprint() == speaker.fingerprint()
    assert len(pickle.dumps(speaker)) < 10_000, "a speaker pickles without its model"
    for text in (speaker.fingerprint(), repr(speaker)):
        assert SECRET not in text
    assert "en" in speaker.languages()


def test_speech_is_audible_mono_float32_at_the_pipeline_rate(speaker: Speaker) -> None:
    samples = say(speaker)
    assert samples.ndim == 1 and samples.dtype == np.float32
    assert 0.5 < len(samples) / RATE < 6.0
    assert float(np.sqrt(np.mean(samples**2))) > 0.01
    assert float(np.abs(samples).max()) <= 1.0


def test_longer_text_takes_longer(speaker: Speaker) -> None:
    assert len(say(speaker, LONGER)) > 1.5 * len(say(speaker, LINE))


def test_a_faster_rate_is_at_least_a_fifth_shorter(speaker: Speaker) -> None:
    assert len(say(speaker, rate=1.4)) <= 0.8 * len(say(speaker, rate=0.8))


def test_phones_are_ordered_and_inside_the_audio(speaker: Speaker) -> None:
    speech = speaker.speak(LONGER, VoiceTune(), Delivery(), "en")
    if speaker.name == "openai":
        assert speech.phones == ()  # the server reports none: the mouth reads the audio
        return
    assert len(speech.phones) > 20
    previous_end = 0.0
    for phone in speech.phones:
        assert phone.symbol.strip()
        assert previous_end <= phone.start < phone.end <= speech.seconds + 1e-6
        previous_end = phone.end


def test_the_same_input_gives_the_same_samples(speaker: Speaker) -> None:
    a, b = say(speaker), say(speaker)
    assert a.tobytes() == b.tobytes()
