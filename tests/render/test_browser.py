"""A rendered episode plays in a real browser (Chromium, headless): codecs, faststart, size."""

from __future__ import annotations

import json
import re
import shutil
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser

PAGE = """<!doctype html><meta charset="utf-8">
<video id="v" muted autoplay playsinline src="ep001.mp4"></video>
<script>
  window.played = new Promise((resolve) => {
    const v = document.getElementById("v");
    v.addEventListener("playing", () => resolve("playing"), {once: true});
    v.addEventListener("error", () => resolve("error " + (v.error && v.error.code)));
  });
</script>
"""

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--autoplay-policy=no-user-gesture-required",
]


RANGES_SERVED: list[str] = []


class RangeHandler(SimpleHTTPRequestHandler):
    """Static files with ``Range: bytes=a-b`` answered 206, as browsers expect for media."""

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def send_head(self) -> Any:
        match = re.fullmatch(r"bytes=(\d*)-(\d*)", self.headers.get("Range", ""))
        path = Path(self.translate_path(self.path))
        if not match or not path.is_file():
            return super().send_head()
        size = path.stat().st_size
        first, last = match.groups()
        start = int(first) if first else max(size - int(last or 0), 0)
        end = min(int(last), size - 1) if first and last else size - 1
        if start >= size or start > end:
            self.send_error(416, "Requested Range Not Satisfiable")
            return None
        RANGES_SERVED.append(self.headers["Range"])
        body = path.open("rb")
        body.seek(start)
        self.send_response(206)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        self.send_header("Content-Length", str(end - start + 1))
        self.end_headers()
        self.remaining = end - start + 1
        return body

    def copyfile(self, source: Any, outputfile: Any) -> None:
        remaining = getattr(self, "remaining", None)
        if remaining is None:
            super().copyfile(source, outputfile)
            return
        while remaining > 0:
            chunk = source.read(min(64 * 1024, remaining))
            if not chunk:
                break
            outputfile.write(chunk)
            remaining -= len(chunk)


@pytest.fixture
def site(tmp_path: Path, rendered: Path) -> Iterator[str]:
    RANGES_SERVED.clear()
    shutil.copyfile(rendered / "out/en/ep001.mp4", tmp_path / "ep001.mp4")  # our own render
    (tmp_path / "index.html").write_text(PAGE)

    def handler(*args: Any) -> RangeHandler:
        return RangeHandler(*args, directory=str(tmp_path))

    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_the_episode_plays_in_chromium(site: str, rendered: Path) -> None:
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.skip("no chromium on PATH (Debian package 'chromium')")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.goto(site + "index.html")
            outcome = page.evaluate("window.played")
            assert outcome == "playing", f"the video did not play: MediaError {outcome}"
            page.wait_for_function("document.getElementById('v').currentTime > 1.0", timeout=10_000)
            state = page.evaluate(
                """() => { const v = document.getElementById('v');
                    return {error: v.error && v.error.code, w: v.videoWidth, h: v.videoHeight,
                             duration: v.duration}; }"""
            )
        finally:
            browser.close()
    assert RANGES_SERVED, "Chromium fetched the MP4 without a Range request"
    assert state["error"] is None
    assert (state["w"], state["h"]) == (540, 960)
    manifest = json.loads((rendered / "out/en/manifest.json").read_text(encoding="utf-8"))
    assert state["duration"] == pytest.approx(manifest["episodes"][0]["duration"], abs=0.1)
