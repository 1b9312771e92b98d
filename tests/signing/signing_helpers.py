"""Constants shared by the signing/results/submit tests (the run, model and benchmark they use)."""

from __future__ import annotations

WORD_TASKS = ["near_field", "far_snr20", "far_snr10", "far_snr5", "far_snr0", "moving"]
#: Task -> error rate (fraction): the numbers of a plausible far-field run.
RATES = {"near_field": 0.081234, "far_snr20": 0.123456, "far_snr10": 0.2, "far_snr5": 0.31, "far_snr0": 0.52,
         "moving": 0.27, "phonemes": 0.15}
DATASET = "ffasr/far-field-bench"
DATASET_SHA = "d" * 40
MODEL = "alice/asr-model"
MODEL_SHA = "a" * 40
PROFILE = "cpu-2c"
#: The eval log every `make_payload` result names, and its content.
LOG_PATH = "eval_logs/far-field-bench/run/run.eval"
LOG_BYTES = b"PK-standing-in-for-an-inspect-log"

