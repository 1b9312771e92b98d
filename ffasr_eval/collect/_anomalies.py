"""Anomaly flags and a suspicion score for each result, each flag explained in one sentence.

A flag does not mean a result is wrong: it means a maintainer should look before the result
enters the main table (``ffasr-eval moderate approve|reject``). The checks:

- ``far_below_near``: a far-field condition scored better than near-field speech. Distance,
  reverberation and noise only remove information, so this points at swapped or mislabelled
  conditions or a leaked test set.
- ``wer_outlier`` / ``rtfx_outlier``: average WER or RTFx far from models of similar size
  (modified z-score of Iglewicz & Hoaglin: median and MAD over the results of models within
  `SIZE_FACTOR` of the parameter count, judged only with at least `MIN_PEERS` other models).
- ``disagrees_with_verified``: a community result differs from an official (verified) result of
  the same model revision by more than the verified result's 95 % bootstrap interval.
- ``rtfx_implausible``: RTFx no machine of the declared hardware reaches at batch size 1, or an
  overall RTFx outside the range of the per-task RTFx it is the audio-weighted mean of.
- ``same_as_base``: a fine-tune (``base_model`` in its card) whose numbers equal its base model's.

The suspicion score combines the flags' weights as independent evidence: 1 - prod(1 - w).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from ffasr_eval.collect._benchmark import NEAR_FIELD_TASK, BenchmarkInfo
from ffasr_eval.collect._state import CheckedResult
from ffasr_eval.results import AVERAGE_TASK_ID

#: Models count as "of similar size" when their parameter counts differ by at most this factor.
SIZE_FACTOR = 4.0
#: Fewest peers a robust z-score is computed from.
MIN_PEERS = 5
#: Scale making the MAD a consistent estimator of a normal standard deviation (1 / Phi^-1(3/4)).
MAD_TO_SIGMA = 1.482602218505602
#: |robust z| above which a value is an outlier (Iglewicz & Hoaglin's 3.5).
Z_THRESHOLD = 3.5
#: Smallest spread used for the z-score, so that identical peers do not make every difference
#: infinite: WER in percentage points, RTFx in log10 units (a factor of 1.26).
MIN_SPREAD = {"wer": 0.5, "rtfx": 0.1}
#: Highest believable RTFx at batch size 1: per CPU core, and for any GPU.
MAX_RTFX_PER_CPU_CORE = 150.0
MAX_RTFX_GPU = 10_000.0
#: Values closer than this (percentage points) count as equal.
EQUAL_TOLERANCE = 1e-6
WEIGHTS = {
    "far_below_near": 0.5,
    "wer_outlier": 0.4,
    "rtfx_outlier": 0.4,
    "disagrees_with_verified": 0.8,
    "rtfx_implausible": 0.7,
    "same_as_base": 0.6,
}


@dataclass(frozen=True)
class Flag:
    """One reason to look at a result before showing it.

    Attributes:
        code: Machine-readable kind (a key of `WEIGHTS`).
        message: One sentence saying what was seen and why it is suspicious.
    """

    code: str
    message: str

    @property
    def weight(self) -> float:
        """How strongly this flag alone suggests a wrong result (0..1)."""
        return WEIGHTS[self.code]


@dataclass(frozen=True)
class ModelFacts:
    """What the model repo says about the model (card data and safetensors header)."""

    parameters: int | None = None
    base_models: tuple[str, ...] = ()


def suspicion(flags: Sequence[Flag]) -> float:
    """Combined suspicion score of some flags, in [0, 1].

    Example:
        >>> suspicion([Flag("far_below_near", "..."), Flag("wer_outlier", "...")])
        0.7
    """
    return round(1.0 - math.prod(1.0 - f.weight for f in flags), 3)


def flag_results(
    results: Sequence[CheckedResult], facts: Mapping[str, ModelFacts], benchmark: BenchmarkInfo
) -> dict[str, list[Flag]]:
    """Flags of every valid result (by result id; results without flags map to an empty list).

    Args:
        results: Verified, signed and unsigned results (invalid ones are never shown).
        facts: Model repo -> its size and base models.
        benchmark: The benchmark (tasks and hardware profile).

    Example:
        >>> flags = flag_results(results, {"alice/asr": ModelFacts(39_000_000)}, benchmark)
        >>> [f.code for f in flags[results[0].id]]
        ['far_below_near']
    """
    peers = _SizePeers(results, facts)
    by_repo: dict[str, list[CheckedResult]] = {}
    for result in results:
        by_repo.setdefault(result.model_repo, []).append(result)
    flags: dict[str, list[Flag]] = {}
    for result in results:
        model = facts.get(result.model_repo, ModelFacts())
        found = _far_below_near(result, benchmark)
        found += peers.outliers(result, model.parameters)
        found += _disagrees_with_verified(result, by_repo[result.model_repo])
        found += _rtfx_implausible(result)
        found += _same_as_base(result, {base: by_repo.get(base, []) for base in model.base_models})
        flags[result.id] = found
    return flags


def _far_below_near(result: CheckedResult, benchmark: BenchmarkInfo) -> list[Flag]:
    near = result.values.get(NEAR_FIELD_TASK)
    if near is None:
        return []
    below = [(t, result.values[t]) for t in benchmark.far_field_tasks if t in result.values and result.values[t] < near]
    if not below:
        return []
    shown = ", ".join(f"{task} {value:.2f} %" for task, value in below)
    return [Flag("far_below_near", (
        f"far-field WER below near-field WER {near:.2f} % ({shown}): added distance, reverberation and noise "
        "cannot make speech easier, so conditions may be swapped or the test audio leaked into training."
    ))]


class _SizePeers:
    """Robust z-scores of average WER and RTFx among models of similar size (sorted arrays)."""

    def __init__(self, results: Sequence[CheckedResult], facts: Mapping[str, ModelFacts]) -> None:
        sized = sorted(
            ((facts[r.model_repo].parameters, r) for r in results if r.model_repo in facts and facts[r.model_repo].parameters),
            key=lambda pair: pair[0],
        )
        codes: dict[str, int] = {}
        self._sizes = np.array([size for size, _ in sized], dtype=float)
        self._repos = np.array([codes.setdefault(r.model_repo, len(codes)) for _, r in sized], dtype=int)
        self._codes = codes
        self._wer = np.array([np.nan if r.average is None else r.average for _, r in sized], dtype=float)
        self._rtfx = np.array([math.log10(r.rtfx) if _comparable(r) else np.nan for _, r in sized], dtype=float)

    def outliers(self, result: CheckedResult, size: int | None) -> list[Flag]:
        if not size or result.model_repo not in self._codes:
            return []
        low = int(np.searchsorted(self._sizes, size / SIZE_FACTOR, side="left"))
        high = int(np.searchsorted(self._sizes, size * SIZE_FACTOR, side="right"))
        others = int(np.count_nonzero(self._repos[low:high] != self._codes[result.model_repo]))
        if others < MIN_PEERS:
            return []
        flags = []
        wer = self._z(result.average, low, high, "wer")
        if wer is not None:
            z, median, count = wer
            direction = "lower" if z < 0 else "higher"
            flags.append(Flag("wer_outlier", (
                f"average WER {result.average:.2f} % is far {direction} than the median {median:.2f} % of {count} "
                f"results of models of similar size ({_size(size)} params, robust z = {z:+.1f}): check the run or "
                "the model's size."
            )))
        if _comparable(result):
            rtfx = self._z(math.log10(result.rtfx), low, high, "rtfx")
            if rtfx is not None:
                z, median, count = rtfx
                direction = "faster" if z > 0 else "slower"
                flags.append(Flag("rtfx_outlier", (
                    f"RTFx {result.rtfx:g} is far {direction} than the median {10 ** median:.3g} of {count} results "
                    f"of models of similar size on the same hardware profile ({_size(size)} params, robust z = {z:+.1f})."
                )))
        return flags

    def _z(self, value: float | None, low: int, high: int, kind: str) -> tuple[float, float, int] | None:
        if value is None:
            return None
        median, spread, count = self._stats(low, high, kind)
        if count <= MIN_PEERS:  # the tested result itself is one of them
            return None
        z = (value - median) / spread
        return (z, median, count) if abs(z) > Z_THRESHOLD else None

    @functools.cache  # noqa: B019 - one instance per collect; windows repeat for models of equal size
    def _stats(self, low: int, high: int, kind: str) -> tuple[float, float, int]:
        """Median, robust spread and count of one size window (the tested result included, as usual)."""
        window = (self._wer if kind == "wer" else self._rtfx)[low:high]
        values = window[~np.isnan(window)]
        if not len(values):
            return math.nan, math.inf, 0
        median = float(np.median(values))
        mad = MAD_TO_SIGMA * float(np.median(np.abs(values - median)))  # scipy's median_abs_deviation(scale="normal")
        return median, max(mad, MIN_SPREAD[kind]), len(values)


def _comparable(result: CheckedResult) -> bool:
    return result.rtfx_comparable and result.rtfx is not None and result.rtfx > 0


def _disagrees_with_verified(result: CheckedResult, same_model: Sequence[CheckedResult]) -> list[Flag]:
    if result.status == "verified":
        return []
    references = [
        r for r in same_model
        if r.status == "verified" and (result.model_revision is None or r.model_revision == result.model_revision)
    ]
    flags = []
    for reference in references:
        differing = []
        for task, value in result.values.items():
            if task == AVERAGE_TASK_ID or task not in reference.ci95:
                continue
            low, high = reference.ci95[task]
            if not low - EQUAL_TOLERANCE <= value <= high + EQUAL_TOLERANCE:
                differing.append(f"{task} {value:.2f} % vs {reference.values[task]:.2f} % "
                                 f"(interval {low:.2f}–{high:.2f} %)")
        if differing:
            revision = (reference.model_revision or "")[:12]
            flags.append(Flag("disagrees_with_verified", (
                f"falls outside the 95 % bootstrap interval of the verified result {reference.id} of the same "
                f"model revision {revision}: {'; '.join(differing)}."
            )))
    return flags


def _rtfx_implausible(result: CheckedResult) -> list[Flag]:
    if result.rtfx is None:
        return []
    if result.rtfx <= 0:
        return [Flag("rtfx_implausible", f"RTFx {result.rtfx:g} is not positive: a transcription cannot take no or negative time.")]
    flags = []
    hardware = result.hardware
    if hardware is not None:
        ceiling = MAX_RTFX_GPU if hardware.gpu else MAX_RTFX_PER_CPU_CORE * max(hardware.cores, 1)
        machine = hardware.gpu or f"{hardware.cores} CPU cores"
        if result.rtfx > ceiling:
            flags.append(Flag("rtfx_implausible", (
                f"RTFx {result.rtfx:g} on {machine} ({hardware.profile or 'no profile'}) exceeds the {ceiling:g} "
                "believable at batch size 1: the clock may not cover inference, or the hardware is misdeclared."
            )))
        timed = [r for r in result.task_rtfx.values() if r > 0]
        if timed and not min(timed) * (1 - 1e-3) <= result.rtfx <= max(timed) * (1 + 1e-3):
            flags.append(Flag("rtfx_implausible", (
                f"overall RTFx {result.rtfx:g} lies outside the per-task range {min(timed):g}-{max(timed):g}, "
                "but an audio-weighted RTFx is always between its tasks' values."
            )))
    return flags


def _same_as_base(result: CheckedResult, base_results: Mapping[str, list[CheckedResult]]) -> list[Flag]:
    flags = []
    for base, others in base_results.items():
        for other in others:
            if base == result.model_repo:
                continue
            common = [t for t in result.values if t in other.values]
            if len(common) >= 2 and all(abs(result.values[t] - other.values[t]) <= EQUAL_TOLERANCE for t in common):
                flags.append(Flag("same_as_base", (
                    f"every value equals result {other.id} of its base model {base} ({len(common)} columns): a "
                    "fine-tune changes the weights, so these look like the base model's numbers copied."
                )))
                break
    return flags


def _size(parameters: int) -> str:
    for unit, scale in (("B", 1e9), ("M", 1e6), ("K", 1e3)):
        if parameters >= scale:
            return f"{parameters / scale:.3g}{unit}"
    return str(parameters)
