"""`ffasr-eval validate`: exit 0 with a summary on a runnable file, 1 with FILE:LINE: FIELD messages."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from ffasr_eval._cli.main import cli

ROOT = Path(__file__).resolve().parents[2]


def _invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["validate", *args])
    return result.exit_code, result.output


def test_valid_file_defaults_to_eval_yaml_in_the_current_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copy(ROOT / "eval.yaml", tmp_path / "eval.yaml")
    monkeypatch.chdir(tmp_path)
    code, output = _invoke()
    assert code == 0, output
    assert output.strip() == (
        "eval.yaml: OK: FFASR: 7 tasks; averaged: near_field, far_snr20, far_snr10, far_snr5, far_snr0, moving"
    )


# (case, edit of the root eval.yaml, expected lines of output)
CASES = [
    ("hub error", ("id: far_snr10\n", "id: far snr10\n"),
     ["not valid for the Hub:", "eval.yaml:31: tasks[2].id: task id 'far snr10' is not allowed by the Hub charset"]),
    ("runnable error", ("average: [near_field,", "average: [near,"),
     ["valid for the Hub, but not runnable by ffasr-eval:",
      "eval.yaml:96: ffasr.average[0]: names task 'near', which is not in tasks"]),
    ("wrong type", ("split: test", "split: 3"),
     ["not valid for the Hub:", "eval.yaml:11: tasks[0].split: expected a string, got integer 3"]),
    ("bad yaml", ("  version: 1\n", "  version: 1\n  version: 2\n"),
     ["not valid for the Hub:", "eval.yaml:90: <file>: key 'version' appears twice in the same mapping; keep one"]),
]


@pytest.mark.parametrize(("case", "edit", "expected"), CASES, ids=[c[0] for c in CASES])
def test_invalid_file_exits_1_with_file_line_and_field(case: str, edit: tuple[str, str], expected: list[str], tmp_path: Path) -> None:
    text = (ROOT / "eval.yaml").read_text(encoding="utf-8")
    assert edit[0] in text
    path = tmp_path / "eval.yaml"
    path.write_text(text.replace(edit[0], edit[1], 1), encoding="utf-8")
    code, output = _invoke(str(path))
    assert code == 1
    for line in expected:
        assert line.replace("eval.yaml:", f"{path}:") in output, output
    assert "OK" not in output


def test_missing_file_exits_1(tmp_path: Path) -> None:
    code, output = _invoke(str(tmp_path / "nope.yaml"))
    assert code == 1
    assert output.strip() == f"Error: {tmp_path / 'nope.yaml'}: no such file; give the path of a benchmark's eval.yaml"
