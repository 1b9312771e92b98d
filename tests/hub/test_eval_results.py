"""Eval results: `model_info(expand=["evalResults"])` and `get_dataset_leaderboard` from `.eval_results/*.yaml`."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml
from huggingface_hub import EvalResultEntry, HfApi, eval_result_entries_to_yaml
from huggingface_hub.errors import HfHubHTTPError, RepositoryNotFoundError

from ffasr_eval.hub import LocalHub

EVAL_YAML = {"name": "FFASR", "evaluation_framework": "inspect-ai",
             "tasks": [{"id": "near_field", "config": "near_field", "split": "test"}],
             "ffasr": {"metrics": [{"id": "wer", "lower_is_better": True, "primary": True}]}}


def _results(dataset: str, values: dict[str, float], token: str | None = None) -> bytes:
    entries = [EvalResultEntry(dataset_id=dataset, task_id=task, value=value, verify_token=token,
                               source_url="https://example.org/log", source_name="log", notes="RTFx 9")
               for task, value in values.items()]
    return yaml.safe_dump(eval_result_entries_to_yaml(entries)).encode()


def _world(make_user, prefix: str):
    owner = make_user(orgs=[f"{prefix}-bench"])
    dataset = f"{prefix}-bench/ffasr"
    owner.api.create_repo(dataset, repo_type="dataset")
    owner.api.upload_file(path_or_fileobj=yaml.safe_dump(EVAL_YAML).encode(), path_in_repo="eval.yaml",
                          repo_id=dataset, repo_type="dataset")
    authors = {name: make_user() for name in ("a", "b", "c", "d", "e", "f")}
    for user in authors.values():
        user.api.create_repo(f"{user.name}/asr")
    model = {name: f"{user.name}/asr" for name, user in authors.items()}
    api = {name: user.api for name, user in authors.items()}
    api["a"].upload_file(path_or_fileobj=_results(dataset, {"near_field": 10.0, "average": 12.0}, f"ok:{model['a']}"),
                         path_in_repo=".eval_results/ffasr.yaml", repo_id=model["a"])
    api["b"].upload_file(path_or_fileobj=b"---\nbase_model: someone/base\n---\n", path_in_repo="README.md",
                         repo_id=model["b"])
    api["b"].upload_file(path_or_fileobj=_results(dataset, {"near_field": 8.0}), path_in_repo=".eval_results/x.yaml",
                         repo_id=model["b"])
    guest = make_user()
    guest.api.upload_file(path_or_fileobj=_results(dataset, {"near_field": 9.0}), path_in_repo=".eval_results/f.yaml",
                          repo_id=model["c"], create_pr=True)
    closed = guest.api.upload_file(path_or_fileobj=_results(dataset, {"near_field": 1.0}),
                                   path_in_repo=".eval_results/f.yaml", repo_id=model["d"], create_pr=True)
    api["d"].change_discussion_status(model["d"], closed.pr_num, "closed")
    api["e"].upload_file(path_or_fileobj=_results("other/dataset", {"near_field": 0.5}),
                         path_in_repo=".eval_results/o.yaml", repo_id=model["e"])
    api["f"].upload_file(path_or_fileobj=b"not: [a list", path_in_repo=".eval_results/broken.yaml", repo_id=model["f"])
    return owner, dataset, model, api


@pytest.fixture(scope="module")
def world(make_hub_user):
    return _world(make_hub_user, "lb")[:3]


def _near_field(board) -> list[tuple[int, str, float, int | None]]:
    return [(e.rank, e.model_id, e.value, e.pull_request) for e in board if e.taskId == "near_field"]


def test_model_info_expands_eval_results(world, anonymous_api) -> None:
    _, dataset, model = world
    info = anonymous_api.model_info(model["a"], expand=["evalResults"])
    assert [(r.dataset_id, r.task_id, r.value, r.source_url, r.notes) for r in info.eval_results] == [
        (dataset, "near_field", 10.0, "https://example.org/log", "RTFx 9"),
        (dataset, "average", 12.0, "https://example.org/log", "RTFx 9")]
    assert anonymous_api.model_info(model["f"], expand=["evalResults"]).eval_results == []  # invalid file skipped
    assert anonymous_api.model_info(model["e"]).eval_results is None  # only when expanded


def test_leaderboard_ranks_main_and_open_pr_results(world, anonymous_api) -> None:
    _, dataset, model = world
    board = anonymous_api.get_dataset_leaderboard(dataset)
    assert _near_field(board) == [(1, model["c"], 9.0, 1), (2, model["a"], 10.0, None)]
    entry = next(e for e in board if e.model_id == model["a"] and e.taskId == "near_field")
    assert (entry.filename, entry.verified, entry.notes, entry.author.username) == (
        ".eval_results/ffasr.yaml", False, "RTFx 9", model["a"].split("/")[0])
    assert entry.source == {"url": "https://example.org/log", "name": "log", "isExternal": True}
    everything = anonymous_api.get_dataset_leaderboard(dataset, base_model_only=False)
    assert _near_field(everything) == [(1, model["b"], 8.0, None), (2, model["c"], 9.0, 1),
                                       (3, model["a"], 10.0, None)]


def test_repeated_leaderboards_follow_every_change_to_the_model_repos(make_hub_user, anonymous_api) -> None:
    _, dataset, model, api = _world(make_hub_user, "lc")
    assert _near_field(anonymous_api.get_dataset_leaderboard(dataset)) == [(1, model["c"], 9.0, 1),
                                                                           (2, model["a"], 10.0, None)]
    api["c"].change_discussion_status(model["c"], 1, "closed")  # the community PR goes away
    api["a"].upload_file(path_or_fileobj=_results(dataset, {"near_field": 7.5}), path_in_repo=".eval_results/ffasr.yaml",
                         repo_id=model["a"])  # the author improves
    api["e"].upload_file(path_or_fileobj=_results(dataset, {"near_field": 11.0}), path_in_repo=".eval_results/n.yaml",
                         repo_id=model["e"])  # another model joins
    assert _near_field(anonymous_api.get_dataset_leaderboard(dataset)) == [(1, model["a"], 7.5, None),
                                                                           (2, model["e"], 11.0, None)]


def test_leaderboard_errors(world, hub_user, anonymous_api) -> None:
    hub_user.api.create_repo(f"{hub_user.name}/plain", repo_type="dataset")
    with pytest.raises(HfHubHTTPError) as error:
        anonymous_api.get_dataset_leaderboard(f"{hub_user.name}/plain")
    assert error.value.response.status_code == 404 and "no leaderboard" in str(error.value)
    with pytest.raises(RepositoryNotFoundError):
        anonymous_api.get_dataset_leaderboard(f"{hub_user.name}/absent")


def test_verified_comes_from_the_pluggable_verifier(tmp_path, monkeypatch) -> None:
    """Rows are verified by the plugin, and verified again only when a file it read changes (not
    on every dataset commit: a collector publishes into the dataset after each collect)."""
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(Path(__file__).parent), os.environ.get("PYTHONPATH", "")]))
    calls = tmp_path / "calls.txt"
    monkeypatch.setenv("VERIFIER_CALLS", str(calls))
    with LocalHub(tmp_path / "hub", verifier="verifier_plugin:verify") as hub:
        def make_user(orgs=()):
            name = f"v{len(list((tmp_path / 'hub').glob('*')))}{os.urandom(2).hex()}"
            token = hub.create_user(name, orgs=orgs)
            return type("U", (), {"name": name, "api": HfApi(endpoint=hub.endpoint, token=token)})

        def board() -> dict[str, bool]:
            return {e.model_id: e.verified for e in HfApi(endpoint=hub.endpoint).get_dataset_leaderboard(dataset)}

        def verified_again() -> list[str]:
            seen = calls.read_text().splitlines() if calls.exists() else []
            calls.write_text("")
            return seen

        owner, dataset, model, _ = _world(make_user, "vf")
        assert board() == {model["a"]: False, model["c"]: False}
        twice = [model["a"]] * 2  # model a's two entries (near_field, average) are the only ones with a token
        assert verified_again() == twice
        owner.api.upload_file(path_or_fileobj=b"# a benchmark", path_in_repo="README.md", repo_id=dataset,
                              repo_type="dataset")
        assert board() == {model["a"]: False, model["c"]: False} and verified_again() == []
        owner.api.upload_file(path_or_fileobj=model["a"].encode(), path_in_repo="trusted.txt", repo_id=dataset,
                              repo_type="dataset")
        assert board() == {model["a"]: True, model["c"]: False} and verified_again() == twice
        owner.api.upload_file(path_or_fileobj=b"nobody", path_in_repo="trusted.txt", repo_id=dataset,
                              repo_type="dataset")
        assert board() == {model["a"]: False, model["c"]: False} and verified_again() == twice
