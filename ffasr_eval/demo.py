"""`ffasr-eval demo`: the whole toolkit end to end on an embedded Hub, as a new user sees it.

Stages: start a local Hub; create a dataset owner, a model author and a community member; build
a small synthetic far-field benchmark and push it; evaluate the bundled baseline (PocketSphinx)
and a second system (the same decoder with a low language-model weight); the author submits one
result, the community member the other, and someone opens a PR with a tampered copy; collect;
print the leaderboard, the flags and rejections, and where the published files are.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import yaml
from rich.console import Console

from ffasr_eval.errors import FFASRError

T = TypeVar("T")

OWNER, AUTHOR, COMMUNITY = "ffasr", "alice", "bob"
BENCHMARK = f"{OWNER}/far-field-demo"
BASELINE, SECOND = f"{AUTHOR}/sphinx-en-us", f"{AUTHOR}/sphinx-en-us-lw2"


class DemoError(FFASRError):
    """A demo stage failed; the message names the stage."""


@dataclass(frozen=True)
class DemoResult:
    """Where the demo left things."""

    workdir: Path
    endpoint: str
    leaderboard_dir: Path
    rows: int
    rejected: int
    flagged: int


@contextmanager
def _stage(console: Console, number: int, title: str) -> Iterator[None]:
    start = time.perf_counter()
    console.rule(f"[bold]{number}. {title}")
    try:
        yield
    except FFASRError as exc:
        raise DemoError(f"stage {number} ({title}) failed: {exc}") from exc
    console.print(f"[green]✓[/green] {title} ({time.perf_counter() - start:.1f} s)")


def _model_card(repo: str, provider: str) -> str:
    return (f"---\nlicense: bsd-2-clause\npipeline_tag: automatic-speech-recognition\ntags: [ffasr-demo]\n---\n"
            f"# {repo}\n\nPocketSphinx US English, run with `ffasr-eval run --model {provider}`.\n")


def run_demo(*, workdir: Path | None = None, n_utterances: int = 4, keep: bool = False,
             console: Console | None = None, wait: Callable[[], None] | None = None) -> DemoResult:
    """Run every stage; raise `DemoError` naming the stage that failed.

    Args:
        workdir: Folder for the Hub's data, the benchmark, runs and keys (default: a temp dir).
        n_utterances: Utterances per condition of the synthetic benchmark.
        keep: Leave the Hub running after the demo until `wait` returns (Ctrl-C by default).
        console: Where to print.
        wait: What to do while the Hub is kept.
    """
    console = console or Console()
    workdir = Path(workdir or tempfile.mkdtemp(prefix="ffasr-demo-"))
    from ffasr_eval.hub import LocalHub, reserve_port

    sock = reserve_port()
    endpoint = f"http://127.0.0.1:{sock.getsockname()[1]}"
    # The Hub clients read HF_ENDPOINT when first imported: set it before anything imports them.
    os.environ["HF_ENDPOINT"] = endpoint
    os.environ.pop("HF_TOKEN", None)
    hub = LocalHub(workdir / "hub", sock=sock, verifier="ffasr_eval.signing:hub_verifier")
    with _stage(console, 1, "Start the embedded Hub"):
        hub.start()
        console.print(f"Hub at {endpoint} (data in {workdir / 'hub'})")
    try:
        return _stages(console, hub, workdir, n_utterances, keep, wait)
    finally:
        hub.stop()


def _stages(console: Console, hub, workdir: Path, n_utterances: int, keep: bool,  # type: ignore[no-untyped-def]
            wait: Callable[[], None] | None) -> DemoResult:
    from huggingface_hub import HfApi

    from ffasr_eval.collect import collect, print_report
    from ffasr_eval.data import build_benchmark, push_benchmark
    from ffasr_eval.publish import submit
    from ffasr_eval.runner import run_benchmark
    from ffasr_eval.signing import EvaluatorKey

    endpoint = hub.endpoint
    with _stage(console, 2, "Create a dataset owner, a model author and a community member"):
        tokens = {name: hub.create_user(name) for name in (OWNER, AUTHOR, COMMUNITY)}
        apis = {name: HfApi(endpoint=endpoint, token=token) for name, token in tokens.items()}
        keys = {name: EvaluatorKey.generate(owner=name) for name in (AUTHOR, COMMUNITY)}
        for name in tokens:
            console.print(f"  {name}: token {tokens[name][:10]}…")

    bench_dir = workdir / "benchmark"
    with _stage(console, 3, f"Build a synthetic far-field benchmark ({n_utterances} utterances per condition)"):
        build_benchmark("synth", bench_dir, n_utterances=n_utterances, seed=0, jobs=2, progress=True)
        registry = {"evaluators": [keys[name].evaluator_entry(role="community") for name in keys]}
        (bench_dir / "evaluators.yaml").write_text(yaml.safe_dump(registry, sort_keys=False), encoding="utf-8")
        push_benchmark(bench_dir, BENCHMARK, endpoint=endpoint, token=tokens[OWNER])
        console.print(f"  pushed {BENCHMARK}")

    runs: dict[str, Path] = {}
    with _stage(console, 4, "Evaluate the baseline and a second system (batch 1, timed)"):
        for repo, provider, args in ((BASELINE, "sphinx/en-us", {}), (SECOND, "sphinx/en-us", {"lw": 2.0})):
            apis[AUTHOR].create_repo(repo, exist_ok=True)
            apis[AUTHOR].upload_file(path_or_fileobj=_model_card(repo, provider).encode(), path_in_repo="README.md",
                                     repo_id=repo)
            runs[repo] = workdir / "runs" / repo.split("/")[1]
            summary = run_benchmark(BENCHMARK, provider, out_dir=runs[repo], model_args=args, endpoint=endpoint,
                                    token=tokens[AUTHOR], display="plain")
            console.print(f"  {repo}: average WER {100 * (summary.average or 0):.1f} %, RTFx {summary.rtfx:.1f}")

    with _stage(console, 5, "Submit: an author result, a community result, a tampered copy"):
        mine = submit(runs[BASELINE], BASELINE, key=keys[AUTHOR], endpoint=endpoint, token=tokens[AUTHOR])
        apis[AUTHOR].merge_pull_request(BASELINE, mine.pr_num)
        console.print(f"  {AUTHOR} → {BASELINE}: {mine.kind} result, PR #{mine.pr_num} merged")
        theirs = submit(runs[SECOND], SECOND, key=keys[COMMUNITY], endpoint=endpoint, token=tokens[COMMUNITY])
        console.print(f"  {COMMUNITY} → {SECOND}: {theirs.kind} result, PR #{theirs.pr_num} left open")
        _open_tampered_copy(apis[COMMUNITY], endpoint)

    with _stage(console, 6, "Collect: verify, flag and publish the leaderboard"):
        out = workdir / "leaderboard"
        report = collect(BENCHMARK, endpoint=endpoint, token=tokens[OWNER], out=out)
        print_report(console, report)
        console.print(f"\nPublished to {endpoint}/datasets/{BENCHMARK} (commit {report.commit}); local copies:\n"
                      f"  table   {out / 'leaderboard/leaderboard.json'}\n  plot    {out / 'leaderboard/pareto.png'}\n"
                      f"  log     {out / 'leaderboard/submissions.jsonl'}\n  README  {out / 'README.md'}")
    board = report.leaderboard
    result = DemoResult(workdir, endpoint, out, len(board.main_table()), len(board.rejections), len(board.held()))
    if keep:
        console.print(f"\nThe Hub keeps running: export HF_ENDPOINT={endpoint} HF_TOKEN={tokens[OWNER]}\n"
                      "Browse it with huggingface_hub, or run the Space: "
                      "python templates/space/app.py. Ctrl-C to stop.")
        (wait or _wait_for_interrupt)()
    return result


def _open_tampered_copy(api, endpoint: str) -> None:  # type: ignore[no-untyped-def]
    """Open a PR on the baseline with its signed results but a halved near-field WER: must be rejected."""
    from huggingface_hub import hf_hub_download

    from ffasr_eval.results import results_path

    path = results_path(BENCHMARK)
    text = Path(hf_hub_download(BASELINE, path, endpoint=endpoint)).read_text(encoding="utf-8")
    entries = yaml.safe_load(text)
    entries[0]["value"] = round(float(entries[0]["value"]) / 2, 2)
    api.upload_file(path_or_fileobj=yaml.safe_dump(entries, sort_keys=False).encode(), path_in_repo=path,
                    repo_id=BASELINE, create_pr=True, commit_message="Better near-field WER (tampered, for the demo)")


def _wait_for_interrupt() -> None:
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
