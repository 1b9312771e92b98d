"""WER/CER/PER counts against hand alignments, PWED, corpus rates, bootstrap CIs, empty references."""

import doctest

import numpy as np
import pytest

from ffasr_eval import scoring
from ffasr_eval.errors import ScoringError
from ffasr_eval.scoring import (
    ErrorCounts,
    bootstrap_ci,
    char_counts,
    corpus_rate,
    is_scorable,
    phone_counts,
    pwed,
    score_pairs,
    word_counts,
)

# (reference, hypothesis, (S, D, I, H)) aligned by hand.
WORD_CASES = [
    ("the cat sat", "the cat sat", (0, 0, 0, 3)),
    ("the cat sat", "the bat sat", (1, 0, 0, 2)),  # cat->bat
    ("the cat sat", "the sat", (0, 1, 0, 2)),  # cat deleted
    ("the cat sat", "the cat sat down", (0, 0, 1, 3)),  # down inserted
    ("a b c d", "a x c", (1, 1, 0, 2)),  # b->x, d deleted
    ("a b c", "x y z w", (3, 0, 1, 0)),
    ("a b c", "", (0, 3, 0, 0)),
    ("one two three four five", "one too three for", (2, 1, 0, 2)),
]

CHAR_CASES = [
    ("abc", "abc", (0, 0, 0, 3)),
    ("abc", "abd", (1, 0, 0, 2)),
    ("abc", "ac", (0, 1, 0, 2)),
    ("ab cd", "ab  cd", (0, 0, 1, 5)),  # an extra space is an inserted character
    ("ab cd", "abcd", (0, 1, 0, 4)),  # the space is a character
    ("cat", "cast", (0, 0, 1, 3)),
]

PHONE_CASES = [
    (["k", "æ", "t"], ["k", "æ", "t"], (0, 0, 0, 3)),
    (["k", "æ", "t"], ["k", "ɑ", "t", "s"], (1, 0, 1, 2)),
    (["t͡ʃ", "aɪ", "n", "ə"], ["ʃ", "aɪ", "n"], (1, 1, 0, 2)),
]


@pytest.mark.parametrize(("ref", "hyp", "expected"), WORD_CASES)
def test_word_counts(ref: str, hyp: str, expected: tuple[int, int, int, int]) -> None:
    assert word_counts(ref, hyp) == ErrorCounts(*expected)


@pytest.mark.parametrize(("ref", "hyp", "expected"), CHAR_CASES)
def test_char_counts(ref: str, hyp: str, expected: tuple[int, int, int, int]) -> None:
    assert char_counts(ref, hyp) == ErrorCounts(*expected)


@pytest.mark.parametrize(("ref", "hyp", "expected"), PHONE_CASES)
def test_phone_counts(
    ref: list[str], hyp: list[str], expected: tuple[int, int, int, int]
) -> None:
    assert phone_counts(ref, hyp) == ErrorCounts(*expected)


def test_phone_counts_rejects_strings_and_blank_phones() -> None:
    with pytest.raises(ScoringError, match="sequence of phones"):
        phone_counts("k æ t", ["k"])
    with pytest.raises(ScoringError, match="blank"):
        phone_counts(["k", ""], ["k"])


def test_error_counts_arithmetic() -> None:
    a, b = ErrorCounts(1, 2, 3, 4), ErrorCounts(10, 20, 30, 40)
    total = sum([a, b])
    assert total == ErrorCounts(11, 22, 33, 44)
    assert (total.reference_units, total.errors) == (77, 66)
    assert total.rate == pytest.approx(66 / 77)
    with pytest.raises(ScoringError, match="substitutions"):
        ErrorCounts(-1, 0, 0, 0)


def test_corpus_rate_is_not_a_mean_of_rates() -> None:
    counts = [
        word_counts("a b", "a"),
        word_counts("c d e f g h i j", "c d e f g h i j"),
    ]
    # the mean of the utterance rates would be 0.25
    assert corpus_rate(counts) == pytest.approx(1 / 10)


def test_wer_of_normalized_pair() -> None:
    counts = score_pairs(
        ["Mr. Smith won't pay twenty one dollars."], ["mister smith will not pay $21"]
    )
    assert counts == [ErrorCounts(0, 0, 0, 6)]


# (reference, hypothesis) IPA pairs: one substitution by a close phone vs a distant phone.
CLOSE_FAR = [
    (["p", "a"], ["b", "a"], ["a", "a"]),  # voicing only vs consonant -> vowel
    (["s", "i"], ["z", "i"], ["m", "i"]),
    (["k", "æ", "t"], ["k", "ɛ", "t"], ["k", "s", "t"]),
]


