"""Reliability: concurrent commits serialize without loss, a killed server leaves consistent repos,
malformed requests are refused with 4xx and store nothing."""

from __future__ import annotations

import base64
import json
import os
import signal
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import git
import httpx
import pytest
from huggingface_hub import HfApi

from ffasr_eval.errors import HubServerError
from ffasr_eval.hub import LocalHub

CLIENTS, COMMITS = 8, 50


def _storage(hub: LocalHub, repo_id: str, kind: str = "models") -> Path:
    namespace, name = repo_id.split("/")
    return hub.data_dir / "repos" / kind / namespace / f"{name}.git"


def _fsck(path: Path) -> None:
    git.Repo(path).git.fsck("--strict", "--no-dangling")


def _spooled_bytes(pid: int, spool: Path) -> int:
    """Bytes of request bodies the server is spooling (unnamed temporary files under ``spool``)."""
    total = 0
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            if os.readlink(fd).startswith(str(spool)):
                total += fd.stat().st_size
        except OSError:
            continue
    return total


def _objects(path: Path) -> set[str]:
    return {str(p.relative_to(path)) for p in (path / "objects").rglob("*") if p.is_file()}


def test_concurrent_clients_commit_without_loss(hub, make_hub_user) -> None:
    users = [make_hub_user(orgs=["busy-org"]) for _ in range(CLIENTS)]
    repo_id = "busy-org/concurrent"
    users[0].api.create_repo(repo_id)

    def work(client: int) -> None:
        api = HfApi(endpoint=hub.endpoint, token=users[client].token)
        for index in range(COMMITS):
            api.upload_file(path_or_fileobj=f"{client}-{index}".encode(), path_in_repo=f"c{client}/{index}.txt",
                            repo_id=repo_id, commit_message=f"client {client} commit {index}")

    with ThreadPoolExecutor(CLIENTS) as pool:
        list(pool.map(work, range(CLIENTS)))
    titles = Counter(c.title for c in users[0].api.list_repo_commits(repo_id))
    expected = {f"client {c} commit {i}" for c in range(CLIENTS) for i in range(COMMITS)}
    assert set(titles) == expected | {"initial commit"} and set(titles.values()) == {1}
    files = set(users[0].api.list_repo_files(repo_id))
    assert files == {f"c{c}/{i}.txt" for c in range(CLIENTS) for i in range(COMMITS)} | {".gitattributes"}
    _fsck(_storage(hub, repo_id))


@pytest.mark.parametrize("phase", ["receiving", "storing"])
def test_kill_9_mid_upload_then_restart_is_consistent(tmp_path, phase) -> None:
    data = tmp_path / "hub"
    with LocalHub(data) as hub:
        token = hub.create_user("kim")
        api = HfApi(endpoint=hub.endpoint, token=token)
        api.create_repo("kim/model")
        head = api.upload_file(path_or_fileobj=b"safe", path_in_repo="safe.txt", repo_id="kim/model").oid
        storage = _storage(hub, "kim/model")
        before = _objects(storage)
        errors: list[BaseException] = []

        def upload() -> None:
            try:
                api.upload_file(path_or_fileobj=os.urandom(60 * 1024 * 1024), path_in_repo="big.bin",
                                repo_id="kim/model")
            except BaseException as error:  # noqa: BLE001 - the server dies under this upload
                errors.append(error)

        thread = threading.Thread(target=upload)
        thread.start()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            spooled = _spooled_bytes(hub.pid, data / "tmp") > 0
            incoming = list((storage / "objects").glob("incoming-*/*"))
            if (phase == "receiving" and spooled) or (phase == "storing" and incoming):
                break
            time.sleep(0.005)
        else:
            pytest.fail(f"never saw the server {phase}")
        os.kill(hub.pid, signal.SIGKILL)
        thread.join(60)
        assert errors, "the upload must fail when the server is killed"
    with LocalHub(data) as hub:
        api = HfApi(endpoint=hub.endpoint, token=token)  # tokens survive the restart
        assert api.model_info("kim/model").sha == head
        assert sorted(api.list_repo_files("kim/model")) == [".gitattributes", "safe.txt"]
        assert not list((storage / "objects").glob("incoming-*")) and not list((data / "tmp").iterdir())
        assert _objects(storage) == before
        _fsck(storage)
        api.upload_file(path_or_fileobj=b"after", path_in_repo="after.txt", repo_id="kim/model")
        assert sorted(api.list_repo_files("kim/model")) == [".gitattributes", "after.txt", "safe.txt"]


def test_one_server_per_data_folder(hub) -> None:
    with pytest.raises(HubServerError, match="Another Hub server is already using"):
        LocalHub(hub.data_dir).start()


