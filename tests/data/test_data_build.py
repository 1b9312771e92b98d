"""The benchmark builder on real synthetic speech and real room simulation."""

from __future__ import annotations

import numpy as np
import pyarrow.parquet as pq
import pyroomacoustics as pra
import pytest
from click.testing import CliRunner
from datasets import Audio, load_dataset

from ffasr_eval._cli.main import cli
from ffasr_eval.data import CONDITIONS, build_benchmark, push_benchmark
from ffasr_eval.data._acoustics import direct_delay_s, rt60
from ffasr_eval.data._simulate import FS, MIXING_TIME_S, RT60_TOLERANCE, make_room, mix_at_snr, moving_reverb, \
    noise, rng_for
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
@pytest.mark.parametrize("kind", ["white", "pink", "babble", "diffuse"])
def test_mixtures_hit_the_target_snr(kind, snr) -> None:
    rng = rng_for(0, kind, snr)
    speech = rng.standard_normal(FS) * np.hanning(FS)
    room = make_room(CONDITIONS["far_snr5"], seed=0, index=0)
    interference = noise(kind, FS, rng, [rng.standard_normal(FS // 2)] * 2, room)
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


def test_impulse_responses_are_exact_image_sources_up_to_the_mixing_time() -> None:
    room = make_room(CONDITIONS["far_snr20"], seed=4, index=1)
    source = (1.0, 1.2, 1.6)
    shoebox = pra.ShoeBox(list(room.dims), fs=FS, materials=pra.Material(room.absorption), max_order=60)
    shoebox.add_source(list(source))
    shoebox.add_microphone(list(room.mic))
    shoebox.compute_rir()
    full = np.asarray(shoebox.rir[0][0])
    hybrid = room.rir(source, (1,))
    # The high-pass filter runs forwards and backwards over each whole response, so compare
    # before its edge effects at the truncation point.
    early = slice(0, int(0.8 * MIXING_TIME_S * FS))
    assert np.abs(hybrid[early] - full[early]).max() <= 0.01 * np.abs(full).max()
    assert not np.allclose(room.rir(source, (1,)), room.rir(source, (2,)))  # the tail follows its seed
    np.testing.assert_array_equal(room.rir(source, (1,)), hybrid)


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


def _table(folder, split="test", config="far_snr5"):
    return pq.read_table(folder / "data" / config / f"{split}-00000-of-00001.parquet")


def test_a_heldout_split_is_disjoint_and_renders_utterances_as_the_public_build_does(tmp_path) -> None:
    common = dict(n_utterances=6, seed=3, conditions=["far_snr5"], progress=False)
    public_only = build_benchmark("synth", tmp_path / "all", **common)
    report = build_benchmark("synth", tmp_path / "public", heldout_out=tmp_path / "heldout", heldout_fraction=0.34,
                             **common)
    assert (report.n_utterances, report.n_heldout) == (4, 2) and public_only.n_utterances == 6
    everything = {row["id"]: row["audio"]["bytes"] for row in _table(tmp_path / "all").to_pylist()}
    public, heldout = _table(tmp_path / "public").to_pylist(), _table(tmp_path / "heldout", "heldout").to_pylist()
    assert {r["id"] for r in public}.isdisjoint(r["id"] for r in heldout)
    assert all(everything[r["id"]] == r["audio"]["bytes"] for r in public + heldout)
    assert "Private held-out split" in (tmp_path / "heldout" / "README.md").read_text()
    assert not (tmp_path / "heldout" / "evaluators.yaml").exists()
    dataset = load_dataset(str(tmp_path / "heldout"), "far_snr5", split="heldout")
    assert len(dataset) == 2
    result = CliRunner().invoke(cli, ["validate", str(tmp_path / "heldout" / "eval.yaml")])
    assert result.exit_code == 0 and "split: heldout" in (tmp_path / "heldout" / "eval.yaml").read_text()


def test_a_heldout_fraction_that_leaves_no_heldout_candidate_is_refused(tmp_path) -> None:
    with pytest.raises(DataError, match="raise --n-utterances"):
        build_benchmark("synth", tmp_path / "p", n_utterances=4, heldout_out=tmp_path / "h", progress=False)
    assert not (tmp_path / "p").exists()


def test_a_hub_dataset_is_a_source_with_named_columns(built, make_hub_user, tmp_path) -> None:
    owner = make_hub_user()
    clean = _table(built.out_dir, config="near_field").rename_columns(
        ["sentence" if c == "text" else c for c in _table(built.out_dir, config="near_field").column_names])
    pq.write_table(clean, tmp_path / "test-00000-of-00001.parquet")
    owner.api.create_repo(f"{owner.name}/speech", repo_type="dataset")
    owner.api.upload_file(path_or_fileobj=str(tmp_path / "test-00000-of-00001.parquet"),
                          path_in_repo="data/test-00000-of-00001.parquet", repo_id=f"{owner.name}/speech",
                          repo_type="dataset")
    source = f"hub:{owner.name}/speech"
    with pytest.raises(DataError, match="no column 'text'.*sentence"):
        build_benchmark(source, tmp_path / "bad", n_utterances=2, conditions=["near_field"], progress=False)
    report = build_benchmark(source, tmp_path / "out", n_utterances=2, conditions=["near_field"], progress=False,
                             source_options={"text_column": "sentence"})
    rows = _table(tmp_path / "out", config="near_field").to_pylist()
    assert report.n_utterances == 2 and [r["text"] for r in rows] == clean.column("sentence").to_pylist()


def test_every_sample_lands_within_its_acoustic_targets(built) -> None:
    drr = {}
    for config in built.configs:
        rows = _table(built.out_dir, config=config).to_pylist()
        condition = CONDITIONS[config]
        for row in rows:
            assert abs(row["rt60_measured_s"] - row["rt60_target_s"]) <= RT60_TOLERANCE * row["rt60_target_s"], row["id"]
            assert condition.rt60_s[0] <= row["rt60_target_s"] <= condition.rt60_s[1]
            assert condition.distance_m[0] <= row["distance_m"] <= condition.distance_m[1]
            assert condition.speed_mps[0] <= row["source_speed_mps"] <= condition.speed_mps[1]
        drr[config] = np.mean([row["drr_db"] for row in rows])
    # The closer the talker, the more its direct sound dominates the room's reverberation.
    assert drr["near_field"] > max(drr[c] for c in built.configs if c != "near_field")


def test_the_far_field_snr_ladder_differs_only_in_snr(built) -> None:
    scene = ("room_dims", "source_pos", "mic_pos", "rt60_measured_s", "drr_db", "noise_type")
    ladder = [_table(built.out_dir, config=c).to_pylist() for c in ("far_snr20", "far_snr10", "far_snr5", "far_snr0")]
    for rows in zip(*ladder, strict=True):
        assert len({tuple(str(row[k]) for k in scene) for row in rows}) == 1
        assert [row["snr_db"] for row in rows] == [20.0, 10.0, 5.0, 0.0]
