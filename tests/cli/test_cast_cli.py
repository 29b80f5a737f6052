"""`cliffhanger cast`: every character gets a sheet and every location a set, only what is
stale is redrawn, and the pictures are the same for the same seed."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import yaml
from PIL import Image

from cliffhanger.cast.image.fake_server import FakeImageServer
from tests.cli.test_cli import cli, make

FAST = "\n[cast]\nsheet_cell = 120\n"  # small portraits keep the suite quick


def project(tmp_path: Path, name: str = "s", seed: int = 7) -> Path:
    d = make(tmp_path, name, episodes=2, seed=seed)
    with (d / "cliffhanger.toml").open("a", encoding="utf-8") as fh:
        fh.write(FAST)
    return d


def cast(d: Path) -> dict[str, object]:
    code, out = cli("cast", str(d), "--json")
    assert code == 0, out
    summary: dict[str, object] = json.loads(out)
    return summary


def test_cast_draws_a_sheet_per_character_and_a_set_per_location(tmp_path: Path) -> None:
    d = project(tmp_path)
    summary = cast(d)  # no bible yet: cast writes the series first
    bible = yaml.safe_load((d / "bible.yaml").read_text(encoding="utf-8"))
    ids = [c["id"] for c in bible["characters"]]
    assert summary["characters"] == [f"cast/{i}.png" for i in ids]
    assert summary["sets"] == [f"cast/sets/{loc['id']}.png" for loc in bible["locations"]]
    for c in bible["characters"]:  # the looks are written into the bible, editable
        assert c["look"]["hair_style"] and c["look"]["skin"].startswith("#")
    for loc in bible["locations"]:
        assert loc["look"]["kind"] != "other"
    for rel in [*summary["characters"], *summary["sets"]]:  # type: ignore[misc]
        with Image.open(d / rel) as img:
            assert img.format == "PNG" and img.width > 400 and img.height > 300
            px = np.asarray(img.convert("RGB"))
        assert px.std() > 20, f"{rel} is blank"
    again = cast(d)
    assert again["ran"] == [] and len(again["skipped"]) == len(summary["ran"])  # type: ignore[arg-type]


def test_editing_one_look_redraws_only_that_sheet(tmp_path: Path) -> None:
    d = project(tmp_path)
    cast(d)
    bible_path = d / "bible.yaml"
    bible = yaml.safe_load(bible_path.read_text(encoding="utf-8"))
    first = bible["characters"][0]
    before = (d / f"cast/{first['id']}.png").read_bytes()
    first["look"]["hair"] = "#1f8f4f"  # dyed green
    bible_path.write_text(yaml.safe_dump(bible, sort_keys=False, allow_unicode=True), "utf-8")
    summary = cast(d)
    assert summary["ran"] == [first["id"]]
    after = (d / f"cast/{first['id']}.png").read_bytes()
    assert after != before


def test_same_seed_same_pictures(tmp_path: Path) -> None:
    a, b = project(tmp_path, "a"), project(tmp_path, "b")
    sa, sb = cast(a), cast(b)
    assert sa["characters"] == sb["characters"]
    for rel in [*sa["characters"], *sa["sets"]]:  # type: ignore[misc]
        assert (a / rel).read_bytes() == (b / rel).read_bytes(), rel


def test_unknown_provider_is_a_usage_error_naming_the_choices(tmp_path: Path) -> None:
    d = project(tmp_path)
    with (d / "cliffhanger.toml").open("a", encoding="utf-8") as fh:
        fh.write('provider = "sculptor"\n')  # lands in the [cast] section appended above
    code, out = cli("cast", str(d), "--json")
    assert code != 0
    error = json.loads(out)["error"]
    assert "sculptor" in error and "puppet" in error and "files" in error


def test_files_provider_names_a_missing_picture_and_keeps_what_was_drawn(tmp_path: Path) -> None:
    d = project(tmp_path)
    cast(d)
    kept = {p: p.read_bytes() for p in (d / "cast").rglob("*.png")}
    with (d / "cliffhanger.toml").open("a", encoding="utf-8") as fh:
        fh.write('provider = "files"\n')
    (d / "looks").mkdir()
    code, out = cli("cast", str(d), "--json")
    assert code == 1
    error = json.loads(out)["error"]
    bible = yaml.safe_load((d / "bible.yaml").read_text(encoding="utf-8"))
    first = bible["characters"][0]["id"]
    assert f"looks/{first}.png" in error and f"looks/{first}/neutral.png" in error
    assert {p: p.read_bytes() for p in (d / "cast").rglob("*.png")} == kept


def test_image_provider_end_to_end_through_the_cli(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    d = project(tmp_path)
    with FakeImageServer(scale=0.25) as server:
        monkeypatch.setenv("CLIFFHANGER_CAST__PROVIDER", "image")
        monkeypatch.setenv("CLIFFHANGER_IMAGE__BASE_URL", server.base_url)
        summary = cast(d)
        paid = len(server.requests)
        again = cast(d)
    assert summary["provider"] == "image" and again["ran"] == []
    assert paid > 0 and len(server.requests) == paid  # fresh sheets ask for nothing
    for rel in summary["characters"]:  # type: ignore[attr-defined]
        with Image.open(d / rel) as img:
            assert img.width > 400
