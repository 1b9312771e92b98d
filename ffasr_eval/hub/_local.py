"""`LocalHub`: an embedded Hub server in a child process on a free loopback port."""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from types import TracebackType
from typing import Self

from ffasr_eval.errors import HubServerError
from ffasr_eval.hub._accounts import create_org, create_user

_START_TIMEOUT = 60.0


def reserve_port(host: str = "127.0.0.1") -> socket.socket:
    """A listening socket on a free port of ``host`` (hand it to `LocalHub` to serve on it).

    Reserving first lets you know the address before the server starts (e.g. to set ``HF_ENDPOINT``).

    Example:
        >>> sock = reserve_port()
        >>> endpoint = "http://127.0.0.1:%d" % sock.getsockname()[1]
        >>> hub = LocalHub(sock=sock)  # later: hub.start()
    """
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, 0))
    sock.listen(128)
    return sock


class LocalHub:
    """An embedded Hub running in a child process, for tests, the demo and air-gapped use.

    The server listens on a free port of 127.0.0.1 (or on a socket you reserved). Point
    `huggingface_hub` at it with ``HfApi(endpoint=hub.endpoint, token=token)`` or the
    ``HF_ENDPOINT`` environment variable.

    Args:
        data_dir: Where repos and metadata live; a temporary folder (removed on stop) if None.
        sock: A listening socket to serve on (see `reserve_port`); a new free port if None.
        verifier: ``"module:function"`` deciding whether leaderboard entries are verified.

    Example:
        >>> with LocalHub() as hub:
        ...     token = hub.create_user("alice", orgs=["ffasr"])
        ...     api = HfApi(endpoint=hub.endpoint, token=token)
        ...     api.create_repo("ffasr/bench", repo_type="dataset")  # doctest: +SKIP
    """

    def __init__(self, data_dir: str | Path | None = None, *, sock: socket.socket | None = None,
                 verifier: str | None = None) -> None:
        self._temporary = data_dir is None
        self.data_dir = Path(tempfile.mkdtemp(prefix="ffasr-hub-")) if data_dir is None else Path(data_dir)
        self._sock = sock
        self._verifier = verifier
        self._process: subprocess.Popen[bytes] | None = None
        self.endpoint = ""

    @property
    def pid(self) -> int:
        """Process id of the server (e.g. to kill it in a crash test)."""
        if self._process is None:
            raise HubServerError("The local Hub is not running; call start() first.")
        return self._process.pid

    def start(self) -> Self:
        """Start the server and wait until it answers."""
        sock = self._sock or reserve_port()
        host, port = sock.getsockname()[:2]
        self.endpoint = f"http://{host}:{port}"
        self.data_dir.mkdir(parents=True, exist_ok=True)
        command = [sys.executable, "-m", "ffasr_eval.hub", "--data", str(self.data_dir),
                   "--fd", str(sock.fileno())]
        if self._verifier:
            command += ["--verifier", self._verifier]
        log = open(self.data_dir / "server.log", "ab")  # noqa: SIM115 - owned by the child
        self._process = subprocess.Popen(command, pass_fds=[sock.fileno()], stdout=log, stderr=log)
        log.close()
        if self._sock is None:
            sock.close()
        self._wait_ready()
        return self

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + _START_TIMEOUT
        while time.monotonic() < deadline:
            assert self._process is not None
            if self._process.poll() is not None:
                log = (self.data_dir / "server.log").read_text(errors="replace")[-2000:]
                raise HubServerError(f"The local Hub exited with code {self._process.returncode}:\n{log}")
            try:
                with urllib.request.urlopen(f"{self.endpoint}/api/models?limit=1", timeout=5) as response:
                    if response.status == 200:
                        return
            except OSError:  # not listening yet (URLError and connection errors are OSErrors)
                pass
            time.sleep(0.05)
        self.stop()
        raise HubServerError(f"The local Hub did not answer on {self.endpoint} within {_START_TIMEOUT:.0f} s.")

    def stop(self) -> None:
        """Stop the server (SIGTERM, then SIGKILL after 10 s); remove a temporary data dir."""
        if self._process is not None and self._process.poll() is None:
            self._process.send_signal(signal.SIGTERM)
            try:
                self._process.wait(10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self._process = None
        if self._temporary:
            shutil.rmtree(self.data_dir, ignore_errors=True)

    def create_user(self, name: str, orgs: list[str] | tuple[str, ...] = ()) -> str:
        """Create a user (joining or creating ``orgs``) and return a new access token for it."""
        return create_user(self.data_dir, name, orgs)

    def create_org(self, name: str, members: list[str] | tuple[str, ...] = ()) -> None:
        """Create an organization (if needed) with existing users as members."""
        create_org(self.data_dir, name, members)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.stop()
