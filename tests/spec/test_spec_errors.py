"""eval.yaml validation: every bad case names its layer (Hub core or runnable), field, line and fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from ffasr_eval.errors import SpecError
from ffasr_eval.spec import check_spec, load_spec

BASE = """\
name: Tiny
description: A small far-field benchmark.
evaluation_framework: inspect-ai
tasks:
  - id: near
    config: near_field
    split: test
    field_spec: {input: audio, target: text}
    solvers: [{name: transcribe}]
    scorers: [{name: wer, args: {normalizer: english}}]
  - id: far
    config: far_snr5
    split: test
    field_spec: {input: audio, target: text, metadata: [snr_db]}
    solvers: [{name: transcribe}]
    scorers: [{name: wer}, {name: cer}]
  - id: phon
    config: near_field
    split: test
    field_spec: {input: audio, target: phonemes_ipa}
    solvers: [{name: transcribe}]
    scorers: [{name: per}, {name: pwed}]
ffasr:
  version: 1
  metrics:
    - {id: wer, lower_is_better: true, primary: true, unit: "%"}
    - {id: rtfx, lower_is_better: false}
  average: [near, far]
  timing: {batch_size: 1, warmup_samples: 10}
  hardware: {profile: cpu-2c, accelerator: null}
  trusted_keys: evaluators.yaml
