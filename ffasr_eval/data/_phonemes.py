"""Phoneme references from the CMU pronouncing dictionary that pocketsphinx ships."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from ffasr_eval.providers import ARPABET_TO_IPA


@cache
def cmudict() -> dict[str, tuple[str, ...]]:
    """Word → ARPAbet phones (first pronunciation, stress digits removed)."""
    from pocketsphinx import get_model_path

    entries: dict[str, tuple[str, ...]] = {}
    with open(Path(get_model_path()) / "en-us" / "cmudict-en-us.dict", encoding="utf-8") as dictionary:
        for line in dictionary:
            word, *phones = line.split()
            if "(" not in word:
                entries.setdefault(word, tuple(re.sub(r"\d", "", p) for p in phones))
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
