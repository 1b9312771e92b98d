"""The one exception hierarchy of ffasr-eval.

Every error the toolkit raises on purpose is an `FFASRError`. Subclasses also subclass the
matching builtin (as `huggingface_hub.errors` does) so callers that catch `ValueError` or
`FileNotFoundError` keep working. Messages say what went wrong *and* what to do about it; the
command line prints them without a traceback.
"""

from __future__ import annotations

from pathlib import Path


class FFASRError(Exception):
    """Base class of every error raised on purpose by ffasr-eval."""

    #: Process exit code used by the command line for this error.
    exit_code: int = 1


class NotYetAvailableError(FFASRError):
    """A command or feature that is planned but not built in this version."""

    exit_code = 2


class MissingDependencyError(FFASRError, ImportError):
    """An optional dependency is not installed; the message names the `pip install` to run."""

    def __init__(self, package: str, extra: str, feature: str) -> None:
        self.package = package
        self.extra = extra
        super().__init__(
            f"{feature} needs the optional package '{package}'. "
            f"Install it with: pip install 'ffasr-eval[{extra}]'"
        )


class SpecError(FFASRError, ValueError):
    """An eval.yaml file is malformed or invalid.

    Attributes:
        path: The file that was read, if any.
        field: Dotted field path inside the file (for example ``tasks[2].id``), if known.
        line: 1-based line number in the file, if known.
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | Path | None = None,
        field: str | None = None,
        line: int | None = None,
    ) -> None:
        self.path = str(path) if path is not None else None
        self.field = field
        self.line = line
        self.message = message
        where = self.path or "<eval.yaml>"
        if line is not None:
            where += f":{line}"
        if field:
            where += f": {field}"
        super().__init__(f"{where}: {message}")


class ScoringError(FFASRError, ValueError):
    """Scoring input is unusable (unknown normalizer preset, mismatched lengths, ...)."""


class AudioError(FFASRError, ValueError):
    """An audio file or audio bytes cannot be decoded or have the wrong shape."""


class DataError(FFASRError, ValueError):
    """A benchmark source, manifest or built dataset is invalid."""


class HubServerError(FFASRError):
    """The embedded Hub server cannot start or its storage is inconsistent."""


class ProviderError(FFASRError):
    """A speech model provider cannot load or run the model."""


class RunError(FFASRError):
    """An evaluation run cannot start, resume or be summarised."""


class SigningError(FFASRError):
    """A key cannot be created, loaded or used to sign."""


class VerificationError(FFASRError, ValueError):
    """A signed result does not verify; ``reason`` says exactly why."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


class ResultsError(FFASRError, ValueError):
    """A `.eval_results` file cannot be built or parsed."""


class SubmitError(FFASRError):
    """A result pull request cannot be opened."""


class CollectError(FFASRError):
    """The collector cannot gather or publish the leaderboard."""


class QueueError(FFASRError):
    """An evaluation request is rejected or the queue worker cannot proceed."""
