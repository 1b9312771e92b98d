"""Uploads through the real client: upload_file/folder, create_commit with every operation, parent checks."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from huggingface_hub import (
    CommitOperationAdd,
    CommitOperationCopy,
    CommitOperationDelete,
)
from huggingface_hub.errors import (
    EntryNotFoundError,
    HfHubHTTPError,
    RepositoryNotFoundError,
)


@pytest.fixture
def repo(hub_user):
    repo_id = f"{hub_user.name}/commits"
    hub_user.api.create_repo(repo_id)
    return hub_user.api, repo_id


def _files(api, repo_id, revision=None) -> dict[str, bytes]:
    return {
        path: Path(api.hf_hub_download(repo_id, path, revision=revision)).read_bytes()
        for path in api.list_repo_files(repo_id, revision=revision) if path != ".gitattributes"
    }


def test_upload_file_returns_the_commit_now_at_main(repo) -> None:
    api, repo_id = repo
    info = api.upload_file(path_or_fileobj=b"hello", path_in_repo="dir/hello.txt", repo_id=repo_id,
                           commit_message="add hello", commit_description="first file")
    assert info.oid == api.model_info(repo_id).sha
    assert info.commit_url.endswith(f"/{repo_id}/commit/{info.oid}") and info.pr_url is None
    commit = api.list_repo_commits(repo_id)[0]
    assert (commit.commit_id, commit.title, commit.message, commit.authors) == (
        info.oid, "add hello", "first file", [api.whoami()["name"]])
    assert _files(api, repo_id) == {"dir/hello.txt": b"hello"}


def test_create_commit_adds_deletes_copies_in_one_commit(repo) -> None:
    api, repo_id = repo
    api.create_commit(repo_id, [
        CommitOperationAdd("a.txt", b"A"), CommitOperationAdd("folder/b.txt", b"B"),
        CommitOperationAdd("folder/sub/c.txt", b"C"), CommitOperationAdd("gone.txt", b"G"),
    ], commit_message="setup")
    api.create_commit(repo_id, [
        CommitOperationCopy("a.txt", "copies/a.txt"),
        CommitOperationDelete("folder/"),
        CommitOperationDelete("gone.txt"),
        CommitOperationAdd("a.txt", b"A2"),
    ], commit_message="reshape")
    assert _files(api, repo_id) == {"a.txt": b"A2", "copies/a.txt": b"A"}
    assert len(api.list_repo_commits(repo_id)) == 3


@pytest.mark.parametrize("path", ["top.txt", "a/one.txt", "a/b/deep.txt", "a/b/c/d/deeper.txt"])
def test_overwriting_a_file_at_any_depth_stores_the_new_content(repo, path) -> None:
    api, repo_id = repo
    api.upload_file(path_or_fileobj=b"old", path_in_repo=path, repo_id=repo_id)
    api.upload_file(path_or_fileobj=b"new", path_in_repo=path, repo_id=repo_id)
    assert _files(api, repo_id)[path] == b"new"


def test_deleting_a_missing_file_is_entry_not_found_and_changes_nothing(repo) -> None:
    api, repo_id = repo
    head = api.model_info(repo_id).sha
    with pytest.raises(EntryNotFoundError, match="doesn't exist"):
        api.delete_file("nope.txt", repo_id)
    assert api.model_info(repo_id).sha == head


def test_unchanged_file_is_not_committed_again(repo) -> None:
    api, repo_id = repo
    first = api.upload_file(path_or_fileobj=b"same", path_in_repo="same.txt", repo_id=repo_id)
    second = api.upload_file(path_or_fileobj=b"same", path_in_repo="same.txt", repo_id=repo_id)
    assert second.oid == first.oid and len(api.list_repo_commits(repo_id)) == 2


def test_upload_folder_with_patterns_and_deletions(repo, tmp_path) -> None:
    api, repo_id = repo
    for name, data in {"keep/a.txt": b"a", "keep/b.bin": os.urandom(5000), "skip/c.txt": b"c",
                       "README.md": b"---\nlicense: mit\n---\nhi\n"}.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(data)
    api.upload_file(path_or_fileobj=b"old", path_in_repo="old.log", repo_id=repo_id)
    api.upload_folder(folder_path=tmp_path, repo_id=repo_id, ignore_patterns=["skip/*"], delete_patterns=["*.log"])
    files = _files(api, repo_id)
    assert sorted(files) == ["README.md", "keep/a.txt", "keep/b.bin"]
    assert files["keep/b.bin"] == (tmp_path / "keep/b.bin").read_bytes()


def test_stale_parent_commit_is_rejected_like_the_hub(repo) -> None:
    api, repo_id = repo
    parent = api.model_info(repo_id).sha
    api.upload_file(path_or_fileobj=b"1", path_in_repo="one.txt", repo_id=repo_id, parent_commit=parent)
    with pytest.raises(HfHubHTTPError) as error:
        api.upload_file(path_or_fileobj=b"2", path_in_repo="two.txt", repo_id=repo_id, parent_commit=parent)
    assert error.value.response.status_code == 412
    assert "A commit has happened since" in str(error.value)
    assert sorted(_files(api, repo_id)) == ["one.txt"]


def test_commit_to_a_missing_repo_says_create_it_first(hub_user) -> None:
    with pytest.raises(RepositoryNotFoundError, match="create"):
        hub_user.api.upload_file(path_or_fileobj=b"x", path_in_repo="x", repo_id=f"{hub_user.name}/absent")


def test_a_20_mb_file_round_trips_byte_for_byte(repo) -> None:
    api, repo_id = repo
    data = os.urandom(20 * 1024 * 1024)
    api.upload_file(path_or_fileobj=data, path_in_repo="big/blob.bin", repo_id=repo_id)
    [info] = api.get_paths_info(repo_id, ["big/blob.bin"])
    assert info.size == len(data)
    assert Path(api.hf_hub_download(repo_id, "big/blob.bin")).read_bytes() == data
