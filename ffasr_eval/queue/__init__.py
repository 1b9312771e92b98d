"""The official evaluation queue: verified results on the benchmark's own hardware.

Anyone authenticated requests an evaluation of a model revision (`request_evaluation`); the
benchmark owner's worker (`work_once`) accepts request PRs, runs the public split from the Hub
and the held-out split from a local folder, signs with the official key, opens the result PR on
the model repo and records every transition in ``requests/<id>.json`` and the public
submission log ``queue/log.jsonl`` of the dataset repo.

Example:
    >>> request_evaluation("ffasr/far-field-bench", "alice/asr@main", provider="hf-asr")  # doctest: +SKIP
    >>> work_once("ffasr/far-field-bench", key="official.pem", heldout="heldout/")  # doctest: +SKIP
"""

from ffasr_eval.queue._executors import (
    EvalJob,
    EvalOutcome,
    Executor,
    LocalExecutor,
    RayExecutor,
    evaluate,
)
from ffasr_eval.queue._model import (
    LOG_PATH,
    PROVIDERS,
    LogEvent,
    QueueRequest,
    request_id,
    request_path,
)
from ffasr_eval.queue._request import (
    MAX_PENDING,
    MAX_PER_DAY,
    RequestReceipt,
    request_evaluation,
)
from ffasr_eval.queue._store import list_requests, read_log
from ffasr_eval.queue._worker import LEASE, WorkReport, existing_result, work_once

__all__ = [
    "LEASE",
    "LOG_PATH",
    "MAX_PENDING",
    "MAX_PER_DAY",
    "PROVIDERS",
    "EvalJob",
    "EvalOutcome",
    "Executor",
    "LocalExecutor",
    "LogEvent",
    "QueueRequest",
    "RayExecutor",
    "RequestReceipt",
    "WorkReport",
    "evaluate",
    "existing_result",
    "list_requests",
    "read_log",
    "request_evaluation",
    "request_id",
    "request_path",
    "work_once",
]