"""

TASKS_BLOCK = BASE[BASE.index("tasks:") : BASE.index("ffasr:")]
FFASR_BLOCK = BASE[BASE.index("ffasr:") :]

# (case, old text, new text, layer, field path, message fragment, line)
CASES = [
    ("unknown framework", "framework: inspect-ai", "framework: inspekt", "hub", "evaluation_framework",
     "unknown evaluation_framework 'inspekt': use 'inspect-ai' (the Hub accepts only its fixed list: apex-evals,", 3),
    ("framework valid on Hub only", "framework: inspect-ai", "framework: open-asr-leaderboard", "runnable", "evaluation_framework",
     "runs only 'inspect-ai' benchmarks", 3),
    ("duplicate task ids", "  - id: phon\n", "  - id: near\n", "hub", "tasks[2].id",
     "task id 'near' is used twice (tasks[0] and tasks[2])", 17),
    ("task id with a space", "id: far\n", "id: far field\n", "hub", "tasks[1].id", "not allowed by the Hub charset", 11),
    ("task id starting with _", "id: far\n", "id: _far\n", "hub", "tasks[1].id", "not allowed by the Hub charset", 11),
    ("task id too long", "id: far\n", f"id: {'f' * 97}\n", "hub", "tasks[1].id", "at most 96 characters", 11),
    ("task id with an empty part", "id: far\n", "id: far//x\n", "hub", "tasks[1].id", "not allowed by the Hub charset", 11),
    ("task id with a '/'", "id: far\n", "id: ffasr/far\n", "runnable", "tasks[1].id",
     "task id 'ffasr/far' has a '/': ffasr-eval uses task ids in Inspect task and log file names", 11),
    ("split is a number", "split: test", "split: 5", "hub", "tasks[0].split", "expected a string, got integer 5", 7),
    ("split not a split name", "split: test", "split: test/1", "hub", "tasks[0].split", "not a dataset split name", 7),
    ("tasks is a string", TASKS_BLOCK, "tasks: near_field\n", "hub", "tasks",
     "expected a list, got string 'near_field'", 4),
    ("no tasks", TASKS_BLOCK, "tasks: []\n", "hub", "tasks", "expected at least 1 item", 4),
    ("missing name", "name: Tiny\n", "", "hub", "name", "required field 'name' is missing", 1),
    ("missing config", "    config: far_snr5\n", "", "runnable", "tasks[1].config",
     "required field 'config' is missing: ffasr-eval needs each task's dataset config", 11),
    ("empty description", "description: A small far-field benchmark.", "description: ''", "hub", "description",
     "expected a non-empty string", 2),
    ("missing field_spec", "    field_spec: {input: audio, target: text, metadata: [snr_db]}\n", "", "runnable",
     "tasks[1].field_spec", "inspect-ai tasks need field_spec", 11),
    ("field_spec without target", "{input: audio, target: phonemes_ipa}", "{input: audio}", "runnable",
     "tasks[2].field_spec.target", "required field 'target' is missing", 20),
    ("unknown scorer", "{name: cer}", "{name: bleu}", "runnable", "tasks[1].scorers[1].name",
     "unknown scorer 'bleu'; expected 'wer', 'cer', 'per' or 'pwed'", 16),
    ("unknown solver", "solvers: [{name: transcribe}]", "solvers: [{name: generate}]", "runnable",
     "tasks[0].solvers[0].name", "unknown solver 'generate'; expected 'transcribe'", 9),
    ("unknown scorer argument", "[{name: wer}, {name: cer}]", "[{name: wer, args: {normaliser: english}}]", "runnable",
     "tasks[1].scorers[0].args.normaliser", "unknown scorer argument 'normaliser'", 16),
    ("no scorers", "scorers: [{name: per}, {name: pwed}]", "scorers: []", "runnable", "tasks[2].scorers",
     "expected at least 1 item", 22),
    ("misspelled field", 'unit: "%"', 'units: "%"', "runnable", "ffasr.metrics[0].units",
     "unknown field 'units'; allowed fields here: id, lower_is_better, primary, unit", 26),
    ("missing ffasr block", FFASR_BLOCK, "", "runnable", "ffasr", "required field 'ffasr' is missing", 1),
    ("unknown version", "version: 1", "version: 2", "runnable", "ffasr.version", "expected 1, got integer 2", 24),
    ("average names unknown task", "average: [near, far]", "average: [near, fra]", "runnable", "ffasr.average[1]",
     "names task 'fra', which is not in tasks (task ids: near, far, phon)", 28),
    ("average mixes metrics", "average: [near, far]", "average: [near, phon]", "runnable", "ffasr.average",
     "averages tasks scored with different metrics (per, wer)", 28),
    ("average repeats a task", "average: [near, far]", "average: [near, near]", "runnable", "ffasr.average[1]",
     "task 'near' is averaged twice", 28),
    ("no primary metric", "primary: true, ", "", "runnable", "ffasr.metrics", "exactly one metric must have primary: true", 25),
    ("unknown metric", "{id: rtfx", "{id: bleu", "runnable", "ffasr.metrics[1].id", "expected 'wer', 'cer', 'per', 'pwed' or 'rtfx'", 27),
    ("normalizer is not a name", "normalizer: english", "normalizer: 3", "runnable", "tasks[0].scorers[0].args.normalizer",
     "expected a normalizer preset name (a string), got '3'", 10),
    ("batch size 0", "batch_size: 1", "batch_size: 0", "runnable", "ffasr.timing.batch_size",
     "expected an integer >= 1, got integer 0", 29),
    ("batch size as text", "batch_size: 1", 'batch_size: "1"', "runnable", "ffasr.timing.batch_size",
     "expected an integer, got string '1'", 29),
    ("negative warm-up", "warmup_samples: 10", "warmup_samples: -1", "runnable", "ffasr.timing.warmup_samples",
     "expected an integer >= 0", 29),
    ("hardware without accelerator", "profile: cpu-2c, accelerator: null", "profile: cpu-2c", "runnable",
     "ffasr.hardware.accelerator", "use null for CPU-only profiles", 30),
    ("trusted_keys is a path", "trusted_keys: evaluators.yaml", "trusted_keys: ../keys.yaml", "runnable",
     "ffasr.trusted_keys", "expected a .yaml file name next to eval.yaml", 31),
    ("unknown normalizer", "normalizer: english", "normalizer: klingon", "runnable",
     "tasks[0].scorers[0].args.normalizer", "normalizer 'klingon' is not usable: unknown normalizer preset 'klingon'", 10),
]


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "eval.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_base_is_valid(tmp_path: Path) -> None:
    report = check_spec(_write(tmp_path, BASE))
    assert report.hub_errors == () and report.runnable_errors == ()
    assert report.spec is not None and [t.id for t in report.spec.tasks] == ["near", "far", "phon"]


@pytest.mark.parametrize(("case", "old", "new", "layer", "field", "fragment", "line"), CASES, ids=[c[0] for c in CASES])
def test_bad_spec(tmp_path: Path, case: str, old: str, new: str, layer: str, field: str, fragment: str, line: int) -> None:
    assert old in BASE, case
    path = _write(tmp_path, BASE.replace(old, new, 1))

    report = check_spec(path)
    assert report.spec is None
    if layer == "hub":
        issues = report.hub_errors
    else:
        assert report.hub_errors == (), "a Hub-valid file must not report Hub errors"
        issues = report.runnable_errors
    issue = next((i for i in issues if i.field == field), None)
    assert issue is not None, [str(i) for i in issues]
    assert fragment in issue.message
    assert issue.line == line

    with pytest.raises(SpecError) as raised:
        load_spec(path)
    error = raised.value
    assert error.path == str(path)
    if len(issues) == 1:
        assert (error.field, error.line) == (field, line)
        assert fragment in str(error)
    assert str(error).startswith(f"{path}:{error.line}: {error.field}: ")
    assert ("valid for the Hub, but not runnable by ffasr-eval" in str(error)) == (layer == "runnable")


# (case, file text, message fragment, line)
SYNTAX_CASES = [
    ("colon inside a plain value", BASE.replace("A small far-field", "A small: far-field"),
     "mapping values are not allowed here", 2),
    ("unclosed flow mapping", BASE.replace("field_spec: {input: audio, target: text}\n", "field_spec: {input: audio, target: text\n"),
     "not valid YAML", 9),
    ("duplicate key", BASE.replace("    split: test\n", "    split: test\n    split: dev\n", 1), "key 'split' appears twice", 8),
    ("a list, not a mapping", "- name: Tiny\n", "expected a mapping of fields (name, tasks, ...), got a list", 1),
    ("empty file", "", "got an empty file", 1),
]


@pytest.mark.parametrize(("case", "text", "fragment", "line"), SYNTAX_CASES, ids=[c[0] for c in SYNTAX_CASES])
def test_bad_yaml(tmp_path: Path, case: str, text: str, fragment: str, line: int) -> None:
    path = _write(tmp_path, text)
    report = check_spec(path)
    assert report.spec is None and len(report.hub_errors) == 1
    assert fragment in report.hub_errors[0].message
    assert report.hub_errors[0].line == line
    with pytest.raises(SpecError, match=f"^{path}:{line}: "):
        load_spec(path)


def test_split_defaults_to_test_as_on_the_hub(tmp_path: Path) -> None:
    spec = load_spec(_write(tmp_path, BASE.replace("    split: test\n", "", 1)))
    assert spec.tasks[0].split == "test"
    assert "split: test" in spec.to_yaml().split("- id: far")[0]


def test_hub_minimal_example_is_hub_valid_but_not_runnable(tmp_path: Path) -> None:
    # The minimal eval.yaml of the Hub documentation: only a task id, no config or split.
    hub_only = "name: AIME\ndescription: d\nevaluation_framework: math-arena\ntasks:\n  - id: MathArena/aime_2026\n"
    report = check_spec(_write(tmp_path, hub_only))
    assert report.hub_valid and not report.runnable
    assert [(i.field, i.line) for i in report.runnable_errors] == [
        ("evaluation_framework", 3), ("tasks[0].id", 5), ("tasks[0].config", 5), ("tasks[0].field_spec", 5),
        ("tasks[0].solvers", 5), ("tasks[0].scorers", 5), ("ffasr", 1),
    ]
    with pytest.raises(SpecError, match=r"valid for the Hub, but not runnable by ffasr-eval: .*\(and 6 more problems"):
        load_spec(tmp_path / "eval.yaml")


@pytest.mark.parametrize(("content", "message"), [
    (None, "no such file"),
    (b"name: caf\xe9\n", "cannot read the file: 'utf-8' codec can't decode"),
])
def test_unreadable_file(tmp_path: Path, content: bytes | None, message: str) -> None:
    path = tmp_path / "eval.yaml"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(SpecError, match=message):
        load_spec(path)
