"""The collector against the embedded Hub: 32 model repos with every kind of result.

The world (tests/collect/collect_world.py) holds verified, signed, unsigned, tampered, copied,
revoked, duplicated, malformed and anomalous results, on main and in open and closed PRs, all
really signed. What the leaderboard must say is derived from the same description by the test,
not by the collector.
"""

from __future__ import annotations

import io
import json
import threading
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import yaml
from click.testing import CliRunner
from collect_helpers import DATASET, OWNER
from collect_world import (
    DATASET_README,
    expected_main_table,
    expected_rejections,
    expected_rows,
)

from ffasr_eval._cli.main import cli
from ffasr_eval.collect import END_MARKER, START_MARKER, collect, moderate
from ffasr_eval.collect._log import LOG_PATH, parse_log
from ffasr_eval.errors import CollectError
from ffasr_eval.results import AVERAGE_TASK_ID


def _download(api, path, revision) -> bytes:
    return Path(api.hf_hub_download(DATASET, path, repo_type="dataset", revision=revision)).read_bytes()


def _board(api, revision="main") -> dict:
    return json.loads(_download(api, "leaderboard/leaderboard.json", revision))


def _main_table(board: dict) -> list[tuple[int, str, float, str]]:
    rows = sorted((r for r in board["rows"] if r["rank"] is not None), key=lambda r: r["rank"])
    return [(r["rank"], r["model"], r["values"][AVERAGE_TASK_ID], r["status"]) for r in rows]


def _log(api) -> list[dict]:
    return parse_log(_download(api, LOG_PATH, "main").decode())


def test_published_table_equals_the_expected_one(published) -> None:
    api, report = published.owner, published.report
    board = _board(api, report.commit)
    assert len([r for r in published.world.repos if r.main is not None]) >= 30
    assert _main_table(board) == expected_main_table(expected_rows(published.world))
    parquet = pq.read_table(io.BytesIO(_download(api, "leaderboard/leaderboard.parquet", report.commit))).to_pylist()
    ranked = sorted((r for r in parquet if r["rank"] is not None), key=lambda r: r["rank"])
    assert [(r["rank"], r["model"], r["average"], r["status"]) for r in ranked] == _main_table(board)


def test_every_valid_result_has_its_status_state_flags_and_values(published) -> None:
    board = _board(published.owner, published.report.commit)
    def by_result(row: tuple) -> tuple[str, int]:
        return row[0], row[1] or 0

    got = sorted(
        ((r["model"], r["pr"], r["status"], r["state"], sorted(r["flag_codes"]), r["community"], r["values"])
         for r in board["rows"]), key=by_result,
    )
    want = sorted(
        ((r["model"], r["pr"], r["status"], r["state"], r["flags"], r["community"], r["values"])
         for r in expected_rows(published.world)), key=by_result,
    )
    assert got == want
    for row in board["rows"]:
        assert len(row["flags"]) == len(row["flag_codes"])
        assert all(message.endswith(".") and len(message) > 40 for message in row["flags"])  # a sentence each
        assert (row["suspicion"] > 0) == bool(row["flags"])


def test_every_rejected_result_carries_its_reason(published) -> None:
    board = _board(published.owner, published.report.commit)
    reasons = {r["model"]: r["reason"] for r in board["rejections"]}
    expected = expected_rejections(published.world)
    assert set(reasons) == set(expected)
    for model, words in expected.items():
        assert words in reasons[model], (model, reasons[model])


def test_malformed_file_does_not_stop_the_collect(published) -> None:
    board = _board(published.owner, published.report.commit)
    assert "malformed result file" in next(r["reason"] for r in board["rejections"] if r["model"] == "dave/broken")
    assert len(board["rows"]) == len(expected_rows(published.world))  # every other repo made it


def test_readme_section_plot_and_log_are_published(published) -> None:
    api, report = published.owner, published.report
    readme = _download(api, "README.md", report.commit).decode()
    before, _, rest = readme.partition(START_MARKER)
    section, _, after = rest.partition(END_MARKER)
    assert before == DATASET_README.partition(START_MARKER)[0]  # text outside the markers untouched
    assert after == DATASET_README.partition(END_MARKER)[2]
    best = expected_main_table(expected_rows(published.world))[0]
    first_row = next(line for line in section.splitlines() if line.startswith("| 1 |"))
    assert f"[{best[1]}]" in first_row and f"{best[2]:.2f}" in first_row and best[3] in first_row
    for held in ("carol/swapped", "carol/too-fast", "carol/tiny-cheat"):
        assert held in section.partition("Awaiting review")[2]
    assert _download(api, "leaderboard/pareto.png", report.commit).startswith(b"\x89PNG")
    events = parse_log(_download(api, LOG_PATH, report.commit).decode())
    last = {e["id"]: e["event"] for e in events if e["event"] != "decision"}
    board = _board(api, report.commit)
    assert sorted(i for i, event in last.items() if event != "withdrawn") == sorted(
        [r["id"] for r in board["rows"]] + [r["id"] for r in board["rejections"]])
    withdrawn = [e for e in events if e["event"] == "withdrawn"]
    assert [(e["model"], e["reason"]) for e in withdrawn] == [("dave/broken", "the file changed or was removed on main")]
    assert all(e["collector"] == OWNER and e["at"] for e in events)


