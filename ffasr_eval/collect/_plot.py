"""``leaderboard/pareto.png``: average WER against RTFx, with the Pareto front highlighted."""

from __future__ import annotations

import io
import itertools
import math
from collections.abc import Sequence

from ffasr_eval.collect._leaderboard import Leaderboard, Row

#: At most this many points get a text label besides the Pareto front (the best-ranked ones).
MAX_LABELS = 12


def pareto_front(points: Sequence[tuple[float, float]]) -> list[int]:
    """Indices of the points no other point beats: (RTFx, WER), faster and lower both better.

    Example:
        >>> pareto_front([(10.0, 20.0), (5.0, 10.0), (4.0, 30.0), (20.0, 25.0)])
        [0, 1, 3]
    """
    front: list[int] = []
    best = math.inf  # lowest WER among the strictly faster points seen so far
    by_speed = sorted(range(len(points)), key=lambda i: -points[i][0])
    for _, group in itertools.groupby(by_speed, key=lambda i: points[i][0]):  # fastest first
        indices = list(group)
        lowest = min(points[i][1] for i in indices)
        if lowest < best:  # the lowest-WER points of an equally fast group are beaten by none
            front += [i for i in indices if points[i][1] == lowest]
            best = lowest
    return sorted(front)


def render_pareto(board: Leaderboard) -> bytes:
    """The Pareto plot of the main table as PNG bytes (matplotlib, Agg backend).

    Only results timed on the benchmark's hardware profile take part in the front; the others
    are drawn hollow, since their speed is not comparable.

    Example:
        >>> Path("pareto.png").write_bytes(render_pareto(board))
    """
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure
    from matplotlib.ticker import ScalarFormatter

    rows = [r for r in board.main_table() if r.rtfx and r.rtfx > 0 and r.values.get("average") is not None]
    comparable = [r for r in rows if r.rtfx_comparable]
    other = [r for r in rows if not r.rtfx_comparable]
    front = [comparable[i] for i in pareto_front([(r.rtfx, r.values["average"]) for r in comparable])]
    front.sort(key=lambda r: r.rtfx)

    figure = Figure(figsize=(9, 6), dpi=110, layout="constrained")
    axes = figure.add_subplot()
    axes.scatter([r.rtfx for r in comparable], [r.values["average"] for r in comparable], s=36, color="#4C72B0",
                 label=f"timed on {board.profile or 'the benchmark profile'}", zorder=2)
    if other:
        axes.scatter([r.rtfx for r in other], [r.values["average"] for r in other], s=36, facecolors="none",
                     edgecolors="#999999", label="other hardware (not comparable)", zorder=2)
    if front:
        axes.step([r.rtfx for r in front], [r.values["average"] for r in front], where="post", color="#DD8452",
                  linewidth=2, zorder=1)
        axes.scatter([r.rtfx for r in front], [r.values["average"] for r in front], s=90, color="#DD8452",
                     label="Pareto front", zorder=3)
    labelled = {r.id for r in front} | {r.id for r in rows[:MAX_LABELS]}
    axes.set_xscale("log")
    axes.xaxis.set_major_formatter(ScalarFormatter())
    axes.xaxis.set_minor_formatter(ScalarFormatter())
    axes.tick_params(axis="x", which="minor", labelsize=7)
    figure.canvas.draw()  # data -> pixel transforms are final only after a first layout
    placed: list[tuple[float, float]] = []
    for row in (r for r in rows if r.id in labelled):
        _label(axes, row, placed)
    axes.set_xlabel("RTFx (audio seconds per transcription second, log scale; right is faster)")
    axes.set_ylabel("average WER % (lower is better)")
    axes.set_title(f"{board.name}: accuracy vs speed ({len(rows)} models)")
    axes.grid(True, which="both", alpha=0.3)
    if rows:
        axes.legend(loc="upper right", fontsize=9)
    else:
        axes.text(0.5, 0.5, "no ranked results with RTFx yet", ha="center", va="center", transform=axes.transAxes)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


#: Label offsets (points) tried in turn until one does not overlap a label already placed.
_OFFSETS = [(6, 6), (6, -12), (-6, 6), (-6, -12), (6, 18), (6, -24), (-6, 18), (-6, -24)]


def _label(axes, row: Row, placed: list[tuple[float, float]]) -> None:
    """Annotate a point with its model name, at the first offset clear of earlier labels."""
    name = row.model.split("/")[-1]
    x, y = axes.transData.transform((row.rtfx, row.values["average"]))
    scale = axes.figure.dpi / 72
    width = 5.5 * len(name) * scale
    for dx, dy in _OFFSETS:
        left = x + dx * scale - (width if dx < 0 else 0)
        bottom = y + dy * scale
        if not any(abs(left - px) < width and abs(bottom - py) < 11 * scale for px, py in placed):
            break
    placed.append((left, bottom))
    axes.annotate(name, (row.rtfx, row.values["average"]), xytext=(dx, dy), textcoords="offset points", fontsize=8,
                  ha="right" if dx < 0 else "left",
                  bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.7})
