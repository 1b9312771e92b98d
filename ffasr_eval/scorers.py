"""Inspect scorers (`wer`, `cer`, `per`, `pwed`) and corpus-level metrics built on `ffasr_eval.scoring`.

Each scorer stores the sample's error counts and normalized texts in `Score.metadata`; the
corpus metric sums the counts (errors / reference units over the whole split, not a mean of
per-sample rates) and skips samples whose normalized reference is empty. The runner's summary
is recomputed from the raw hypotheses in the log, so these metrics are what `inspect view` shows.
"""

from __future__ import annotations

from collections.abc import Callable

from inspect_ai.scorer import Metric, SampleScore, Score, Scorer, Target, metric, scorer
from inspect_ai.solver import TaskState

from ffasr_eval.scoring import (
    ErrorCounts,
    bootstrap_ci,
    char_counts,
    corpus_rate,
    get_normalizer,
    phone_counts,
    pwed as pwed_distance,
    word_counts,
)

_COUNTS = ("substitutions", "deletions", "insertions", "hits")


def _counts(score: SampleScore) -> ErrorCounts:
    meta = score.score.metadata or {}
    return ErrorCounts(**{key: int(meta.get(key, 0)) for key in _COUNTS})


@metric
def corpus_error_rate() -> Metric:
    """Errors / reference units summed over every scored sample (empty references skipped)."""

    def compute(scores: list[SampleScore]) -> float:
        counts = [_counts(s) for s in scores]
        return corpus_rate(counts) if any(c.reference_units for c in counts) else float("nan")

    return compute


@metric
def ci95_low() -> Metric:
    """Lower bound of the bootstrap 95 % confidence interval of the corpus error rate."""

    def compute(scores: list[SampleScore]) -> float:
        counts = [_counts(s) for s in scores]
        return bootstrap_ci(counts)[0] if any(c.reference_units for c in counts) else float("nan")

    return compute


@metric
def ci95_high() -> Metric:
    """Upper bound of the bootstrap 95 % confidence interval of the corpus error rate."""

    def compute(scores: list[SampleScore]) -> float:
        counts = [_counts(s) for s in scores]
        return bootstrap_ci(counts)[1] if any(c.reference_units for c in counts) else float("nan")

    return compute


def _score(counts: ErrorCounts, reference: str, hypothesis: str, **extra: object) -> Score:
    value = counts.rate if counts.reference_units else float("nan")
    metadata = {key: getattr(counts, key) for key in _COUNTS}
    return Score(value=value, answer=hypothesis, metadata={**metadata, "reference": reference,
                                                            "hypothesis": hypothesis, **extra})


def _text_scorer(unit: Callable[[str, str], ErrorCounts], normalizer: str) -> Scorer:
    normalize = get_normalizer(normalizer)

    async def score(state: TaskState, target: Target) -> Score:
        reference, hypothesis = normalize(target.text), normalize(state.output.completion)
        return _score(unit(reference, hypothesis), reference, hypothesis, normalizer=str(normalize))

    return score


@scorer(metrics=[corpus_error_rate(), ci95_low(), ci95_high()])
def wer(normalizer: str = "english") -> Scorer:
    """Word error rate on normalized text (preset `normalizer`, e.g. ``english``)."""
    return _text_scorer(word_counts, normalizer)


@scorer(metrics=[corpus_error_rate(), ci95_low(), ci95_high()])
def cer(normalizer: str = "english") -> Scorer:
    """Character error rate on normalized text."""
    return _text_scorer(char_counts, normalizer)


@scorer(metrics=[corpus_error_rate(), ci95_low(), ci95_high()])
def per(normalizer: str = "none") -> Scorer:
    """Phone error rate on space-separated IPA segments."""

    async def score(state: TaskState, target: Target) -> Score:
        reference, hypothesis = target.text.split(), state.output.completion.split()
        return _score(phone_counts(reference, hypothesis), " ".join(reference), " ".join(hypothesis))

    return score


@metric
def corpus_pwed() -> Metric:
    """Summed weighted feature edit distance / summed reference length."""

    def compute(scores: list[SampleScore]) -> float:
        meta = [s.score.metadata or {} for s in scores]
        length = sum(int(m.get("reference_length", 0)) for m in meta)
        return sum(float(m.get("distance", 0.0)) for m in meta) / length if length else float("nan")

    return compute


@scorer(metrics=[corpus_pwed()])
def pwed(normalizer: str = "none") -> Scorer:
    """Phonetically weighted edit distance (panphon feature distances) on IPA segments."""

    async def score(state: TaskState, target: Target) -> Score:
        reference, hypothesis = target.text.split(), state.output.completion.split()
        distance = pwed_distance(reference, hypothesis)
        return Score(value=distance / len(reference) if reference else float("nan"),
                     answer=" ".join(hypothesis),
                     metadata={"distance": distance, "reference_length": len(reference)})

    return score


#: eval.yaml scorer names → scorer factories.
SCORERS: dict[str, Callable[..., Scorer]] = {"wer": wer, "cer": cer, "per": per, "pwed": pwed}
