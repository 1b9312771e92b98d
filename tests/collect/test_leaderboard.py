"""Ranking, latest-per-model, moderation states, base-model view, and the published forms."""

from __future__ import annotations

import dataclasses
import io
import json
import random

import pyarrow.parquet as pq
import pytest
from collect_helpers import DATASET, entries_for, rates, summary

from ffasr_eval.collect import (
    END_MARKER,
    START_MARKER,
    Decision,
    ModelFacts,
    build_leaderboard,
    flag_results,
    pareto_front,
    render_pareto,
    render_section,
    update_readme,
)
from ffasr_eval.collect._render import to_json, to_parquet
from ffasr_eval.collect._verify import check_result
from ffasr_eval.errors import CollectError

SHA = "a" * 40


@pytest.fixture
def result(keys, benchmark, make_record):
    def make(model, near, *, key="official", day=0, rtfx=8.0):
        key_obj = getattr(keys, key) if key else None
        entries = entries_for(
            summary(rates(near), day=day, rtfx=rtfx), model_repo=model, model_revision=SHA, dataset_id=DATASET,
            dataset_revision="d" * 40, key=key_obj, role="official" if key == "official" else "community",
        )
        return check_result(make_record(model, entries), benchmark, history={SHA})

    return make


def _board(results, benchmark, *, facts=None, decisions=None):
    flags = flag_results(results, facts or {}, benchmark)
    return build_leaderboard(results, flags, facts or {}, decisions or {}, benchmark, endpoint="http://hub")


def test_lower_wer_ranks_first_and_direction_follows_the_benchmark(result, benchmark) -> None:
    results = [result("a/mid", 0.20), result("a/best", 0.10), result("a/worst", 0.30)]
    assert [r.model for r in _board(results, benchmark).main_table()] == ["a/best", "a/mid", "a/worst"]
    higher = dataclasses.replace(benchmark, lower_is_better=False)
    assert [r.model for r in _board(results, higher).main_table()] == ["a/worst", "a/mid", "a/best"]
    assert [r.rank for r in _board(results, benchmark).main_table()] == [1, 2, 3]


def test_latest_most_trusted_result_per_model_is_ranked_and_older_ones_linked(result, benchmark) -> None:
    old_verified = result("a/m", 0.20, day=0)
    new_signed = result("a/m", 0.10, key="community", day=5)
    newer_verified = result("a/m", 0.15, day=3)
    board = _board([old_verified, new_signed, newer_verified], benchmark)
    (ranked,) = board.main_table()
    assert ranked.id == newer_verified.id
    assert ranked.older == [new_signed.id, old_verified.id]  # newest first


def test_flagged_results_are_held_until_approved_and_rejected_ones_leave(result, benchmark) -> None:
    good = result("a/good", 0.10)
    odd = result("a/odd", 0.10)
    odd.values["far_snr0"] = 1.0  # far-field better than near-field (unit-test shortcut on the checked values)
    board = _board([good, odd], benchmark)
    assert [r.model for r in board.main_table()] == ["a/good"]
    assert [r.id for r in board.held()] == [odd.id]
    assert board.row(odd.id).flags and board.row(odd.id).suspicion == 0.5

    approve = {odd.id: Decision("approve", "checked the log", "maint", "t")}
    assert [r.model for r in _board([good, odd], benchmark, decisions=approve).main_table()] == ["a/good", "a/odd"]
    reject = {good.id: Decision("reject", "trained on test audio", "maint", "t")}
    board = _board([good, odd], benchmark, decisions=reject)
    assert board.main_table() == [] and board.row(good.id).state == "rejected"
    assert "trained on test audio" in board.row(good.id).decision


