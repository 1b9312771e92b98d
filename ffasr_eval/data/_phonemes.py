"""Phoneme references from the CMU pronouncing dictionary that pocketsphinx ships."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from ffasr_eval.providers import ARPABET_TO_IPA


_NO_DIGITS = str.maketrans("", "", "0123456789")


@cache
def cmudict() -> dict[str, tuple[str, ...]]:
    """Word → ARPAbet phones (first pronunciation, stress digits removed)."""
    from pocketsphinx import get_model_path

    text = (Path(get_model_path()) / "en-us" / "cmudict-en-us.dict").read_text(encoding="utf-8")
    entries: dict[str, tuple[str, ...]] = {}
    for line in text.translate(_NO_DIGITS).splitlines():
        word, _, phones = line.partition(" ")
        if "(" not in word:  # alternate pronunciations are spelled word(2), word(3)...
            entries.setdefault(word, tuple(phones.split()))
    return entries


def words_of(text: str) -> list[str]:
    """Dictionary lookup keys of a sentence: lowercase words, apostrophes kept."""
    return re.findall(r"[a-z']+", text.lower().replace("-", " "))


def phonemes(text: str) -> tuple[str, str, list[str]]:
    """(ARPAbet, IPA, missing words) of a sentence; phones are space-separated."""
    arpabet: list[str] = []
    missing: list[str] = []
    for word in words_of(text):
        phones = cmudict().get(word)
        if phones is None:
            missing.append(word)
        else:
            arpabet.extend(phones)
    return " ".join(arpabet), " ".join(ARPABET_TO_IPA[p] for p in arpabet), missing
