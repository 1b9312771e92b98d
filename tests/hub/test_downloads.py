"""Downloads and listings through the real client: resolve headers, snapshots, trees, paths-info, ranges."""

from __future__ import annotations

import hashlib
from pathlib import Path

import httpx
import pytest
from huggingface_hub import (
    CommitOperationAdd,
    HfFileSystem,
    get_hf_file_metadata,
    hf_hub_url,
)
from huggingface_hub.errors import (
    EntryNotFoundError,
    RepositoryNotFoundError,
    RevisionNotFoundError,
)

FILES = {"README.md": b"# readme\n", "data/train.csv": b"a,b\n1,2\n", "data/deep/x.bin": bytes(range(256)) * 40}


@pytest.fixture(scope="module")
def repo(make_hub_user):
    user = make_hub_user()
    repo_id = f"{user.name}/downloads"
    user.api.create_repo(repo_id, repo_type="dataset")
    first = user.api.create_commit(repo_id, [CommitOperationAdd(p, d) for p, d in FILES.items()],
                                   commit_message="files", repo_type="dataset").oid
    second = user.api.upload_file(path_or_fileobj=b"v2", path_in_repo="data/train.csv", repo_id=repo_id,
                                  repo_type="dataset").oid
    return user.api, repo_id, first, second


def _git_blob_sha(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def test_resolve_headers_give_commit_etag_and_size(repo) -> None:
    api, repo_id, _, second = repo
    meta = get_hf_file_metadata(hf_hub_url(repo_id, "data/deep/x.bin", repo_type="dataset", endpoint=api.endpoint),
                                token=api.token)
    data = FILES["data/deep/x.bin"]
    assert (meta.commit_hash, meta.etag, meta.size) == (second, _git_blob_sha(data), len(data))


@pytest.mark.parametrize("which", ["main", "first", "second"])
def test_hf_hub_download_at_branch_and_commit(repo, which, tmp_path) -> None:
    api, repo_id, first, second = repo
    revision = {"main": None, "first": first, "second": second}[which]
    path = api.hf_hub_download(repo_id, "data/train.csv", repo_type="dataset", revision=revision, cache_dir=tmp_path)
    assert Path(path).read_bytes() == (FILES["data/train.csv"] if which == "first" else b"v2")


def test_download_errors_map_to_client_exceptions(repo, anonymous_api) -> None:
    api, repo_id, _, _ = repo
    with pytest.raises(EntryNotFoundError):
        api.hf_hub_download(repo_id, "missing.txt", repo_type="dataset")
    with pytest.raises(RevisionNotFoundError):
        api.hf_hub_download(repo_id, "README.md", repo_type="dataset", revision="no-branch")
    with pytest.raises(RepositoryNotFoundError):
        anonymous_api.hf_hub_download(f"{repo_id}-nope", "README.md", repo_type="dataset")
    assert api.file_exists(repo_id, "README.md", repo_type="dataset")
    assert not api.file_exists(repo_id, "nope.md", repo_type="dataset")


def test_snapshot_download_at_old_commit_with_patterns(repo, tmp_path) -> None:
    api, repo_id, first, _ = repo
    folder = Path(api.snapshot_download(repo_id, repo_type="dataset", revision=first, cache_dir=tmp_path,
                                        allow_patterns=["data/*"]))
    got = {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    assert got == {k: v for k, v in FILES.items() if k.startswith("data/")}


def test_tree_listings_and_paths_info(repo) -> None:
    api, repo_id, _, _ = repo
    top = {(e.path, type(e).__name__) for e in api.list_repo_tree(repo_id, repo_type="dataset")}
    assert top == {(".gitattributes", "RepoFile"), ("README.md", "RepoFile"), ("data", "RepoFolder")}
    deep = {e.path for e in api.list_repo_tree(repo_id, "data", repo_type="dataset", recursive=True)}
    assert deep == {"data/train.csv", "data/deep", "data/deep/x.bin"}
    infos = api.get_paths_info(repo_id, ["README.md", "data/deep", "absent"], repo_type="dataset")
    assert {(i.path, type(i).__name__) for i in infos} == {("README.md", "RepoFile"), ("data/deep", "RepoFolder")}
    assert sorted(api.list_repo_files(repo_id, repo_type="dataset")) == sorted([".gitattributes", *FILES])
    with pytest.raises(EntryNotFoundError):
        list(api.list_repo_tree(repo_id, "nope", repo_type="dataset"))


def test_range_requests_and_fsspec_reads(repo) -> None:
    api, repo_id, _, _ = repo
    url = hf_hub_url(repo_id, "data/deep/x.bin", repo_type="dataset", endpoint=api.endpoint)
    data = FILES["data/deep/x.bin"]
    for header, expected in [("bytes=10-19", data[10:20]), ("bytes=10000-", data[10000:]), ("bytes=-5", data[-5:])]:
        response = httpx.get(url, headers={"Range": header})
        assert response.status_code == 206 and response.content == expected
    assert httpx.get(url, headers={"Range": "bytes=999999-"}).status_code == 416
    fs = HfFileSystem(endpoint=api.endpoint, token=api.token)
    with fs.open(f"datasets/{repo_id}/data/deep/x.bin", "rb", block_size=100) as handle:
        handle.seek(1000)
        assert handle.read(300) == data[1000:1300]


def test_pull_request_revision_downloads(repo) -> None:
    api, repo_id, _, _ = repo
    pr = api.upload_file(path_or_fileobj=b"pr", path_in_repo="pr.txt", repo_id=repo_id, repo_type="dataset",
                         create_pr=True)
    path = api.hf_hub_download(repo_id, "pr.txt", repo_type="dataset", revision=pr.pr_revision)
    assert Path(path).read_bytes() == b"pr"
    assert "pr.txt" not in api.list_repo_files(repo_id, repo_type="dataset")
    prs = api.list_repo_refs(repo_id, repo_type="dataset", include_pull_requests=True).pull_requests
    assert [(p.ref, p.target_commit) for p in prs] == [(pr.pr_revision, pr.oid)]


def test_listings_over_one_page_follow_link_headers(hub_user) -> None:
    repo_id = f"{hub_user.name}/many-files"
    hub_user.api.create_repo(repo_id)
    names = [f"shard/{index:04d}.txt" for index in range(1100)]
    hub_user.api.create_commit(repo_id, [CommitOperationAdd(n, n.encode()) for n in names], commit_message="many")
    assert sorted(hub_user.api.list_repo_files(repo_id)) == sorted([".gitattributes", *names])
    assert len(list(hub_user.api.list_repo_tree(repo_id, "shard"))) == 1100


@pytest.mark.parametrize("path", ["docs/read me 1.txt", "données/été.txt", "odd/100%+#?.bin"])
def test_unusual_file_names_round_trip(hub_user, path) -> None:
    repo_id = f"{hub_user.name}/names"
    hub_user.api.create_repo(repo_id, exist_ok=True)
    hub_user.api.upload_file(path_or_fileobj=path.encode(), path_in_repo=path, repo_id=repo_id)
    assert Path(hub_user.api.hf_hub_download(repo_id, path)).read_bytes() == path.encode()
    assert path in hub_user.api.list_repo_files(repo_id)
    assert [i.path for i in hub_user.api.get_paths_info(repo_id, [path])] == [path]