def test_restart_clears_stale_ref_locks(tmp_path) -> None:
    data = tmp_path / "hub"
    with LocalHub(data) as hub:
        token = hub.create_user("lee")
        api = HfApi(endpoint=hub.endpoint, token=token)
        api.create_repo("lee/model")
        os.kill(hub.pid, signal.SIGKILL)
        storage = _storage(hub, "lee/model")
    (storage / "refs/heads/main.lock").write_text("0" * 40)  # as if killed while moving main
    with LocalHub(data) as hub:
        api = HfApi(endpoint=hub.endpoint, token=token)
        api.upload_file(path_or_fileobj=b"x", path_in_repo="x.txt", repo_id="lee/model")
        assert "x.txt" in api.list_repo_files("lee/model")


def _line(key: str, value: object) -> bytes:
    return json.dumps({"key": key, "value": value}).encode() + b"\n"


HEADER = _line("header", {"summary": "bad", "description": ""})
GOOD_FILE = _line("file", {"content": base64.b64encode(b"ok").decode(), "path": "ok.txt", "encoding": "base64"})
MALFORMED = [
    ("not json", HEADER + GOOD_FILE + b"{not json\n", "not valid JSON"),
    ("no header first", GOOD_FILE + HEADER, "first line must be the header"),
    ("header without summary", _line("header", {"description": "x"}) + GOOD_FILE, "summary"),
    ("unknown key", HEADER + _line("rename", {"path": "a"}), "unknown key"),
    ("bad base64", HEADER + GOOD_FILE + _line("file", {"content": "@@@=", "path": "b.txt", "encoding": "base64"}),
     "Invalid base64"),
    ("dot-dot path", HEADER + _line("file", {"content": "b2s=", "path": "../escape.txt", "encoding": "base64"}),
     "Invalid path"),
    ("absolute path", HEADER + _line("file", {"content": "b2s=", "path": "/etc/passwd", "encoding": "base64"}),
     "Invalid path"),
    ("git folder", HEADER + _line("file", {"content": "b2s=", "path": ".git/config", "encoding": "base64"}),
     "Invalid path"),
    ("control character", HEADER + _line("file", {"content": "b2s=", "path": "a\nb.txt", "encoding": "base64"}),
     "Invalid path"),
    ("lfs pointer", HEADER + _line("lfsFile", {"path": "w.bin", "algo": "sha256", "oid": "0" * 64, "size": 3}),
     "LFS"),
    ("oversized commit header", _line("header", {"summary": "x" * 2_000_000}) + GOOD_FILE, "larger than"),
    ("bad parent", _line("header", {"summary": "s", "parentCommit": "main"}) + GOOD_FILE, "parentCommit"),
    ("array line", HEADER + b"[1, 2]\n", "JSON object"),
    ("empty body", b"", "Empty commit body"),
]


@pytest.mark.parametrize(("body", "message"), [c[1:] for c in MALFORMED], ids=[c[0] for c in MALFORMED])
def test_malformed_commits_are_refused_and_store_nothing(hub, make_hub_user, body, message) -> None:
    user = make_hub_user()
    repo_id = f"{user.name}/guarded"
    user.api.create_repo(repo_id)
    head, before = user.api.model_info(repo_id).sha, _objects(_storage(hub, repo_id))
    response = httpx.post(f"{hub.endpoint}/api/models/{repo_id}/commit/main", content=body,
                          headers={"authorization": f"Bearer {user.token}", "content-type": "application/x-ndjson"})
    assert 400 <= response.status_code < 500 and message in response.json()["error"]
    assert user.api.model_info(repo_id).sha == head
    assert _objects(_storage(hub, repo_id)) == before


def test_oversized_http_headers_are_refused(hub) -> None:
    response = httpx.get(f"{hub.endpoint}/api/models", headers={"x-padding": "a" * 200_000})
    assert 400 <= response.status_code < 500


@pytest.mark.parametrize("name", ["bad--name", "dots..name", "-dash", "a/b", "x" * 97, "name.git", "sp ace"])
def test_invalid_repo_ids_are_refused(hub_user, name) -> None:
    response = httpx.post(f"{hub_user.api.endpoint}/api/repos/create", json={"name": name, "organization": hub_user.name},
                          headers={"authorization": f"Bearer {hub_user.token}"})
    assert response.status_code == 400 and "Invalid" in response.json()["error"]
    assert list(hub_user.api.list_models(author=hub_user.name)) == []


def test_path_traversal_in_download_urls_finds_nothing(hub_user) -> None:
    repo_id = f"{hub_user.name}/traversal"
    hub_user.api.create_repo(repo_id)
    for path in ["..%2F..%2F..%2Fmeta.sqlite", "../../meta.sqlite", "%2Fetc%2Fpasswd"]:
        response = httpx.get(f"{hub_user.api.endpoint}/{repo_id}/resolve/main/{path}")
        assert response.status_code in (400, 404) and response.headers.get("X-Error-Code") in (None, "EntryNotFound")
        assert b"SQLite" not in response.content
