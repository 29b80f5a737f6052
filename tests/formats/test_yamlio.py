from __future__ import annotations

from pathlib import Path

import pytest

from cliffhanger.errors import ModelFileError
from cliffhanger.formats.yamlio import dump_model, load_model
from cliffhanger.model import Appearance, Bible, Character, Location, Role

BIBLE = Bible(
    title="Vows of Ash",
    logline="A jilted florist marries a stranger.",
    premise="A jilted florist\nmarries a stranger.",
    genre="contract_marriage",
    tropes=("flash_marriage",),
    setting="modern city",
    episodes=3,
    seconds=90,
    paywall_episode=2,
    characters=(
        Character(
            id="ava",
            name="Ava Stone",
            role=Role.LEAD,
            want="a home",
            appearance=Appearance(age=26, gender="female"),
        ),
        Character(
            id="lu",
            name="Lu Chen",
            role=Role.LOVE_INTEREST,
            want="the truth",
            appearance=Appearance(age=30, gender="male"),
        ),
    ),
    locations=(Location(id="shop", name="Flower Shop", kind="other"),),
)


def test_round_trip_is_readable_and_lossless(tmp_path: Path) -> None:
    text = dump_model(BIBLE)
    assert text.startswith("title: Vows of Ash\n")  # model order, not alphabetical
    assert "premise: |" in text  # multi-line text stays readable
    path = tmp_path / "bible.yaml"
    path.write_text(text)
    assert load_model(Bible, path) == BIBLE


def test_validation_error_names_field_and_line(tmp_path: Path) -> None:
    text = dump_model(BIBLE).replace("age: 30", "age: -4")
    path = tmp_path / "bible.yaml"
    path.write_text(text)
    with pytest.raises(ModelFileError) as info:
        load_model(Bible, path)
    expected_line = text.splitlines().index("    age: -4") + 1
    assert info.value.line == expected_line
    assert "characters[1].appearance.age" in str(info.value)
    assert str(path) in str(info.value)


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "outline.yaml"
    path.write_text("episodes:\n  - number: 1\n   title: [unclosed\n")
    with pytest.raises(ModelFileError) as info:
        load_model(Bible, path)
    assert info.value.line is not None and "not valid YAML" in str(info.value)


def test_missing_file_says_what_to_run(tmp_path: Path) -> None:
    with pytest.raises(ModelFileError, match="cliffhanger write"):
        load_model(Bible, tmp_path / "bible.yaml")
