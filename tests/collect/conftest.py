"""Fixtures of the collector tests: keys, cached result records, the benchmark as the collector sees it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from collect_helpers import DATASET, OWNER, PROFILE, TASKS, WORD_TASKS, Keys
from collect_world import MALFORMED, RESULTS_FILE, World, build_world, create_benchmark
from huggingface_hub import (
    CommitOperationAdd,
    EvalResultEntry,
    HfApi,
    eval_result_entries_to_yaml,
)

from ffasr_eval.collect import CollectReport, collect
from ffasr_eval.collect._benchmark import BenchmarkInfo
from ffasr_eval.collect._state import ResultRecord, result_id
from ffasr_eval.signing import BenchmarkTrust, EvaluatorKey


@pytest.fixture(scope="session")
def keys() -> Keys:
    return Keys(
        official=EvaluatorKey.generate(owner="ffasr"),
        community=EvaluatorKey.generate(owner="bob"),
        stranger=EvaluatorKey.generate(owner="mallory"),
        revoked=EvaluatorKey.generate(owner="eve"),
    )


@pytest.fixture
def make_record() -> Callable[..., ResultRecord]:
    """A cached result record (as discovery stores it) from Hub entries."""

    def make(model_repo: str, entries: list[EvalResultEntry], *, ref: str = "main", pr: int | None = None,
             submitter: str | None = None) -> ResultRecord:
        data = eval_result_entries_to_yaml(entries)
        return ResultRecord(
            entries=data, id=result_id(model_repo, data), model_repo=model_repo, ref=ref, pr=pr,
            submitter=submitter or model_repo.split("/")[0], commit="c" * 40, path=".eval_results/far-field-bench.yaml",
        )

    return make


@pytest.fixture
def benchmark(keys: Keys) -> BenchmarkInfo:
    """The FFASR benchmark as the collector sees it, published at revision 'd' * 40."""
    return BenchmarkInfo(
        repo_id=DATASET, name="FFASR", tasks=TASKS, metrics={t: "wer" for t in WORD_TASKS} | {"phonemes": "per"},
        average_tasks=WORD_TASKS, lower_is_better=True,
        trust=BenchmarkTrust(evaluators=keys.registry(), profile=PROFILE, average_tasks=WORD_TASKS),
        revisions=frozenset({"d" * 40}),
    )


@dataclass
class Published:
    """The collector's world on the embedded Hub after the first publish."""

    endpoint: str
    token: str
    owner: HfApi
    apis: dict[str, HfApi]
    keys: Keys
    world: World
    report: CollectReport


@pytest.fixture(scope="session")
def published(make_hub_user, keys: Keys) -> Published:
    """The benchmark, 32 model repos with results, and the first publish of their leaderboard.

    The repo with a malformed file first carries a valid result (so the Hub's leaderboard lists it
    and the collector knows it); then its author breaks the file, and the collect whose report
    the tests read finds the damage on re-reading only that repo.
    """
    owner = make_hub_user(OWNER)
    apis = {name: make_hub_user(name).api for name in ("alice", "bob", "carol", "dave", "eve")}
    dataset_revision = create_benchmark(owner.api, keys)
    built = build_world(apis, keys, dataset_revision)
    endpoint = owner.api.endpoint
    collect(DATASET, endpoint=endpoint, token=owner.token)
    apis["dave"].create_commit(
        "dave/broken", [CommitOperationAdd(RESULTS_FILE, MALFORMED.encode())], commit_message="edit results by hand"
    )
    report = collect(DATASET, endpoint=endpoint, token=owner.token)
    assert report.read == ["dave/broken"], report.read
    return Published(endpoint, owner.token, owner.api, apis, keys, built, report)
