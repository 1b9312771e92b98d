"""Result-level verification and anomaly flags, on really signed results (no Hub needed)."""

from __future__ import annotations

import pytest
from collect_helpers import DATASET, entries_for, rates, summary

from ffasr_eval.collect import ModelFacts, flag_results, suspicion
from ffasr_eval.collect._verify import check_result

MODEL_SHA = "a" * 40
DATA_SHA = "d" * 40


def _entries(keys, model="alice/asr", *, key="official", role=None, run=None, model_revision=MODEL_SHA,
             dataset_revision=DATA_SHA, token_model=None):
    key_obj = getattr(keys, key) if key else None
    role = role or ("official" if key == "official" else "community")
    return entries_for(
        run or summary(rates(0.10)), model_repo=token_model or model, model_revision=model_revision,
        dataset_id=DATASET, dataset_revision=dataset_revision, key=key_obj, role=role,
    )


def _tamper(entries):
    entries[1].value = entries[1].value - 3.0
    return entries


VERIFY_CASES = [
    # (name, entries builder, expected status, words in the reason)
    ("official", lambda k: _entries(k), "verified", "all bindings hold"),
    ("community key", lambda k: _entries(k, key="community"), "signed", "community"),
    ("unknown key", lambda k: _entries(k, key="stranger"), "signed", "not in evaluators.yaml"),
    ("unsigned", lambda k: _entries(k, key=None), "unsigned", "no verifyToken"),
    ("official on other hardware", lambda k: _entries(k, run=summary(rates(0.1), profile="a10g")), "signed",
     "hardware profiles differ"),
    ("tampered value", lambda k: _tamper(_entries(k)), "invalid", "edited after signing"),
    ("token copied from another model", lambda k: _entries(k, token_model="bob/other"), "invalid", "copied token"),
    ("unpublished dataset revision", lambda k: _entries(k, dataset_revision="e" * 40), "invalid", "not a revision"),
    ("revoked key", lambda k: _entries(k, key="revoked"), "invalid", "revoked"),
    ("model revision not in the repo", lambda k: _entries(k, model_revision="f" * 40), "invalid", "not a revision of"),
]


@pytest.mark.parametrize(("name", "build", "status", "words"), VERIFY_CASES, ids=[c[0] for c in VERIFY_CASES])
def test_check_result_status_and_reason(keys, benchmark, make_record, name, build, status, words) -> None:
    checked = check_result(make_record("alice/asr", build(keys)), benchmark, history={MODEL_SHA})
    assert checked.status == status, checked.reason
    assert words in checked.reason


def test_rtfx_is_comparable_only_on_the_benchmark_profile(keys, benchmark, make_record) -> None:
    here = check_result(make_record("alice/asr", _entries(keys)), benchmark, history={MODEL_SHA})
    elsewhere = check_result(
        make_record("alice/asr", _entries(keys, key="community", run=summary(rates(0.1), profile="a10g"))),
        benchmark, history={MODEL_SHA},
    )
    unsigned = check_result(make_record("alice/asr", _entries(keys, key=None, run=summary(rates(0.1), rtfx=9.5))),
                            benchmark, history={MODEL_SHA})
    assert (here.rtfx, here.rtfx_comparable) == (8.0, True)
    assert elsewhere.rtfx_comparable is False
    assert (unsigned.rtfx, unsigned.rtfx_comparable) == (9.5, False)  # read from the notes, never comparable


def _checked(keys, benchmark, make_record, model, run, *, key="official", model_revision=MODEL_SHA, pr=None):
    entries = _entries(keys, model, key=key, run=run, model_revision=model_revision)
    record = make_record(model, entries, ref=f"refs/pr/{pr}" if pr else "main", pr=pr, submitter="carol" if pr else None)
    return check_result(record, benchmark, history={model_revision})


def _codes(flags, result):
    return [f.code for f in flags[result.id]]


def test_far_field_better_than_near_field_is_flagged(keys, benchmark, make_record) -> None:
    swapped = rates(0.10) | {"far_snr20": 0.05}
    normal = _checked(keys, benchmark, make_record, "alice/ok", summary(rates(0.10)))
    odd = _checked(keys, benchmark, make_record, "alice/odd", summary(swapped))
    flags = flag_results([normal, odd], {}, benchmark)
    assert _codes(flags, normal) == []
    assert _codes(flags, odd) == ["far_below_near"]
    assert "far_snr20 5.00 %" in flags[odd.id][0].message and "near-field WER 10.00 %" in flags[odd.id][0].message


