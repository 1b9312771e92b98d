"""Pull requests and discussions through the real client: open, push, comment, merge, close, reopen."""

from __future__ import annotations

from pathlib import Path

import pytest
from huggingface_hub import CommitOperationAdd
from huggingface_hub.errors import HfHubHTTPError


@pytest.fixture
def owner_and_guest(make_hub_user):
    owner, guest = make_hub_user(), make_hub_user()
    repo_id = f"{owner.name}/prs"
    owner.api.create_repo(repo_id)
    owner.api.upload_file(path_or_fileobj=b"base", path_in_repo="base.txt", repo_id=repo_id)
    return owner, guest, repo_id


def _read(api, repo_id, path, revision=None) -> bytes:
    return Path(api.hf_hub_download(repo_id, path, revision=revision)).read_bytes()


def test_guest_pr_with_extra_commits_then_owner_merges(owner_and_guest) -> None:
    owner, guest, repo_id = owner_and_guest
    pr = guest.api.create_commit(repo_id, [CommitOperationAdd("result.yaml", b"v1")], commit_message="Add result",
                                 commit_description="please merge", create_pr=True)
    assert (pr.pr_num, pr.pr_revision) == (1, "refs/pr/1")
    assert pr.pr_url == f"{guest.api.endpoint}/{repo_id}/discussions/1"
    guest.api.upload_file(path_or_fileobj=b"v2", path_in_repo="result.yaml", repo_id=repo_id, revision="refs/pr/1")
    assert _read(owner.api, repo_id, "result.yaml", "refs/pr/1") == b"v2"
    owner.api.upload_file(path_or_fileobj=b"main moved", path_in_repo="other.txt", repo_id=repo_id)

    details = owner.api.get_discussion_details(repo_id, 1)
    assert (details.title, details.status, details.is_pull_request, details.author) == (
        "Add result", "open", True, guest.name)
    assert details.target_branch == "refs/heads/main" and details.conflicting_files == []
    assert "+v2" in details.diff
    assert [e.type for e in details.events] == ["comment", "commit", "commit"]
    assert details.events[0].content == "please merge"

    comment = owner.api.comment_discussion(repo_id, 1, "thanks!")
    assert comment.content == "thanks!" and comment.author == owner.name
    owner.api.merge_pull_request(repo_id, 1, comment="merging")
    merged = owner.api.get_discussion_details(repo_id, 1)
    assert merged.status == "merged" and merged.merge_commit_oid == owner.api.model_info(repo_id).sha
    assert {p: _read(owner.api, repo_id, p) for p in ("base.txt", "other.txt", "result.yaml")} == {
        "base.txt": b"base", "other.txt": b"main moved", "result.yaml": b"v2"}
    titles = [c.title for c in owner.api.list_repo_commits(repo_id)]
    assert titles.count("Add result") == 1 and titles[0].startswith("Merge pull request #1")


def test_close_reopen_and_permissions(owner_and_guest, make_hub_user) -> None:
    owner, guest, repo_id = owner_and_guest
    stranger = make_hub_user()
    guest.api.upload_file(path_or_fileobj=b"x", path_in_repo="x.txt", repo_id=repo_id, create_pr=True)
    for api in (guest.api, stranger.api):
        with pytest.raises(HfHubHTTPError) as error:
            api.merge_pull_request(repo_id, 1)
        assert error.value.response.status_code == 403
        with pytest.raises(HfHubHTTPError):
            api.change_discussion_status(repo_id, 1, "closed")
    with pytest.raises(HfHubHTTPError) as error:
        stranger.api.upload_file(path_or_fileobj=b"y", path_in_repo="y.txt", repo_id=repo_id, revision="refs/pr/1")
    assert error.value.response.status_code == 403
    with pytest.raises(HfHubHTTPError) as error:
        guest.api.upload_file(path_or_fileobj=b"y", path_in_repo="y.txt", repo_id=repo_id)
    assert error.value.response.status_code == 403

    event = owner.api.change_discussion_status(repo_id, 1, "closed", comment="not now")
    assert event.new_status == "closed"
    with pytest.raises(HfHubHTTPError):
        guest.api.upload_file(path_or_fileobj=b"z", path_in_repo="z.txt", repo_id=repo_id, revision="refs/pr/1")
    with pytest.raises(HfHubHTTPError):
        owner.api.merge_pull_request(repo_id, 1)
    owner.api.change_discussion_status(repo_id, 1, "open")
    owner.api.merge_pull_request(repo_id, 1)
    assert owner.api.get_discussion_details(repo_id, 1).status == "merged"
    with pytest.raises(HfHubHTTPError):
        owner.api.change_discussion_status(repo_id, 1, "open")


