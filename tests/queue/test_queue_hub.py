"""The official queue on the embedded Hub: request → worker → verified PR, rejections, crash-resume."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from ffasr_eval.collect import collect
from ffasr_eval.errors import QueueError
from ffasr_eval.queue import list_requests, read_log, request_evaluation, work_once
from ffasr_eval.queue._store import head
from ffasr_eval.queue._worker import _claim
from ffasr_eval.signing import load_benchmark_trust, verify_repo


def _statuses(benchmark: str, repo: str, pr_url: str) -> list[str]:
    """Verdicts of the signing module on every entry of a result PR."""
    found = verify_repo(repo, revision=f"refs/pr/{pr_url.rsplit('/', 1)[1]}", trust=load_benchmark_trust(benchmark))
    return [v.status for verdicts in found.values() for v in verdicts]


def test_request_worker_verified_pr_and_public_log(queue_world, model_repo, make_hub_user, tmp_path):
    repo = model_repo()
    requester = make_hub_user()
    receipt = request_evaluation(queue_world.benchmark, repo, provider="sphinx", token=requester.token)
    assert receipt.pr_url is not None  # not the owner: a PR on the benchmark repo

    with pytest.raises(QueueError, match="already requested in open PR"):
        request_evaluation(queue_world.benchmark, f"{repo}@main", provider="sphinx", token=requester.token)

    report = work_once(queue_world.benchmark, key=queue_world.key_path, heldout=queue_world.heldout, limit=1,
                       work_dir=tmp_path, token=queue_world.owner.token)
    assert report.accepted == [receipt.request.id] and report.done == [receipt.request.id], report
    api = queue_world.owner.api
    (done,) = [r for r in list_requests(api, queue_world.benchmark, head(api, queue_world.benchmark))
               if r.id == receipt.request.id]
    assert done.status == "done" and set(done.heldout) >= {"near_field"}
    statuses = _statuses(queue_world.benchmark, repo, done.result_pr)
    assert len(statuses) == 2 and set(statuses) == {"verified"}  # near_field + average
    log = [(e.id, e.status) for e in read_log(api, queue_world.benchmark)]
    assert log[-3:] == [(done.id, "pending"), (done.id, "running"), (done.id, "done")]

    # The collector finds the official result in the open PR and shows it as verified.
    board = collect(queue_world.benchmark, token=queue_world.owner.token, dry_run=True).leaderboard
    assert [(r.status, r.state) for r in board.rows if r.model == repo] == [("verified", "shown")]

    with pytest.raises(QueueError, match="already queued"):
        request_evaluation(queue_world.benchmark, repo, provider="sphinx", token=requester.token)

    # Held-out data never leaves the worker: no reference text, no audio bytes in any pushed file.
    table = pq.read_table(next((queue_world.heldout / "data").rglob("*.parquet")))
    secrets = [t.encode() for t in table.column("text").to_pylist()]
    secrets += [a["bytes"][100:164] for a in table.column("audio").to_pylist()]
    num = done.result_pr.rsplit("/", 1)[1]
    pushed = [(queue_world.benchmark, "dataset", "main"), (repo, "model", f"refs/pr/{num}")]
    for repo_id, kind, revision in pushed:
        for path in api.list_repo_files(repo_id, repo_type=kind, revision=revision):
            local = api.hf_hub_download(repo_id, path, repo_type=kind, revision=revision)
            content = Path(local).read_bytes()
            assert not any(s in content for s in secrets), f"held-out data leaked into {repo_id}:{path}"


@pytest.mark.parametrize(("model", "provider", "message"), [
    ("not a repo", "sphinx", "owner/name"),
    ("nobody/missing-model", "sphinx", "not found"),
    ("{repo}@no-such-branch", "sphinx", "no revision"),
    ("{repo}", "whisper-cpp", "unknown provider"),
])
def test_malformed_requests_are_rejected(queue_world, model_repo, make_hub_user, model, provider, message):
    requester = make_hub_user()
    with pytest.raises(QueueError, match=message):
        request_evaluation(queue_world.benchmark, model.format(repo=model_repo()), provider=provider,
                           token=requester.token)


def test_rate_limit_per_user(queue_world, model_repo, make_hub_user):
    requester = make_hub_user()
    request_evaluation(queue_world.benchmark, model_repo(), provider="sphinx", token=requester.token, max_pending=1)
    with pytest.raises(QueueError, match="limit 1"):
        request_evaluation(queue_world.benchmark, model_repo(), provider="sphinx", token=requester.token,
                           max_pending=1)


def test_crashed_worker_request_returns_to_pending_and_finishes_once(queue_world, model_repo, tmp_path):
    owner = queue_world.owner
    repo = model_repo()
    receipt = request_evaluation(queue_world.benchmark, repo, provider="sphinx", token=owner.token, max_pending=99)
    # A worker claims the request and dies before finishing: its lease runs out.
    _claim(owner.api, queue_world.benchmark, owner.name, "dead-worker", 99, timedelta(seconds=-1))
    report = work_once(queue_world.benchmark, key=queue_world.key_path, limit=1, batch=99, work_dir=tmp_path,
                       token=owner.token)
    assert receipt.request.id in report.requeued and receipt.request.id in report.done
    statuses = [e.status for e in read_log(owner.api, queue_world.benchmark) if e.id == receipt.request.id]
    assert statuses == ["pending", "running", "pending", "running", "done"]
    prs = owner.api.get_repo_discussions(repo, discussion_type="pull_request")
    assert len(list(prs)) == 1


def test_cli_request_rejection_and_status(queue_world, model_repo, make_hub_user, monkeypatch):
    from click.testing import CliRunner

    from ffasr_eval._cli.main import cli

    requester = make_hub_user()
    monkeypatch.setenv("HF_TOKEN", requester.token)
    runner = CliRunner()
    repo = model_repo()
    rejected = runner.invoke(cli, ["queue", "request", "--benchmark", queue_world.benchmark, "--model", "nobody/x"])
    assert rejected.exit_code == 1 and "model repo nobody/x not found" in rejected.output
    queued = runner.invoke(cli, ["queue", "request", "--benchmark", queue_world.benchmark, "--model", repo,
                                 "--provider", "sphinx"])
    assert queued.exit_code == 0 and "/discussions/" in queued.output, queued.output
    monkeypatch.setenv("HF_TOKEN", queue_world.owner.token)
    status = runner.invoke(cli, ["queue", "status", "--benchmark", queue_world.benchmark])
    assert status.exit_code == 0 and "done" in status.output, status.output


def test_worker_closes_a_malformed_request_pr_with_the_reason(queue_world, make_hub_user, tmp_path):
    from huggingface_hub import CommitOperationAdd

    requester = make_hub_user()
    commit = requester.api.create_commit(
        queue_world.benchmark, [CommitOperationAdd("requests/r-forged.json", b'{"id": "r-forged", "model": 3}')],
        commit_message="Evaluation request: forged", repo_type="dataset", create_pr=True)
    report = work_once(queue_world.benchmark, key=queue_world.key_path, limit=1, batch=0, work_dir=tmp_path,
                       token=queue_world.owner.token)
    assert f"PR #{commit.pr_num}" in report.rejected
    details = queue_world.owner.api.get_discussion_details(queue_world.benchmark, commit.pr_num, repo_type="dataset")
    assert details.status == "closed"
    assert any("not a valid queue request" in getattr(e, "content", "") for e in details.events)
