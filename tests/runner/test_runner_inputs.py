"""The runner's inputs: a Hub benchmark at a pinned revision, broken audio, a transformers model."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from ffasr_eval.runner import run_benchmark


def test_a_hub_benchmark_is_evaluated_at_one_recorded_revision(runner_benchmark, make_hub_user, tmp_path) -> None:
    owner = make_hub_user()
    repo_id = f"{owner.name}/tiny-ffasr"
    owner.api.create_repo(repo_id, repo_type="dataset")
    sha = owner.api.upload_folder(folder_path=runner_benchmark, repo_id=repo_id, repo_type="dataset").oid
    summary = run_benchmark(repo_id, "sphinx/en-us", out_dir=tmp_path, limit=1, tasks=["near_field"],
                            endpoint=owner.api.endpoint, token=owner.token)
    assert summary.benchmark.id == repo_id and summary.benchmark.revision == sha
    assert json.loads((tmp_path / "state.json").read_text())["revision"] == sha


def test_a_corrupt_audio_sample_is_a_scored_error_not_a_crash(runner_benchmark, tmp_path) -> None:
    bench = tmp_path / "bench"
    shutil.copytree(runner_benchmark, bench)
    path = bench / "data/near_field/test-00000-of-00001.parquet"
    rows = pq.read_table(path).to_pylist()
    rows[1]["audio"] = {"bytes": b"not flac at all", "path": "broken.flac"}
    pq.write_table(pa.Table.from_pylist(rows), path)
    summary = run_benchmark(bench, "sphinx/en-us", out_dir=tmp_path / "run", tasks=["near_field"])
    task = summary.task("near_field")
    assert task.n_samples == 3 and task.n_failed == 1
    # the broken sample's reference words all count as deletions
    assert task.deletions >= len(rows[1]["text"].split())


@pytest.fixture(scope="module")
def tiny_ctc_model(tmp_path_factory) -> Path:
    """A tiny, randomly initialised wav2vec2 CTC model saved like any Hub checkpoint."""
    from transformers import (
        Wav2Vec2Config,
        Wav2Vec2CTCTokenizer,
        Wav2Vec2FeatureExtractor,
        Wav2Vec2ForCTC,
        Wav2Vec2Processor,
    )

    folder = tmp_path_factory.mktemp("tiny-ctc")
    vocab = {"<pad>": 0, "<unk>": 1, "|": 2, **{c: i + 3 for i, c in enumerate("abcdefghijklmnopqrstuvwxyz'")}}
    (folder / "vocab.json").write_text(json.dumps(vocab))
    tokenizer = Wav2Vec2CTCTokenizer(str(folder / "vocab.json"), unk_token="<unk>", pad_token="<pad>",
                                     word_delimiter_token="|")
    extractor = Wav2Vec2FeatureExtractor(feature_size=1, sampling_rate=16000, padding_value=0.0,
                                         do_normalize=True, return_attention_mask=False)
    Wav2Vec2Processor(feature_extractor=extractor, tokenizer=tokenizer).save_pretrained(folder)
    config = Wav2Vec2Config(vocab_size=len(vocab), hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                            intermediate_size=64, conv_dim=(32, 32), conv_stride=(5, 4), conv_kernel=(10, 8),
                            num_conv_pos_embeddings=16, num_conv_pos_embedding_groups=2, pad_token_id=0)
    Wav2Vec2ForCTC(config).save_pretrained(folder)
    return folder


def test_a_transformers_pipeline_model_runs_through_the_real_loading_path(runner_benchmark, tiny_ctc_model,
                                                                          tmp_path) -> None:
    summary = run_benchmark(runner_benchmark, f"hf-asr/{tiny_ctc_model}", out_dir=tmp_path, limit=2,
                            tasks=["near_field"])
    task = summary.task("near_field")
    assert summary.model.provider == "hf-asr" and summary.model.repo_id is None  # a local path, not a Hub repo
    assert task.n_samples == 2 and task.transcribe_seconds > 0 and summary.hardware.torch
    assert task.value >= 0.9  # random weights: (almost) every word wrong
