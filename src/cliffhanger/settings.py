"""One typed settings object, built once at the edge from ``cliffhanger.toml`` and the environment.

Environment variables override the file: ``CLIFFHANGER_LLM__BASE_URL``,
``CLIFFHANGER_LLM__API_KEY``, ``CLIFFHANGER_WRITING__PROVIDER`` and so on (``__`` separates
sections). Nothing reads settings from a global; stages receive what they need.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any, Literal

import tomli_w
from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, model_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from cliffhanger.errors import ProjectError
from cliffhanger.pipeline.store import atomic_write

SETTINGS_FILE = "cliffhanger.toml"


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SeriesSettings(_Section):
    """What the user asked for with ``cliffhanger new``."""

    premise: str
    episodes: int = Field(default=60, ge=1, le=500)
    seconds: int = Field(default=90, ge=15, le=1200)
    lang: str = "en"
    seed: int = 0
    paywall_episode: int = Field(default=8, ge=1)

    @model_validator(mode="after")
    def _premise_present(self) -> SeriesSettings:
        if not self.premise.strip():
            raise ValueError("premise is empty: describe the story in a sentence or more")
        return self


class WritingSettings(_Section):
    provider: str = "local"
    words_per_minute: float = Field(default=140.0, gt=0)


class LLMSettings(_Section):
    """An OpenAI-compatible chat endpoint (Ollama, llama.cpp, vLLM, or a cloud)."""

    base_url: str = "http://127.0.0.1:11434/v1"
    model: str = "llama3.1"
    api_key: SecretStr | None = None
    temperature: float = 0.8
    timeout_s: float = Field(default=120.0, gt=0)
    max_retries: int = Field(default=3, ge=0)
    concurrency: int = Field(default=4, ge=1)
    # Episodes per outline request; 5 suits small local models.
    outline_chunk: int = Field(default=10, ge=1)
    usd_per_1k_prompt_tokens: float = Field(default=0.0, ge=0)
    usd_per_1k_completion_tokens: float = Field(default=0.0, ge=0)


class DoctorSettings(_Section):
    """The format's ranges (CRAFT.md) the doctor checks against; tune them per series."""

    hook_seconds: float = Field(default=3.0, gt=0)  # the hook starts playing by then
    hook_done_seconds: float = Field(default=15.0, gt=0)  # a line has been spoken by then
    jolt_every_seconds: float = Field(default=45.0, gt=0)  # one emotional jolt per this much
    length_tolerance: float = Field(default=0.25, ge=0)  # estimated vs target running time
    max_chars_per_second: float = 17.0
    min_words_per_90s: int = 100
    max_words_per_90s: int = 220
    max_line_repeats: int = 2


class CastSettings(_Section):
    """Who draws the actors and sets: ``puppet`` (offline), ``files`` or ``image``."""

    provider: str = "puppet"
    files_dir: str = "looks"  # the files provider's folder, relative to the project
    sheet_cell: int = Field(default=300, ge=120, le=1200)  # portrait height on cast sheets


class ImageSettings(_Section):
    """An OpenAI-compatible images endpoint (``/v1/images/generations`` and ``/edits``)."""

    base_url: str = "http://127.0.0.1:8080/v1"
    model: str = "gpt-image-1"
    api_key: SecretStr | None = None
    timeout_s: float = Field(default=300.0, gt=0)
    max_retries: int = Field(default=3, ge=0)
    concurrency: int = Field(default=2, ge=1)
    quality: str = "medium"
    style: str = "clean 2D webtoon illustration, cel shading, crisp anti-aliased outlines"
    usd_per_image: float = Field(default=0.0, ge=0)


class VoiceSettings(_Section):
    """Who speaks the lines: ``piper`` (offline English), ``espeak``, or ``openai``."""

    provider: str = "piper"
    espeak_binary: str = "espeak-ng"