def test_base_models_only_view_skips_fine_tunes(result, benchmark) -> None:
    results = [result("a/base", 0.20), result("a/ft", 0.10), result("b/base", 0.30)]
    facts = {"a/ft": ModelFacts(base_models=("a/base",))}
    board = _board(results, benchmark, facts=facts)
    assert [(r.model, r.rank) for r in board.main_table()] == [("a/ft", 1), ("a/base", 2), ("b/base", 3)]
    assert [(r.model, r.base_rank) for r in board.main_table(base_models_only=True)] == [("a/base", 1), ("b/base", 2)]


def test_invalid_results_become_rejections_with_reason(result, benchmark) -> None:
    bad = result("a/bad", 0.1)
    bad = bad.model_copy(update={"status": "invalid", "reason": "near_field: value 1 differs from the signed value 10"})
    board = _board([result("a/ok", 0.2), bad], benchmark)
    assert [r.model for r in board.rows] == ["a/ok"]
    assert [(r.id, r.reason) for r in board.rejections] == [(bad.id, bad.reason)]


README_CASES = [
    ("no markers: appended", "---\nconfigs: []\n---\n# Bench\n",
     f"---\nconfigs: []\n---\n# Bench\n\n{START_MARKER}\nNEW\n{END_MARKER}\n"),
    ("markers: only the inside changes", f"# B\n{START_MARKER}\nold\n{END_MARKER}\nfooter\n",
     f"# B\n{START_MARKER}\nNEW\n{END_MARKER}\nfooter\n"),
]


@pytest.mark.parametrize(("name", "readme", "expected"), README_CASES, ids=[c[0] for c in README_CASES])
def test_readme_section_replaced_between_markers(name, readme, expected) -> None:
    assert update_readme(readme, "NEW") == expected


@pytest.mark.parametrize("readme", [f"{START_MARKER} only", f"{END_MARKER}\n{START_MARKER}"])
def test_broken_markers_are_refused(readme) -> None:
    with pytest.raises(CollectError, match="broken leaderboard block"):
        update_readme(readme, "NEW")


PARETO_CASES = [
    ([], []),
    ([(10.0, 20.0)], [0]),
    ([(10.0, 20.0), (5.0, 10.0), (4.0, 30.0), (20.0, 25.0)], [0, 1, 3]),
    ([(10.0, 10.0), (10.0, 10.0)], [0, 1]),  # ties dominate nobody
    ([(1.0, 5.0), (2.0, 5.0)], [1]),  # same WER, faster wins
]


@pytest.mark.parametrize(("points", "front"), PARETO_CASES)
def test_pareto_front(points, front) -> None:
    assert pareto_front(points) == front


def test_pareto_front_equals_the_definition_on_random_points_with_ties() -> None:
    rng = random.Random(0)
    for _ in range(200):
        points = [(float(rng.randint(1, 6)), float(rng.randint(1, 6))) for _ in range(rng.randint(0, 12))]
        beaten = {i for i, (s, e) in enumerate(points) for t, f in points if t >= s and f <= e and (t > s or f < e)}
        assert pareto_front(points) == [i for i in range(len(points)) if i not in beaten]


def test_published_forms_hold_the_table(result, benchmark) -> None:
    results = [result("a/one", 0.1), result("a/two", 0.2, key="community", rtfx=30.0)]
    board = _board(results, benchmark)
    table = pq.read_table(io.BytesIO(to_parquet(board))).to_pylist()
    assert [(r["rank"], r["model"], r["average"], r["badges"]) for r in table] == [
        (1, "a/one", results[0].average, ["verified"]), (2, "a/two", results[1].average, ["signed"])
    ]
    assert [(r["rank"], r["model"]) for r in json.loads(to_json(board))["rows"]] == [(1, "a/one"), (2, "a/two")]
    section = render_section(board, endpoint="http://hub")
    first_row = next(line for line in section.splitlines() if line.startswith("| 1 |"))
    assert "[a/one](http://hub/a/one)" in first_row and "✅ verified" in first_row
    assert f"{results[0].average:.2f}" in first_row
    png = render_pareto(board)
    assert png.startswith(b"\x89PNG") and len(png) > 10_000