def test_command_line_moderation_recollect_closed_pr_and_concurrent_collectors(published, tmp_path) -> None:
    api, endpoint, token = published.owner, published.endpoint, published.token
    first = _board(api, published.report.commit)
    ids = {(r["model"], r["pr"]): r["id"] for r in first["rows"]}

    # The command line prints the table, the flags and the rejections (a dry run publishes nothing).
    env = {"HF_ENDPOINT": endpoint, "HF_TOKEN": token}
    result = CliRunner().invoke(cli, ["collect", "--benchmark", DATASET, "--dry-run", "--out", str(tmp_path)], env=env)
    assert result.exit_code == 0, result.output
    print(result.output)
    assert expected_main_table(expected_rows(published.world))[0][1] in result.output
    assert "awaiting `ffasr-eval moderate`" in result.output and "far-field WER below near-field WER" in result.output
    assert "copied token" in result.output and "dry run: nothing published" in result.output
    assert (tmp_path / "leaderboard" / "leaderboard.json").is_file() and (tmp_path / "README.md").is_file()
    unknown = CliRunner().invoke(cli, ["moderate", "approve", "r-000000000000", "--benchmark", DATASET, "--reason", "x"],
                                 env=env)
    assert unknown.exit_code == 1 and "no result with id r-000000000000" in unknown.output

    # Nothing changed on the Hub: nothing is read again and nothing is published.
    again = collect(DATASET, endpoint=endpoint, token=token)
    assert (again.read, again.commit) == ([], None)

    # A maintainer approves a flagged result and rejects another; both land in the log with who and why.
    moderate(DATASET, ids[("carol/swapped", None)], "approve", reason="room labels checked", endpoint=endpoint, token=token)
    report = moderate(DATASET, ids[("carol/tiny-cheat", None)], "reject", reason="trained on the test audio",
                      endpoint=endpoint, token=token)
    board = _board(api)
    models = [m for _, m, _, _ in _main_table(board)]
    assert "carol/swapped" in models and "carol/tiny-cheat" not in models
    assert next(r for r in board["rows"] if r["model"] == "carol/tiny-cheat")["state"] == "rejected"
    decisions = [e for e in _log(api) if e["event"] == "decision"]
    assert [(e["action"], e["reason"], e["by"]) for e in decisions] == [
        ("approve", "room labels checked", OWNER), ("reject", "trained on the test audio", OWNER)]
    assert report.read == []  # deciding re-reads no model repo
    with pytest.raises(CollectError, match="invalid and cannot be approved"):
        bad = next(r["id"] for r in board["rejections"] if r["model"] == "eve/copycat")
        moderate(DATASET, bad, "approve", reason="no", endpoint=endpoint, token=token)

    # The model's author closes the disagreeing community PR: the result disappears, the log says why.
    pr = published.world.pr_numbers[("alice/asr-03", "bob")]
    published.apis["alice"].change_discussion_status("alice/asr-03", pr, "closed")
    report = collect(DATASET, endpoint=endpoint, token=token)
    assert report.read == ["alice/asr-03"]
    assert ("alice/asr-03", pr) not in {(r["model"], r["pr"]) for r in _board(api)["rows"]}
    withdrawn = [e for e in _log(api) if e["event"] == "withdrawn"]
    assert [(e["id"], e["reason"]) for e in withdrawn][-1] == (ids[("alice/asr-03", pr)], f"PR #{pr} was closed")

    # Two maintainers decide at the same moment: both collectors publish, neither overwrites the other.
    start = threading.Barrier(2)
    reports, errors = {}, []

    def decide(name: str, result_id: str, action: str) -> None:
        start.wait()
        try:
            reports[name] = moderate(DATASET, result_id, action, reason=f"by {name}", endpoint=endpoint, token=token)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [
        threading.Thread(target=decide, args=("first", ids[("carol/too-fast", None)], "approve")),
        threading.Thread(target=decide, args=("second", ids[("dave/asr-01-ft-copy", None)], "reject")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(r.attempts for r in reports.values()) == [1, 2]  # the later one re-read and retried
    board = _board(api)
    states = {r["model"]: r["state"] for r in board["rows"] if r["pr"] is None}
    assert (states["carol/too-fast"], states["dave/asr-01-ft-copy"]) == ("shown", "rejected")
    log = _log(api)
    assert sorted(e["reason"] for e in log if e["event"] == "decision")[-4:] == [
        "by first", "by second", "room labels checked", "trained on the test audio"]
    observed = [e["id"] for e in log if e["event"] == "observed"]
    assert len(observed) == len(set(observed))  # nothing logged twice
    final = collect(DATASET, endpoint=endpoint, token=token, dry_run=True)
    assert _main_table(board) == [(r.rank, r.model, r.values[AVERAGE_TASK_ID], r.status) for r in final.leaderboard.main_table()]


    # The benchmark revokes a key: the cache is dropped, every repo is verified again, its results leave.
    registry = published.keys.registry().model_dump(mode="json")
    for evaluator in registry["evaluators"]:
        evaluator["revoked"] = evaluator["revoked"] or evaluator["owner"] == "bob"
    api.upload_file(path_or_fileobj=yaml.safe_dump(registry).encode(), path_in_repo="evaluators.yaml",
                    repo_id=DATASET, repo_type="dataset", commit_message="revoke bob's key")
    report = collect(DATASET, endpoint=endpoint, token=token)
    with_results = [r.repo_id for r in published.world.repos if r.prs or (r.main and r.main.kind != "other-benchmark")]
    assert report.read == sorted(with_results)
    board = _board(api)
    revoked = {(r["model"], r["pr"]) for r in board["rejections"] if "revoked in evaluators.yaml" in r["reason"]}
    bob_pr = published.world.pr_numbers[("alice/asr-04", "bob")]
    assert {("carol/signed-a", None), ("dave/asr-02-ft", None), ("alice/asr-04", bob_pr)} <= revoked
    assert not {m for m, pr in revoked if pr is None} & {m for _, m, _, _ in _main_table(board)}
