"""Error counts (WER, CER, PER), corpus-level rates and bootstrap confidence intervals."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import jiwer
import numpy as np

from ffasr_eval.errors import ScoringError


@dataclass(frozen=True)
class ErrorCounts:
    """Alignment counts of one utterance (or a sum of utterances).

    Attributes:
        substitutions: Reference units replaced by another unit.
        deletions: Reference units missing from the hypothesis.
        insertions: Hypothesis units with no reference unit.
        hits: Reference units recognised correctly.

    Example:
        >>> counts = word_counts("the cat sat", "the cat sat down")
        >>> counts.errors, counts.reference_units, counts.rate
        (1, 3, 0.3333333333333333)
        >>> sum([counts, counts]).errors
        2
    """

    substitutions: int = 0
    deletions: int = 0
    insertions: int = 0
    hits: int = 0

    def __post_init__(self) -> None:
        for name in ("substitutions", "deletions", "insertions", "hits"):
            value = getattr(self, name)
            if not isinstance(value, (int, np.integer)) or value < 0:
                raise ScoringError(
                    f"ErrorCounts.{name} must be a non-negative integer, got {value!r}"
                )

    @property
    def reference_units(self) -> int:
        """Number of units (words, characters, phones) in the reference: S + D + H."""
        return self.substitutions + self.deletions + self.hits

    @property
    def errors(self) -> int:
        """Number of errors: S + D + I."""
        return self.substitutions + self.deletions + self.insertions

    @property
    def rate(self) -> float:
        """Error rate (S + D + I) / (S + D + H), e.g. the WER as a fraction.

        Raises:
            ScoringError: The reference is empty (see `is_scorable`).
        """
        if self.reference_units == 0:
            raise ScoringError(
                "error rate of an empty reference is undefined; samples whose normalized "
                "reference is empty are excluded from scoring (check is_scorable first)"
            )
        return self.errors / self.reference_units

    def __add__(self, other: ErrorCounts) -> ErrorCounts:
        if not isinstance(other, ErrorCounts):
            return NotImplemented
        return ErrorCounts(
            self.substitutions + other.substitutions,
            self.deletions + other.deletions,
            self.insertions + other.insertions,
            self.hits + other.hits,
        )

    def __radd__(self, other: object) -> ErrorCounts:
        if other == 0:  # sum() starts from 0
            return self
        return NotImplemented


def is_scorable(normalized_reference: str | Sequence[str]) -> bool:
    """Whether a sample counts towards WER/CER/PER and RTFx.

    The empty-reference rule (DESIGN.md, as the Open ASR Leaderboard's ``is_target_text_in_range``):
    samples whose *normalized* reference is empty (e.g. only ``[noise]`` or ``uh``) are excluded
    from error rates and from RTFx, because no error rate is defined for them.
    `corpus_rate` and `bootstrap_ci` apply the rule themselves by skipping zero-length references.

    Args:
        normalized_reference: A normalized reference string, or a sequence of phones.

    Example:
        >>> is_scorable(normalize("[noise] uh"))
        False
    """
    if isinstance(normalized_reference, str):
        return bool(normalized_reference.split())
    return len(normalized_reference) > 0


def _counts(output: jiwer.WordOutput | jiwer.CharacterOutput) -> ErrorCounts:
    return ErrorCounts(
        output.substitutions, output.deletions, output.insertions, output.hits
    )


def word_counts(reference: str, hypothesis: str) -> ErrorCounts:
    """Word alignment counts of one already-normalized pair (jiwer, words split on whitespace).

    Example:
        >>> word_counts("a b c d", "a x c")
        ErrorCounts(substitutions=1, deletions=1, insertions=0, hits=2)
    """
    return _counts(jiwer.process_words(reference, hypothesis))


def char_counts(reference: str, hypothesis: str) -> ErrorCounts:
    """Character alignment counts of one already-normalized pair (jiwer; spaces count as characters).

    Example:
        >>> char_counts("abc", "abd")
        ErrorCounts(substitutions=1, deletions=0, insertions=0, hits=2)
    """
    return _counts(jiwer.process_characters(reference, hypothesis))


def phone_counts(reference: Sequence[str], hypothesis: Sequence[str]) -> ErrorCounts:
    """Phone alignment counts (for PER) of two phone sequences, e.g. IPA segments.

    Example:
        >>> phone_counts(["k", "æ", "t"], ["k", "ɑ", "t", "s"])
        ErrorCounts(substitutions=1, deletions=0, insertions=1, hits=2)
    """
    for side, phones in (("reference", reference), ("hypothesis", hypothesis)):
        if isinstance(phones, str):
            raise ScoringError(
                f"phone_counts: {side} must be a sequence of phones, not a string"
            )
        bad = [
            phone
            for phone in phones
            if not phone or phone != phone.strip() or " " in phone
        ]
        if bad:
            raise ScoringError(
                f"phone_counts: {side} has empty or blank phones: {bad[:5]!r}"
            )
    return word_counts(" ".join(reference), " ".join(hypothesis))


def corpus_rate(counts: Iterable[ErrorCounts]) -> float:
    """Corpus-level error rate: total errors / total reference units (not a mean of rates).

    Utterances with an empty reference are skipped (see `is_scorable`).

    Raises:
        ScoringError: No utterance has a non-empty reference.

    Example:
        >>> corpus_rate([word_counts("a b", "a"), word_counts("c d e f", "c d e f")])
        0.16666666666666666
    """
    total = sum((c for c in counts if c.reference_units), ErrorCounts())
    if total.reference_units == 0:
        raise ScoringError(
            "corpus error rate needs at least one sample with a non-empty reference"
        )
    return total.rate


def bootstrap_ci(
    counts: Sequence[ErrorCounts],
    *,
    n_resamples: int = 1000,
    level: float = 0.95,
    seed: int = 0,
) -> tuple[float, float]:
    """Percentile bootstrap confidence interval of the corpus error rate, resampling utterances.

    Each resample draws as many utterances as there are (with replacement) and computes the
    corpus rate from summed counts, so long utterances weigh more, as in the point estimate.
    Utterances with an empty reference are skipped. Deterministic for a given ``seed``.

    Args:
        counts: Per-utterance counts.
        n_resamples: Number of bootstrap resamples.
        level: Confidence level, e.g. 0.95.
        seed: Seed of the numpy random generator.

    Returns:
        ``(low, high)`` as fractions.

    Raises:
        ScoringError: No scorable utterance, or bad ``n_resamples``/``level``.

    Example:
        >>> pairs = [("a b c", "a b c"), ("a b", "a x"), ("a b c d", "a b")]
        >>> low, high = bootstrap_ci([word_counts(r, h) for r, h in pairs], seed=1)
        >>> low <= 3 / 9 <= high
        True
    """
    if n_resamples < 1:
        raise ScoringError(f"bootstrap_ci: n_resamples must be >= 1, got {n_resamples}")
    if not 0 < level < 1:
        raise ScoringError(f"bootstrap_ci: level must be between 0 and 1, got {level}")
    table = np.array(
        [(c.errors, c.reference_units) for c in counts if c.reference_units],
        dtype=np.int64,
    )
    if len(table) == 0:
        raise ScoringError(
            "bootstrap_ci needs at least one sample with a non-empty reference"
        )
    errors, units = table.T
    rng = np.random.default_rng(seed)
    rates = np.empty(n_resamples)
    # Resample in blocks of about two million drawn indices to bound memory on large corpora.
    block = max(1, 2_000_000 // len(table))
    for start in range(0, n_resamples, block):
        draws = rng.integers(
            0, len(table), size=(min(block, n_resamples - start), len(table))
        )
        rates[start : start + len(draws)] = errors[draws].sum(axis=1) / units[
            draws
        ].sum(axis=1)
    tail = (1 - level) / 2 * 100
    low, high = np.percentile(rates, [tail, 100 - tail])
    return float(low), float(high)
