"""Accounts and repos through the real `huggingface_hub` client: whoami, create/delete, info, listings."""

from __future__ import annotations

import time

import pytest
from huggingface_hub import HfApi
from huggingface_hub.errors import (
    HfHubHTTPError,
    RepositoryNotFoundError,
    RevisionNotFoundError,
)


def test_whoami_names_the_user_and_its_orgs(make_hub_user) -> None:
    user = make_hub_user(orgs=["whoami-org"])
    info = user.api.whoami()
    assert info["name"] == user.name
    assert [o["name"] for o in info["orgs"]] == ["whoami-org"]


def test_whoami_rejects_a_bad_token(hub_endpoint) -> None:
    with pytest.raises(HfHubHTTPError) as error:
        HfApi(endpoint=hub_endpoint, token="hf_not-a-token").whoami()
    assert error.value.response.status_code == 401


@pytest.mark.parametrize("repo_type", ["model", "dataset", "space"])
def test_create_info_delete_each_repo_type(hub_user, repo_type) -> None:
    api, repo_id = hub_user.api, f"{hub_user.name}/thing"
    url = api.create_repo(repo_id, repo_type=repo_type, space_sdk="static" if repo_type == "space" else None)
    assert url.repo_id == repo_id and url.repo_type == repo_type
    info = api.repo_info(repo_id, repo_type=repo_type)
    assert info.id == repo_id and len(info.sha) == 40 and info.private is False
    assert [s.rfilename for s in info.siblings] == [".gitattributes"]
    assert api.repo_exists(repo_id, repo_type=repo_type)
    api.delete_repo(repo_id, repo_type=repo_type)
    assert not api.repo_exists(repo_id, repo_type=repo_type)
    api.delete_repo(repo_id, repo_type=repo_type, missing_ok=True)


def test_create_existing_repo_conflicts_unless_exist_ok(hub_user) -> None:
    repo_id = f"{hub_user.name}/twice"
    hub_user.api.create_repo(repo_id)
    with pytest.raises(HfHubHTTPError) as error:
        hub_user.api.create_repo(repo_id)
    assert error.value.response.status_code == 409
    assert hub_user.api.create_repo(repo_id, exist_ok=True).repo_id == repo_id


def test_repo_info_at_revisions_and_missing_ones(hub_user) -> None:
    api, repo_id = hub_user.api, f"{hub_user.name}/revs"
    api.create_repo(repo_id)
    first = api.repo_info(repo_id).sha
    second = api.upload_file(path_or_fileobj=b"x", path_in_repo="x.txt", repo_id=repo_id).oid
    api.create_branch(repo_id, branch="feat/x", revision=first)
    api.create_tag(repo_id, tag="v1", revision=second)
    assert api.model_info(repo_id, revision="feat/x").sha == first
    assert api.model_info(repo_id, revision="v1").sha == second
    assert api.model_info(repo_id, revision=first).sha == first
    refs = api.list_repo_refs(repo_id)
    assert {b.name: b.target_commit for b in refs.branches} == {"main": second, "feat/x": first}
    assert [t.name for t in refs.tags] == ["v1"]
    with pytest.raises(RevisionNotFoundError):
        api.model_info(repo_id, revision="nope")
    with pytest.raises(RepositoryNotFoundError):
        api.model_info(f"{hub_user.name}/missing")
    api.delete_branch(repo_id, branch="feat/x")
    api.delete_tag(repo_id, tag="v1")
    refs = api.list_repo_refs(repo_id)
    assert [b.name for b in refs.branches] == ["main"] and refs.tags == []


def test_list_models_and_datasets_with_search_author_and_pages(make_hub_user, anonymous_api) -> None:
    user = make_hub_user()
    for name in ("alpha-asr", "beta-asr", "gamma"):
        user.api.create_repo(f"{user.name}/{name}")
    user.api.create_repo(f"{user.name}/alpha-data", repo_type="dataset")
    user.api.create_repo(f"{user.name}/hidden-asr", private=True)
    mine = [m.id for m in anonymous_api.list_models(author=user.name)]
    assert sorted(mine) == [f"{user.name}/{n}" for n in ("alpha-asr", "beta-asr", "gamma")]
    assert sorted(m.id for m in anonymous_api.list_models(author=user.name, search="asr")) == [
        f"{user.name}/alpha-asr", f"{user.name}/beta-asr"]
    assert f"{user.name}/hidden-asr" in [m.id for m in user.api.list_models(author=user.name)]
    assert [d.id for d in anonymous_api.list_datasets(author=user.name, search="alpha")] == [f"{user.name}/alpha-data"]
    assert len(list(anonymous_api.list_models(author=user.name, limit=2))) == 2
    expanded = list(anonymous_api.list_models(author=user.name, expand=["sha"]))
    assert all(len(m.sha) == 40 for m in expanded)
    time.sleep(1.0)  # commit times have a one-second resolution
    user.api.upload_file(path_or_fileobj=b"---\ntags: [far-field]\n---\n", path_in_repo="README.md",
                         repo_id=f"{user.name}/gamma")
    assert [m.id for m in anonymous_api.list_models(author=user.name, filter="far-field")] == [f"{user.name}/gamma"]
    newest = [m.id for m in anonymous_api.list_models(author=user.name, sort="last_modified")]
    assert newest[0] == f"{user.name}/gamma"


def test_repo_card_metadata_is_served_as_card_data(hub_user) -> None:
    repo_id = f"{hub_user.name}/carded"
    hub_user.api.create_repo(repo_id)
    card = "---\nlicense: mit\nbase_model: org/base\ntags: [asr]\n---\n# Model\n"
    hub_user.api.upload_file(path_or_fileobj=card.encode(), path_in_repo="README.md", repo_id=repo_id)
    info = hub_user.api.model_info(repo_id)
    assert info.card_data["license"] == "mit" and info.tags == ["asr"]
