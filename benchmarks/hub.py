"""Embedded Hub speed: commit and download latency, sequential commit throughput, a big file.

Measures, in one run and against a plain `git` baseline done on the same machine at the same
time: p50/p95 latency of a small `upload_file` commit and of `hf_hub_download` (HEAD + GET,
cache bypassed), throughput of sequential commits, and a large file round trip (upload,
download, server peak memory). Target: a commit through the Hub API takes at most 5x a bare
`git add` + `git commit` of the same file.

    python benchmarks/hub.py [--n 1000] [--latency 200] [--big-mb 200]
    python benchmarks/hub.py --n 100 --latency 50 --big-mb 20      # quick run
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import Self

os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")

from huggingface_hub import HfApi
from tqdm import tqdm

from ffasr_eval.hub import LocalHub

TARGET_RATIO = 5.0


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]


def _git_commits(folder: Path, count: int) -> list[float]:
    """Seconds per `git add` + `git commit` of a small changed file in a plain repository."""
    subprocess.run(["git", "init", "-q", "-b", "main", str(folder)], check=True)
    env = {**os.environ, "GIT_AUTHOR_NAME": "b", "GIT_AUTHOR_EMAIL": "b@b", "GIT_COMMITTER_NAME": "b",
           "GIT_COMMITTER_EMAIL": "b@b"}
    times = []
    for index in tqdm(range(count), desc="git commit", leave=False):
        start = time.perf_counter()
        (folder / "file.txt").write_text(f"content {index}\n" * 20)
        subprocess.run(["git", "add", "file.txt"], cwd=folder, check=True, env=env)
        subprocess.run(["git", "commit", "-q", "-m", f"commit {index}"], cwd=folder, check=True, env=env)
        times.append(time.perf_counter() - start)
    return times


def _hub_commits(api: HfApi, repo_id: str, count: int, desc: str) -> list[float]:
    times = []
    for index in tqdm(range(count), desc=desc, leave=False):
        start = time.perf_counter()
        api.upload_file(path_or_fileobj=f"content {index}\n".encode() * 20, path_in_repo="file.txt",
                        repo_id=repo_id, commit_message=f"commit {index}")
        times.append(time.perf_counter() - start)
    return times


def _downloads(api: HfApi, repo_id: str, count: int, cache: Path) -> list[float]:
    times = []
    for _ in tqdm(range(count), desc="hf_hub_download", leave=False):
        start = time.perf_counter()
        api.hf_hub_download(repo_id, "file.txt", cache_dir=cache, force_download=True)
        times.append(time.perf_counter() - start)
    return times


class _AnonymousMemory:
    """Samples a process's anonymous resident memory (heap; not the page cache of mapped files)."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak_mb, self._stop = pid, 0.0, threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _now_mb(self) -> float:
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("RssAnon:"):
                return int(line.split()[1]) / 1024
        return 0.0

    def _sample(self) -> None:
        while not self._stop.wait(0.01):
            self.peak_mb = max(self.peak_mb, self._now_mb())

    def __enter__(self) -> Self:
        self.before_mb = self._now_mb()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=1000, help="sequential commits for the throughput figure")
    parser.add_argument("--latency", type=int, default=200, help="samples for the latency percentiles")
    parser.add_argument("--big-mb", type=int, default=200, help="size of the large file round trip (0: skip)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder, LocalHub(Path(folder) / "hub") as hub:
        api = HfApi(endpoint=hub.endpoint, token=hub.create_user("bench"))
        api.create_repo("bench/latency")
        api.create_repo("bench/throughput")

        git_times = _git_commits(Path(folder) / "plain", args.latency)
        commit_times = _hub_commits(api, "bench/latency", args.latency, "upload_file")
        download_times = _downloads(api, "bench/latency", args.latency, Path(folder) / "cache")
        git_p50, git_p95 = _percentiles(git_times)
        commit_p50, commit_p95 = _percentiles(commit_times)
        download_p50, download_p95 = _percentiles(download_times)

        start = time.perf_counter()
        _hub_commits(api, "bench/throughput", args.n, f"{args.n} commits")
        hub_elapsed = time.perf_counter() - start
        start = time.perf_counter()
        _git_commits(Path(folder) / "plain-throughput", args.n)
        git_elapsed = time.perf_counter() - start

        print(f"small commit (upload_file)   p50 {commit_p50 * 1000:7.1f} ms   p95 {commit_p95 * 1000:7.1f} ms")
        print(f"bare git add + commit        p50 {git_p50 * 1000:7.1f} ms   p95 {git_p95 * 1000:7.1f} ms")
        print(f"hf_hub_download (HEAD + GET) p50 {download_p50 * 1000:7.1f} ms   p95 {download_p95 * 1000:7.1f} ms")
        print(f"{args.n} sequential commits: Hub {args.n / hub_elapsed:6.1f}/s ({hub_elapsed:.1f} s), "
              f"bare git {args.n / git_elapsed:6.1f}/s ({git_elapsed:.1f} s)")
        ratio_p50, ratio_total = commit_p50 / git_p50, hub_elapsed / git_elapsed
        verdict = "OK" if max(ratio_p50, ratio_total) <= TARGET_RATIO else "ABOVE TARGET"
        print(f"ratio Hub/git: p50 {ratio_p50:.2f}x, {args.n} commits {ratio_total:.2f}x "
              f"(target <= {TARGET_RATIO:.0f}x): {verdict}")

        if args.big_mb:
            data = os.urandom(args.big_mb * 1024 * 1024)
            with _AnonymousMemory(hub.pid) as memory:
                start = time.perf_counter()
                api.upload_file(path_or_fileobj=data, path_in_repo="big.bin", repo_id="bench/latency")
                upload = time.perf_counter() - start
                start = time.perf_counter()
                path = api.hf_hub_download("bench/latency", "big.bin", cache_dir=Path(folder) / "cache")
                download = time.perf_counter() - start
            assert Path(path).read_bytes() == data, "large file corrupted"
            print(f"{args.big_mb} MB file: upload {upload:.1f} s ({args.big_mb / upload:.0f} MB/s), "
                  f"download {download:.1f} s ({args.big_mb / download:.0f} MB/s); server heap "
                  f"{memory.before_mb:.0f} MB before, peak {memory.peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
