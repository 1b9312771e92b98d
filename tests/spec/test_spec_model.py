"""The repo-root eval.yaml, the template, spec_for_configs and writing specs back to YAML."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from ffasr_eval.errors import SpecError
from ffasr_eval.spec import TEMPLATE_PATH, EvalSpec, load_spec, spec_for_configs

ROOT = Path(__file__).resolve().parents[2]
WORD_TASKS = ["near_field", "far_snr20", "far_snr10", "far_snr5", "far_snr0", "moving"]


@pytest.fixture(scope="module")
def root_spec() -> EvalSpec:
    return load_spec(ROOT / "eval.yaml")


def test_root_eval_yaml_defines_the_ffasr_benchmark(root_spec: EvalSpec) -> None:
    assert root_spec.evaluation_framework == "inspect-ai"
    assert [t.id for t in root_spec.tasks] == [*WORD_TASKS, "phonemes"]
    for task in root_spec.tasks[:6]:
        assert (task.config, task.split) == (task.id, "test")
        assert (task.field_spec.input, task.field_spec.target) == ("audio", "text")
        assert {"speaker", "distance_m", "snr_db", "rt60_measured_s"} <= set(task.field_spec.metadata)
        assert [s.name for s in task.solvers] == ["transcribe"]
        assert [(s.name, s.args) for s in task.scorers] == [("wer", {"normalizer": "english"}), ("cer", {"normalizer": "english"})]
    phonemes = root_spec.task("phonemes")
    assert (phonemes.config, phonemes.field_spec.target) == ("near_field", "phonemes_ipa")
    assert [s.name for s in phonemes.scorers] == ["per", "pwed"]
    ext = root_spec.ffasr
    assert ext.version == 1 and ext.average == WORD_TASKS
    assert [(m.id, m.lower_is_better) for m in ext.metrics if m.primary] == [("wer", True)]
    assert next(m for m in ext.metrics if m.id == "rtfx").lower_is_better is False
    assert (ext.timing.batch_size, ext.timing.warmup_samples) == (1, 10)
    assert (ext.hardware.profile, ext.hardware.accelerator) == ("cpu-2c", None)
    assert ext.trusted_keys == "evaluators.yaml"


def test_task_lookup_names_the_known_tasks(root_spec: EvalSpec) -> None:
    with pytest.raises(SpecError, match="no task 'far'; tasks are near_field, far_snr20"):
        root_spec.task("far")


def test_dump_round_trips(root_spec: EvalSpec, tmp_path: Path) -> None:
    path = root_spec.dump(tmp_path / "eval.yaml")
    assert load_spec(path) == root_spec
    assert path.read_text(encoding="utf-8") == root_spec.to_yaml()


def test_to_yaml_keeps_the_format_order_and_leaves_out_empty_fields(root_spec: EvalSpec) -> None:
    data = yaml.safe_load(root_spec.to_yaml())
    assert list(data) == ["name", "description", "evaluation_framework", "tasks", "ffasr"]
    assert list(data["tasks"][0]) == ["id", "config", "split", "field_spec", "solvers", "scorers"]
    assert list(data["ffasr"]) == ["version", "metrics", "average", "timing", "hardware", "trusted_keys"]
    assert data["tasks"][6]["scorers"] == [{"name": "per"}, {"name": "pwed"}]  # no empty `args: {}`
    assert data["ffasr"]["metrics"][-1] == {"id": "rtfx", "lower_is_better": False}
    assert data["ffasr"]["hardware"] == {"profile": "cpu-2c", "accelerator": None}


def test_specs_are_immutable(root_spec: EvalSpec) -> None:
    with pytest.raises(ValueError, match="frozen"):
        root_spec.ffasr.timing.batch_size = 4  # type: ignore[misc]


def test_template_filled_with_every_config_is_the_root_benchmark(root_spec: EvalSpec) -> None:
    spec = spec_for_configs(WORD_TASKS, name=root_spec.name, description=root_spec.description)
    assert spec == root_spec


# (configs, expected task ids, expected average)
SUBSETS = [
    (["near_field"], ["near_field", "phonemes"], ["near_field"]),
    (["far_snr5", "moving"], ["far_snr5", "moving"], ["far_snr5", "moving"]),
    (["moving", "near_field", "moving"], ["near_field", "moving", "phonemes"], ["near_field", "moving"]),
]


@pytest.mark.parametrize(("configs", "task_ids", "average"), SUBSETS)
def test_spec_for_configs_keeps_built_tasks(configs: list[str], task_ids: list[str], average: list[str], tmp_path: Path) -> None:
    spec = spec_for_configs(configs, name="Tiny FFASR", description="Two clips per condition.")
    assert [t.id for t in spec.tasks] == task_ids
    assert spec.ffasr.average == average
    assert (spec.name, spec.description) == ("Tiny FFASR", "Two clips per condition.")
    assert load_spec(spec.dump(tmp_path / "eval.yaml")) == spec


def test_spec_for_configs_keeps_template_name_by_default() -> None:
    assert spec_for_configs(["near_field"]).name == load_spec(TEMPLATE_PATH).name


@pytest.mark.parametrize(("configs", "message"), [
    (["near_field", "far_snr99"], "no task reads config 'far_snr99'; the template's configs are far_snr0, far_snr10"),
    ([], "no configs given"),
])
def test_spec_for_configs_rejects(configs: list[str], message: str) -> None:
    with pytest.raises(SpecError, match=message):
        spec_for_configs(configs)
