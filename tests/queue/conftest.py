"""A tiny benchmark on the embedded Hub with an official key, and a held-out folder, for the queue tests."""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path

import pytest

from ffasr_eval.signing import EvaluatorKey, EvaluatorRegistry, create_key

_RUNNER = importlib.util.spec_from_file_location("_runner_bench", Path(__file__).parents[1] / "runner" / "conftest.py")
_runner_bench = importlib.util.module_from_spec(_RUNNER)
_RUNNER.loader.exec_module(_runner_bench)

PUBLIC = ["the weather is nice today"]
HELDOUT = ["she bought three green apples"]


@dataclass(frozen=True)
class QueueWorld:
    owner: object
    benchmark: str
    key_path: Path
    key: EvaluatorKey
    heldout: Path


@pytest.fixture(scope="session")
def queue_world(tmp_path_factory, make_hub_user) -> QueueWorld:
    owner = make_hub_user()
    public = _runner_bench.write_benchmark(tmp_path_factory.mktemp("public"),
                                           {"near_field": _runner_bench._synthesize(PUBLIC)}, PUBLIC)
    heldout = _runner_bench.write_benchmark(tmp_path_factory.mktemp("heldout"),
                                            {"near_field": _runner_bench._synthesize(HELDOUT)}, HELDOUT)
    data = heldout / "data" / "near_field"
    (data / "test-00000-of-00001.parquet").rename(data / "heldout-00000-of-00001.parquet")
    spec = heldout / "eval.yaml"
    spec.write_text(spec.read_text().replace("split: test", "split: heldout"))
    key_path = tmp_path_factory.mktemp("keys") / "official.pem"
    key = create_key(key_path, owner=owner.name)
    registry = EvaluatorRegistry.model_validate({"evaluators": [key.evaluator_entry(role="official", hardware_profile="cpu-2c")]})
    (public / "evaluators.yaml").write_text(registry.to_yaml())
    benchmark = f"{owner.name}/bench"
    owner.api.create_repo(benchmark, repo_type="dataset")
    owner.api.upload_folder(repo_id=benchmark, folder_path=public, repo_type="dataset")
    return QueueWorld(owner, benchmark, key_path, key, heldout)


@pytest.fixture
def model_repo(make_hub_user):
    def make(name: str = "pocketsphinx"):
        author = make_hub_user()
        repo = f"{author.name}/{name}"
        author.api.create_repo(repo)
        author.api.upload_file(path_or_fileobj=b"# pocketsphinx en-us\n", path_in_repo="README.md", repo_id=repo)
        return repo
    return make
