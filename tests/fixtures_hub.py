"""Fixtures for the embedded Hub (owned by the hub area), star-imported by tests/conftest.py.

Importing this module (which conftest.py does first) isolates the Hugging Face environment
of the whole test session *before* `huggingface_hub` or `datasets` are imported, because both
read it into constants at import time:

- a free loopback port is reserved now, and ``HF_ENDPOINT`` is set to ``http://127.0.0.1:PORT``
  (no trailing slash); the session's server is served on exactly that socket, so plain
  ``HfApi()``, ``hf_hub_download`` and ``datasets.load_dataset`` reach it without arguments;
- ``HF_HOME`` (and with it the hub and datasets caches) points into a fresh temporary folder;
  ``HF_TOKEN``, ``HF_HUB_OFFLINE`` and ``HF_DATASETS_OFFLINE`` are removed, telemetry and
  download counters are off.

Fixtures:
    hub (session): the running `ffasr_eval.hub.LocalHub`; ``hub.endpoint``, ``hub.data_dir``,
        ``hub.create_user(name, orgs=()) -> token``, ``hub.create_org(name, members)``.
    hub_endpoint (session): ``hub.endpoint`` (== ``os.environ["HF_ENDPOINT"]``).
    make_hub_user (session): factory ``make_hub_user(name=None, orgs=()) -> HubUser`` with
        ``.name``, ``.token`` and ``.api`` (an ``HfApi(endpoint=..., token=...)``). Without a name
        you get a fresh unique one; with a known name, a new token for that user. Users of a
        shared org may push to the org's repos; other users can only open pull requests.
    hub_user (function): a fresh user (``make_hub_user()``), so tests do not share namespaces.
    anonymous_api (session): an ``HfApi`` that sends no token (reads public repos only).

Typical use in another area's tests::

    def test_submit_opens_a_pr(make_hub_user):
        owner, other = make_hub_user(), make_hub_user()
        owner.api.create_repo(f"{owner.name}/model")
        submit(run_dir, model=f"{owner.name}/model", endpoint=other.api.endpoint, token=other.token)

For code that reads ``HF_TOKEN`` (the command line), use ``monkeypatch.setenv("HF_TOKEN", user.token)``.
Repos live for the whole session: use unique repo names (the user's own namespace is unique).
"""

from __future__ import annotations

import atexit
import itertools
import os
import shutil
import socket
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest

# Reserved with the standard library: nothing that may import huggingface_hub runs before the
# environment below is set (LocalHub serves on this very socket).
_SOCKET = socket.create_server(("127.0.0.1", 0), backlog=128)
_ENDPOINT = f"http://127.0.0.1:{_SOCKET.getsockname()[1]}"
_HF_HOME = tempfile.mkdtemp(prefix="ffasr-tests-hf-home-")
atexit.register(shutil.rmtree, _HF_HOME, ignore_errors=True)  # each pytest process (xdist worker) has its own

for _name in ("HF_TOKEN", "HUGGING_FACE_HUB_TOKEN", "HF_HUB_OFFLINE", "HF_DATASETS_OFFLINE", "HF_HUB_CACHE",
              "HF_DATASETS_CACHE", "HUGGINGFACE_HUB_CACHE", "HF_TOKEN_PATH"):
    os.environ.pop(_name, None)
os.environ.update({
    "HF_ENDPOINT": _ENDPOINT,
    "HF_HOME": _HF_HOME,
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "HF_UPDATE_DOWNLOAD_COUNTS": "0",
    "HF_HUB_DISABLE_PROGRESS_BARS": "1",
    "HF_HUB_ETAG_TIMEOUT": "30",
})
if "huggingface_hub" in sys.modules or "datasets" in sys.modules:  # pragma: no cover - import order guard
    raise RuntimeError("tests/fixtures_hub.py must be imported before huggingface_hub/datasets "
                       "(it is the first import of tests/conftest.py)")

from huggingface_hub import HfApi

from ffasr_eval.hub import LocalHub


@dataclass(frozen=True)
class HubUser:
    """A user of the test Hub with its token and a client logged in as it."""

    name: str
    token: str
    api: HfApi


@pytest.fixture(scope="session")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalHub]:
    server = LocalHub(tmp_path_factory.mktemp("hub"), sock=_SOCKET)
    with server:
        yield server


@pytest.fixture(scope="session")
def hub_endpoint(hub: LocalHub) -> str:
    return hub.endpoint


@pytest.fixture(scope="session")
def make_hub_user(hub: LocalHub) -> Callable[..., HubUser]:
    counter = itertools.count(1)

    def make(name: str | None = None, orgs: list[str] | tuple[str, ...] = ()) -> HubUser:
        name = name or f"hubuser{next(counter)}"
        token = hub.create_user(name, orgs=tuple(orgs))
        return HubUser(name, token, HfApi(endpoint=hub.endpoint, token=token))

    return make


@pytest.fixture
def hub_user(make_hub_user: Callable[..., HubUser]) -> HubUser:
    return make_hub_user()


@pytest.fixture(scope="session")
def anonymous_api(hub: LocalHub) -> HfApi:
    return HfApi(endpoint=hub.endpoint, token=False)


__all__ = ["HubUser", "anonymous_api", "hub", "hub_endpoint", "hub_user", "make_hub_user"]
