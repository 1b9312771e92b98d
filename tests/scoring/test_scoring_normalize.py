"""Normalizer presets: Whisper English normalizer behaviour plus the Open ASR Leaderboard extras."""

import pytest
from whisper_normalizer.english import EnglishTextNormalizer as WhisperEnglish

from ffasr_eval.errors import ScoringError
from ffasr_eval.scoring import Normalizer, get_normalizer, normalize, preset_names

# (raw text, expected output of the `english` preset); expectations follow the Whisper
# EnglishTextNormalizer rules (paper appendix C) as used by the Open ASR Leaderboard.
ENGLISH_CASES = [
    # spelled-out numbers -> digits
    ("twenty one", "21"),
    ("Twenty-one", "21"),
    ("one hundred and twenty three", "123"),
    ("two thousand and five", "2005"),
    ("one oh one", "101"),
    ("double seven", "77"),
    ("three point five", "3.5"),
    ("minus five degrees", "-5 degrees"),
    ("1,000,000 people", "1000000 people"),
    ("one", "one"),  # a lone "one" stays a word
    # ordinals and plurals
    ("the twenty first century", "the 21st century"),
    ("the third time", "the 3rd time"),
    ("nineteen sixties", "1960s"),
    ("the 1990s", "the 1990s"),
    # currencies and percent
    ("$5", "$5"),
    ("five dollars", "$5"),
    ("a hundred dollars", "a $100"),
    ("ten thousand dollars", "$10000"),
    ("$20 million", "$20000000"),
    ("two euros", "€2"),
    ("£3", "£3"),
    ("5 cents", "¢5"),
    ("fifty percent", "50%"),
    ("50%", "50%"),
    # contractions
    ("Won't", "will not"),
    ("can't", "can not"),
    ("I'm", "i am"),
    ("you're", "you are"),
    ("we've", "we have"),
    ("they'll", "they will"),
    ("he'd", "he would"),
    ("it's been", "it has been"),
    ("let's go", "let us go"),
    ("gonna", "going to"),
    ("wanna", "want to"),
    ("y'all", "you all"),
    ("Dr. Smith", "doctor smith"),
    ("Mr. Jones", "mister jones"),
    ("St. Louis", "saint louis"),
    # British -> American spelling
    ("colour", "color"),
    ("organise", "organize"),
    ("theatre", "theater"),
    ("travelled", "traveled"),
    ("aeroplane", "airplane"),
    # fillers and bracketed annotations
    ("uh I think", "i think"),
    ("um, well", "well"),
    ("hmm okay", "okay"),
    ("mm hmm", ""),
    ("[noise] hello", "hello"),
    ("hello (laughs) there", "hello there"),
    ("<unk> word", "word"),
    # symbols, diacritics, whitespace
    ("Hello, World!", "hello world"),
    ("A&B", "a b"),
    ("hyphen-ated word", "hyphen ated word"),
    ("Café", "cafe"),
    ("naïve", "naive"),
    ("a   b\t c\n", "a b c"),
    ("  leading and trailing  ", "leading and trailing"),
    # Open ASR Leaderboard extras: ellipses, dotted abbreviations, extra spellings
    ("Wait... what?", "wait what"),
    ("and then...", "and then"),
    ("The U.S.A. flag", "the usa flag"),
    ("the U.S. economy", "the us economy"),
    ("ok", "okay"),
    ("etcetera", "etc"),
]


