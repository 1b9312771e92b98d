"""The first-run demo, end to end at a reduced size, in its own process (it sets HF_ENDPOINT)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest


@pytest.mark.slow
def test_the_demo_runs_every_stage_and_rejects_the_tampered_result(tmp_path) -> None:
    code = "from ffasr_eval._cli.main import main; main()"
    result = subprocess.run([sys.executable, "-c", code, "demo", "--n-utterances", "2", "--workdir", str(tmp_path)],
                            capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    out = result.stdout
    assert out.count("✓") == 6 and all(f"{stage}. " in out for stage in range(1, 7))  # every stage passed
    assert "invalid" in out  # the tampered copy is not shown, with its reason
    board = json.loads((tmp_path / "leaderboard/leaderboard/leaderboard.json").read_text())
    assert board  # the published table
    assert (tmp_path / "leaderboard/leaderboard/pareto.png").stat().st_size > 0
