"""`.eval_results/<benchmark>.yaml` files: built from a run, in the Hub format, parsed back."""

from __future__ import annotations

import pytest
import yaml
from huggingface_hub import parse_eval_result_entries

from ffasr_eval.errors import ResultsError
from ffasr_eval.results import build_entries, parse_results, results_path, results_to_yaml

from signing_helpers import DATASET, DATASET_SHA, RATES, WORD_TASKS


def test_one_entry_per_task_plus_average_in_percent(make_payload) -> None:
    entries = build_entries(make_payload(), verify_token="tok")
    values = {e.task_id: e.value for e in entries}
    assert list(values) == [*RATES, "average"]
    assert values["near_field"] == 8.1234 and values["phonemes"] == 15.0  # fractions -> % (4 decimals)
    expected_average = round(sum(round(RATES[t] * 100, 4) for t in WORD_TASKS) / len(WORD_TASKS), 4)
    assert values["average"] == expected_average  # mean of the six word tasks, phonemes excluded
    assert {(e.dataset_id, e.dataset_revision, e.verify_token) for e in entries} == {(DATASET, DATASET_SHA, "tok")}


def test_notes_state_metric_rtfx_batch_hardware_normalizer(make_payload) -> None:
    notes = {e.task_id: e.notes for e in build_entries(make_payload())}
    assert notes["near_field"] == "WER % · RTFx 8 · 4 samples · batch 1 · cpu-2c · normalizer english@1"
    assert notes["phonemes"].startswith("PER % ·")
    assert notes["average"].startswith("mean WER % of 6 tasks · RTFx 8 (audio-weighted)")


def test_yaml_is_the_hub_format_with_a_quoted_date(make_payload) -> None:
    entries = build_entries(make_payload(), verify_token="tok")
    text = results_to_yaml(entries)
    assert "date: '2026-11-23T02:30:00Z'" in text
    raw = yaml.safe_load(text)
    assert raw[0]["dataset"] == {"id": DATASET, "task_id": "near_field", "revision": DATASET_SHA}
    assert set(raw[0]) == {"dataset", "value", "verifyToken", "date", "notes"}
    assert parse_eval_result_entries(raw) == entries  # huggingface_hub reads it back unchanged
    assert parse_results(text) == entries


def test_average_needs_every_averaged_task(make_payload) -> None:
    rates = {t: r for t, r in RATES.items() if t != "far_snr0"}
    with pytest.raises(ResultsError, match=r"averaged tasks \['far_snr0'\] were not run"):
        make_payload(rates=rates)


def test_run_without_average_has_no_average_entry(make_payload) -> None:
    entries = build_entries(make_payload(average_tasks=[]))
    assert "average" not in {e.task_id for e in entries}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: [", "r.yaml: not valid YAML"),
        ("{dataset: x}", "r.yaml: expected a YAML list of result entries, got dict"),
        ("- 3", "r.yaml: entry 0: expected a mapping, got int"),
        ("- {dataset: {id: d, task_id: t}, value: 1}\n- {dataset: {id: d}, value: 2}",
         "r.yaml: entry 1: missing field 'task_id'"),
        ("- {dataset: {id: d, task_id: t}}", "r.yaml: entry 0: missing field 'value'"),
        ("- {dataset: {id: d, task_id: t}, value: high}", "r.yaml: entry 0 (t): value must be a number, got 'high'"),
        ("- {dataset: {id: d, task_id: t}, value: 1, source: {name: x}}", "r.yaml: entry 0: If `source_name`"),
    ],
)
def test_parse_errors_name_file_and_entry(text, message) -> None:
    with pytest.raises(ResultsError) as info:
        parse_results(text, source="r.yaml")
    assert message in str(info.value)


def test_unquoted_date_reads_as_iso_text() -> None:
    (entry,) = parse_results("- {dataset: {id: d, task_id: t}, value: 1.5, date: 2026-01-02T03:04:05Z}")
    assert entry.date == "2026-01-02T03:04:05Z"


def test_results_path_is_named_after_the_dataset() -> None:
    assert results_path("ffasr/Far-Field Bench") == ".eval_results/far-field-bench.yaml"
