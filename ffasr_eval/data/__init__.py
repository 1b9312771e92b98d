"""The far-field benchmark builder: clean speech → simulated far-field conditions → a dataset repo.

Example:
    >>> report = build_benchmark("synth", "bench", n_utterances=20, seed=0)  # doctest: +SKIP
    >>> push_benchmark("bench", "ffasr/far-field-bench")  # doctest: +SKIP
"""

from ffasr_eval.data._build import BuildReport, build_benchmark, push_benchmark
from ffasr_eval.data._simulate import CONDITIONS, Condition

__all__ = ["CONDITIONS", "BuildReport", "Condition", "build_benchmark", "push_benchmark"]
