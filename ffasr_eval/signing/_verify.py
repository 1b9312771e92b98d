"""Classify result entries as verified / signed / unsigned / invalid, with the precise reason.

- **verified**: valid signature by a non-revoked `official` key of the benchmark's
  `evaluators.yaml`, whose hardware profile (and the run's) is the benchmark's profile, and every
  binding holds: the token's model repo is the repo the file lives in, its model revision is one
  of that repo's revisions (when known), its dataset id and revision are the entry's, and the
  entry's value is the signed value of its task.
- **signed**: the same checks pass, but the key is not an official key of the registry (or the
  hardware profile does not match): the numbers are intact, the evaluator is not trusted.
- **unsigned**: the entry has no `verifyToken`.
- **invalid**: anything else (bad or tampered token, copied token, revoked key, an unregistered
  key claiming the official role, an `average` that is not the mean of its tasks ...).
"""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Literal

from huggingface_hub import EvalResultEntry

from ffasr_eval.errors import VerificationError
from ffasr_eval.results import AVERAGE_TASK_ID, AverageClaim, ResultPayload, average_error
from ffasr_eval.signing._evaluators import EvaluatorRegistry
from ffasr_eval.signing._token import OpenedToken, open_token

Status = Literal["verified", "signed", "unsigned", "invalid"]
#: Largest difference tolerated between an entry's value and its signed value.
VALUE_TOLERANCE = 1e-9


@dataclass(frozen=True)
class EntryVerdict:
    """The verification outcome of one result entry.

    Attributes:
        entry: The entry checked.
        status: verified, signed, unsigned or invalid.
        reason: Why, in one sentence.
        kid: Key id of the token, if it could be read.
        evaluator: Evaluator named by the token (`iss`), if the token opened.
        payload: The signed claims, if the token opened.
    """

    entry: EvalResultEntry
    status: Status
    reason: str
    kid: str | None = None
    evaluator: str | None = None
    payload: ResultPayload | None = None

    @property
    def task_id(self) -> str:
        """Task id of the entry."""
        return self.entry.task_id


def verify_entries(
    entries: Sequence[EvalResultEntry],
    *,
    model_repo: str | None,
    evaluators: EvaluatorRegistry | None = None,
    benchmark_profile: str | None = None,
    model_revisions: Collection[str] | None = None,
    average_tasks: Sequence[str] | None = None,
) -> list[EntryVerdict]:
    """Verify every entry of a result file.

    Args:
        entries: Entries of one ``.eval_results`` file (or several files of one repo).
        model_repo: The model repo the entries live in; None skips that binding (a local file
            whose repo is unknown).
        evaluators: The benchmark's trusted-evaluator registry (None: nobody is trusted).
        benchmark_profile: The benchmark's hardware profile (`ffasr.hardware.profile`).
        model_revisions: Commits the result may be bound to (e.g. the model repo's history);
            None skips that binding.
        average_tasks: The benchmark's averaged tasks (`ffasr.average`); when given, an
            `average` must cover exactly these tasks, signed or not.

    Returns:
        One verdict per entry, in order.

    Example:
        >>> verdicts = verify_entries(load_results(".eval_results/ffasr.yaml"), model_repo="me/asr",
        ...     evaluators=EvaluatorRegistry.load("evaluators.yaml"), benchmark_profile="cpu-2c")
        >>> [(v.task_id, v.status) for v in verdicts][:1]
        [('near_field', 'verified')]
    """
    checker = _Checker(
        model_repo=model_repo,
        evaluators=evaluators,
        benchmark_profile=benchmark_profile,
        model_revisions=set(model_revisions) if model_revisions is not None else None,
        average_tasks=list(average_tasks) if average_tasks is not None else None,
        file_values={e.task_id: e.value for e in entries if e.task_id != AVERAGE_TASK_ID},
    )
    return [checker.verdict(entry) for entry in entries]


