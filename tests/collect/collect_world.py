"""A benchmark and a few dozen model repos on the embedded Hub, with what the leaderboard should say.

Each model repo is described by a `Repo` (who owns it, what result it carries on main and in
PRs, its size and base model); `build_world` creates them with real signatures, and
`expected_*` derive from the same descriptions, independently of the collector, what it must
publish.
"""

from __future__ import annotations

import json
import struct
from dataclasses import dataclass, field

from collect_helpers import DATASET, WORD_TASKS, Keys, entries_for, rates, summary
from huggingface_hub import CommitOperationAdd, HfApi

from ffasr_eval.results import (
    AVERAGE_TASK_ID,
    VALUE_DECIMALS,
    results_path,
    results_to_yaml,
)
from ffasr_eval.spec import spec_for_configs

RESULTS_FILE = results_path(DATASET)
#: What a hand edit left of a result file: not YAML any more.
MALFORMED = "- dataset: {id: ffasr-collect/far-field-bench\n  value: [not closed\n"


@dataclass(frozen=True)
class Result:
    """A result file to put in a repo.

    kind: verified | community (signed, community key) | stranger (signed, unknown key) |
          unsigned | tampered | copied | revoked | unpublished | malformed | other-benchmark
    """

    kind: str
    near: float = 0.10
    step: float = 0.04
    rtfx: float = 8.0
    day: int = 0
    swap: bool = False
    copy_of: str | None = None

    def rates(self) -> dict[str, float]:
        values = rates(self.near, self.step)
        if self.swap:
            values["far_snr20"] = self.near / 2
        return values

    def percents(self) -> dict[str, float]:
        """Values (percent) as the result file states them, average included (computed here, not by the toolkit)."""
        values = {t: round(r * 100, VALUE_DECIMALS) for t, r in self.rates().items()}
        values[AVERAGE_TASK_ID] = round(sum(values[t] for t in WORD_TASKS) / len(WORD_TASKS), VALUE_DECIMALS)
        return values


@dataclass(frozen=True)
class PullRequest:
    author: str
    result: Result
    close: bool = False
    flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Repo:
    """A model repo and what the collector must conclude about its results."""

    repo_id: str
    main: Result | None
    prs: tuple[PullRequest, ...] = ()
    parameters: int | None = None
    base_model: str | None = None
    flags: tuple[str, ...] = ()  # expected flag codes of the main result
    reason: str | None = None  # expected words of the rejection reason (invalid results)

    @property
    def owner(self) -> str:
        return self.repo_id.split("/")[0]


STATUS = {"verified": "verified", "community": "signed", "stranger": "signed", "unsigned": "unsigned"}
M40 = 40_000_000


def world() -> list[Repo]:
    """32 repos with results (plus 2 without any for this benchmark), covering every case."""
    repos = [Repo(f"alice/asr-{i:02d}", Result("verified", near=0.10 + 0.01 * i, rtfx=8.0 + i / 2), parameters=M40)
             for i in range(10)]
    repos[3] = Repo("alice/asr-03", repos[3].main, parameters=M40, prs=(
        PullRequest("bob", Result("community", near=0.05, day=2), flags=("disagrees_with_verified",)),
    ))
    repos[4] = Repo("alice/asr-04", repos[4].main, parameters=M40, prs=(
        PullRequest("bob", Result("community", near=repos[4].main.near, day=3)),
    ))
    repos[5] = Repo("alice/asr-05", repos[5].main, parameters=M40, prs=(
        PullRequest("dave", Result("unsigned", near=0.02), close=True),
    ))
    repos += [
        Repo("carol/tiny-cheat", Result("verified", near=0.005, step=0.005), parameters=M40, flags=("wer_outlier",)),
        Repo("carol/signed-a", Result("community", near=0.15)),
        Repo("carol/signed-b", Result("community", near=0.25)),
        Repo("carol/signed-c", Result("community", near=0.35)),
        Repo("dave/stranger", Result("stranger", near=0.22)),
        Repo("dave/unsigned-a", Result("unsigned", near=0.12, rtfx=20.0)),
        Repo("dave/unsigned-b", Result("unsigned", near=0.28)),
        Repo("dave/unsigned-c", Result("unsigned", near=0.40)),
        Repo("eve/tampered-a", Result("tampered", near=0.2), reason="edited after signing"),
        Repo("eve/tampered-b", Result("tampered-average", near=0.2), reason="edited after signing"),
        Repo("eve/copycat", Result("copied", copy_of="alice/asr-00"), reason="copied token"),
        Repo("eve/revoked", Result("revoked", near=0.2), reason="revoked"),
        Repo("dave/old-revision", Result("unpublished", near=0.2), reason="not a revision"),
        Repo("dave/broken", Result("malformed"), reason="malformed result file"),
        Repo("carol/swapped", Result("verified", near=0.18, swap=True), flags=("far_below_near",)),
        Repo("carol/too-fast", Result("verified", near=0.3, rtfx=5000.0), flags=("rtfx_implausible",)),
        Repo("dave/asr-01-ft-copy", Result("community", near=0.11), base_model="alice/asr-01", flags=("same_as_base",)),
        Repo("dave/asr-02-ft", Result("community", near=0.08), base_model="alice/asr-02"),
        Repo("carol/dup", Result("verified", near=0.33), prs=(PullRequest("carol", Result("verified", near=0.33)),)),
        Repo("alice/no-results", None),
        Repo("carol/other-bench", Result("other-benchmark")),
    ]
    return repos


