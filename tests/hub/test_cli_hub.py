"""`ffasr-eval hub`: users and orgs on a data folder, and `serve` answering the real client."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time

import httpx
from click.testing import CliRunner
from huggingface_hub import HfApi

from ffasr_eval._cli.main import cli


def test_user_and_org_create_print_a_working_token(tmp_path) -> None:
    runner = CliRunner()
    data = str(tmp_path / "data")
    created = runner.invoke(cli, ["hub", "user", "create", "alice", "--org", "team", "--data", data])
    assert created.exit_code == 0, created.output
    token = created.output.strip()
    assert token.startswith("hf_")
    assert runner.invoke(cli, ["hub", "user", "create", "bob", "--data", data]).exit_code == 0
    added = runner.invoke(cli, ["hub", "org", "create", "team", "--member", "bob", "--data", data])
    assert added.exit_code == 0 and "bob" in added.output
    bad = runner.invoke(cli, ["hub", "user", "create", "bad--name", "--data", data])
    assert bad.exit_code == 1 and "Invalid user name" in bad.output and "Traceback" not in bad.output
    clash = runner.invoke(cli, ["hub", "org", "create", "alice", "--data", data])
    assert clash.exit_code == 1 and "is a user" in clash.output

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-c", "from ffasr_eval._cli.main import main; main()",
               "hub", "serve", "--port", str(port), "--data", data]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    try:
        assert server.stdout is not None
        assert server.stdout.readline().decode().strip() == f"export HF_ENDPOINT=http://127.0.0.1:{port}"
        endpoint = f"http://127.0.0.1:{port}"
        for _ in range(200):
            try:
                httpx.get(f"{endpoint}/api/models")
                break
            except httpx.TransportError:
                time.sleep(0.05)
        api = HfApi(endpoint=endpoint, token=token)
        assert {o["name"] for o in api.whoami()["orgs"]} == {"team"}
        api.create_repo("team/shared")
        HfApi(endpoint=endpoint, token=runner.invoke(cli, ["hub", "user", "create", "bob", "--data", data])
              .output.strip()).upload_file(path_or_fileobj=b"b", path_in_repo="b.txt", repo_id="team/shared")
        assert "b.txt" in api.list_repo_files("team/shared")
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(15)
