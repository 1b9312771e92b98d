"""Bulk scoring of many (reference, hypothesis) pairs, optionally on several processes."""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Literal

from ffasr_eval.errors import ScoringError
from ffasr_eval.scoring._metrics import ErrorCounts, char_counts, word_counts
from ffasr_eval.scoring._normalize import get_normalizer

Unit = Literal["word", "char"]
_COUNTERS = {"word": word_counts, "char": char_counts}


def _score_chunk(
    references: Sequence[str], hypotheses: Sequence[str], preset: str, unit: Unit
) -> list[ErrorCounts]:
    normalizer = get_normalizer(preset)  # cached: one instance per process and preset
    counter = _COUNTERS[unit]
    return [
        counter(normalizer(ref), normalizer(hyp))
        for ref, hyp in zip(references, hypotheses)
    ]


def score_pairs(
    references: Sequence[str],
    hypotheses: Sequence[str],
    *,
    preset: str = "english",
    unit: Unit = "word",
    jobs: int = 1,
    chunk_size: int = 2000,
) -> list[ErrorCounts]:
    """Normalize and align many raw pairs; the path for large (re)scoring.

    With ``jobs > 1`` the pairs are cut into chunks scored by a process pool; the result is
    identical to ``jobs=1`` and in input order. Empty references give counts with
    ``reference_units == 0``, which `corpus_rate` and `bootstrap_ci` skip.

    Args:
        references: Raw reference transcripts.
        hypotheses: Raw hypotheses, same length as ``references``.
        preset: Normalizer preset applied to both sides.
        unit: ``word`` (WER) or ``char`` (CER).
        jobs: Number of worker processes (1 = in this process).
        chunk_size: Pairs per task sent to a worker.

    Raises:
        ScoringError: Lengths differ, or unknown preset/unit, or ``jobs``/``chunk_size`` < 1.

    Example:
        >>> counts = score_pairs(["Twenty one cats."], ["21 cats"])
        >>> corpus_rate(counts)
        0.0
    """
    if len(references) != len(hypotheses):
        raise ScoringError(
            f"score_pairs: {len(references)} references but {len(hypotheses)} hypotheses; "
            "pass one hypothesis per reference"
        )
    if unit not in _COUNTERS:
        raise ScoringError(f"score_pairs: unknown unit {unit!r}; use 'word' or 'char'")
    if jobs < 1 or chunk_size < 1:
        raise ScoringError(
            f"score_pairs: jobs and chunk_size must be >= 1, got {jobs}, {chunk_size}"
        )
    get_normalizer(preset)  # fail fast on an unknown preset, before starting workers
    if jobs == 1 or len(references) <= chunk_size:
        return _score_chunk(references, hypotheses, preset, unit)
    starts = range(0, len(references), chunk_size)
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        chunks = pool.map(
            _score_chunk,
            [references[i : i + chunk_size] for i in starts],
            [hypotheses[i : i + chunk_size] for i in starts],
            [preset] * len(starts),
            [unit] * len(starts),
        )
        return [counts for chunk in chunks for counts in chunk]
