"""What the queue stores in the benchmark dataset repo: request files and the submission log.

``requests/<id>.json`` holds one `QueueRequest` (its current status); ``queue/log.jsonl`` is the
public, append-only submission log with one `LogEvent` per transition. The id is derived from the
model revision and provider, so the same model revision has exactly one request file.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

REQUESTS_DIR = "requests"
LOG_PATH = "queue/log.jsonl"
#: Providers a request may name, and the runner model each one evaluates.
PROVIDERS = ("hf-asr", "sphinx")

Status = Literal["pending", "running", "done", "failed", "rejected"]


def request_id(model: str, revision: str, provider: str) -> str:
    """The id of the request for one model revision: ``r-`` + 12 hex digits.

    Example:
        >>> request_id("alice/asr", "0" * 40, "hf-asr")[:2]
        'r-'
    """
    return "r-" + hashlib.sha256(f"{model}@{revision}:{provider}".encode()).hexdigest()[:12]


def request_path(rid: str) -> str:
    """Path of a request file in the dataset repo."""
    return f"{REQUESTS_DIR}/{rid}.json"


def now() -> datetime:
    """The current UTC time (one place, so every stored time is timezone-aware)."""
    return datetime.now(UTC)


class QueueRequest(BaseModel):
    """One official evaluation request and its current status."""

    model_config = ConfigDict(extra="forbid")

    id: str
    benchmark: str = Field(description="Hub dataset repo id of the benchmark.")
    model: str = Field(description="Hub model repo id.")
    revision: str = Field(description="Model commit sha, resolved when the request was made.")
    provider: Literal["hf-asr", "sphinx"]
    requested_by: str
    requested_at: datetime
    status: Status = "pending"
    reason: str | None = Field(None, description="Why the request failed or was rejected.")
    worker: str | None = None
    lease_until: datetime | None = Field(None, description="A running request whose lease passed is pending again.")
    attempts: int = 0
    result_pr: str | None = Field(None, description="URL of the official result PR on the model repo.")
    heldout: dict[str, float] | None = Field(None, description="Held-out split values (percent), no audio or text.")
    updated_at: datetime | None = None

    @property
    def runner_model(self) -> str:
        """The model string the runner evaluates (``sphinx/en-us`` or ``hf-asr/<repo>``)."""
        return "sphinx/en-us" if self.provider == "sphinx" else f"hf-asr/{self.model}"

    @property
    def runner_args(self) -> dict[str, str]:
        """Provider options that pin the model revision (hf-asr loads exactly that commit)."""
        return {"revision": self.revision} if self.provider == "hf-asr" else {}

    def to_json(self) -> str:
        """The request file's text."""
        return self.model_dump_json(indent=2, exclude_none=True) + "\n"


class LogEvent(BaseModel):
    """One line of the public submission log."""

    model_config = ConfigDict(extra="forbid")

    time: datetime
    id: str
    model: str
    revision: str
    status: Status
    by: str
    reason: str | None = None
    result_pr: str | None = None
    heldout: dict[str, float] | None = None

    @classmethod
    def of(cls, request: QueueRequest, by: str) -> LogEvent:
        """The log line recording `request`'s current status."""
        return cls(time=now(), id=request.id, model=request.model, revision=request.revision, status=request.status,
                   by=by, reason=request.reason, result_pr=request.result_pr, heldout=request.heldout)
