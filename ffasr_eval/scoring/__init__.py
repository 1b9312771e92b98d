"""Scoring: named normalizer presets, WER/CER/PER/PWED counts, corpus rates and bootstrap CIs.

Example:
    >>> from ffasr_eval.scoring import corpus_rate, normalize, word_counts
    >>> counts = word_counts(normalize("It's twenty-one."), normalize("it is 21"))
    >>> corpus_rate([counts])
    0.0
"""

from ffasr_eval.scoring._batch import score_pairs
from ffasr_eval.scoring._metrics import (
    ErrorCounts,
    bootstrap_ci,
    char_counts,
    corpus_rate,
    is_scorable,
    phone_counts,
    word_counts,
)
from ffasr_eval.scoring._normalize import (
    Normalizer,
    get_normalizer,
    normalize,
    preset_names,
)
from ffasr_eval.scoring._phonetic import pwed

__all__ = [
    "ErrorCounts",
    "Normalizer",
    "bootstrap_ci",
    "char_counts",
    "corpus_rate",
    "get_normalizer",
    "is_scorable",
    "normalize",
    "phone_counts",
    "preset_names",
    "pwed",
    "score_pairs",
    "word_counts",
]
