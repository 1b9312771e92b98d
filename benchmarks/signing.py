"""Sign and verify throughput of result tokens (target: >= 2,000 verifications/s on one core).

Measures, in one run: raw Ed25519 verify (cryptography, the floor), `sign_payload`,
`open_token` on distinct tokens (full check: header, key, signature, claims), and
`verify_entries` on whole result files (7 tasks + average sharing one token).

    python benchmarks/signing.py [--tokens 2000]
"""

from __future__ import annotations

import argparse
import time
from datetime import datetime, timezone

from ffasr_eval.results import build_entries, build_payload
from ffasr_eval.signing import EvaluatorKey, EvaluatorRegistry, open_token, sign_payload, verify_entries
from ffasr_eval.summary import BenchmarkRef, HardwareInfo, ModelRef, NormalizerRef, RunSummary, TaskSummary, TimingRules

TARGET = 2000.0
TASKS = ["near_field", "far_snr20", "far_snr10", "far_snr5", "far_snr0", "moving", "phonemes"]


def summary(run: int) -> RunSummary:
    tasks = [
        TaskSummary(task_id=t, config=t, split="test", primary_metric="per" if t == "phonemes" else "wer",
                    value=0.05 + 0.01 * i + run * 1e-6, ci95=(0.0, 1.0), metrics={}, substitutions=1, deletions=0,
                    insertions=0, hits=9, reference_units=10, n_samples=100, audio_seconds=600.0,
                    transcribe_seconds=60.0, rtfx=10.0)
        for i, t in enumerate(TASKS)
    ]
    return RunSummary(
        run_id=f"run-{run}", created_at=datetime.now(timezone.utc),
        benchmark=BenchmarkRef(id="ffasr/bench", name="FFASR", revision="d" * 40),
        model=ModelRef(provider="sphinx", name="en-us"), tasks=tasks, average=0.075, average_tasks=TASKS[:6],
        rtfx=10.0, hardware=HardwareInfo(cpu="cpu", cores=2, ram_gb=8, profile="cpu-2c"),
        versions={"ffasr-eval": "0.1.0", "inspect-ai": "0.3.285", "torch": "2.13.0", "transformers": "5.23"},
        normalizer=NormalizerRef(name="english", version=1), timing=TimingRules(batch_size=1, warmup_samples=10),
    )


def rate(label: str, count: int, seconds: float, unit: str) -> float:
    per_second = count / seconds
    print(f"{label:<46} {per_second:>10,.0f} {unit}/s   ({count} in {seconds:.2f} s)")
    return per_second


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tokens", type=int, default=2000, help="distinct signed runs to verify")
    n = parser.parse_args().tokens

    key = EvaluatorKey.generate(owner="ffasr")
    registry = EvaluatorRegistry.model_validate({"evaluators": [key.evaluator_entry(role="official", hardware_profile="cpu-2c")]})
    payloads = [
        build_payload(summary(i), model_repo="ffasr/model", model_revision="a" * 40, dataset_id="ffasr/bench",
                      dataset_revision="d" * 40, eval_logs={"eval_logs/bench/run/log.eval": "0" * 64},
                      evaluator="ffasr", role="official")
        for i in range(n)
    ]

    message, public = b"x" * 1200, key.private_key.public_key()
    signature = key.private_key.sign(message)
    start = time.perf_counter()
    for _ in range(n):
        public.verify(signature, message)
    floor = rate("raw Ed25519 verify (cryptography)", n, time.perf_counter() - start, "verifications")

    start = time.perf_counter()
    tokens = [sign_payload(p, key) for p in payloads]
    rate("sign_payload", n, time.perf_counter() - start, "tokens")

    start = time.perf_counter()
    for token in tokens:
        open_token(token, registry)
    opened = rate("open_token (full check, distinct tokens)", n, time.perf_counter() - start, "verifications")

    files = [build_entries(p, verify_token=t) for p, t in zip(payloads, tokens)]
    start = time.perf_counter()
    statuses = set()
    for entries in files:
        statuses |= {v.status for v in verify_entries(entries, model_repo="ffasr/model", evaluators=registry,
                                                      benchmark_profile="cpu-2c", average_tasks=TASKS[:6])}
    elapsed = time.perf_counter() - start
    rate("verify_entries (whole files, 8 entries each)", n, elapsed, "files")
    rate("verify_entries", n * len(files[0]), elapsed, "entries")
    assert statuses == {"verified"}, statuses

    print(f"overhead of a full check over raw Ed25519: x{floor / opened:.1f}")
    verdict = "PASS" if opened >= TARGET else "FAIL"
    print(f"{verdict}: {opened:,.0f} verifications/s (target >= {TARGET:,.0f})")


if __name__ == "__main__":
    main()
