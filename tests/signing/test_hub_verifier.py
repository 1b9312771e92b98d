"""The embedded Hub's leaderboard marks entries verified through `ffasr_eval.signing:hub_verifier`."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from huggingface_hub import CommitOperationAdd, HfApi

from ffasr_eval.hub import LocalHub
from ffasr_eval.publish import submit
from ffasr_eval.signing import EvaluatorKey, EvaluatorRegistry
from ffasr_eval.spec import spec_for_configs

from signing_helpers import PROFILE, WORD_TASKS


@pytest.fixture(scope="module")
def verifying_hub(tmp_path_factory) -> Iterator[LocalHub]:
    with LocalHub(tmp_path_factory.mktemp("verifying-hub"), verifier="ffasr_eval.signing:hub_verifier") as hub:
        yield hub


def test_leaderboard_verified_only_for_the_official_key(verifying_hub, run_dir, make_summary) -> None:
    hub = verifying_hub
    owner_token, alice_token = hub.create_user("benchowner", orgs=("ffasr",)), hub.create_user("alice")
    owner, alice = HfApi(endpoint=hub.endpoint, token=owner_token), HfApi(endpoint=hub.endpoint, token=alice_token)
    official, community = EvaluatorKey.generate(owner="ffasr"), EvaluatorKey.generate(owner="alice")
    registry = EvaluatorRegistry.model_validate({"evaluators": [
        official.evaluator_entry(role="official", hardware_profile=PROFILE), community.evaluator_entry()]})
    dataset = "ffasr/bench"
    owner.create_repo(dataset, repo_type="dataset")
    owner.create_commit(dataset, [
        CommitOperationAdd("eval.yaml", spec_for_configs(WORD_TASKS).to_yaml().encode()),
        CommitOperationAdd("evaluators.yaml", registry.to_yaml().encode()),
    ], commit_message="benchmark", repo_type="dataset")
    sha = owner.dataset_info(dataset).sha
    for name in ("official-run", "community-run"):
        alice.create_repo(f"alice/{name}")
        alice.upload_file(path_or_fileobj=b"x", path_in_repo="README.md", repo_id=f"alice/{name}")
    summary = make_summary(benchmark_id=dataset, benchmark_revision=sha)
    by_queue = submit(run_dir(summary, name="o"), "alice/official-run", key=official, role="official",
                      endpoint=hub.endpoint, token=owner_token)
    by_alice = submit(run_dir(summary, name="c"), "alice/community-run", key=community,
                      endpoint=hub.endpoint, token=alice_token)
    alice.merge_pull_request("alice/official-run", by_queue.pr_num)

    rows = owner.get_dataset_leaderboard(dataset)
    verified = {(row.model_id, getattr(row, "pull_request", None)): row.verified for row in rows}
    assert verified == {("alice/official-run", None): True, ("alice/community-run", by_alice.pr_num): False}

    revoked = registry.model_copy(update={"evaluators": [
        e.model_copy(update={"revoked": e.kid == official.kid}) for e in registry.evaluators]})
    owner.upload_file(path_or_fileobj=revoked.to_yaml().encode(), path_in_repo="evaluators.yaml", repo_id=dataset,
                      repo_type="dataset")
    assert not any(row.verified for row in owner.get_dataset_leaderboard(dataset))  # a revocation applies at once
