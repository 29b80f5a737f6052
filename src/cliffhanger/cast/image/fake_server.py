"""A fake OpenAI-compatible images server: real HTTP on 127.0.0.1, for tests and offline demos.

It answers ``POST /v1/images/generations`` (JSON) and ``POST /v1/images/edits``
(multipart/form-data) in the real wire format, checks the fields the real API requires
(OpenAI-style ``{"error": {...}}`` with 400 otherwise, 401 for a wrong key when ``api_key``
is set), can be told to fail, and records what it received::

    with FakeImageServer(fail_times=1, fail_status=429, retry_after=0.01) as server:
        client = ImageClient(server.base_url, "fake", state_dir=tmp)
        client.generate("a portrait", transparent=True, purpose="test")  # a 429, then a PNG
        server.requests[-1].body["background"]

Its pictures are deterministic, drawn from a SHA-256 of the prompt: a figure (head, hair,
shoulders) on a transparent background when ``background`` is ``transparent``, an opaque
scene otherwise; an edit repaints only the mask's transparent pixels. ``scale`` shrinks every
picture it makes (tests stay fast; clients must not assume the size they asked for).

Run ``python -m cliffhanger.cast.image.fake_server --port 8080`` to serve it until Ctrl-C.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import re
import time
from email import policy
from email.parser import BytesParser
from typing import Any

import numpy as np
from PIL import Image, ImageDraw

from cliffhanger.cast.pictures import decode_png, encode_png, has_alpha, to_rgba
from cliffhanger.fakehttp import FakeHandler, FakeServer, RecordedRequest, openai_error

_SIZE = re.compile(r"^(\d{2,4})x(\d{2,4})$")
_BACKGROUNDS = ("transparent", "opaque", "auto")
_FORMATS = ("png", "jpeg", "webp")


class BadRequest(Exception):
    """A request the real API would refuse with 400; the message is what it would say."""


__all__ = ["FakeImageServer", "RecordedRequest", "figure", "main", "scene"]


class FakeImageServer(FakeServer):
    """A background ``ThreadingHTTPServer``; use as a context manager, read ``base_url``.

    Failure knobs: the next ``fail_times`` valid requests answer ``fail_status`` (with
    ``Retry-After`` when ``retry_after`` is set); ``api_key`` makes a matching bearer key
    required (401 otherwise).
    """

    name = "fake-image-server"

    def __init__(
        self,
        *,
        api_key: str | None = None,
        fail_times: int = 0,
        fail_status: int = 500,
        retry_after: float | None = None,
        scale: float = 1.0,
        port: int = 0,
    ) -> None:
        super().__init__(
            _Handler,
            api_key=api_key,
            fail_times=fail_times,
            fail_status=fail_status,
            retry_after=retry_after,
            port=port,
        )
        self.scale = scale

    def _size(self, size: str) -> tuple[int, int]:
        w, h = (1024, 1536) if size == "auto" else _parse_size(size)
        return max(8, round(w * self.scale)), max(8, round(h * self.scale))

    def generate(self, body: dict[str, Any]) -> bytes:
        """A PNG for a ``/images/generations`` body (already checked)."""
        prompt = body["prompt"]
        size = self._size(str(body.get("size", "auto")))
        if body.get("background") == "transparent":
            return encode_png(figure(prompt, size))
        return encode_png(scene(prompt, size))

    def edit(self, body: dict[str, Any]) -> bytes:
        """The image of an ``/images/edits`` body, repainted where its mask is transparent.
        Without a mask the image is a reference: a new figure in the reference's colours,
        posed by the prompt (as a real model keeps a person and changes the pose)."""
        image = to_rgba(decode_png(body["image"]))
        if "mask" not in body:
            size = (image.shape[1], image.shape[0])
            colours = hashlib.sha256(body["image"]).hexdigest()
            return encode_png(figure(colours, size, lean=_lean(body["prompt"])))
        where = to_rgba(decode_png(body["mask"]))[..., 3] == 0
        colour = _palette(body["prompt"])[0]
        out = image.copy()
        out[where, :3] = colour
        out[where & (out[..., 3] == 0), 3] = 255  # an edit may paint into the background
        return encode_png(out)


def _parse_size(size: str) -> tuple[int, int]:
    match = _SIZE.match(size)
    if not match:
        raise BadRequest(f"Invalid size '{size}'. Use e.g. '1024x1536' or 'auto'.")
    return int(match[1]), int(match[2])


def _palette(prompt: str) -> list[tuple[int, int, int]]:
    digest = hashlib.sha256(prompt.encode("utf-8")).digest()
    return [(digest[i], digest[i + 1], digest[i + 2]) for i in range(0, 30, 3)]


def _lean(prompt: str) -> float:
    """Where the prompt turns the head: −1 facing left, 1 facing right, 0 to the front."""
    return -1.0 if "facing left" in prompt else 1.0 if "facing right" in prompt else 0.0


def figure(
    prompt: str, size: tuple[int, int], lean: float = 0.0
) -> np.ndarray[Any, np.dtype[np.uint8]]:
    """A half-body figure on a transparent background, coloured from the prompt; ``lean``
    turns the head (features shift toward the side it faces)."""
    w, h = size
    skin, hair, outfit, eyes, *_ = _palette(prompt)
    image = Image.new("RGBA", size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((w * 0.18, h * 0.5, w * 0.82, h), radius=w // 8, fill=outfit)
    draw.rectangle((w * 0.44, h * 0.36, w * 0.56, h * 0.52), fill=skin)  # the neck
    draw.ellipse((w * 0.3, h * 0.08, w * 0.7, h * 0.42), fill=hair)
    draw.ellipse((w * 0.34, h * 0.14, w * 0.66, h * 0.42), fill=skin)
    for x in (0.43 + 0.05 * lean, 0.57 + 0.05 * lean):
        draw.ellipse((w * (x - 0.03), h * 0.25, w * (x + 0.03), h * 0.28), fill=eyes)
    draw.line((w * 0.45, h * 0.35, w * 0.55, h * 0.35), fill=(120, 40, 40), width=max(1, h // 200))
    return np.asarray(image, dtype=np.uint8).copy()


def scene(prompt: str, size: tuple[int, int]) -> np.ndarray[Any, np.dtype[np.uint8]]:
    """An opaque room: a wall, a floor and a few panels, coloured from the prompt."""
    w, h = size
    wall, floor, *panels = _palette(prompt)
    image = Image.new("RGBA", size, (*wall, 255))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, h * 0.68, w, h), fill=floor)
    for i, colour in enumerate(panels[:4]):
        x = w * (0.08 + 0.23 * i)
        draw.rectangle((x, h * 0.2, x + w * 0.16, h * 0.55), fill=colour)
    return np.asarray(image, dtype=np.uint8).copy()


def _check_generation(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise BadRequest("The body must be a JSON object.")
    _check_common(body)
    if body.get("background", "auto") not in _BACKGROUNDS:
        raise BadRequest(f"Invalid value for 'background': must be one of {list(_BACKGROUNDS)}.")
    fmt = body.get("output_format", "png")
    if fmt not in _FORMATS:
        raise BadRequest(f"Invalid value for 'output_format': must be one of {list(_FORMATS)}.")
    if body.get("background") == "transparent" and fmt == "jpeg":
        raise BadRequest("Transparent background is not supported for the jpeg output format.")
    return body


def _check_edit(body: dict[str, Any]) -> dict[str, Any]:
    _check_common(body)
    if not isinstance(body.get("image"), bytes):
        raise BadRequest("Missing required parameter: 'image'.")
    try:
        image = decode_png(body["image"])
    except ValueError:
        raise BadRequest("Invalid image file: it must be a PNG.") from None
    if "mask" in body:
        try:
            mask = decode_png(body["mask"])
        except ValueError:
            raise BadRequest("Invalid mask file: it must be a PNG.") from None
        if not has_alpha(mask):
            raise BadRequest("Invalid mask image: it must have an alpha channel.")
        if mask.size != image.size:
            raise BadRequest("Invalid mask image: it must be the same size as the image.")
    return body


def _check_common(body: dict[str, Any]) -> None:
    for field in ("model", "prompt"):
        if not isinstance(body.get(field), str) or not body[field].strip():
            raise BadRequest(f"Missing required parameter: '{field}'.")
    if str(body.get("n", 1)) != "1":
        raise BadRequest("This fake makes one image per request: 'n' must be 1.")
    _parse_size(str(body.get("size", "1024x1536")).replace("auto", "1024x1536"))


def _multipart(content_type: str, raw: bytes) -> dict[str, Any]:
    if not content_type.startswith("multipart/form-data"):
        raise BadRequest("The body must be multipart/form-data.")
    head = f"Content-Type: {content_type}\r\n\r\n".encode()
    message = BytesParser(policy=policy.HTTP).parsebytes(head + raw)
    fields: dict[str, Any] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        data = part.get_payload(decode=True)
        if not isinstance(name, str) or not isinstance(data, bytes):
            raise BadRequest("Every multipart part needs a name.")
        fields[name] = data if part.get_filename() else data.decode("utf-8")
    return fields


class _Handler(FakeHandler):
    @property
    def fake(self) -> FakeImageServer:
        fake = self.server.fake
        assert isinstance(fake, FakeImageServer)
        return fake

    def do_POST(self) -> None:
        fake = self.fake
        raw = self.read_body()
        route = self.path.rstrip("/")
        if route not in ("/v1/images/generations", "/v1/images/edits"):
            self.record("POST", {})
            self.send_json(404, openai_error(f"no route {self.path}", "not_found"))
            return
        if not self.authorized():  # the real API checks the key before the body
            self.record("POST", {})
            self.send_json(
                401, openai_error("Incorrect API key provided.", "invalid_request_error")
            )
            return
        try:
            if route.endswith("generations"):
                body = _check_generation(json.loads(raw or b"null"))
            else:
                body = _check_edit(_multipart(self.headers.get("Content-Type", ""), raw))
        except (BadRequest, ValueError) as e:
            self.record("POST", {})
            self.send_json(400, openai_error(str(e), "invalid_request_error"))
            return
        self.record("POST", body)
        if fake.take_failure():
            self.send_failure()
        else:
            png = fake.generate(body) if route.endswith("generations") else fake.edit(body)
            answer = {
                "created": int(time.time()),
                "data": [{"b64_json": base64.b64encode(png).decode("ascii")}],
                "usage": {"input_tokens": len(body["prompt"]) // 4, "output_tokens": 1056},
            }
            self.send_json(200, answer)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Serve the fake OpenAI-compatible images API.")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--api-key", default=None, help="require this bearer key")
    parser.add_argument("--scale", type=float, default=1.0, help="shrink every picture")
    args = parser.parse_args(argv)
    server = FakeImageServer(api_key=args.api_key, scale=args.scale, port=args.port)
    url = server.base_url
    server.serve_until_interrupted(f"fake images API at {url}  (CLIFFHANGER_IMAGE__BASE_URL={url})")


if __name__ == "__main__":
    main()
