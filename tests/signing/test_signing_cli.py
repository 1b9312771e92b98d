"""`ffasr-eval keys` and `ffasr-eval verify` on local files."""

from __future__ import annotations

import dataclasses

import pytest
import yaml
from click.testing import CliRunner

from ffasr_eval._cli.main import cli
from ffasr_eval.results import results_to_yaml
from ffasr_eval.signing import load_benchmark_trust
from ffasr_eval.spec import spec_for_configs

from signing_helpers import LOG_BYTES, LOG_PATH, MODEL, PROFILE, WORD_TASKS


def test_keys_create_then_show_never_prints_the_private_key(tmp_path) -> None:
    runner = CliRunner()
    created = runner.invoke(cli, ["keys", "create", "--out", str(tmp_path / "k.pem"), "--owner", "alice"])
    assert created.exit_code == 0, created.output
    shown = runner.invoke(cli, ["keys", "show", str(tmp_path / "k.pem")])
    assert shown.exit_code == 0, shown.output
    private = (tmp_path / "k.pem").read_text()
    body = "".join(private.splitlines()[1:-1])
    for output in (created.output, shown.output):
        assert "PRIVATE" not in output and body not in output
    snippet = yaml.safe_load(shown.output.split("hardware_profile):\n", 1)[1])
    (entry,) = snippet["evaluators"]
    assert entry["owner"] == "alice" and f"kid:         {entry['kid']}" in shown.output


def test_keys_create_refuses_to_overwrite(tmp_path) -> None:
    runner = CliRunner()
    runner.invoke(cli, ["keys", "create", "--out", str(tmp_path / "k.pem"), "--owner", "alice"])
    again = runner.invoke(cli, ["keys", "create", "--out", str(tmp_path / "k.pem"), "--owner", "alice"])
    assert again.exit_code == 1 and "already exists" in again.output


def test_keys_show_default_comes_from_ffasr_key(tmp_path, monkeypatch) -> None:
    runner = CliRunner()
    runner.invoke(cli, ["keys", "create", "--out", str(tmp_path / "k.pem"), "--owner", "carol"])
    monkeypatch.setenv("FFASR_KEY", str(tmp_path / "k.pem"))
    assert "owner:       carol" in runner.invoke(cli, ["keys", "show"]).output


def write_model_folder(tmp_path, entries, registry, log: bytes | None = LOG_BYTES):
    """A model repo checkout: .eval_results/far-field-bench.yaml and the eval log it names."""
    (tmp_path / "model" / ".eval_results").mkdir(parents=True)
    (tmp_path / "model" / ".eval_results" / "far-field-bench.yaml").write_text(results_to_yaml(entries))
    if log is not None:
        (tmp_path / "model" / LOG_PATH).parent.mkdir(parents=True)
        (tmp_path / "model" / LOG_PATH).write_bytes(log)
    (tmp_path / "evaluators.yaml").write_text(registry.to_yaml())
    return tmp_path / "model"


def test_verify_local_folder_prints_statuses_and_passes(tmp_path, signed_entries, registry) -> None:
    folder = write_model_folder(tmp_path, signed_entries(), registry)
    result = CliRunner().invoke(cli, ["verify", str(folder), "--model", MODEL,
                                      "--evaluators", str(tmp_path / "evaluators.yaml")])
    assert result.exit_code == 0, result.output
    # no benchmark given: the hardware profile is unknown, so the official run is "signed", not "verified"
    assert "0 verified, 8 signed, 0 unsigned, 0 invalid" in result.output


def test_verify_exits_1_on_a_tampered_value(tmp_path, signed_entries, registry) -> None:
    entries = signed_entries()
    entries[2] = dataclasses.replace(entries[2], value=1.0)
    folder = write_model_folder(tmp_path, entries, registry)
    result = CliRunner().invoke(cli, ["verify", str(folder / ".eval_results" / "far-field-bench.yaml"),
                                      "--model", MODEL, "--evaluators", str(tmp_path / "evaluators.yaml")])
    assert result.exit_code == 1
    assert "1 invalid" in result.output and "edited after signing" in result.output


@pytest.mark.parametrize(
    ("log", "reason"),
    [(b"another log", f"eval log {LOG_PATH} differs from the signed sha256"), (None, f"eval log {LOG_PATH} named by the token is missing")],
)
def test_verify_checks_the_signed_eval_log(tmp_path, signed_entries, registry, log, reason) -> None:
    folder = write_model_folder(tmp_path, signed_entries(), registry, log=log)
    result = CliRunner().invoke(cli, ["verify", str(folder), "--model", MODEL, "--evaluators", str(tmp_path / "evaluators.yaml")])
    assert result.exit_code == 1 and "8 invalid" in result.output and reason in result.output


def test_verify_copied_file_fails_the_model_binding(tmp_path, signed_entries, registry) -> None:
    folder = write_model_folder(tmp_path, signed_entries(), registry)
    result = CliRunner().invoke(cli, ["verify", str(folder), "--model", "mallory/copycat"])
    assert result.exit_code == 1 and "8 invalid" in result.output


def write_benchmark(folder, registry, *, profile: str = PROFILE):
    """A benchmark folder as the builder writes it: eval.yaml (from the template) + evaluators.yaml."""
    spec = spec_for_configs(WORD_TASKS)
    spec = spec.model_copy(update={"ffasr": spec.ffasr.model_copy(update={
        "hardware": spec.ffasr.hardware.model_copy(update={"profile": profile})})})
    folder.mkdir()
    spec.dump(folder / "eval.yaml")
    (folder / "evaluators.yaml").write_text(registry.to_yaml())
    return folder


def test_benchmark_trust_from_a_folder(tmp_path, registry, official_key) -> None:
    trust = load_benchmark_trust(write_benchmark(tmp_path / "bench", registry))
    assert trust.profile == PROFILE and trust.average_tasks == WORD_TASKS
    assert trust.evaluators.get(official_key.kid).role == "official"


def test_verify_with_benchmark_folder_verifies_the_official_run(tmp_path, signed_entries, registry) -> None:
    folder = write_model_folder(tmp_path, signed_entries(), registry)
    bench = write_benchmark(tmp_path / "bench", registry)
    result = CliRunner().invoke(cli, ["verify", str(folder), "--model", MODEL, "--benchmark", str(bench)])
    assert result.exit_code == 0, result.output
    assert "8 verified, 0 signed, 0 unsigned, 0 invalid" in result.output


def test_verify_with_benchmark_of_other_hardware_only_signs(tmp_path, signed_entries, registry) -> None:
    folder = write_model_folder(tmp_path, signed_entries(), registry)
    bench = write_benchmark(tmp_path / "bench", registry, profile="a10g")
    result = CliRunner().invoke(cli, ["verify", str(folder), "--model", MODEL, "--benchmark", str(bench)])
    assert result.exit_code == 0, result.output
    assert "0 verified, 8 signed" in result.output and "hardware profiles differ" in result.output


def test_keys_show_without_any_key_says_how_to_create_one() -> None:
    result = CliRunner().invoke(cli, ["keys", "show"])
    assert result.exit_code == 1 and "no key configured" in result.output and "keys create" in result.output
