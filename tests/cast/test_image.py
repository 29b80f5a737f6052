"""The ``image`` cast provider over real HTTP against the in-package fake images server."""

from __future__ import annotations

import base64
import json
import pickle
from collections.abc import Iterator
from pathlib import Path

import httpx
import numpy as np
import pytest

from cliffhanger.cast.base import CASTERS, Pose
from cliffhanger.cast.image import ImageCaster, ImageClient
from cliffhanger.cast.image.client import CACHE_DIR, LEDGER
from cliffhanger.cast.image.fake_server import FakeImageServer
from cliffhanger.cast.pictures import decode_png, to_rgba
from cliffhanger.errors import ProviderError
from cliffhanger.model.bible import Appearance, Character, Location, Role
from cliffhanger.model.look import Look, SetLook
from cliffhanger.settings import SeriesSettings, Settings

KEY = "sk-test-secret-4242"
STYLE = "soft watercolour webtoon"
LOOK = Look(
    skin="#e0b899",
    hair="#8d3f1f",
    hair_style="low_bun",
    eyes="#2f6b3a",
    outfit="blazer",
    colors=("#1f2a44", "#e8e4dc"),
    accessories=("glasses", "pearls"),
)
LILY = Character(
    id="lily",
    name="Lily",
    role=Role.LEAD,
    want="the truth",
    appearance=Appearance(age=24, gender="female", outfit="a maid's uniform"),
)
OFFICE = Location(id="office", name="Gu Corp CEO Office", kind="ceo_office", time_of_day="night")
OFFICE_LOOK = SetLook(kind="ceo_office", time_of_day="night", weather="rain")


@pytest.fixture
def server() -> Iterator[FakeImageServer]:
    with FakeImageServer(scale=0.25) as fake:  # 256×384 pictures: fast
        yield fake


def caster_for(
    server: FakeImageServer, state: Path, *, key: str | None = None, **options: object
) -> ImageCaster:
    client = ImageClient(
        server.base_url, "fake-image", state_dir=state, api_key=key, backoff_s=0.001, **options
    )
    return ImageCaster(client, style=STYLE)


def mask_of(request_body: dict[str, object]) -> np.ndarray:
    data = request_body["mask"]
    assert isinstance(data, bytes)
    return to_rgba(decode_png(data))


def test_a_portrait_asks_for_the_look_on_a_transparent_background(
    server: FakeImageServer, tmp_path: Path
) -> None:
    sprite = caster_for(server, tmp_path).actor(LILY, LOOK).draw(Pose("left", "happy"), 300)

    front, posed = server.requests  # the front portrait, then this pose drawn from it
    body = front.body
    assert front.path == "/v1/images/generations"
    assert body["background"] == "transparent" and body["size"] == "1024x1536"
    assert (body["model"], body["output_format"], body["n"]) == ("fake-image", "png", 1)
    prompt = body["prompt"]
    for words in ("low bun", "auburn (#8d3f1f) hair", "#2f6b3a", "blazer", "glasses", "pearls"):
        assert words in prompt
    for words in (STYLE, "24-year-old female", "maid's uniform", "facing the viewer"):
        assert words in prompt
    assert "transparent background" in prompt and "same character" in prompt

    assert posed.path == "/v1/images/edits" and "mask" not in posed.body
    assert posed.body["background"] == "transparent"
    pose_prompt = posed.body["prompt"]
    for words in ("reference image", "facing left", "smile", "low bun", "blazer"):
        assert words in pose_prompt
    reference = posed.body["image"]
    assert isinstance(reference, bytes) and decode_png(reference).size == (256, 384)

    assert sprite.rgba.shape == (300, 200, 4)
    transparent = sprite.rgba[..., 3] == 0
    assert transparent.any() and not sprite.rgba[transparent].any()  # straight alpha, zeroed
    fx0, fy0, fx1, fy1 = sprite.face
    assert 40 < fx0 < fx1 < 160 and fy0 < fy1 < 150  # the head at the top centre


def test_every_pose_is_drawn_from_the_front_portrait_so_the_person_stays(
    server: FakeImageServer, tmp_path: Path
) -> None:
    actor = caster_for(server, tmp_path).actor(LILY, LOOK)
    poses = [Pose("left", "angry"), Pose("right", "sad"), Pose("front", "shocked")]
    drawn = [actor.draw(p, 384) for p in poses]
    generations = [r for r in server.requests if r.path.endswith("/generations")]
    assert len(generations) == 1  # one portrait, asked once; the rest are drawn from it
    references = {r.body["image"] for r in server.requests if r.path.endswith("/edits")}
    assert len(references) == 1

    def colours(rgba: np.ndarray) -> set[tuple[int, ...]]:
        return {tuple(c) for c in rgba[rgba[..., 3] == 255][:, :3].tolist()}

    first = colours(drawn[0].rgba)
    assert all(colours(d.rgba) == first for d in drawn[1:])  # the same person throughout
    assert (drawn[0].rgba != drawn[1].rgba).any()  # in another pose


