"""espeak-ng: variants from the tune, any language it has, phone times spread over the sound,
and errors that say what to install or which languages there are."""

from __future__ import annotations

import numpy as np
import pytest

from cliffhanger.errors import ProviderError
from cliffhanger.model.voicing import VoiceTune
from cliffhanger.voice.base import Delivery
from cliffhanger.voice.espeak import EspeakSpeaker, spread, voiced_runs


@pytest.fixture(scope="module")
def espeak() -> EspeakSpeaker:
    return EspeakSpeaker("espeak-ng")


def test_a_variant_in_the_tune_is_used_with_the_lines_language(espeak: EspeakSpeaker) -> None:
    assert espeak.voice("f3", "es") == "es+f3"
    assert espeak.voice("en+m2", "fr") == "fr+m2"
    assert espeak.voice("joe", "de") == "de"  # a piper voice name: the plain language


def test_a_variant_changes_the_voice(espeak: EspeakSpeaker) -> None:
    plain = espeak.speak("Hello.", VoiceTune(), Delivery(), "en")
    female = espeak.speak("Hello.", VoiceTune(base="f3"), Delivery(), "en")
    assert plain.samples.tobytes() != female.samples.tobytes()


def test_other_languages_speak(espeak: EspeakSpeaker) -> None:
    assert {"en", "es", "fr", "de", "en-us"} <= set(espeak.languages())
    speech = espeak.speak("¿Dónde estabas anoche?", VoiceTune(), Delivery(), "es")
    assert speech.seconds > 0.5 and speech.phones


def test_a_missing_language_lists_the_ones_there_are(espeak: EspeakSpeaker) -> None:
    with pytest.raises(ProviderError, match=r"'tlh'.*af, am, an,") as caught:
        espeak.speak("Qapla'", VoiceTune(), Delivery(), "tlh")
    listed = str(caught.value).split("speaks: ")[1].split(", ")
    assert listed == sorted(listed)


def test_a_missing_binary_says_how_to_install_it() -> None:
    with pytest.raises(ProviderError, match="apt-get install espeak-ng"):
        EspeakSpeaker("no-such-espeak-binary").languages()


def test_phones_follow_clauses_across_a_pause() -> None:
    rate = 1000
    sound = np.ones(300, np.float32) * 0.5
    audio = np.concatenate([sound, np.zeros(400, np.float32), sound])  # 0.3 s, pause, 0.3 s
    assert voiced_runs(audio, rate) == [(0.0, 0.3), (0.7, 1.0)]
    got = spread("h_ˈaɪ\nb_ˈaɪ\n", audio, rate)
    assert [p.symbol for p in got] == ["h", "aɪ", "b", "aɪ"]
    assert got[1].end == pytest.approx(0.3) and got[2].start == pytest.approx(0.7)
    assert got[1].end - got[1].start > got[0].end - got[0].start  # a diphthong lasts longer
