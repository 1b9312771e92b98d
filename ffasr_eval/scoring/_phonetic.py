"""Phonetically weighted edit distance (PWED) with panphon articulatory features."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from panphon.distance import Distance

from ffasr_eval.errors import ScoringError


@cache
def _distance() -> Distance:
    return Distance()


@cache
def _vectors(phone: str) -> tuple[tuple[int, ...], ...]:
    vectors = _distance().fm.word_to_vector_list(phone, numeric=True)
    if not vectors or len("".join(_distance().fm.ipa_segs(phone))) != len(phone):
        raise ScoringError(
            f"pwed: {phone!r} is not IPA that panphon knows; phones must be IPA segments "
            "(the dataset's space-separated phonemes_ipa column)"
        )
    return tuple(tuple(v) for v in vectors)


def _feature_sequence(phones: Sequence[str]) -> list[list[int]]:
    return [list(vector) for phone in phones for vector in _vectors(phone)]


def pwed(reference: Sequence[str], hypothesis: Sequence[str]) -> float:
    """Un-normalized panphon weighted feature edit distance between two IPA segment sequences.

    Substituting a segment costs its weighted articulatory feature difference
    (``panphon.distance.Distance.weighted_substitution_cost``), so confusing close phones
    (/p/ vs /b/) costs less than distant ones (/p/ vs /a/); inserting or deleting costs the full
    weight sum. A phone panphon splits into several segments (a diphthong such as ``aɪ``)
    contributes all of them, as ``Distance.weighted_feature_edit_distance`` on the joined string
    would. Corpus PWED = sum of distances / sum of reference lengths (in segments).

    Raises:
        ScoringError: A phone is not a single IPA segment panphon knows.

    Example:
        >>> pwed(["p", "a"], ["b", "a"]) < pwed(["p", "a"], ["a", "a"])
        True
    """
    for side, phones in (("reference", reference), ("hypothesis", hypothesis)):
        if isinstance(phones, str):
            raise ScoringError(
                f"pwed: {side} must be a sequence of IPA segments, not a string"
            )
    distance = _distance()
    return float(
        distance.min_edit_distance(
            distance.weighted_deletion_cost,
            distance.weighted_insertion_cost,
            distance.weighted_substitution_cost,
            [[]],
            _feature_sequence(reference),
            _feature_sequence(hypothesis),
        )
    )
