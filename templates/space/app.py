"""Gradio leaderboard Space for an ffasr-eval benchmark.

Reads what `ffasr-eval collect` published in the benchmark dataset repo
(``leaderboard/leaderboard.json`` and ``leaderboard/pareto.png``) through `huggingface_hub`,
and shows a sortable table with a condition selector, badge and base-model filters, the Pareto
plot, and links to each result's file, eval log and the submissions log.

Settings (Space variables / environment):
    BENCHMARK_REPO  dataset id of the benchmark (required), e.g. ffasr/far-field-bench
    BENCHMARK_REVISION  revision of the dataset to read (default main)
    HF_ENDPOINT     Hub address (default huggingface.co; a local `ffasr-eval hub serve` works too)
    HF_TOKEN        token for private benchmarks (optional)
    PORT            port to serve on (default 7860)
"""

from __future__ import annotations

import json
import math
import os

import gradio as gr
import pandas as pd
from huggingface_hub import HfApi
from huggingface_hub.errors import EntryNotFoundError

BADGES = {"verified": "✅ verified", "signed": "🔏 signed", "unsigned": "unsigned", "community": "👥 community"}
AVERAGE = "average"


def load(repo_id: str, api: HfApi, revision: str | None = None) -> tuple[dict, str | None]:
    """The published leaderboard and the local path of its Pareto plot (None if not published)."""
    path = api.hf_hub_download(repo_id, "leaderboard/leaderboard.json", repo_type="dataset", revision=revision)
    with open(path, encoding="utf-8") as handle:
        board = json.load(handle)
    try:
        plot = api.hf_hub_download(repo_id, "leaderboard/pareto.png", repo_type="dataset", revision=revision)
    except EntryNotFoundError:  # the table is still useful without the plot
        plot = None
    return board, plot


def table(board: dict, condition: str, badges: list[str], base_only: bool, pending: bool, endpoint: str) -> pd.DataFrame:
    """Rows of the shown table, ranked by `condition` in the benchmark's direction (best first)."""
    wanted = set(badges)
    rows = [
        r for r in board["rows"]
        if (r["latest"] if not pending else r["state"] == "held")
        and set(r["badges"]) & wanted
        and (r["is_base_model"] or not base_only)
    ]
    sign = 1 if board["lower_is_better"] else -1
    rows.sort(key=lambda r: (_missing(r["values"].get(condition)), sign * (r["values"].get(condition) or 0.0), r["model"]))
    log_url = f"{endpoint}/datasets/{board['benchmark']}/blob/main/leaderboard/submissions.jsonl"
    records = []
    for rank, row in enumerate(rows, start=1):
        record = {"#": rank, "Model": f"[{row['model']}]({endpoint}/{row['model']})"}
        record.update({_column(board, task): _round(row["values"].get(task)) for task in board["tasks"]})
        record["Average"] = _round(row["values"].get(AVERAGE))
        record["RTFx"] = _round(row["rtfx"], 1) if row["rtfx_comparable"] else None
        record["Badges"] = " ".join(BADGES[b] for b in row["badges"]) + (f" (PR #{row['pr']})" if row["pr"] else "")
        links = f"[file]({row['source_url']})" + (f" · [log]({row['log_url']})" if row["log_url"] else "")
        record["Result"] = links + f" · [history]({log_url}) `{row['id']}`"
        record["Flags"] = " ".join(row["flags"])
        records.append(record)
    columns = ["#", "Model", *(_column(board, task) for task in board["tasks"]), "Average", "RTFx", "Badges", "Result", "Flags"]
    return pd.DataFrame.from_records(records, columns=columns)


def _column(board: dict, task: str) -> str:
    metric = board["metrics"].get(task, "wer")
    return task if metric == "wer" else f"{task} ({metric.upper()})"


def _missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _round(value: float | None, digits: int = 2) -> float | None:
    return None if _missing(value) else round(value, digits)


def build(repo_id: str, endpoint: str | None = None, token: str | None = None, revision: str | None = None) -> gr.Blocks:
    """The leaderboard app for one benchmark."""
    api = HfApi(endpoint=endpoint, token=token)
    board, plot = load(repo_id, api, revision)
    web = api.endpoint
    conditions = [AVERAGE, *board["tasks"]]
    datatypes = ["number", "markdown", *["number"] * len(board["tasks"]), "number", "number", "str", "markdown", "str"]
    with gr.Blocks(title=f"{board['name']} leaderboard") as app:
        gr.Markdown(
            f"# {board['name']} leaderboard\n"
            f"WER in % ({'lower' if board['lower_is_better'] else 'higher'} is better) per condition; "
            f"RTFx timed at batch size 1 on `{board['profile']}` (blank when timed elsewhere). "
            f"Data: [{repo_id}]({web}/datasets/{repo_id}) · "
            f"[submissions log]({web}/datasets/{repo_id}/blob/main/leaderboard/submissions.jsonl)"
        )
        with gr.Row():
            condition = gr.Dropdown(conditions, value=AVERAGE, label="Rank by condition")
            badges = gr.CheckboxGroup(list(BADGES), value=list(BADGES), label="Badges")
            base_only = gr.Checkbox(False, label="Base models only")
            pending = gr.Checkbox(False, label="Show results awaiting review instead")
        frame = gr.Dataframe(
            table(board, AVERAGE, list(BADGES), False, False, web), datatype=datatypes, interactive=False,
            wrap=True, elem_id="leaderboard-table",
        )
        inputs = [condition, badges, base_only, pending]
        for control in inputs:
            control.change(lambda c, b, o, p: table(board, c, b, o, p, web), inputs, frame)
        if plot is not None:
            gr.Image(plot, label="Average WER vs RTFx (Pareto front highlighted)", type="filepath")
    return app


if __name__ == "__main__":
    app = build(
        os.environ["BENCHMARK_REPO"], os.environ.get("HF_ENDPOINT"), os.environ.get("HF_TOKEN"),
        os.environ.get("BENCHMARK_REVISION"),
    )
    app.launch(
        server_name="0.0.0.0", server_port=int(os.environ.get("PORT", "7860"))
    )
