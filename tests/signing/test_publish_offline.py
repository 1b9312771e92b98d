"""Preparing a result from a run folder, and writing it without a Hub (`submit --out`)."""

from __future__ import annotations

import hashlib

import pytest
from click.testing import CliRunner

from ffasr_eval._cli.main import cli
from ffasr_eval.errors import SigningError, SubmitError
from ffasr_eval.publish import prepare_result, render_pr_description, write_result
from ffasr_eval.signing import (
    BenchmarkTrust,
    EvaluatorRegistry,
    create_key,
    default_key_path,
    open_token,
    resolve_key,
    verify_path,
)

from signing_helpers import DATASET, MODEL, MODEL_SHA


def test_prepared_result_binds_logs_and_revisions(run_dir, official_key) -> None:
    folder = run_dir()
    prepared = prepare_result(folder, MODEL, model_revision=MODEL_SHA, key=official_key, submitter="alice",
                              log_base_url="http://hub/alice/asr-model/blob/main")
    (log,) = prepared.logs
    assert log == "eval_logs/far-field-bench/run-2026-11-23-sphinx/run.eval"
    assert prepared.payload.eval_logs == {log: hashlib.sha256((folder / "logs" / "run.eval").read_bytes()).hexdigest()}
    assert prepared.payload.model.revision == MODEL_SHA and prepared.payload.iss == "ffasr"
    assert {e.source_url for e in prepared.entries} == {f"http://hub/alice/asr-model/blob/main/{log}"}
    assert open_token(prepared.entries[0].verify_token).payload == prepared.payload


def test_write_result_then_verify(tmp_path, run_dir) -> None:
    key = create_key(tmp_path / "demo.pem", owner="ffasr-demo")
    prepared = prepare_result(run_dir(), MODEL, model_revision=MODEL_SHA, key=key)
    written = write_result(prepared, tmp_path / "repo")
    assert [p.relative_to(tmp_path / "repo").as_posix() for p in written] == [
        ".eval_results/far-field-bench.yaml", "eval_logs/far-field-bench/run-2026-11-23-sphinx/run.eval"]
    registry = EvaluatorRegistry.model_validate({"evaluators": [key.evaluator_entry(role="community")]})
    (verdicts,) = verify_path(tmp_path / "repo", model_repo=MODEL, trust=BenchmarkTrust(evaluators=registry)).values()
    assert {v.status for v in verdicts} == {"signed"}


def test_submit_out_writes_files_offline(tmp_path, run_dir) -> None:
    create_key(tmp_path / "k.pem", owner="alice")
    result = CliRunner().invoke(cli, ["submit", str(run_dir()), "--model", MODEL, "--key", str(tmp_path / "k.pem"),
                                      "--model-revision", MODEL_SHA, "--out", str(tmp_path / "repo")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "repo" / ".eval_results" / "far-field-bench.yaml").is_file()
    assert "signed with key" in result.output and "= average" in result.output


@pytest.mark.parametrize(
    ("summary_args", "call_args", "message"),
    [
        ({"benchmark_id": "/data/bench", "benchmark_revision": None}, {}, "used the local benchmark folder /data/bench"),
        ({}, {"benchmark_repo": "other/bench"}, f"evaluated benchmark {DATASET}, not other/bench"),
        ({}, {"model_revision": None}, "did not record a model revision"),
    ],
)
def test_unusable_runs_are_refused(run_dir, make_summary, summary_args, call_args, message) -> None:
    folder = run_dir(make_summary(**summary_args))
    with pytest.raises(SubmitError, match=message):
        prepare_result(folder, MODEL, **{"model_revision": MODEL_SHA, **call_args})


def test_run_of_another_model_is_refused(run_dir, make_summary) -> None:
    summary = make_summary()
    summary = summary.model_copy(update={"model": summary.model.model_copy(update={"repo_id": "openai/whisper-tiny"})})
    with pytest.raises(SubmitError, match="evaluated openai/whisper-tiny, not alice/asr-model"):
        prepare_result(run_dir(summary), MODEL, model_revision=MODEL_SHA)


def test_run_without_logs_is_refused(run_dir) -> None:
    folder = run_dir()
    (folder / "logs" / "run.eval").unlink()
    with pytest.raises(SubmitError, match="lacks the Inspect logs its scores come from .*logs/run.eval"):
        prepare_result(folder, MODEL, model_revision=MODEL_SHA)


def test_only_the_logs_the_scores_come_from_are_submitted(run_dir) -> None:
    folder = run_dir()
    (folder / "logs" / "interrupted-attempt.eval").write_bytes((folder / "logs" / "run.eval").read_bytes())
    prepared = prepare_result(folder, MODEL, model_revision=MODEL_SHA)
    assert [p.name for p in prepared.logs.values()] == ["run.eval"]
    assert list(prepared.payload.eval_logs) == list(prepared.logs)


def test_local_benchmark_folder_with_hub_id(run_dir, make_summary) -> None:
    folder = run_dir(make_summary(benchmark_id="/data/bench", benchmark_revision=None))
    prepared = prepare_result(folder, MODEL, model_revision=MODEL_SHA, benchmark_repo=DATASET)
    assert (prepared.payload.dataset.id, prepared.payload.dataset.revision) == (DATASET, None)
    assert prepared.kid is None and all(e.verify_token is None for e in prepared.entries)


def test_pr_description_has_numbers_and_reproduction(run_dir, official_key) -> None:
    prepared = prepare_result(run_dir(), MODEL, model_revision=MODEL_SHA, key=official_key)
    text = render_pr_description(prepared, kind="community", submitter="bob", endpoint="http://hub")
    assert "| near_field | WER | 8.12 | 8 | 4 |" in text
    assert "| **average** | WER |" in text
    assert "**Community result**: submitted by `bob`" in text
    assert f"ffasr-eval run --benchmark {DATASET} --model sphinx/en-us" in text
    assert f"Signed by key `{official_key.kid}`" in text and MODEL_SHA in text


def test_key_resolution_order(tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("FFASR_KEY", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    assert resolve_key(None) is None  # nothing configured: unsigned
    default = create_key(default_key_path(), owner="dflt")
    assert default_key_path() == tmp_path / "config" / "ffasr-eval" / "evaluator.pem"
    assert resolve_key(None).kid == default.kid
    env = create_key(tmp_path / "env.pem", owner="env")
    monkeypatch.setenv("FFASR_KEY", str(tmp_path / "env.pem"))
    assert resolve_key(None).kid == env.kid
    assert resolve_key(tmp_path / "config" / "ffasr-eval" / "evaluator.pem").kid == default.kid
    monkeypatch.setenv("FFASR_KEY", str(tmp_path / "missing.pem"))
    with pytest.raises(SigningError, match="cannot read key file .*missing.pem"):
        resolve_key(None)
