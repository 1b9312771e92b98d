"""End to end through Inspect with the bundled PocketSphinx baseline on real synthetic speech."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import jiwer
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from inspect_ai.log import read_eval_log

from ffasr_eval._cli.main import cli
from ffasr_eval.errors import RunError
from ffasr_eval.runner import rescore, run_benchmark
from ffasr_eval.scoring import normalize
from ffasr_eval.summary import RunSummary


@pytest.fixture(scope="module")
def sphinx_run(runner_benchmark, tmp_path_factory) -> tuple[Path, RunSummary]:
    run_dir = tmp_path_factory.mktemp("sphinx-run")
    return run_dir, run_benchmark(runner_benchmark, "sphinx/en-us", out_dir=run_dir)


def _hypotheses(run_dir: Path, task_id: str) -> list[tuple[str, str]]:
    log = read_eval_log(str(run_dir / RunSummary.load(run_dir).task(task_id).log))
    return [(str(s.target), s.output.completion) for s in log.samples]


def test_corpus_wer_equals_an_independent_jiwer_computation(sphinx_run) -> None:
    run_dir, summary = sphinx_run
    for task in summary.tasks:
        pairs = _hypotheses(run_dir, task.task_id)
        refs = [normalize(r) for r, _ in pairs]
        hyps = [normalize(h) for _, h in pairs]
        assert task.value == pytest.approx(jiwer.wer(refs, hyps))
        assert task.metrics["cer"] == pytest.approx(jiwer.cer(refs, hyps))
        assert task.ci95[0] <= task.value <= task.ci95[1]
    assert summary.average == pytest.approx(sum(t.value for t in summary.tasks) / len(summary.tasks))


def test_timing_covers_every_sample_and_rtfx_is_pooled(sphinx_run, runner_benchmark) -> None:
    _, summary = sphinx_run
    durations = pq.read_table(runner_benchmark / "data/near_field/test-00000-of-00001.parquet")["duration_s"]
    near = summary.task("near_field")
    assert near.audio_seconds == pytest.approx(sum(durations.to_pylist()), rel=1e-3)
    assert near.rtfx == pytest.approx(near.audio_seconds / near.transcribe_seconds)
    total_audio = sum(t.audio_seconds for t in summary.tasks)
    assert summary.rtfx == pytest.approx(total_audio / sum(t.transcribe_seconds for t in summary.tasks))
    assert summary.timing.batch_size == 1 and summary.timing.warmup_samples == 1
    assert summary.hardware.cores >= 1 and summary.versions["inspect-ai"]


def test_logs_open_with_inspect_and_carry_no_audio(sphinx_run) -> None:
    run_dir, summary = sphinx_run
    for task in summary.tasks:
        path = run_dir / task.log
        log = read_eval_log(str(path))
        assert log.status == "success" and len(log.samples) == task.n_samples
        with zipfile.ZipFile(path) as archive:
            text = b"".join(archive.read(name) for name in archive.namelist())
        assert b"data:audio" not in text and b"UklGR" not in text  # no data URL, no base64 RIFF header


def test_rescore_reproduces_the_scores_without_the_model(sphinx_run) -> None:
    run_dir, summary = sphinx_run
    again = rescore(run_dir)
    assert [t.value for t in again.tasks] == [t.value for t in summary.tasks]
    assert again.hardware == summary.hardware and again.run_id == summary.run_id
    basic = rescore(run_dir, "basic")
    assert basic.normalizer.name == "basic"
    rescore(run_dir)  # leave the folder as the module's other tests expect it


def test_running_again_resumes_without_running_finished_tasks(sphinx_run, runner_benchmark) -> None:
    run_dir, summary = sphinx_run
    logs_before = sorted((run_dir / "logs").iterdir())
    again = run_benchmark(runner_benchmark, "sphinx/en-us", out_dir=run_dir)
    assert sorted((run_dir / "logs").iterdir()) == logs_before
    assert again.run_id == summary.run_id and [t.value for t in again.tasks] == [t.value for t in summary.tasks]


def test_a_run_folder_never_mixes_two_dataset_revisions(sphinx_run, runner_benchmark, tmp_path) -> None:
    run_dir, _ = sphinx_run
    copy = tmp_path / "run"
    copy.mkdir()
    state = json.loads((run_dir / "state.json").read_text())
    (copy / "state.json").write_text(json.dumps({**state, "revision": "0" * 40}))
    with pytest.raises(RunError, match="dataset revision"):
        run_benchmark(runner_benchmark, "sphinx/en-us", out_dir=copy)


def test_language_weight_makes_a_different_system(runner_benchmark, tmp_path) -> None:
    summary = run_benchmark(runner_benchmark, "sphinx/en-us", out_dir=tmp_path, model_args={"lw": 1.0},
                            tasks=["far_snr5"])
    assert summary.model.args["lw"] == 1.0 and [t.task_id for t in summary.tasks] == ["far_snr5"]


def test_phone_recognizer_is_scored_with_per_and_pwed(runner_benchmark, tmp_path) -> None:
    summary = run_benchmark(runner_benchmark, "sphinx-phone/en-us", out_dir=tmp_path)
    (task,) = summary.tasks
    assert task.task_id == "phonemes" and task.primary_metric == "per"
    assert 0 < task.metrics["per"] < 1 and task.metrics["pwed"] > 0
    assert task.value == task.metrics["per"]


@pytest.mark.parametrize(("args", "message"), [
    (["--model", "sphinx"], "PROVIDER/NAME"),
    (["--model", "sphinx/en-us", "-M", "lw"], "KEY=VALUE"),
    (["--model", "nosuch/x"], "nosuch"),
    (["--model", "sphinx/en-us", "--task", "nope"], "no task ['nope']"),
])
def test_command_line_errors_are_one_line(runner_benchmark, tmp_path, args, message) -> None:
    result = CliRunner().invoke(cli, ["run", "--benchmark", str(runner_benchmark), "--out", str(tmp_path / "r"), *args])
    assert result.exit_code != 0 and message in result.output, result.output


def test_every_arpabet_phone_maps_to_ipa_that_panphon_scores() -> None:
    import panphon

    from ffasr_eval.providers import ARPABET_TO_IPA

    table = panphon.FeatureTable()
    assert len(ARPABET_TO_IPA) == 39
    assert [p for p, ipa in ARPABET_TO_IPA.items() if "".join(map(str, table.ipa_segs(ipa))) != ipa] == []


def _digests(bench: Path) -> dict[str, str]:
    """Sample id -> the digest `sphinx-crash` records for its audio."""
    from ffasr_eval.tasks import load_samples, open_benchmark

    opened = open_benchmark(bench)
    return {s.id: hashlib.sha256(s.input[0].content[1].audio.encode()).hexdigest()
            for s in load_samples(opened, opened.spec.task("near_field"))}


@pytest.mark.parametrize("interruption", ["SIGKILL", "SIGINT"])
def test_an_interrupted_task_resumes_where_it_stopped(interruption, sphinx_run, runner_benchmark, tmp_path) -> None:
    """Killed (a crash) or interrupted (Ctrl-C) in its second sample, the run keeps every sample it
    finished and, run again, transcribes only the others; the result equals an uninterrupted run's."""
    from crashing_provider import CrashingSphinx  # noqa: F401  (registers sphinx-crash in this process)

    run_dir, uninterrupted = sphinx_run
    calls, out = tmp_path / "calls.txt", tmp_path / "run"
    args = {"calls": str(calls), "crash_at": 2, "signal": interruption}
    script = (f"import sys; sys.path.insert(0, {str(Path(__file__).parent)!r}); import crashing_provider; "
              "from ffasr_eval.runner import run_benchmark; "
              f"run_benchmark({str(runner_benchmark)!r}, 'sphinx-crash/en-us', out_dir={str(out)!r}, "
              f"model_args={args!r}, tasks=['near_field'])")
    first = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert first.returncode != 0, first.stdout + first.stderr
    first_calls = calls.read_text().splitlines()
    [interrupted] = list((out / "logs").iterdir())
    if interruption == "SIGKILL":  # killed before answering its last request
        assert read_eval_log(str(interrupted), header_only=True).status == "started"
        finished = set(first_calls[:-1])
    else:  # Inspect stops on Ctrl-C and logs the task as cancelled, with the samples it finished
        assert "did not finish (cancelled): run the same command again" in first.stderr
        log = read_eval_log(str(interrupted))
        assert log.status == "cancelled"
        finished = {_digests(runner_benchmark)[s.id] for s in log.samples if s.error is None}
    assert finished

    summary = run_benchmark(runner_benchmark, "sphinx-crash/en-us", out_dir=out, model_args=args, tasks=["near_field"])
    again = calls.read_text().splitlines()[len(first_calls):]
    assert set(again).isdisjoint(finished) and len(again) == len(set(again))  # no finished sample ran again
    assert finished | set(again) == set(_digests(runner_benchmark).values())
    resumed = {s.id: s.output.completion for s in read_eval_log(str(out / summary.task("near_field").log)).samples}
    reference = {s.id: s.output.completion for s in read_eval_log(str(run_dir / uninterrupted.task("near_field").log)).samples}
    assert resumed == reference
    assert summary.task("near_field").value == uninterrupted.task("near_field").value
    assert summary.task("near_field").n_samples == 3 and summary.task("near_field").rtfx > 0