@dataclass
class _Checker:
    model_repo: str | None
    evaluators: EvaluatorRegistry | None
    benchmark_profile: str | None
    model_revisions: set[str] | None
    average_tasks: list[str] | None
    file_values: dict[str, float]

    def __post_init__(self) -> None:
        self._opened: dict[str, OpenedToken | VerificationError] = {}

    def verdict(self, entry: EvalResultEntry) -> EntryVerdict:
        if not entry.verify_token:
            problem = self._unsigned_average_problem(entry)
            if problem:
                return EntryVerdict(entry, "invalid", problem)
            return EntryVerdict(entry, "unsigned", "no verifyToken")
        opened = self._open(entry.verify_token)
        if isinstance(opened, VerificationError):
            return EntryVerdict(entry, "invalid", opened.reason)
        payload = opened.payload
        verdict = _Verdict(entry, opened)
        problem = self._binding_problem(entry, payload)
        if problem:
            return verdict("invalid", problem)
        evaluator = self.evaluators.get(opened.kid) if self.evaluators is not None else None
        who = f"key {opened.kid} ({payload.iss})"
        if evaluator is not None and evaluator.revoked:
            return verdict("invalid", f"{who} is revoked in evaluators.yaml")
        if evaluator is not None and evaluator.owner != payload.iss:
            return verdict("invalid", f"token names evaluator {payload.iss!r} but key {opened.kid} belongs to {evaluator.owner!r}")
        if payload.role == "official" and (evaluator is None or evaluator.role != "official"):
            return verdict("invalid", f"{who} claims the official role but is not an official key in evaluators.yaml")
        if evaluator is None:
            return verdict("signed", f"valid signature by {who}; key not in evaluators.yaml")
        if evaluator.role != "official":
            return verdict("signed", f"valid signature by community {who}")
        profiles = {"benchmark": self.benchmark_profile, "key": evaluator.hardware_profile, "run": payload.hardware.profile}
        if self.benchmark_profile is None or len(set(profiles.values())) != 1:
            shown = ", ".join(f"{k} {v or 'unknown'}" for k, v in profiles.items())
            return verdict("signed", f"valid signature by official {who}, but hardware profiles differ ({shown})")
        return verdict("verified", f"official {who} on {self.benchmark_profile}; all bindings hold")

    def _open(self, token: str) -> OpenedToken | VerificationError:
        if token not in self._opened:  # a run's token is shared by all its entries: open it once
            try:
                self._opened[token] = open_token(token, self.evaluators)
            except VerificationError as exc:
                self._opened[token] = exc
        return self._opened[token]

    def _binding_problem(self, entry: EvalResultEntry, payload: ResultPayload) -> str | None:
        if self.model_repo is not None and payload.model.repo_id != self.model_repo:
            return f"token was issued for model {payload.model.repo_id}, not {self.model_repo} (copied token)"
        if self.model_revisions is not None and payload.model.revision not in self.model_revisions:
            return (
                f"token binds model revision {payload.model.revision[:12]}, which is not a revision of "
                f"{self.model_repo or 'this model'} (copied token)"
            )
        if entry.dataset_id != payload.dataset.id:
            return f"token was issued for dataset {payload.dataset.id}, entry is for {entry.dataset_id} (copied token)"
        if entry.dataset_revision != payload.dataset.revision:
            return (
                f"entry dataset revision {entry.dataset_revision} differs from the signed revision "
                f"{payload.dataset.revision} (copied token)"
            )
        signed = payload.value_of(entry.task_id)
        if signed is None:
            return f"task {entry.task_id!r} is not covered by the token (signed tasks: {sorted(payload.tasks)})"
        if not math.isclose(float(entry.value), signed, rel_tol=0.0, abs_tol=VALUE_TOLERANCE):
            return f"value {entry.value} differs from the signed value {signed} (edited after signing)"
        problem = payload.average_error()
        if problem:
            return f"signed {problem}"
        if self.average_tasks is not None and payload.average is not None and payload.average.tasks != self.average_tasks:
            return f"signed average covers {payload.average.tasks}, the benchmark averages {self.average_tasks}"
        return None

    def _unsigned_average_problem(self, entry: EvalResultEntry) -> str | None:
        if entry.task_id != AVERAGE_TASK_ID or self.average_tasks is None:
            return None
        return average_error(AverageClaim(tasks=self.average_tasks, value=float(entry.value)), self.file_values)


@dataclass(frozen=True)
class _Verdict:
    entry: EvalResultEntry
    opened: OpenedToken

    def __call__(self, status: Status, reason: str) -> EntryVerdict:
        return EntryVerdict(self.entry, status, reason, self.opened.kid, self.opened.payload.iss, self.opened.payload)