class SpeechSettings(_Section):
    """An OpenAI-compatible speech endpoint (``/v1/audio/speech``)."""

    base_url: str = "http://127.0.0.1:8880/v1"
    model: str = "tts-1"
    api_key: SecretStr | None = None
    timeout_s: float = Field(default=120.0, gt=0)
    max_retries: int = Field(default=3, ge=0)
    concurrency: int = Field(default=4, ge=1)
    voices: tuple[str, ...] = ("alloy", "echo", "fable", "onyx", "nova", "shimmer")
    usd_per_1k_chars: float = Field(default=0.0, ge=0)


class MixSettings(_Section):
    """Score and mix: the master's loudness and ceiling, ducking, the user's music."""

    loudness_lufs: float = Field(default=-14.0, le=-5.0, ge=-40.0)
    true_peak_db: float = Field(default=-1.0, le=0.0)  # what the viewer hears, after AAC
    # The master is limited this much lower still: AAC at 128 kbps overshoots a master's
    # peaks by up to ~0.8 dB (measured), and correcting that after encoding costs loudness.
    codec_headroom_db: float = Field(default=1.0, ge=0.0, le=6.0)
    duck_db: float = Field(default=10.0, ge=0.0, le=40.0)  # music under dialogue
    music_dir: str = "music"  # the user's beds: music/<mood>/*.wav|ogg|mp3, relative


class RenderSettings(_Section):
    """``[render]``: the video stage's defaults."""

    quality: Literal["draft", "final"] = "final"
    ai_label: str = "AI-generated"  # shown on every frame; "" turns it off (not advised)
    filing_number: str = ""  # a licence/filing number for the opening credits, if any
    hls_segment_s: float = Field(default=3.0, ge=2.0, le=4.0)
    subtitle_chars: int = Field(default=26, ge=12, le=60)  # per subtitle line


class PipelineSettings(_Section):
    executor: str = "process"
    workers: int = Field(default=0, ge=0)  # 0: one per CPU core


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="CLIFFHANGER_", env_nested_delimiter="__", extra="forbid", frozen=True
    )

    series: SeriesSettings
    writing: WritingSettings = WritingSettings()
    llm: LLMSettings = LLMSettings()
    doctor: DoctorSettings = DoctorSettings()
    cast: CastSettings = CastSettings()
    image: ImageSettings = ImageSettings()
    voice: VoiceSettings = VoiceSettings()
    speech: SpeechSettings = SpeechSettings()
    mix: MixSettings = MixSettings()
    render: RenderSettings = RenderSettings()
    pipeline: PipelineSettings = PipelineSettings()

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # Environment beats the file, which arrives as init kwargs from load().
        return (env_settings, init_settings)


def load(project: Path) -> Settings:
    """Settings for the project at ``project``; a clear ProjectError if absent or invalid."""
    path = project / SETTINGS_FILE
    if not path.is_file():
        raise ProjectError(
            f"{project} is not a Cliffhanger project (no {SETTINGS_FILE}); "
            f"create one with: cliffhanger new {project} --premise '...'"
        )
    try:
        data: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise ProjectError(f"{path}: not valid TOML: {e}") from e
    try:
        return Settings(**data)
    except ValidationError as e:
        raise ProjectError(f"{path}: {_describe(e)}") from e


def _describe(e: ValidationError) -> str:
    parts = []
    for err in e.errors():
        where = ".".join(str(p) for p in err["loc"])
        env = "CLIFFHANGER_" + "__".join(str(p).upper() for p in err["loc"])
        source = f" (from the environment variable {env})" if env in os.environ else ""
        parts.append(f"{where}: {err['msg']}{source}")
    return "; ".join(parts)


def write(project: Path, series: SeriesSettings, provider: str = "local") -> Path:
    """Write a fresh ``cliffhanger.toml`` for a new project."""
    data = {
        "series": series.model_dump(),
        "writing": WritingSettings(provider=provider).model_dump(),
    }
    path = project / SETTINGS_FILE
    header = (
        "# Cliffhanger project settings. Environment variables CLIFFHANGER_<SECTION>__<KEY>\n"
        "# override these (e.g. CLIFFHANGER_LLM__API_KEY).\n"
    )
    atomic_write(path, (header + tomli_w.dumps(data)).encode("utf-8"))
    return path