def test_a_mouth_shape_is_an_edit_masked_exactly_to_the_mouth(
    server: FakeImageServer, tmp_path: Path
) -> None:
    actor = caster_for(server, tmp_path).actor(LILY, LOOK)
    rest = actor.draw(Pose(), 384)  # the fake's own size: boxes are in its pixels
    open_a = actor.draw(Pose(mouth="a"), 384)

    edit = server.requests[-1]
    assert edit.path == "/v1/images/edits"
    assert edit.headers["content-type"].startswith("multipart/form-data")
    assert "saying 'ah'" in edit.body["prompt"] and isinstance(edit.body["image"], bytes)
    mask = mask_of(edit.body)
    assert mask.shape[:2] == decode_png(edit.body["image"]).size[::-1]
    x0, y0, x1, y1 = open_a.mouth
    expected = np.zeros(mask.shape[:2], dtype=bool)
    expected[y0:y1, x0:x1] = True
    assert ((mask[..., 3] == 0) == expected).all()

    changed = (rest.rgba != open_a.rgba).any(axis=2)
    assert changed.any() and not changed[~expected].any()  # only the mouth moves
    assert rest.mouth == open_a.mouth and rest.face == open_a.face


def test_a_blink_is_an_edit_over_the_eyes(server: FakeImageServer, tmp_path: Path) -> None:
    sprite = caster_for(server, tmp_path).actor(LILY, LOOK).draw(Pose(blink=True), 384)

    edit = server.requests[-1]
    assert "eyes closed" in edit.body["prompt"]
    ys, xs = np.nonzero(mask_of(edit.body)[..., 3] == 0)
    fx0, fy0, fx1, _ = sprite.face
    assert fx0 <= xs.min() and xs.max() < fx1 and fy0 <= ys.min() and ys.max() < sprite.mouth[1]


def test_pictures_are_paid_once_even_across_processes(
    server: FakeImageServer, tmp_path: Path
) -> None:
    poses = [Pose(), Pose(mouth="ou"), Pose("right", "angry", blink=True)]
    first = caster_for(server, tmp_path, usd_per_image=0.04)
    drawn = [first.actor(LILY, LOOK).draw(p, 200).rgba for p in poses]
    paid = len(server.requests)
    assert paid == 4  # the front portrait, a mouth edit, a pose drawn from it, a blink edit

    again = pickle.loads(pickle.dumps(caster_for(server, tmp_path, usd_per_image=0.04)))
    redrawn = [again.actor(LILY, LOOK).draw(p, 200).rgba for p in poses]
    assert len(server.requests) == paid
    assert all((a == b).all() for a, b in zip(drawn, redrawn, strict=True))

    ledger = [json.loads(line) for line in (tmp_path / LEDGER).read_text().splitlines()]
    assert len(ledger) == 4 and sum(line["usd"] for line in ledger) == pytest.approx(0.16)
    assert {line["endpoint"] for line in ledger} == {"generations", "edits"}
    assert len(list((tmp_path / CACHE_DIR).glob("*.png"))) == 4


def test_429_is_retried_after_the_servers_retry_after(tmp_path: Path) -> None:
    sleeps: list[float] = []
    with FakeImageServer(scale=0.25, fail_times=2, fail_status=429, retry_after=0.02) as server:
        caster = caster_for(server, tmp_path, sleep=sleeps.append)
        sprite = caster.actor(LILY, LOOK).draw(Pose(), 100)
    assert sleeps == [0.02, 0.02] and len(server.requests) == 3
    assert sprite.rgba.shape[0] == 100


def test_a_server_that_keeps_failing_is_named_with_what_to_do(tmp_path: Path) -> None:
    with FakeImageServer(scale=0.25, fail_times=9, fail_status=503) as server:
        caster = caster_for(server, tmp_path, max_retries=1)
        with pytest.raises(ProviderError) as caught:
            caster.set(OFFICE, OFFICE_LOOK, 540, 960)
    message = str(caught.value)
    assert "HTTP 503 after 2 tries" in message and "CLIFFHANGER_IMAGE__MAX_RETRIES" in message
    assert not (tmp_path / LEDGER).exists()  # nothing was paid for