def test_discussions_share_numbers_with_prs_and_list_with_filters(owner_and_guest) -> None:
    owner, guest, repo_id = owner_and_guest
    discussion = guest.api.create_discussion(repo_id, "A question", description="why?")
    draft = guest.api.create_pull_request(repo_id, "Empty draft", description="later")
    assert (discussion.num, draft.num, draft.status, draft.git_reference) == (1, 2, "draft", "refs/pr/2")
    guest.api.upload_file(path_or_fileobj=b"d", path_in_repo="d.txt", repo_id=repo_id, revision="refs/pr/2")
    assert owner.api.get_discussion_details(repo_id, 2).status == "open"
    owner.api.rename_discussion(repo_id, 1, "A better question")
    listed = {d.num: (d.title, d.is_pull_request) for d in owner.api.get_repo_discussions(repo_id)}
    assert listed == {1: ("A better question", False), 2: ("Empty draft", True)}
    assert [d.num for d in owner.api.get_repo_discussions(repo_id, discussion_type="pull_request")] == [2]
    owner.api.change_discussion_status(repo_id, 1, "closed")
    assert [d.num for d in owner.api.get_repo_discussions(repo_id, discussion_status="open")] == [2]


def test_many_discussions_are_paginated(owner_and_guest) -> None:
    owner, guest, repo_id = owner_and_guest
    for index in range(55):
        guest.api.create_discussion(repo_id, f"d{index}")
    assert len(list(owner.api.get_repo_discussions(repo_id))) == 55


def test_conflicting_pr_cannot_merge(owner_and_guest) -> None:
    owner, guest, repo_id = owner_and_guest
    guest.api.upload_file(path_or_fileobj=b"guest", path_in_repo="base.txt", repo_id=repo_id, create_pr=True)
    owner.api.upload_file(path_or_fileobj=b"owner", path_in_repo="base.txt", repo_id=repo_id)
    assert owner.api.get_discussion_details(repo_id, 1).conflicting_files == ["base.txt"]
    with pytest.raises(HfHubHTTPError) as error:
        owner.api.merge_pull_request(repo_id, 1)
    assert error.value.response.status_code == 409 and "base.txt" in str(error.value)
    assert _read(owner.api, repo_id, "base.txt") == b"owner"


def test_pr_from_an_older_parent_commit(owner_and_guest) -> None:
    owner, guest, repo_id = owner_and_guest
    old = owner.api.model_info(repo_id).sha
    owner.api.upload_file(path_or_fileobj=b"new", path_in_repo="new.txt", repo_id=repo_id)
    pr = guest.api.upload_file(path_or_fileobj=b"p", path_in_repo="p.txt", repo_id=repo_id, create_pr=True,
                               parent_commit=old)
    assert sorted(guest.api.list_repo_files(repo_id, revision=pr.pr_revision)) == [".gitattributes", "base.txt", "p.txt"]
    owner.api.merge_pull_request(repo_id, pr.pr_num)
    assert sorted(owner.api.list_repo_files(repo_id)) == [".gitattributes", "base.txt", "new.txt", "p.txt"]


def test_upload_folder_as_pull_request(owner_and_guest, tmp_path) -> None:
    _, guest, repo_id = owner_and_guest
    (tmp_path / "logs").mkdir()
    (tmp_path / "logs/run.eval").write_bytes(b"log")
    (tmp_path / "res.yaml").write_bytes(b"res")
    info = guest.api.upload_folder(folder_path=tmp_path, repo_id=repo_id, create_pr=True)
    assert info.pr_num == 1
    assert sorted(guest.api.list_repo_files(repo_id, revision=info.pr_revision)) == [
        ".gitattributes", "base.txt", "logs/run.eval", "res.yaml"]
