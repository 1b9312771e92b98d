"""The benchmark builder on real synthetic speech and real room simulation."""

from __future__ import annotations

import numpy as np
import pytest
from click.testing import CliRunner
from datasets import Audio, load_dataset

from ffasr_eval._cli.main import cli
from ffasr_eval.data import CONDITIONS, build_benchmark, push_benchmark
from ffasr_eval.data._acoustics import direct_delay_s, rt60
from ffasr_eval.data._simulate import FS, RT60_TOLERANCE, make_room, mix_at_snr, moving_reverb, noise, rng_for
from ffasr_eval.errors import DataError


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("bench")
    return build_benchmark("synth", out, n_utterances=2, seed=3, jobs=2, progress=False)


def test_same_seed_gives_identical_bytes_whatever_the_jobs(built, tmp_path) -> None:
    again = build_benchmark("synth", tmp_path, n_utterances=2, seed=3, jobs=1, progress=False,
                            conditions=["far_snr5", "moving"])
    for config in again.configs:
        name = f"data/{config}/test-00000-of-00001.parquet"
        assert (tmp_path / name).read_bytes() == (built.out_dir / name).read_bytes()


def test_the_built_folder_loads_with_datasets_and_validates(built) -> None:
    dataset = load_dataset(str(built.out_dir), "far_snr10", split="test").cast_column("audio", Audio(decode=False))
    row = dataset[0]
    assert row["audio"]["bytes"][:4] == b"fLaC" and row["snr_db"] == 10.0 and row["phonemes_ipa"]
    assert isinstance(dataset.features["audio"], Audio)
    result = CliRunner().invoke(cli, ["validate", str(built.out_dir / "eval.yaml")])
    assert result.exit_code == 0, result.output
    card = (built.out_dir / "README.md").read_text()
    assert "config_name: moving" in card and "| `far_snr0` |" in card


@pytest.mark.parametrize("snr", [20.0, 5.0, 0.0])
@pytest.mark.parametrize("kind", ["white", "pink", "babble"])
def test_mixtures_hit_the_target_snr(kind, snr) -> None:
    rng = rng_for(0, kind, snr)
    speech = rng.standard_normal(FS) * np.hanning(FS)
    interference = noise(kind, FS, rng, [rng.standard_normal(FS // 2)])
    mixture = mix_at_snr(speech, interference, snr)
    measured = 10 * np.log10(np.mean(speech**2) / np.mean((mixture - speech) ** 2))
    assert measured == pytest.approx(snr, abs=0.5)


@pytest.mark.parametrize("condition", ["near_field", "far_snr5"])
def test_measured_rt60_is_within_tolerance_of_the_target(condition) -> None:
    room = make_room(CONDITIONS[condition], seed=1, index=0)
    low, high = CONDITIONS[condition].rt60_s
    assert low <= room.rt60_target <= high
    measured = rt60(room.rir((1.0, 1.0, 1.6)), FS)
    assert abs(measured - room.rt60_target) <= RT60_TOLERANCE * room.rt60_target * 1.2


def test_a_moving_source_changes_its_direct_path_delay() -> None:
    room = make_room(CONDITIONS["moving"], seed=2, index=0)
    start = (0.8, 0.8, 1.6)
    end = (room.dims[0] - 0.8, room.dims[1] - 0.8, 1.6)
    _, rirs = moving_reverb(np.zeros(2 * FS, dtype=np.float32), room, start, end)
    delays = [direct_delay_s(r, FS) for r in rirs]
    assert len(rirs) >= 8 and abs(delays[-1] - delays[0]) > 0.001  # > 34 cm of path difference


def test_a_broken_file_in_a_manifest_is_named(tmp_path) -> None:
    (tmp_path / "manifest.csv").write_text("path,text\nbroken.wav,hello world\n")
    (tmp_path / "broken.wav").write_bytes(b"RIFF nonsense")
    with pytest.raises(DataError, match="broken.wav"):
        build_benchmark(str(tmp_path), tmp_path / "out", n_utterances=1, progress=False)


def test_push_uploads_the_folder_to_the_hub(built, make_hub_user) -> None:
    owner = make_hub_user()
    sha = push_benchmark(built.out_dir, f"{owner.name}/bench", token=owner.token, endpoint=owner.api.endpoint)
    files = owner.api.list_repo_files(f"{owner.name}/bench", repo_type="dataset", revision=sha)
    assert {"eval.yaml", "README.md", "data/moving/test-00000-of-00001.parquet"} <= set(files)
