"""`ffasr-eval queue request|work|status`: the official evaluation queue."""

from __future__ import annotations

from pathlib import Path

import click


@click.group()
def queue() -> None:
    """Request or work official (verified) evaluations of a benchmark.

    \b
    ffasr-eval queue request --benchmark ffasr/far-field-bench --model alice/asr@main
    ffasr-eval queue work --benchmark ffasr/far-field-bench --key official.pem --heldout heldout/ --once
    ffasr-eval queue status --benchmark ffasr/far-field-bench
    """


@queue.command()
@click.option("--benchmark", required=True, help="Benchmark dataset repo id.")
@click.option("--model", required=True, help="Model repo id, optionally @revision (default main).")
@click.option("--provider", type=click.Choice(["hf-asr", "sphinx"]), default="hf-asr", show_default=True)
def request(benchmark: str, model: str, provider: str) -> None:
    """Ask for an official evaluation (a PR on the benchmark repo unless you own it).

    One request per model revision; at most 3 pending and 10 per day per user.
    """
    from ffasr_eval.queue import request_evaluation

    receipt = request_evaluation(benchmark, model, provider=provider)
    where = receipt.pr_url or f"main of {benchmark}"
    click.echo(f"queued {receipt.request.id}: {receipt.request.model}@{receipt.request.revision[:12]} ({where})")


@queue.command()
@click.option("--benchmark", required=True, help="Benchmark dataset repo id (you must own it).")
@click.option("--executor", type=click.Choice(["local", "ray"]), default="local", show_default=True)
@click.option("--once", is_flag=True, help="Do one pass and stop (default: until no request is pending).")
@click.option("--heldout", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Local held-out benchmark folder (split heldout): published as numbers only.")
@click.option("--key", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="Official key (default $FFASR_KEY).")
@click.option("--limit", type=int, help="Samples per task (official runs use all).")
@click.option("--batch", type=int, default=1, show_default=True, help="Requests run at once (Ray: in parallel).")
def work(benchmark: str, executor: str, once: bool, heldout: Path | None, key: Path | None, limit: int | None,
         batch: int) -> None:
    """Accept requests, evaluate, sign, open result PRs, record outcomes.

    \b
    ffasr-eval queue work --benchmark ffasr/far-field-bench --key official.pem --once
    ffasr-eval queue work --benchmark ffasr/far-field-bench --executor ray --batch 4
    """
    from ffasr_eval.queue import LocalExecutor, RayExecutor, work_once
    from ffasr_eval.queue._store import head
    from ffasr_eval.spec import load_spec

    if executor == "ray":
        from huggingface_hub import HfApi

        api = HfApi()
        spec = load_spec(api.hf_hub_download(benchmark, "eval.yaml", repo_type="dataset", revision=head(api, benchmark)))
        runner = RayExecutor(spec.ffasr.hardware.profile or "cpu")
    else:
        runner = LocalExecutor()
    while True:
        report = work_once(benchmark, executor=runner, key=key, heldout=heldout, limit=limit, batch=batch)
        click.echo(f"accepted {report.accepted} rejected {report.rejected} requeued {report.requeued} "
                   f"done {report.done} failed {report.failed}")
        if once or not (report.done or report.failed):
            return


@queue.command()
@click.option("--benchmark", required=True, help="Benchmark dataset repo id.")
def status(benchmark: str) -> None:
    """Show every request and its status (from the benchmark repo)."""
    from huggingface_hub import HfApi

    from ffasr_eval.queue import list_requests
    from ffasr_eval.queue._store import head

    api = HfApi()
    for r in list_requests(api, benchmark, head(api, benchmark)):
        click.echo(f"{r.id}  {r.status:8} {r.model}@{r.revision[:12]}  {r.result_pr or r.reason or ''}")
