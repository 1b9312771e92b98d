"""Result pull requests on the embedded Hub, through the real huggingface_hub client."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from huggingface_hub import CommitOperationAdd

from ffasr_eval._cli.main import cli
from ffasr_eval.errors import SubmitError
from ffasr_eval.publish import submit
from ffasr_eval.results import parse_results
from ffasr_eval.signing import BenchmarkTrust, EvaluatorKey, EvaluatorRegistry, verify_repo

from signing_helpers import DATASET


def model_repo(user, name: str = "asr") -> tuple[str, str]:
    """A model repo of `user` with one commit; returns (repo id, main sha)."""
    repo = f"{user.name}/{name}"
    user.api.create_repo(repo)
    commit = user.api.upload_file(path_or_fileobj=b"# model\n", path_in_repo="README.md", repo_id=repo)
    return repo, commit.oid


def trust_of(*keys: EvaluatorKey) -> BenchmarkTrust:
    return BenchmarkTrust(evaluators=EvaluatorRegistry.model_validate(
        {"evaluators": [k.evaluator_entry(role="community") for k in keys]}))


def test_community_pr_is_merged_and_shows_in_model_info(make_hub_user, run_dir) -> None:
    owner, member = make_hub_user(), make_hub_user()
    repo, main_sha = model_repo(owner)
    key = EvaluatorKey.generate(owner=member.name)

    opened = submit(run_dir(), repo, key=key, endpoint=member.api.endpoint, token=member.token)

    assert opened.kind == "community"
    assert opened.result.payload.model.revision == main_sha  # the run recorded none: main at submit time
    (pr,) = [d for d in owner.api.get_repo_discussions(repo) if d.is_pull_request]
    assert (pr.num, pr.author, pr.status in ("open", "draft")) == (opened.pr_num, member.name, True)
    files = owner.api.list_repo_files(repo, revision=pr.git_reference)
    assert opened.result.results_path in files and set(opened.result.logs) <= set(files)
    pr_file = Path(owner.api.hf_hub_download(repo, opened.result.results_path, revision=pr.git_reference))
    assert parse_results(pr_file.read_text()) == opened.result.entries
    verdicts = verify_repo(repo, revision=pr.git_reference, trust=trust_of(key), token=owner.token)
    assert {v.status for v in verdicts[opened.result.results_path]} == {"signed"}
    assert owner.api.model_info(repo, expand=["evalResults"]).eval_results is None  # not on main yet

    owner.api.merge_pull_request(repo, pr.num)

    shown = owner.api.model_info(repo, expand=["evalResults"]).eval_results
    assert [(e.task_id, e.value, e.verify_token) for e in shown] == [
        (e.task_id, e.value, e.verify_token) for e in opened.result.entries]
    assert {e.dataset_id for e in shown} == {DATASET}
    (main_verdicts,) = verify_repo(repo, trust=trust_of(key), token=owner.token).values()
    assert {v.status for v in main_verdicts} == {"signed"}


def test_author_result_and_duplicate_prs_are_refused(make_hub_user, run_dir) -> None:
    owner, member = make_hub_user(), make_hub_user()
    repo, _ = model_repo(owner)
    folder = run_dir()
    first = submit(folder, repo, key=EvaluatorKey.generate(owner=owner.name), token=owner.token)
    assert first.kind == "author"

    for user in (owner, member):  # same numbers, another signature: still a duplicate of the open PR
        with pytest.raises(SubmitError, match=f"open PR #{first.pr_num} .* already proposes these results"):
            submit(folder, repo, key=EvaluatorKey.generate(owner=user.name), token=user.token)
    assert len([d for d in owner.api.get_repo_discussions(repo) if d.is_pull_request]) == 1

    owner.api.merge_pull_request(repo, first.pr_num)
    with pytest.raises(SubmitError, match="already has these results .* on main"):
        submit(folder, repo, token=member.token)


def test_different_results_open_a_new_pr(make_hub_user, run_dir, make_summary) -> None:
    owner = make_hub_user()
    repo, _ = model_repo(owner)
    first = submit(run_dir(name="a"), repo, token=owner.token)
    second = submit(run_dir(make_summary(rates={"near_field": 0.5}, average_tasks=[]), name="b"), repo, token=owner.token)
    assert second.pr_num != first.pr_num and second.result.kid is None


def test_org_member_submits_as_author(make_hub_user, run_dir, make_summary) -> None:
    org = f"lab-{make_hub_user().name}"
    member, outsider = make_hub_user(orgs=[org]), make_hub_user()
    repo = f"{org}/asr"
    member.api.create_repo(repo)
    member.api.upload_file(path_or_fileobj=b"x", path_in_repo="README.md", repo_id=repo)
    assert submit(run_dir(name="m"), repo, token=member.token).kind == "author"
    other = submit(run_dir(make_summary(rates={"near_field": 0.4}, average_tasks=[]), name="o"), repo,
                   token=outsider.token)
    assert other.kind == "community"


def test_token_copied_into_another_repo_is_invalid(make_hub_user, run_dir) -> None:
    alice, mallory = make_hub_user(), make_hub_user()
    repo, _ = model_repo(alice)
    key = EvaluatorKey.generate(owner=alice.name)
    opened = submit(run_dir(), repo, key=key, token=alice.token)
    alice.api.merge_pull_request(repo, opened.pr_num)
    copy, _ = model_repo(mallory, "copycat")
    text = Path(alice.api.hf_hub_download(repo, opened.result.results_path)).read_text()
    mallory.api.create_commit(copy, [CommitOperationAdd(opened.result.results_path, text.encode())],
                              commit_message="borrow")
    (verdicts,) = verify_repo(copy, trust=trust_of(key)).values()
    assert {v.status for v in verdicts} == {"invalid"}
    assert f"token was issued for model {repo}, not {copy}" in verdicts[0].reason


def test_cli_submit_and_verify_repo(make_hub_user, run_dir, tmp_path, monkeypatch) -> None:
    owner, member = make_hub_user(), make_hub_user()
    repo, _ = model_repo(owner)
    runner = CliRunner()
    assert runner.invoke(cli, ["keys", "create", "--out", str(tmp_path / "k.pem"), "--owner", member.name]).exit_code == 0
    monkeypatch.setenv("HF_TOKEN", member.token)
    submitted = runner.invoke(cli, ["submit", str(run_dir()), "--model", repo, "--key", str(tmp_path / "k.pem")])
    assert submitted.exit_code == 0, submitted.output
    assert "opened community result PR #1" in submitted.output
    registry = tmp_path / "evaluators.yaml"
    key = EvaluatorKey.generate()  # nobody trusts the member's key: signed, not verified
    registry.write_text(EvaluatorRegistry.model_validate({"evaluators": [key.evaluator_entry()]}).to_yaml())
    checked = runner.invoke(cli, ["verify", repo, "--revision", "refs/pr/1", "--evaluators", str(registry)])
    assert checked.exit_code == 0, checked.output
    assert "0 verified, 8 signed, 0 unsigned, 0 invalid" in checked.output
    again = runner.invoke(cli, ["submit", str(run_dir(name="again")), "--model", repo, "--key", str(tmp_path / "k.pem")])
    assert again.exit_code == 1 and "already proposes these results" in again.output


def test_pr_description_is_the_rendered_template(make_hub_user, run_dir) -> None:
    owner, member = make_hub_user(), make_hub_user()
    repo, _ = model_repo(owner)
    opened = submit(run_dir(), repo, token=member.token)
    details = owner.api.get_discussion_details(repo, opened.pr_num)
    assert details.title == f"FFASR results (community result by {member.name})"
    text = details.events[0].content
    assert "| near_field | WER | 8.12 |" in text and "Unsigned: no evaluator key was configured" in text


def test_eval_log_replaced_in_the_pr_is_invalid(make_hub_user, run_dir) -> None:
    owner, member = make_hub_user(), make_hub_user()
    repo, _ = model_repo(owner)
    key = EvaluatorKey.generate(owner=member.name)
    opened = submit(run_dir(), repo, key=key, token=member.token)
    ref = f"refs/pr/{opened.pr_num}"
    (log,) = opened.result.logs
    member.api.create_commit(repo, [CommitOperationAdd(log, b"a different log")], commit_message="swap log", revision=ref)
    (verdicts,) = verify_repo(repo, revision=ref, trust=trust_of(key)).values()
    assert {v.status for v in verdicts} == {"invalid"}
    assert f"eval log {log} differs from the signed sha256" in verdicts[0].reason