def safetensors_header(parameters: int) -> bytes:
    """A safetensors file holding only its header (enough for `get_safetensors_metadata`)."""
    header = json.dumps({"w": {"dtype": "F32", "shape": [parameters], "data_offsets": [0, 4 * parameters]}}).encode()
    return struct.pack("<Q", len(header)) + header


@dataclass
class World:
    """The created repos: their model revisions, and the dataset revision results are bound to."""

    repos: list[Repo]
    dataset_revision: str
    model_revisions: dict[str, str] = field(default_factory=dict)
    pr_numbers: dict[tuple[str, str], int] = field(default_factory=dict)  # (repo, author) -> PR number


def result_yaml(result: Result, repo: Repo, revision: str, dataset_revision: str, keys: Keys, world: World) -> str:
    """The text of the result file for `result` in `repo` (really signed, then maybe damaged)."""
    if result.kind == "malformed":  # valid at first: the test breaks it later (see MALFORMED)
        return result_yaml(Result("verified", near=result.near), repo, revision, dataset_revision, keys, world)
    if result.kind == "copied":
        source = next(r for r in world.repos if r.repo_id == result.copy_of)
        return result_yaml(source.main, source, world.model_revisions[source.repo_id], dataset_revision, keys, world)
    key = {"verified": keys.official, "community": keys.community, "stranger": keys.stranger, "revoked": keys.revoked,
           "tampered": keys.official, "tampered-average": keys.official, "unpublished": keys.official,
           "other-benchmark": keys.official}.get(result.kind)
    entries = entries_for(
        summary(result.rates(), rtfx=result.rtfx, day=result.day, run_id=f"{repo.repo_id}-{result.kind}-{result.near}"),
        model_repo=repo.repo_id, model_revision=revision,
        dataset_id="other/bench" if result.kind == "other-benchmark" else DATASET,
        dataset_revision="e" * 40 if result.kind == "unpublished" else dataset_revision,
        key=key, role="official" if key is keys.official else "community",
        source_url=f"http://logs/{repo.repo_id}/{result.kind}.eval",
    )
    if result.kind == "tampered":
        entries[0].value = round(entries[0].value - 2.5, VALUE_DECIMALS)
    if result.kind == "tampered-average":
        entries[-1].value = round(entries[-1].value - 2.5, VALUE_DECIMALS)
    return results_to_yaml(entries)


