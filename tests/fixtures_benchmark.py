"""Fixtures that build tiny benchmarks with the real builder (star-imported by conftest.py).

    tiny_benchmark (session): a benchmark folder with every condition, 2 synthetic utterances
        each (piper speech, pyroomacoustics rooms), built once per test session.
"""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def tiny_benchmark(tmp_path_factory) -> Path:
    from ffasr_eval.data import build_benchmark

    out = tmp_path_factory.mktemp("tiny-benchmark")
    build_benchmark("synth", out, n_utterances=2, seed=0, jobs=1, progress=False, name="FFASR-tiny")
    return out
