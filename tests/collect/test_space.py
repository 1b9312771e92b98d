"""The Gradio leaderboard Space (templates/space/app.py), rendered in headless Chromium."""

from __future__ import annotations

import html
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from collect_helpers import DATASET
from collect_world import expected_main_table, expected_rows

CHROMIUM = shutil.which("chromium")
APP = Path(__file__).resolve().parents[2] / "templates" / "space" / "app.py"
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="Debian's `chromium` package is not installed (apt-get install -y chromium)"
)


_CELL = re.compile(r'data-testid="cell-(\d+)-(\d+)"')


def table_cells(dom: str) -> dict[int, list[str]]:
    """Text of the rendered Gradio table cells (``data-testid="cell-ROW-COL"``), by data row."""
    marks = list(_CELL.finditer(dom))
    rows: dict[int, list[str]] = {}
    for mark, following in zip(marks, [*marks[1:], None], strict=True):
        segment = dom[mark.end(): following.start() if following else mark.end() + 2000]
        segment = segment.split(">", 1)[-1]  # drop the rest of this cell's opening tag
        if following is not None:
            segment = segment.rsplit("<", 1)[0]  # and the start of the next cell's
        text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", segment)).split())
        rows.setdefault(int(mark.group(1)), []).append(text)
    return rows


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    flags = [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        f"--user-data-dir={tmp_path / 'chromium-profile'}", "--window-size=1400,1800", "--virtual-time-budget=20000",
    ]
    return subprocess.run([CHROMIUM, *flags, *args], capture_output=True, text=True, timeout=120, check=False)


def test_space_renders_the_leaderboard_with_the_expected_first_row(published, tmp_path) -> None:
    pytest.importorskip("gradio", reason="the Space needs the optional extra: pip install 'ffasr-eval[space]'")
    port = _free_port()
    env = {
        **os.environ, "BENCHMARK_REPO": DATASET, "BENCHMARK_REVISION": published.report.commit,
        "HF_ENDPOINT": published.endpoint, "HF_HOME": str(tmp_path / "hf"), "PORT": str(port),
        "GRADIO_ANALYTICS_ENABLED": "False",
    }
    url = f"http://127.0.0.1:{port}/"
    server = subprocess.Popen([sys.executable, str(APP)], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 90
        while True:
            assert server.poll() is None, f"the Space exited:\n{server.stdout.read()}"
            try:
                if httpx.get(url, timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "the Space did not start within 90 s"
            time.sleep(0.5)
        dom = _chromium(tmp_path, "--dump-dom", url)
        screenshot = tmp_path / "space.png"
        _chromium(tmp_path, f"--screenshot={screenshot}", url)
    finally:
        server.terminate()
        server.wait(timeout=30)
    (tmp_path / "space.html").write_text(dom.stdout, encoding="utf-8")
    rows = table_cells(dom.stdout)
    assert 0 in rows, f"no table cells rendered (page saved to {tmp_path / 'space.html'})"
    rank, model, average, status = expected_main_table(expected_rows(published.world))[0]
    first = rows[0]
    assert first[0] == str(rank) and first[1] == model
    numbers = [float(cell) for cell in first if re.fullmatch(r"[0-9]+(\.[0-9]+)?", cell)]
    assert any(abs(number - average) < 0.006 for number in numbers), (average, first)
    assert status in " ".join(first)
    assert screenshot.read_bytes().startswith(b"\x89PNG") and screenshot.stat().st_size > 20_000
    print(f"Space screenshot: {screenshot}")
