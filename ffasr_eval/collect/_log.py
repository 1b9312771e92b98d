"""The submissions log: every result version ever seen and every decision, as JSON lines.

``leaderboard/submissions.jsonl`` in the benchmark dataset repo is append-only: a collect adds
events for what changed since the log's last word on each result, and never rewrites a line.
Events:

- ``observed``: a result appeared (who submitted it, who signed it, its values, status, flags);
- ``updated``: its status, table state or flags changed (e.g. a key was revoked, a peer arrived);
- ``withdrawn``: it is no longer on the Hub (its PR was closed, or the file changed);
- ``decision``: a maintainer approved or rejected it (`ffasr-eval moderate`), with the reason.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Literal

from ffasr_eval.collect._leaderboard import Decision, Leaderboard, Rejection, Row

#: Path of the log in the benchmark dataset repo.
LOG_PATH = "leaderboard/submissions.jsonl"


def parse_log(text: str) -> list[dict]:
    """The events of a log (lines that are not JSON objects are skipped, never rewritten).

    Example:
        >>> parse_log('{"event": "observed", "id": "r-1"}\\n')
        [{'event': 'observed', 'id': 'r-1'}]
    """
    events = []
    for line in text.splitlines():
        try:
            event = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(event, dict) and isinstance(event.get("id"), str):
            events.append(event)
    return events


def append_events(text: str, events: Iterable[dict]) -> str:
    """The log text with `events` appended (existing bytes untouched)."""
    lines = "".join(json.dumps(e, sort_keys=True, ensure_ascii=False) + "\n" for e in events)
    if text and not text.endswith("\n"):
        text += "\n"
    return text + lines


def decisions(events: Iterable[dict]) -> dict[str, Decision]:
    """The latest maintainer decision per result id."""
    found = {}
    for event in events:
        if event.get("event") == "decision":
            found[event["id"]] = Decision(event["action"], event.get("reason", ""), event.get("by", "?"), event.get("at", ""))
    return found


def decision_event(result_id: str, action: Literal["approve", "reject"], reason: str, *, by: str, at: str) -> dict:
    """A ``decision`` event."""
    return {"event": "decision", "id": result_id, "action": action, "reason": reason, "by": by, "at": at}


def new_events(
    events: Iterable[dict], board: Leaderboard, *, open_prs: Mapping[str, set[int]], at: str, collector: str
) -> list[dict]:
    """Events describing what changed between the log and the current leaderboard.

    Args:
        events: The log so far.
        board: The leaderboard just computed.
        open_prs: Model repo -> its open PR numbers (to say why a result was withdrawn).
        at: Time of this collect (ISO-8601).
        collector: Who ran the collect.
    """
    last: dict[str, dict] = {}
    for event in events:
        if event.get("event") in ("observed", "updated", "withdrawn"):
            last[event["id"]] = event
    current: dict[str, dict] = {row.id: _row_event(row) for row in board.rows}
    current.update({rejection.id: _rejection_event(rejection) for rejection in board.rejections})
    out = []
    for result_id, event in current.items():
        before = last.get(result_id)
        if before is None or before["event"] == "withdrawn":
            out.append({"event": "observed", "at": at, "collector": collector, **event})
        elif any(before.get(k) != event[k] for k in ("status", "state", "flags", "reason")):
            out.append({"event": "updated", "at": at, "collector": collector, **event})
    for result_id, before in last.items():
        if before["event"] != "withdrawn" and result_id not in current:
            pr = before.get("pr")
            if pr is not None and pr not in open_prs.get(before["model"], set()):
                why = f"PR #{pr} was closed"
            else:
                why = f"the file changed or was removed on {before.get('ref', 'main')}"
            out.append({
                "event": "withdrawn", "at": at, "collector": collector, "id": result_id, "model": before["model"],
                "ref": before.get("ref"), "pr": pr, "reason": why,
            })
    return out


def _row_event(row: Row) -> dict:
    return {
        "id": row.id, "model": row.model, "ref": row.ref, "pr": row.pr, "submitter": row.submitter,
        "evaluator": row.evaluator, "status": row.status, "state": row.state, "reason": None,
        "values": row.values, "rtfx": row.rtfx, "flags": row.flag_codes, "flag_messages": row.flags,
        "suspicion": row.suspicion, "model_revision": row.model_revision, "dataset_revision": row.dataset_revision,
        "source_url": row.source_url,
    }


def _rejection_event(rejection: Rejection) -> dict:
    return {
        "id": rejection.id, "model": rejection.model, "ref": rejection.ref, "pr": rejection.pr,
        "submitter": rejection.submitter, "status": "invalid", "state": "invalid", "reason": rejection.reason,
        "flags": [], "source_url": rejection.source_url,
    }
