"""Full collect over many model repos, then an incremental re-collect after a few changed.

Target: the incremental re-collect takes at most 5 % of the full collect. Both run against
the embedded Hub (real HTTP, real git storage) with really signed results; the model repos
are created before the clock starts.

    python benchmarks/collect.py [--n 2000] [--changed 20]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

from huggingface_hub import CommitOperationAdd, HfApi

_TESTS = Path(__file__).resolve().parents[1] / "tests"
sys.path[:0] = [str(_TESTS), str(_TESTS / "collect")]  # the collector tests' builders of signed results
from collect_helpers import DATASET, OWNER, Keys, entries_for, rates, summary
from collect_world import create_benchmark, safetensors_header

from ffasr_eval.collect import collect
from ffasr_eval.hub import LocalHub
from ffasr_eval.results import results_path, results_to_yaml
from ffasr_eval.signing import EvaluatorKey

TARGET = 0.05
REPOS_PER_NAMESPACE = 100


def _result(keys: Keys, repo: str, revision: str, dataset_revision: str, index: int, version: int) -> bytes:
    near = 0.05 + (index % 97) / 400 + version * 0.003
    run = summary(rates(near), rtfx=5.0 + index % 40, run_id=f"{repo}-{version}")
    key = keys.official if index % 3 else keys.community
    entries = entries_for(run, model_repo=repo, model_revision=revision, dataset_id=DATASET,
                          dataset_revision=dataset_revision, key=key, role="official" if key is keys.official else "community")
    return results_to_yaml(entries).encode()


def _create(api: HfApi, keys: Keys, repo: str, dataset_revision: str, index: int) -> None:
    api.create_repo(repo, exist_ok=True)
    card = CommitOperationAdd("README.md", b"---\nlicense: mit\n---\n# ASR model\n")
    weights = CommitOperationAdd("model.safetensors", safetensors_header(10_000_000 * (1 + index % 30)))
    base = api.create_commit(repo, [card, weights], commit_message="model").oid
    result = CommitOperationAdd(results_path(DATASET), _result(keys, repo, base, dataset_revision, index, 0))
    api.create_commit(repo, [result], commit_message="results", parent_commit=base)


def _change(apis: dict[str, HfApi], keys: Keys, repo: str, dataset_revision: str, index: int, community: HfApi) -> None:
    owner = apis[repo.split("/")[0]]
    base = owner.model_info(repo).sha
    content = _result(keys, repo, base, dataset_revision, index, 1)
    if index % 2:  # the author publishes a new result on main
        owner.create_commit(repo, [CommitOperationAdd(results_path(DATASET), content)], commit_message="new results")
    else:  # a community member opens a PR
        community.create_commit(repo, [CommitOperationAdd(results_path(DATASET), content)], commit_message="results",
                                create_pr=True)


def _timed(label: str, **kwargs) -> float:
    start = time.perf_counter()
    report = collect(DATASET, **kwargs)
    seconds = time.perf_counter() - start
    print(f"{label:<28} {seconds:8.2f} s   read {len(report.read):>5} repos, "
          f"{len(report.leaderboard.main_table()):>5} ranked, {len(report.events):>5} log events, "
          f"commit {(report.commit or 'none')[:12]}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000, help="model repos with results")
    parser.add_argument("--changed", type=int, default=20, help="repos changed before the re-collect")
    args = parser.parse_args()

    keys = Keys(*(EvaluatorKey.generate(owner=o) for o in ("ffasr", "bob", "mallory", "eve")))
    namespaces = [f"lab{i:02d}" for i in range((args.n + REPOS_PER_NAMESPACE - 1) // REPOS_PER_NAMESPACE)]
    with tempfile.TemporaryDirectory() as folder, LocalHub(Path(folder) / "hub") as hub:
        tokens = {name: hub.create_user(name) for name in [OWNER, "bob", *namespaces]}
        apis = {name: HfApi(endpoint=hub.endpoint, token=token) for name, token in tokens.items()}
        dataset_revision = create_benchmark(apis[OWNER], keys)
        repos = [f"{namespaces[i // REPOS_PER_NAMESPACE]}/asr-{i:05d}" for i in range(args.n)]
        start = time.perf_counter()
        with ThreadPoolExecutor(8) as pool:
            list(pool.map(lambda i: _create(apis[repos[i].split("/")[0]], keys, repos[i], dataset_revision, i),
                          range(args.n)))
        print(f"created {args.n} model repos in {time.perf_counter() - start:.1f} s "
              f"({datetime.now(UTC):%H:%M:%S} UTC)")

        owner = {"endpoint": hub.endpoint, "token": tokens[OWNER]}
        full = _timed("full collect", **owner)
        step = max(args.n // args.changed, 1)
        for index in range(0, args.n, step)[: args.changed]:
            _change(apis, keys, repos[index], dataset_revision, index, apis["bob"])
        incremental = _timed(f"incremental ({args.changed} changed)", **owner)
        _timed("nothing changed", **owner)

    ratio = incremental / full
    print(f"incremental / full = {ratio:.1%} (target <= {TARGET:.0%})")
    print("PASS" if ratio <= TARGET else "FAIL")


if __name__ == "__main__":
    main()