def test_wer_far_from_models_of_similar_size_is_flagged(keys, benchmark, make_record) -> None:
    peers = [
        _checked(keys, benchmark, make_record, f"org/peer{i}", summary(rates(0.20 + 0.01 * i))) for i in range(6)
    ]
    cheat = _checked(keys, benchmark, make_record, "org/cheat", summary(rates(0.01)))
    big = _checked(keys, benchmark, make_record, "org/big", summary(rates(0.01)))
    facts = {r.model_repo: ModelFacts(parameters=40_000_000) for r in [*peers, cheat]}
    facts["org/big"] = ModelFacts(parameters=2_000_000_000)  # no peers of its size: not judged
    flags = flag_results([*peers, cheat, big], facts, benchmark)
    assert _codes(flags, cheat) == ["wer_outlier"]
    assert "far lower than the median" in flags[cheat.id][0].message and "40M params" in flags[cheat.id][0].message
    assert all(_codes(flags, p) == [] for p in peers)
    assert _codes(flags, big) == []


def test_rtfx_outlier_among_similar_sizes(keys, benchmark, make_record) -> None:
    peers = [_checked(keys, benchmark, make_record, f"org/p{i}", summary(rates(0.2), rtfx=10.0 + i)) for i in range(6)]
    fast = _checked(keys, benchmark, make_record, "org/fast", summary(rates(0.2), rtfx=250.0))
    facts = {r.model_repo: ModelFacts(parameters=1_000_000) for r in [*peers, fast]}
    flags = flag_results([*peers, fast], facts, benchmark)
    assert _codes(flags, fast) == ["rtfx_outlier"]
    assert "far faster" in flags[fast.id][0].message


RTFX_CASES = [
    ("believable", {"rtfx": 30.0}, []),
    ("too fast for 2 cores", {"rtfx": 5000.0}, ["rtfx_implausible"]),
    ("fine on a GPU", {"rtfx": 5000.0, "gpu": "NVIDIA A10G", "profile": "a10g"}, []),
    ("overall outside task range", {"rtfx": 50.0, "task_rtfx": {t: 10.0 for t in rates(0.1)}}, ["rtfx_implausible"]),
]


@pytest.mark.parametrize(("name", "args", "codes"), RTFX_CASES, ids=[c[0] for c in RTFX_CASES])
def test_rtfx_plausibility(keys, benchmark, make_record, name, args, codes) -> None:
    result = _checked(keys, benchmark, make_record, "alice/asr", summary(rates(0.1), **args), key="community")
    assert _codes(flag_results([result], {}, benchmark), result) == codes


def test_community_result_disagreeing_with_verified_is_flagged(keys, benchmark, make_record) -> None:
    verified = _checked(keys, benchmark, make_record, "alice/asr", summary(rates(0.10)))
    close = _checked(keys, benchmark, make_record, "alice/asr", summary(rates(0.103)), key="community", pr=1)
    far = _checked(keys, benchmark, make_record, "alice/asr", summary(rates(0.05)), key="community", pr=2)
    other_revision = _checked(keys, benchmark, make_record, "alice/asr", summary(rates(0.05)), key="community",
                              model_revision="b" * 40, pr=3)
    flags = flag_results([verified, close, far, other_revision], {}, benchmark)
    assert verified.status == "verified" and far.status == "signed"
    assert _codes(flags, close) == []
    assert _codes(flags, far) == ["disagrees_with_verified"]
    assert verified.id in flags[far.id][0].message and "near_field 5.00 % vs 10.00 %" in flags[far.id][0].message
    assert _codes(flags, other_revision) == []  # another model revision may well score differently


def test_fine_tune_with_its_base_models_numbers_is_flagged(keys, benchmark, make_record) -> None:
    base = _checked(keys, benchmark, make_record, "openai/base", summary(rates(0.12)))
    copy = _checked(keys, benchmark, make_record, "alice/ft-copy", summary(rates(0.12)), key="community")
    real = _checked(keys, benchmark, make_record, "alice/ft-real", summary(rates(0.09)), key="community")
    facts = {"alice/ft-copy": ModelFacts(base_models=("openai/base",)), "alice/ft-real": ModelFacts(base_models=("openai/base",))}
    flags = flag_results([base, copy, real], facts, benchmark)
    assert _codes(flags, copy) == ["same_as_base"]
    assert "openai/base" in flags[copy.id][0].message
    assert _codes(flags, real) == [] and _codes(flags, base) == []


def test_suspicion_combines_flags_as_independent_evidence() -> None:
    from ffasr_eval.collect import Flag

    assert suspicion([]) == 0.0
    assert suspicion([Flag("far_below_near", "x")]) == 0.5
    assert suspicion([Flag("far_below_near", "x"), Flag("wer_outlier", "y")]) == 0.7
