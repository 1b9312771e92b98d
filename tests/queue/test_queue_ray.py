"""The Ray executor on a 2-CPU local cluster offering the benchmark's profile as a custom resource."""

from __future__ import annotations

import json
import os
import sys
import time

import pytest

from ffasr_eval.queue import (
    EvalJob,
    EvalOutcome,
    RayExecutor,
    evaluate,
    read_log,
    request_evaluation,
    work_once,
)

ray = pytest.importorskip("ray")


def _dies_once(job: EvalJob) -> EvalOutcome:
    """The first attempt's worker process dies mid-task (as a crashed node would); Ray runs it again."""
    marker = job.work_dir.parent / f"{job.request.id}.died"
    if not marker.exists():
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.touch()
        os._exit(1)
    return evaluate(job)


def _meets_the_other(job: EvalJob) -> EvalOutcome:
    """Starts, then waits for the other job to start too: only possible if the two run in parallel."""
    (job.work_dir.parent / f"{job.request.id}.started").touch()
    deadline = time.monotonic() + 60
    while len(list(job.work_dir.parent.glob("*.started"))) < 2:
        if time.monotonic() > deadline:
            raise RuntimeError("the other job never started while this one ran: jobs ran one after another")
        time.sleep(0.05)
    return evaluate(job)


@pytest.fixture(scope="module")
def ray_cluster():
    ray.cloudpickle.register_pickle_by_value(sys.modules[__name__])
    ray.init(num_cpus=2, resources={"cpu-2c": 2}, include_dashboard=False, log_to_driver=False)
    yield
    ray.shutdown()


def _request(world, model_repo) -> str:
    return request_evaluation(world.benchmark, model_repo(), provider="sphinx", token=world.owner.token,
                              max_pending=99).request.id


def test_ray_runs_two_requests_in_parallel(ray_cluster, queue_world, model_repo, tmp_path):
    ids = [_request(queue_world, model_repo) for _ in range(2)]
    report = work_once(queue_world.benchmark, executor=RayExecutor("cpu-2c", evaluation=_meets_the_other), key=queue_world.key_path, limit=1,
                       batch=99, work_dir=tmp_path, token=queue_world.owner.token)
    assert set(ids) <= set(report.done), report
    done = {e.id for e in read_log(queue_world.owner.api, queue_world.benchmark) if e.status == "done"}
    assert set(ids) <= done


def test_ray_retries_a_job_whose_worker_died(ray_cluster, queue_world, model_repo, tmp_path):
    rid = _request(queue_world, model_repo)
    report = work_once(queue_world.benchmark, executor=RayExecutor("cpu-2c", evaluation=_dies_once),
                       key=queue_world.key_path, limit=1, batch=99, work_dir=tmp_path, token=queue_world.owner.token)
    assert (tmp_path / f"{rid}.died").exists() and rid in report.done, report
    assert json.loads((tmp_path / rid / "public" / "run.json").read_text())["tasks"]
