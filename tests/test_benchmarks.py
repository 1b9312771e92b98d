"""Every script in benchmarks/ still runs, on tiny sizes (the figures themselves are not judged here)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ffasr_eval.signing import verify_path

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"

TINY = {
    "scoring.py": ["--n", "300"],
    "hub.py": ["--n", "20", "--latency", "10", "--big-mb", "0"],
    "signing.py": ["--tokens", "50"],
    "collect.py": ["--n", "6", "--changed", "2"],
    "runner.py": ["--n", "4", "--repeat", "1"],
    "simulate.py": ["--n", "4"],
}


def _run(script: str, *args: str, cwd: Path) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HF_")}  # scripts start their own Hubs
    result = subprocess.run([sys.executable, str(BENCHMARKS / script), *args], capture_output=True, text=True,
                            timeout=600, cwd=cwd, env=env)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    return result.stdout


def test_every_benchmark_script_is_covered() -> None:
    assert {p.name for p in BENCHMARKS.glob("*.py")} == {*TINY, "baseline.py"}


@pytest.mark.parametrize("script", sorted(TINY))
def test_benchmark_script_runs(script, tmp_path) -> None:
    assert _run(script, *TINY[script], cwd=tmp_path).strip()


def test_the_baseline_script_writes_results_that_verify(tmp_path) -> None:
    out = _run("baseline.py", "--n", "5", "--workdir", str(tmp_path / "work"), "--write", str(tmp_path / "repo"),
               cwd=tmp_path)
    assert "near_field" in out and "far_snr0" in out
    (verdicts,) = verify_path(tmp_path / "repo", model_repo="ffasr/pocketsphinx-en-us").values()
    assert len(verdicts) == 7 and {v.status for v in verdicts} == {"signed"}
    assert (tmp_path / "repo" / "evaluators.yaml").is_file()
    assert not list((tmp_path / "repo").rglob("*.pem"))  # the private key is never written
