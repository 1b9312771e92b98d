"""The published forms of a leaderboard: README section, ``leaderboard.json`` and ``.parquet``."""

from __future__ import annotations

import io
import json

import pyarrow as pa
import pyarrow.parquet as pq

from ffasr_eval._templates import render_template
from ffasr_eval.collect._leaderboard import Leaderboard, Row
from ffasr_eval.errors import CollectError

#: Markers delimiting the generated section in the dataset card; text outside them is kept.
START_MARKER = "<!-- leaderboard:start -->"
END_MARKER = "<!-- leaderboard:end -->"
#: Rows of each README table; the full table is in leaderboard.json / .parquet and the Space.
README_ROWS = 100
_BADGES = {"verified": "✅ verified", "signed": "🔏 signed", "unsigned": "unsigned", "community": "👥 community"}


def render_section(board: Leaderboard, *, endpoint: str) -> str:
    """The README leaderboard section (without markers), from ``templates/leaderboard_section.md``.

    Example:
        >>> print(render_section(board, endpoint="https://huggingface.co")[:15])
        ## Leaderboard
    """
    repo_url = f"{endpoint}/datasets/{board.benchmark}"
    base_rows = board.main_table(base_models_only=True)
    not_shown = [
        {"id": r.id, "model": r.model, "source_url": r.source_url, "reason": _cell(f"invalid: {r.reason}")}
        for r in board.rejections
    ] + [
        {"id": r.id, "model": r.model, "source_url": r.source_url, "reason": _cell(f"rejected: {r.decision}")}
        for r in board.rows if r.state == "rejected"
    ]
    return render_template(
        "leaderboard_section.md",
        CollectError,
        name=board.name,
        metric="WER" if board.lower_is_better else "score",
        direction="lower" if board.lower_is_better else "higher",
        profile=board.profile,
        main_table=_table(board, board.main_table(), rank_key="rank", endpoint=endpoint),
        base_table=_table(board, base_rows, rank_key="base_rank", endpoint=endpoint),
        base_count=len(base_rows),
        held=[
            {"id": r.id, "model": r.model, "source_url": r.source_url, "average": _number(r.values.get("average")),
             "suspicion": f"{r.suspicion:.2f}", "flags": _cell(" ".join(r.flags))}
            for r in board.held()[:README_ROWS]
        ],
        not_shown=not_shown[:README_ROWS],
        files_url=f"{repo_url}/resolve/main",
        blob_url=f"{repo_url}/blob/main",
    )


def update_readme(readme: str, section: str) -> str:
    """Put `section` between the leaderboard markers of a dataset card; append them if absent.

    Raises:
        CollectError: If only one marker is present or they are out of order (the card is not
            touched, so a hand edit is never overwritten by accident).

    Example:
        >>> update_readme("# Bench\\n", "table")
        '# Bench\\n\\n<!-- leaderboard:start -->\\ntable\\n<!-- leaderboard:end -->\\n'
    """
    start, end = readme.find(START_MARKER), readme.find(END_MARKER)
    block = f"{START_MARKER}\n{section.strip()}\n{END_MARKER}"
    if start == -1 and end == -1:
        return readme.rstrip("\n") + "\n\n" + block + "\n"
    if start == -1 or end == -1 or end < start:
        raise CollectError(
            f"README.md has a broken leaderboard block: it needs {START_MARKER} followed by {END_MARKER}; "
            "fix or remove the markers"
        )
    return readme[:start] + block + readme[end + len(END_MARKER):]


def to_json(board: Leaderboard) -> str:
    """``leaderboard.json`` text."""
    return json.dumps(board.to_dict(), sort_keys=True, ensure_ascii=False, separators=(",", ":")) + "\n"


def to_parquet(board: Leaderboard) -> bytes:
    """``leaderboard.parquet`` bytes: one row per valid result, one column per task."""
    rows = board.to_dict()["rows"]
    columns: dict[str, list] = {name: [] for name in _SCALARS}
    columns.update({task: [] for task in board.columns})
    for row in rows:
        for name in _SCALARS:
            columns[name].append(row[name])
        for task in board.columns:
            columns[task].append(row["values"].get(task))
    schema = pa.schema(
        [pa.field(name, kind) for name, kind in _SCALARS.items()] + [pa.field(task, pa.float64()) for task in board.columns]
    )
    table = pa.Table.from_pydict(columns, schema=schema)
    sink = io.BytesIO()
    pq.write_table(table, sink)
    return sink.getvalue()


_SCALARS = {
    "rank": pa.int64(), "base_rank": pa.int64(), "id": pa.string(), "model": pa.string(), "state": pa.string(),
    "latest": pa.bool_(), "status": pa.string(), "community": pa.bool_(), "badges": pa.list_(pa.string()),
    "ref": pa.string(), "pr": pa.int64(), "submitter": pa.string(), "evaluator": pa.string(),
    "model_revision": pa.string(), "dataset_revision": pa.string(), "date": pa.string(), "rtfx": pa.float64(),
    "rtfx_comparable": pa.bool_(), "hardware_profile": pa.string(), "parameters": pa.int64(),
    "base_models": pa.list_(pa.string()), "is_base_model": pa.bool_(), "flags": pa.list_(pa.string()),
    "flag_codes": pa.list_(pa.string()), "suspicion": pa.float64(), "decision": pa.string(),
    "source_url": pa.string(), "log_url": pa.string(), "older": pa.list_(pa.string()),
}


def _table(board: Leaderboard, rows: list[Row], *, rank_key: str, endpoint: str) -> str:
    if not rows:
        return "*No results yet.*"
    tasks = [task if board.metrics.get(task, "wer") == "wer" else f"{task} ({board.metrics[task].upper()})" for task in board.tasks]
    header = ["#", "Model", *tasks, "**Average**", "RTFx", "Badges", "Result"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for row in rows[:README_ROWS]:
        rtfx = _number(row.rtfx, digits=1)
        if row.rtfx is not None and not row.rtfx_comparable:
            rtfx = f"*{rtfx}*"
        links = f"[file]({row.source_url})" + (f" · [log]({row.log_url})" if row.log_url else "")
        if row.older:
            links += f" · {len(row.older)} older"
        if row.flags:
            links += " · ⚑ " + _cell(" ".join(row.flags))
        cells = [
            str(getattr(row, rank_key)),
            f"[{row.model}]({endpoint}/{row.model})",
            *(_number(row.values.get(t)) for t in board.tasks),
            f"**{_number(row.values.get('average'))}**",
            rtfx,
            " ".join(_BADGES[b] for b in row.badges) + (f" (PR #{row.pr})" if row.pr is not None else ""),
            links,
        ]
        lines.append("| " + " | ".join(cells) + " |")
    if len(rows) > README_ROWS:
        lines.append(f"\n*{len(rows) - README_ROWS} more in the full table below.*")
    return "\n".join(lines) + "\n"


def _number(value: float | None, *, digits: int = 2) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
