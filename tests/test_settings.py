from __future__ import annotations

from pathlib import Path

import pytest

from cliffhanger import settings
from cliffhanger.errors import ProjectError
from cliffhanger.settings import SeriesSettings


def test_round_trip_and_environment_overrides(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.write(tmp_path, SeriesSettings(premise="A heiress returns", episodes=12, seed=3))
    loaded = settings.load(tmp_path)
    assert loaded.series.episodes == 12 and loaded.series.seed == 3
    assert loaded.writing.provider == "local"
    monkeypatch.setenv("CLIFFHANGER_WRITING__PROVIDER", "openai")
    monkeypatch.setenv("CLIFFHANGER_LLM__API_KEY", "sk-test")
    over = settings.load(tmp_path)
    assert over.writing.provider == "openai"
    assert over.llm.api_key is not None and over.llm.api_key.get_secret_value() == "sk-test"
    assert "sk-test" not in repr(over)


def test_missing_project_names_the_folder_and_the_fix(tmp_path: Path) -> None:
    with pytest.raises(ProjectError, match=r"not a Cliffhanger project.*cliffhanger new"):
        settings.load(tmp_path)


def test_invalid_value_names_the_field(tmp_path: Path) -> None:
    (tmp_path / "cliffhanger.toml").write_text('[series]\npremise = "x"\nepisodes = 0\n')
    with pytest.raises(ProjectError, match=r"series\.episodes"):
        settings.load(tmp_path)


def test_broken_toml_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "cliffhanger.toml").write_text("[series\n")
    with pytest.raises(ProjectError, match=r"cliffhanger\.toml: not valid TOML"):
        settings.load(tmp_path)