def build_world(apis: dict[str, HfApi], keys: Keys, dataset_revision: str, repos: list[Repo] | None = None) -> World:
    """Create every model repo in one commit (card, weights header, result file), then its PRs.

    Results bind the model revision the Hub created the repo at (its initial commit).
    """
    built = World(repos=repos or world(), dataset_revision=dataset_revision)
    for repo in built.repos:
        api = apis[repo.owner]
        api.create_repo(repo.repo_id)
        base = api.model_info(repo.repo_id).sha
        built.model_revisions[repo.repo_id] = base
        card = "---\n" + (f"base_model: {repo.base_model}\n" if repo.base_model else "") + "license: mit\n---\n# Model\n"
        files = {"README.md": card.encode()}
        if repo.parameters:
            files["model.safetensors"] = safetensors_header(repo.parameters)
        if repo.main is not None:
            files[RESULTS_FILE] = result_yaml(repo.main, repo, base, dataset_revision, keys, built).encode()
        api.create_commit(repo.repo_id, [CommitOperationAdd(path, data) for path, data in files.items()],
                          commit_message="model and results", parent_commit=base)
        for pr in repo.prs:
            same = pr.result == repo.main  # a duplicated submission: byte-identical file
            text = files[RESULTS_FILE] if same else result_yaml(pr.result, repo, base, dataset_revision, keys, built).encode()
            commit = apis[pr.author].create_commit(
                repo.repo_id, [CommitOperationAdd(RESULTS_FILE, text)], commit_message="results", create_pr=True,
            )
            built.pr_numbers[(repo.repo_id, pr.author)] = commit.pr_num
            if pr.close:
                api.change_discussion_status(repo.repo_id, commit.pr_num, "closed")  # the model author declines it
    return built


def expected_rows(world: World) -> list[dict]:
    """Every valid result the leaderboard must hold: (model, status, state, flags, values, pr)."""
    rows = []
    for repo in world.repos:
        results = [(repo.main, None, repo.flags)] if repo.main else []
        results += [(pr.result, pr, pr.flags) for pr in repo.prs if not pr.close]
        for result, pr, flags in results:
            if result.kind not in STATUS:
                continue
            if pr is not None and pr.result == repo.main:  # the same file on main and in a PR is one result
                continue
            rows.append({
                "model": repo.repo_id, "status": STATUS[result.kind], "state": "held" if flags else "shown",
                "flags": sorted(flags), "values": result.percents(), "day": result.day,
                "pr": world.pr_numbers[(repo.repo_id, pr.author)] if pr else None,
                "community": pr is not None and pr.author != repo.owner,
                "base": repo.base_model is None,
            })
    return rows


def expected_main_table(rows: list[dict]) -> list[tuple[int, str, float, str]]:
    """The ranked main table: latest most trusted shown result per model, lowest average first."""
    order = ["unsigned", "signed", "verified"]
    best: dict[str, dict] = {}
    for row in rows:
        if row["state"] != "shown":
            continue
        current = best.get(row["model"])
        if current is None or (order.index(row["status"]), row["day"]) > (order.index(current["status"]), current["day"]):
            best[row["model"]] = row
    ranked = sorted(best.values(), key=lambda r: (r["values"][AVERAGE_TASK_ID], r["model"]))
    return [(i, r["model"], r["values"][AVERAGE_TASK_ID], r["status"]) for i, r in enumerate(ranked, start=1)]


def expected_rejections(world: World) -> dict[str, str]:
    """Model repo -> words its rejection reason must contain."""
    return {repo.repo_id: repo.reason for repo in world.repos if repo.reason}



def eval_yaml() -> str:
    """The FFASR benchmark definition: the toolkit's template with every condition built."""
    return spec_for_configs(WORD_TASKS).to_yaml()


DATASET_README = """---
license: cc-by-4.0
pretty_name: FFASR far-field benchmark
---
# FFASR far-field benchmark

Hand-written introduction that the collector must keep.

<!-- leaderboard:start -->
(no results yet)
<!-- leaderboard:end -->

## Citation

Also kept.
"""


def create_benchmark(api: HfApi, keys: Keys) -> str:
    """Create the benchmark dataset repo in one commit; returns its revision."""
    api.create_repo(DATASET, repo_type="dataset", exist_ok=True)
    files = {"eval.yaml": eval_yaml(), "evaluators.yaml": keys.registry().to_yaml(), "README.md": DATASET_README}
    commit = api.create_commit(
        DATASET, [CommitOperationAdd(path, text.encode()) for path, text in files.items()],
        commit_message="benchmark", repo_type="dataset",
    )
    return commit.oid