def test_the_key_is_sent_as_bearer_and_kept_out_of_everything_written(
    tmp_path: Path,
) -> None:
    with FakeImageServer(scale=0.25, api_key=KEY) as server:
        caster = caster_for(server, tmp_path, key=KEY)
        caster.actor(LILY, LOOK).draw(Pose(mouth="a"), 200)
        caster.set(OFFICE, OFFICE_LOOK, 540, 960)
    assert {r.headers["authorization"] for r in server.requests} == {f"Bearer {KEY}"}
    written = b"".join(p.read_bytes() for p in tmp_path.rglob("*") if p.is_file())
    assert written and KEY.encode() not in written
    assert KEY not in repr(caster) + caster.fingerprint()


def test_a_wrong_key_is_a_clear_error_that_does_not_echo_it(tmp_path: Path) -> None:
    with FakeImageServer(scale=0.25, api_key=KEY) as server:
        caster = caster_for(server, tmp_path, key="sk-wrong-1111")
        with pytest.raises(ProviderError) as caught:
            caster.actor(LILY, LOOK).draw(Pose(), 200)
    message = str(caught.value)
    assert "HTTP 401" in message and "CLIFFHANGER_IMAGE__API_KEY" in message
    assert "sk-wrong-1111" not in message and KEY not in message
    assert len(server.requests) == 1  # a refusal is not retried


def test_an_unreachable_server_says_how_to_point_at_one(tmp_path: Path) -> None:
    with FakeImageServer() as server:
        url = server.base_url  # closed below: nothing listens there any more
    client = ImageClient(url, "m", state_dir=tmp_path, max_retries=1, sleep=lambda s: None)
    with pytest.raises(ProviderError) as caught:
        ImageCaster(client, style=STYLE).set(OFFICE, OFFICE_LOOK, 540, 960)
    assert "cannot reach the image server" in str(caught.value)
    assert "CLIFFHANGER_IMAGE__BASE_URL" in str(caught.value)


def test_a_set_is_one_opaque_layer_of_an_empty_vertical_room(
    server: FakeImageServer, tmp_path: Path
) -> None:
    plate = caster_for(server, tmp_path).set(OFFICE, OFFICE_LOOK, 540, 960)

    (request,) = server.requests
    assert "background" not in request.body
    prompt = request.body["prompt"]
    for words in ("Gu Corp CEO Office", "ceo office", "night", "rain", "9:16", "no people"):
        assert words in prompt
    (layer,) = plate.layers
    assert layer.rgba.shape[:2] == (
        round(960 * (1 + 2 * plate.margin)),
        round(540 * (1 + 2 * plate.margin)),
    )
    assert (layer.rgba[..., 3] == 255).all() and (layer.depth, layer.blur) == (0.0, 0.0)


def test_the_registry_builds_it_from_settings_with_the_env_key(
    server: FakeImageServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    image = {"base_url": server.base_url, "model": "m2", "quality": "high", "style": STYLE}
    settings = Settings(series=SeriesSettings(premise="x"), image=image)
    caster = CASTERS.create("image", settings, tmp_path)
    caster.set(OFFICE, OFFICE_LOOK, 540, 960)

    assert server.requests[0].headers["authorization"] == f"Bearer {KEY}"
    assert server.requests[0].body["quality"] == "high"
    assert (tmp_path / ".cliffhanger" / LEDGER).is_file()
    fingerprint = caster.fingerprint()
    assert all(part in fingerprint for part in (server.base_url, "m2", "high", STYLE))
    assert KEY not in fingerprint


def test_the_fake_refuses_bad_requests_in_the_openai_shape(server: FakeImageServer) -> None:
    url = server.base_url
    with httpx.Client() as http:
        no_prompt = http.post(f"{url}/images/generations", json={"model": "m"})
        no_image = http.post(f"{url}/images/edits", data={"model": "m", "prompt": "p"}, files={})
        image = base64.b64decode(
            http.post(
                f"{url}/images/generations", json={"model": "m", "prompt": "p", "size": "64x64"}
            ).json()["data"][0]["b64_json"]
        )
        bad_mask = http.post(
            f"{url}/images/edits",
            data={"model": "m", "prompt": "p"},
            files={"image": ("i.png", image), "mask": ("m.png", image[:40])},
        )
    assert no_prompt.status_code == 400
    assert no_prompt.json()["error"]["message"] == "Missing required parameter: 'prompt'."
    assert no_prompt.json()["error"]["type"] == "invalid_request_error"
    assert no_image.status_code == 400 and bad_mask.status_code == 400
    assert "mask" in bad_mask.json()["error"]["message"]
