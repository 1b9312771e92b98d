"""The repository's own `.eval_results/`: the bundled baseline's signed result on the bundled benchmark.

Written by ``python benchmarks/baseline.py --n 100 --write .``; these tests check what a reader of
the repository can check without re-running anything.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import jiwer
import pytest
import yaml
from click.testing import CliRunner
from inspect_ai.log import read_eval_log

from ffasr_eval._cli.main import cli
from ffasr_eval.results import load_results
from ffasr_eval.scoring import normalize
from ffasr_eval.signing import BenchmarkTrust, EvaluatorRegistry, open_token, verify_path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / ".eval_results"
MODEL_REPO = "ffasr/pocketsphinx-en-us"


@pytest.fixture(scope="module")
def entries():
    files = sorted(RESULTS.glob("*.yaml"))
    assert len(files) == 1, f"expected one result file in {RESULTS}"
    return load_results(files[0])


@pytest.mark.parametrize("extra", [[], ["--evaluators", "evaluators.yaml", "--model", MODEL_REPO]])
def test_ffasr_eval_verify_passes_on_the_bundled_results(extra, monkeypatch) -> None:
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(cli, ["verify", ".eval_results", *extra])
    assert result.exit_code == 0, result.output
    assert "0 invalid" in result.output and " signed" in result.output


def test_every_entry_is_signed_by_the_published_key_and_binds_the_committed_logs(entries) -> None:
    registry = EvaluatorRegistry.load(ROOT / "evaluators.yaml")
    verdicts = verify_path(ROOT, model_repo=MODEL_REPO, trust=BenchmarkTrust(evaluators=registry))
    (file_verdicts,) = verdicts.values()
    assert [v.status for v in file_verdicts] == ["signed"] * len(entries)
    assert {v.kid for v in file_verdicts} == {e.kid for e in registry.evaluators}
    payload = open_token(entries[0].verify_token).payload
    assert payload.model.repo_id == MODEL_REPO and payload.batch_size == 1
    assert all((ROOT / path).is_file() for path in payload.eval_logs)


def test_the_signed_values_follow_from_the_hypotheses_in_the_committed_logs(entries) -> None:
    by_task = {e.task_id: e for e in entries}
    checked = 0
    for entry in entries:
        if entry.task_id == "average" or not entry.source_url:
            continue
        log = read_eval_log(str(ROOT / entry.source_url))
        pairs = [(str(s.target), s.output.completion) for s in log.samples]
        if entry.task_id == "phonemes":  # PER over IPA segments, no text normalization
            value = jiwer.wer([r for r, _ in pairs], [h or "" for _, h in pairs])
        else:
            value = jiwer.wer([normalize(r) for r, _ in pairs], [normalize(h) for _, h in pairs])
        assert 100 * value == pytest.approx(entry.value, abs=0.01), entry.task_id
        checked += 1
    assert checked == len(by_task) - 1


def test_the_far_field_effect_is_in_the_bundled_results(entries) -> None:
    wer = {e.task_id: e.value for e in entries}
    ladder = ["near_field", "far_snr20", "far_snr10", "far_snr5", "far_snr0"]
    assert [wer[t] for t in ladder] == sorted(wer[t] for t in ladder)


def test_no_private_key_is_committed() -> None:
    marker = b"-----BEGIN " + b"PRIVATE KEY-----"  # split, so this file does not match itself
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    for name in filter(None, tracked.decode().split("\0")):
        path = ROOT / name
        if path.is_file() and path.stat().st_size < 5_000_000:
            assert marker not in path.read_bytes(), name


def test_editing_a_bundled_value_makes_verify_fail(tmp_path) -> None:
    shutil.copytree(RESULTS, tmp_path / ".eval_results")
    shutil.copytree(ROOT / "eval_logs", tmp_path / "eval_logs")
    (path,) = (tmp_path / ".eval_results").glob("*.yaml")
    entries = yaml.safe_load(path.read_text())
    entries[0]["value"] = round(entries[0]["value"] - 5, 2)
    path.write_text(yaml.safe_dump(entries, sort_keys=False))
    result = CliRunner().invoke(cli, ["verify", str(tmp_path / ".eval_results")])
    assert result.exit_code == 1 and "1 invalid" in result.output