@pytest.mark.parametrize(("ref", "close", "far"), CLOSE_FAR)
def test_pwed_close_substitution_costs_less(
    ref: list[str], close: list[str], far: list[str]
) -> None:
    assert pwed(ref, ref) == 0.0
    assert 0 < pwed(ref, close) < pwed(ref, far)


def test_pwed_insertion_costs_the_weight_sum_and_is_symmetric() -> None:
    one_insertion = pwed(["a"], ["a", "t"])
    assert one_insertion == pytest.approx(pwed(["a", "t"], ["a"]))
    assert one_insertion == pytest.approx(pwed([], ["t"]))
    assert pwed(["p", "a"], ["b", "a"]) < one_insertion


def test_pwed_rejects_unknown_segments() -> None:
    with pytest.raises(ScoringError, match="'x1'"):
        pwed(["x1"], ["a"])


def _counts(n: int) -> list[ErrorCounts]:
    """Utterances of 3-30 words with about 15% WER, fixed by a seed."""
    rng = np.random.default_rng(12345)
    counts = []
    for length in rng.integers(3, 31, size=n):
        subs, dels = rng.binomial(length, 0.08), rng.binomial(length, 0.04)
        dels = min(dels, length - subs)
        counts.append(
            ErrorCounts(
                int(subs),
                int(dels),
                int(rng.binomial(length, 0.03)),
                int(length - subs - dels),
            )
        )
    return counts


def test_bootstrap_ci_contains_estimate_and_is_deterministic() -> None:
    counts = _counts(200)
    low, high = bootstrap_ci(counts, seed=3)
    assert low < corpus_rate(counts) < high
    assert bootstrap_ci(counts, seed=3) == (low, high)
    assert bootstrap_ci(counts, seed=4) != (low, high)


def test_bootstrap_ci_shrinks_with_more_data() -> None:
    small_low, small_high = bootstrap_ci(_counts(50))
    large_low, large_high = bootstrap_ci(_counts(5000))
    assert large_high - large_low < (small_high - small_low) / 4


def test_bootstrap_ci_level_widens_interval() -> None:
    counts = _counts(300)
    narrow, wide = bootstrap_ci(counts, level=0.5), bootstrap_ci(counts, level=0.99)
    assert wide[0] < narrow[0] < narrow[1] < wide[1]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"n_resamples": 0}, "n_resamples"), ({"level": 1.5}, "level")],
)
def test_bootstrap_ci_rejects_bad_arguments(kwargs: dict, message: str) -> None:
    with pytest.raises(ScoringError, match=message):
        bootstrap_ci(_counts(10), **kwargs)


def test_empty_reference_rule() -> None:
    refs = ["[noise]", "uh um", "the cat sat", ""]
    hyps = ["some words here", "", "the cat sat", "x"]
    assert [is_scorable(scoring.normalize(r)) for r in refs] == [
        False,
        False,
        True,
        False,
    ]
    assert is_scorable(["a"]) and not is_scorable([])
    counts = score_pairs(refs, hyps)
    # the insertions of an empty reference are kept in its record ...
    assert counts[0] == ErrorCounts(0, 0, 3, 0)
    assert corpus_rate(counts) == 0.0  # ... but excluded from the corpus rate
    assert bootstrap_ci(counts) == (0.0, 0.0)
    with pytest.raises(ScoringError, match="empty reference"):
        _ = counts[0].rate
    with pytest.raises(ScoringError, match="non-empty reference"):
        corpus_rate(counts[:2])


def test_score_pairs_parallel_matches_serial() -> None:
    refs = [f"number {i} is twenty {i % 9 + 1} colours" for i in range(300)]
    hyps = [f"number {i} is {20 + i % 7} colors" for i in range(300)]
    serial = score_pairs(refs, hyps)
    assert score_pairs(refs, hyps, jobs=2, chunk_size=64) == serial
    assert score_pairs(refs, hyps, unit="char") != serial


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"references": ["a"], "hypotheses": []}, "1 references but 0 hypotheses"),
        ({"references": ["a"], "hypotheses": ["a"], "unit": "phone"}, "unknown unit"),
        ({"references": ["a"], "hypotheses": ["a"], "preset": "nope"}, "known presets"),
        ({"references": ["a"], "hypotheses": ["a"], "jobs": 0}, "jobs"),
    ],
)
def test_score_pairs_rejects_bad_input(kwargs: dict, message: str) -> None:
    with pytest.raises(ScoringError, match=message):
        score_pairs(**kwargs)


@pytest.mark.parametrize("module", ["_batch", "_metrics", "_normalize", "_phonetic"])
def test_docstring_examples(module: str) -> None:
    mod = __import__(f"ffasr_eval.scoring.{module}", fromlist=[module])
    result = doctest.testmod(mod, extraglobs=vars(scoring))
    assert result.attempted > 0 and result.failed == 0
