"""Named, versioned text normalizers (presets) applied to references and hypotheses before scoring.

The ``english`` preset reproduces the Open ASR Leaderboard normalizer
(https://github.com/huggingface/open_asr_leaderboard, ``normalizer/normalizer.py`` and
``normalizer/english_abbreviations.py``, commit 0c261bf): the Whisper ``EnglishTextNormalizer``
that ``transformers`` ships (the leaderboard's file is a copy of it), fed the Whisper
British-to-American spelling list (``english.json`` shipped by ``whisper-normalizer``) plus the
leaderboard's three extra spelling entries ("ok"/"kay" -> "okay", "etcetera" -> "etc"), and the
leaderboard's two pre-processing extras (ellipsis removal before the bracket step, and
dotted-abbreviation collapsing "u.s.a." -> "usa" before the contraction step), in its order.

Differences from the plain ``whisper-normalizer`` package, deliberately: that package adds
"kinda", "sorta", "dunno" and "cause" expansions that neither Whisper in ``transformers`` nor the
leaderboard has, so ``english`` leaves those words alone. Newer leaderboard revisions (time
expressions, name folding, acronym joining, more fillers) are not in ``english@1``; adopting them
is a new preset version.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files

from transformers.models.whisper.english_normalizer import (
    BasicTextNormalizer,
    EnglishTextNormalizer,
    remove_symbols_and_diacritics,
)

from ffasr_eval.errors import ScoringError

# open_asr_leaderboard normalizer/english_abbreviations.py puts these three entries in front of the
# Whisper spelling list.
_LEADERBOARD_SPELLINGS = {"ok": "okay", "kay": "okay", "etcetera": "etc"}

# open_asr_leaderboard normalizer/normalizer.py, EnglishTextNormalizer.__call__: the extras it
# runs before and after Whisper's bracket/filler/apostrophe steps.
_ELLIPSES = ((re.compile(r"\.{3,}\s*$"), ""), (re.compile(r"\s*\.{3,}\s*"), " "))
_ABBREVIATIONS = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"\b([a-z])\.([a-z])\.([a-z])\.s\b", r"\1\2\3s"),  # a.b.c.s -> abcs
        (r"\b([a-z])\.([a-z])\.([a-z])\.([a-z])\.?\b", r"\1\2\3\4"),  # a.b.c.d. -> abcd
        (r"\b([a-z])\.([a-z])\.([a-z])\.?\b", r"\1\2\3"),  # a.b.c. -> abc
        (r"\b([a-z])\.([a-z])\.?\b", r"\1\2"),  # a.b. -> ab
        (
            r"\b([a-z])\.\s+([a-z])\.\s+([a-z])\.\s+([a-z])\.\b",
            r"\1\2\3\4",
        ),  # a. b. c. d.
        (r"\b([a-z])\.\s+([a-z])\.\s+([a-z])\.\b", r"\1\2\3"),  # a. b. c.
        (r"\b([a-z])\.\s+([a-z])\.\b", r"\1\2"),  # a. b.
        (r"\b([a-z])\.([a-z])\.([a-z])\.'s\b", r"\1\2\3s"),  # a.b.c.'s -> abcs
    )
)
_BRACKETS = re.compile(r"[<\[][^>\]]*[>\]]")
_PARENTHESES = re.compile(r"\(([^)]+?)\)")
_SPACE_APOSTROPHE = re.compile(r"\s+'")
_DIGIT_COMMA = re.compile(r"(\d),(\d)")
_PERIOD = re.compile(r"\.([^0-9]|$)")
_CURRENCY = re.compile(r"[.$¢€£]([^0-9])")
_PERCENT = re.compile(r"([^0-9])%")
_SPACES = re.compile(r"\s+")
_NUMERIC_SYMBOLS = ".%$¢€£"
# For ASCII text, Whisper's remove_symbols_and_diacritics is a per-character table lookup (NFKD
# leaves ASCII unchanged, no ASCII character is a combining mark): punctuation and symbols become
# spaces. The table gives the same output without a Python call per character.
_ASCII_SYMBOLS = str.maketrans(
    {
        c: " "
        for c in map(chr, range(128))
        if unicodedata.category(c)[0] in "MSP" and c not in _NUMERIC_SYMBOLS
    }
)


def _remove_symbols(text: str) -> str:
    if text.isascii():
        return text.translate(_ASCII_SYMBOLS)
    return remove_symbols_and_diacritics(text, keep=_NUMERIC_SYMBOLS)


class _LeaderboardEnglish(EnglishTextNormalizer):
    """Whisper's ``EnglishTextNormalizer`` with the Open ASR Leaderboard's extras, in its order.

    The Whisper steps, contraction table, number and spelling normalizers are the ones
    ``transformers`` ships (the leaderboard's file is a copy of them); this class only adds the
    leaderboard's ellipsis and abbreviation steps and runs the patterns precompiled.
    """

    def __init__(self, spellings: dict[str, str]) -> None:
        super().__init__(spellings)
        self._fillers = re.compile(self.ignore_patterns)
        self._replacers = tuple((re.compile(p), r) for p, r in self.replacers.items())
        # No replacement writes an apostrophe, so text without one skips the patterns that need it.
        self._replacers_no_apostrophe = tuple(
            (pattern, r) for pattern, r in self._replacers if "'" not in pattern.pattern
        )

    def __call__(self, s: str) -> str:
        s = s.lower()
        if "." in s:
            for pattern, replacement in _ELLIPSES:
                s = pattern.sub(replacement, s)
        s = _BRACKETS.sub("", s)
        s = _PARENTHESES.sub("", s)
        s = self._fillers.sub("", s)
        s = _SPACE_APOSTROPHE.sub("'", s)
        if "." in s:
            for pattern, replacement in _ABBREVIATIONS:
                s = pattern.sub(replacement, s)
        replacers = self._replacers if "'" in s else self._replacers_no_apostrophe
        for pattern, replacement in replacers:
            s = pattern.sub(replacement, s)
        s = _DIGIT_COMMA.sub(r"\1\2", s)
        s = _PERIOD.sub(r" \1", s)
        s = _remove_symbols(s)
        s = self.standardize_numbers(s)
        s = self.standardize_spellings(s)
        s = _CURRENCY.sub(r" \1", s)
        s = _PERCENT.sub(r"\1 ", s)
        return _SPACES.sub(" ", s)


@dataclass(frozen=True)
class Normalizer:
    """A named, versioned text normalizer; record ``str(normalizer)`` (``english@1``) with scores.

    Attributes:
        name: Preset name, e.g. ``english``.
        version: Preset version; bumped whenever the output for some input changes.
        description: One line saying what the preset does.

    Example:
        >>> norm = get_normalizer("english")
        >>> norm("Mr. Smith's colour TV cost $5.")
        'mister smith is color tv cost $5'
        >>> str(norm)
        'english@1'
    """

    name: str
    version: int
    description: str
    _function: Callable[[str], str] = field(repr=False, compare=False)

    def __call__(self, text: str) -> str:
        """Normalize one transcript."""
        return self._function(text)

    def __str__(self) -> str:
        return f"{self.name}@{self.version}"


def _english() -> Callable[[str], str]:
    mapping_file = files("whisper_normalizer").joinpath("normalizers/english.json")
    spellings = {
        **_LEADERBOARD_SPELLINGS,
        **json.loads(mapping_file.read_text(encoding="utf-8")),
    }
    english = _LeaderboardEnglish(spellings)
    return lambda text: english(text).strip()


def _basic() -> Callable[[str], str]:
    basic = BasicTextNormalizer()
    return lambda text: basic(text).strip()


def _identity() -> Callable[[str], str]:
    return lambda text: " ".join(text.split())


_PRESETS: dict[str, tuple[int, str, Callable[[], Callable[[str], str]]]] = {
    "english": (
        1,
        "Open ASR Leaderboard English normalizer (Whisper EnglishTextNormalizer + leaderboard extras)",
        _english,
    ),
    "basic": (
        1,
        "Whisper BasicTextNormalizer: lower-case, drop bracketed words, symbols and punctuation",
        _basic,
    ),
    "none": (1, "identity apart from collapsing whitespace", _identity),
}


def preset_names() -> list[str]:
    """Names of the known normalizer presets.

    Example:
        >>> preset_names()
        ['basic', 'english', 'none']
    """
    return sorted(_PRESETS)


def get_normalizer(name: str) -> Normalizer:
    """Return the (cached) normalizer for a preset name, optionally pinned as ``name@version``.

    Args:
        name: ``english``, ``basic`` or ``none``; ``english@1`` also works and checks the version.

    Raises:
        ScoringError: The preset or version is unknown.

    Example:
        >>> get_normalizer("basic")("Hello, World!")
        'hello world'
    """
    preset, _, pinned = name.partition("@")
    if preset not in _PRESETS:
        raise ScoringError(
            f"unknown normalizer preset {name!r}; known presets: {', '.join(preset_names())}"
        )
    version = _PRESETS[preset][0]
    if pinned and pinned != str(version):
        raise ScoringError(
            f"normalizer {name!r} asks for version {pinned}, but this ffasr-eval has "
            f"{preset}@{version}; install the ffasr-eval release that provides it"
        )
    return _build(preset)


@cache
def _build(preset: str) -> Normalizer:
    version, description, factory = _PRESETS[preset]
    return Normalizer(preset, version, description, factory())


def normalize(text: str, preset: str = "english") -> str:
    """Normalize a transcript with a named preset.

    Args:
        text: Raw reference or hypothesis text.
        preset: Preset name (see `preset_names`).

    Returns:
        The normalized text: single spaces, no leading or trailing space.

    Raises:
        ScoringError: The preset is unknown.

    Example:
        >>> normalize("I won't pay twenty one dollars [noise]")
        'i will not pay $21'
    """
    return get_normalizer(preset)(text)