@pytest.mark.parametrize(("raw", "expected"), ENGLISH_CASES)
def test_english_preset(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


def test_case_table_is_large_enough() -> None:
    assert len(ENGLISH_CASES) >= 40


@pytest.mark.parametrize(
    "raw", ["The U.S.A. flag", "the U.S. economy", "ok then", "etcetera"]
)
def test_leaderboard_extras_differ_from_plain_whisper(raw: str) -> None:
    assert normalize(raw) != " ".join(WhisperEnglish()(raw).split())


@pytest.mark.parametrize(
    "raw",
    [
        "I won't pay twenty one dollars.",
        "The colour of the theatre",
        "[noise] uh, it's 50%!",
    ],
)
def test_english_agrees_with_whisper_where_no_extra_applies(raw: str) -> None:
    assert normalize(raw) == " ".join(WhisperEnglish()(raw).split())


BASIC_CASES = [
    ("Hello, World!", "hello world"),
    ("[noise] twenty-one (laughs)", "twenty one"),
    ("Café au lait", "café au lait"),  # keeps diacritics, unlike english
    ("ðə kæt, sæt.", "ðə kæt sæt"),  # IPA letters survive, punctuation goes
    ("colour", "colour"),  # no spelling or number rules
]


@pytest.mark.parametrize(("raw", "expected"), BASIC_CASES)
def test_basic_preset(raw: str, expected: str) -> None:
    assert normalize(raw, "basic") == expected


def test_none_preset_only_collapses_whitespace() -> None:
    assert normalize("  Hello,\tWorld! ", "none") == "Hello, World!"


def test_normalizer_records_name_and_version() -> None:
    norm = get_normalizer("english")
    assert isinstance(norm, Normalizer)
    assert (norm.name, norm.version, str(norm)) == ("english", 1, "english@1")
    assert get_normalizer("english@1") is norm  # cached, pinned form accepted
    assert norm("Twenty one") == "21"


def test_unknown_preset_names_known_presets() -> None:
    with pytest.raises(ScoringError, match="known presets: basic, english, none"):
        normalize("x", "klingon")
    assert preset_names() == ["basic", "english", "none"]


def test_unknown_version_is_rejected() -> None:
    with pytest.raises(ScoringError, match="english@1"):
        get_normalizer("english@7")


def test_ascii_symbol_table_matches_whisper_symbol_removal() -> None:
    from transformers.models.whisper.english_normalizer import (
        remove_symbols_and_diacritics,
    )

    from ffasr_eval.scoring._normalize import _remove_symbols

    text = "".join(map(chr, range(128))) + " it's $5.50, 20% off & more!"
    assert _remove_symbols(text) == remove_symbols_and_diacritics(text, keep=".%$¢€£")
    assert _remove_symbols("naïve café") == remove_symbols_and_diacritics(
        "naïve café", keep=""
    )


FRAGMENTS = [
    "Mr. Smith's U.S.A. trip...",
    "I won't pay twenty-one dollars",
    "(laughs) the colour, uh, theatre",
    "ok, it's been 3.5% [noise]",
    "The F.B.I.'s agents",
    "A. B. C. news... etcetera",
    "gonna be 1,000",
    "two and a half pounds",
    "we'd gone to St. Louis",
    "y'all can't see <unk> her",
    "U. S. troops",
]


@pytest.mark.parametrize("first", FRAGMENTS)
def test_english_equals_leaderboard_steps_on_top_of_transformers(first: str) -> None:
    """The precompiled pipeline equals the plain composition: leaderboard pre-steps, then Whisper."""
    import json
    import re
    from importlib.resources import files

    from transformers.models.whisper.english_normalizer import EnglishTextNormalizer

    from ffasr_eval.scoring._normalize import _ABBREVIATIONS, _ELLIPSES

    spellings = {"ok": "okay", "kay": "okay", "etcetera": "etc"}
    spellings |= json.loads(
        files("whisper_normalizer").joinpath("normalizers/english.json").read_text()
    )
    whisper = EnglishTextNormalizer(spellings)

    def composed(text: str) -> str:
        text = text.lower()
        for pattern, replacement in _ELLIPSES:
            text = pattern.sub(replacement, text)
        text = re.sub(r"[<\[][^>\]]*[>\]]", "", text)
        text = re.sub(r"\(([^)]+?)\)", "", text)
        text = re.sub(whisper.ignore_patterns, "", text)
        text = re.sub(r"\s+'", "'", text)
        for pattern, replacement in _ABBREVIATIONS:
            text = pattern.sub(replacement, text)
        return whisper(text).strip()

    for second in FRAGMENTS:
        text = f"{first} {second}"
        assert normalize(text) == composed(text), text
