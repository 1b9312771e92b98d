"""The eval.yaml benchmark definition: load, validate and write it (pydantic models).

An eval.yaml has two layers, checked separately:

* the **Hub core** the Hub validates at push time: ``name``, ``description``,
  ``evaluation_framework`` and ``tasks[{id, config, split}]`` (`HubSpec`, `HubTask`);
* what **this toolkit** needs to run it: Inspect-style task fields (``field_spec``, ``solvers``,
  ``scorers``) and the ``ffasr`` extension block (`EvalSpec`, `TaskSpec`, `FFASRExtension`).

`check_spec` reports both layers (a file can be valid for the Hub but not runnable here);
`load_spec` returns a runnable `EvalSpec` or raises `SpecError` naming the file, field and line.

Example:
    >>> spec = load_spec("eval.yaml")
    >>> [task.id for task in spec.tasks][:2], spec.ffasr.timing.batch_size
    (['near_field', 'far_snr20'], 1)
"""

from __future__ import annotations

import re
import typing
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)
from pydantic_core import PydanticCustomError

from ffasr_eval._templates import template_path
from ffasr_eval._yaml_lines import LineMap, YamlSyntaxError, parse_yaml
from ffasr_eval.errors import ScoringError, SpecError

__all__ = [
    "HUB_EVALUATION_FRAMEWORKS",
    "EvalSpec",
    "FFASRExtension",
    "FieldSpec",
    "HardwareSpec",
    "HubSpec",
    "HubTask",
    "MetricSpec",
    "ScorerSpec",
    "SolverSpec",
    "SpecIssue",
    "SpecReport",
    "TaskSpec",
    "TimingSpec",
    "check_spec",
    "check_text",
    "load_spec",
    "spec_for_configs",
]

#: Values of ``evaluation_framework`` the Hub accepts. The Hub keeps this enumeration in
#: huggingface.js (``packages/tasks/src/eval.ts``, ``EVALUATION_FRAMEWORKS``; this copy is from commit
#: 0589d130abd3393e9a68066f4e90ca2e7397b4ec) and the Hub documentation ("Eval.yaml specification")
#: points there. A file naming another one of these is valid for the Hub but not runnable by ffasr-eval.
HUB_EVALUATION_FRAMEWORKS: tuple[str, ...] = (
    "apex-evals", "archipelago", "claw-eval", "exgentic", "harbor", "inspect-ai", "math-arena", "mdpbench",
    "mteb", "nemo-evaluator", "olmocr-bench", "open-asr-leaderboard", "parsebench", "screenspot-pro",
    "swe-bench", "swe-bench-pro", "video-mme-v2", "wildclawbench", "yc-bench",
)

#: Hub task ids. The Hub documents no charset; its own documentation uses ``MathArena/aime_2026``,
#: so '/'-separated parts are accepted. We keep each part conservative (a letter or digit, then
#: letters, digits, ``_ . -``) and the whole id at most 96 characters.
HUB_TASK_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]*(/[A-Za-z0-9][A-Za-z0-9_.-]*)*$"

#: Task ids ffasr-eval can run: one such part, no '/', because the id also names Inspect tasks, log
#: files and ``hf/<repo>/<task>`` task specs.
TASK_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"
TASK_ID_MAX_LENGTH = 96

#: Split names: the rule of `datasets` (``datasets.splits``): word characters, dot-separated.
SPLIT_PATTERN = r"^\w+(\.\w+)*$"

#: Scorers this toolkit implements (``ffasr_eval.scoring``) and the metric ids it reports.
SCORERS: tuple[str, ...] = ("wer", "cer", "per", "pwed")
METRICS: tuple[str, ...] = (*SCORERS, "rtfx")

#: The benchmark template that `spec_for_configs` fills.
TEMPLATE_PATH = template_path("eval.yaml")

_Text = Annotated[str, StringConstraints(min_length=1)]
_M = typing.TypeVar("_M", bound=BaseModel)


def _check_hub_task_id(value: str) -> str:
    if len(value) > TASK_ID_MAX_LENGTH or not re.fullmatch(HUB_TASK_ID_PATTERN, value):
        raise PydanticCustomError(
            "task_id",
            "task id '{value}' is not allowed by the Hub charset: use a letter or digit, then letters, digits, "
            "'_', '.' or '-' (parts may be joined by '/'; at most 96 characters), e.g. 'far_snr5'",
            {"value": value},
        )
    return value


def _check_task_id(value: str) -> str:
    if not re.fullmatch(TASK_ID_PATTERN, value):  # the Hub rule (length included) has already run
        raise PydanticCustomError(
            "task_id",
            "task id '{value}' has a '/': ffasr-eval uses task ids in Inspect task and log file names, "
            "so use letters, digits, '_', '.' or '-' only, e.g. '{suggestion}'",
            {"value": value, "suggestion": value.replace("/", "_")},
        )
    return value


def _check_split(value: str) -> str:
    if not re.fullmatch(SPLIT_PATTERN, value):
        raise PydanticCustomError(
            "split_name", "split '{value}' is not a dataset split name (letters, digits, '_'), e.g. 'test'", {"value": value}
        )
    return value


def _check_file_name(value: str) -> str:
    if "/" in value or "\\" in value or value in {".", ".."} or not value.endswith((".yaml", ".yml")):
        raise PydanticCustomError(
            "file_name", "expected a .yaml file name next to eval.yaml, e.g. 'evaluators.yaml'; got '{value}'", {"value": value}
        )
    return value


class _Model(BaseModel):
    # strict: YAML gives real types, so `split: 5` or `batch_size: "1"` are errors, not coerced.
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


# --------------------------------------------------------------------------- Hub core


class HubTask(BaseModel):
    """The Hub-core fields of one task (other fields are allowed and ignored here).

    As on the Hub, ``config`` may be left out (the dataset's default config) and ``split``
    defaults to ``test``.
    """

    model_config = ConfigDict(strict=True, extra="allow", frozen=True)

    id: Annotated[str, AfterValidator(_check_hub_task_id)]
    config: _Text | None = None
    split: Annotated[str, AfterValidator(_check_split)] = "test"


class HubSpec(BaseModel):
    """The Hub-core fields of eval.yaml: what the Hub checks when the file is pushed."""

    model_config = ConfigDict(strict=True, extra="allow", frozen=True)

    name: _Text
    description: _Text
    evaluation_framework: Literal[HUB_EVALUATION_FRAMEWORKS]  # type: ignore[valid-type]
    tasks: Annotated[list[HubTask], Field(min_length=1)]

    @model_validator(mode="after")
    def _unique_task_ids(self) -> HubSpec:
        first: dict[str, int] = {}
        for index, task in enumerate(self.tasks):
            if task.id in first:
                raise PydanticCustomError(
                    "duplicate_task_id",
                    "task id '{id}' is used twice (tasks[{first}] and tasks[{index}]); every task id must be unique",
                    {"id": task.id, "first": first[task.id], "index": index, "at": ("tasks", index, "id")},
                )
            first[task.id] = index
        return self


# --------------------------------------------------------------------------- runnable spec


class FieldSpec(_Model):
    """Which dataset columns feed a task: audio input, reference target, metadata to keep."""

    input: _Text
    target: _Text
    metadata: list[_Text] = Field(default_factory=list, exclude_if=lambda value: not value)


class SolverSpec(_Model):
    """A solver of a task; ``transcribe`` sends the audio to the model and keeps its text."""

    name: Literal["transcribe"]
    args: dict[str, Any] = Field(default_factory=dict, exclude_if=lambda value: not value)


class ScorerSpec(_Model):
    """A scorer of a task: ``wer``, ``cer``, ``per`` or ``pwed``; ``args.normalizer`` names a preset."""

    name: Literal[SCORERS]  # type: ignore[valid-type]
    args: dict[str, Any] = Field(default_factory=dict, exclude_if=lambda value: not value)

    @model_validator(mode="after")
    def _known_args(self) -> ScorerSpec:
        unknown = sorted(set(self.args) - {"normalizer"})
        if unknown:
            raise PydanticCustomError(
                "scorer_args", "unknown scorer argument '{name}'; scorers take only 'normalizer'",
                {"name": unknown[0], "at": ("args", unknown[0])},
            )
        preset = self.args.get("normalizer")
        if preset is not None:
            _check_normalizer(preset)
        return self


def _check_normalizer(preset: object) -> None:
    if not isinstance(preset, str):
        raise PydanticCustomError(
            "normalizer", "expected a normalizer preset name (a string), got '{preset}'", {"preset": preset, "at": ("args", "normalizer")}
        )
    # Imported here: the scoring library loads jiwer and panphon.
    from ffasr_eval.scoring import get_normalizer

    try:
        get_normalizer(preset)
    except ScoringError as exc:
        raise PydanticCustomError(
            "normalizer", "normalizer '{preset}' is not usable: {reason}", {"preset": preset, "reason": str(exc), "at": ("args", "normalizer")}
        ) from exc


class TaskSpec(HubTask, _Model):
    """One task = one leaderboard column = one dataset config and split.

    Attributes:
        id: Task id (Hub charset), also the ``task_id`` of result entries.
        config: Dataset config name (required here: benchmark datasets have one config per condition).
        split: Dataset split name (default ``test``, as on the Hub).
        field_spec: Input (audio), target (reference text or phonemes) and metadata columns.
        solvers: At least one solver (``transcribe``).
        scorers: At least one scorer; the first one gives the task's leaderboard value.
    """

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)

    id: Annotated[str, AfterValidator(_check_hub_task_id), AfterValidator(_check_task_id)]
    config: _Text
    field_spec: FieldSpec
    solvers: Annotated[list[SolverSpec], Field(min_length=1)]
    scorers: Annotated[list[ScorerSpec], Field(min_length=1)]


class MetricSpec(_Model):
    """A metric the leaderboard shows: its id, direction, whether it ranks, and its unit."""

    id: Literal[METRICS]  # type: ignore[valid-type]
    lower_is_better: bool
    primary: bool = Field(False, exclude_if=lambda value: not value)
    unit: str | None = Field(None, exclude_if=lambda value: value is None)


class TimingSpec(_Model):
    """Timing rules every result states: batch size and warm-up samples run and discarded."""

    batch_size: Annotated[int, Field(ge=1)]
    warmup_samples: Annotated[int, Field(ge=0)]


class HardwareSpec(_Model):
    """The hardware profile RTFx is comparable on, e.g. ``cpu-2c`` (accelerator null) or ``a10g``."""

    profile: _Text
    accelerator: str | None


class FFASRExtension(_Model):
    """The ``ffasr`` block: everything the Hub core cannot say.

    Attributes:
        version: Version of this block's format (1).
        metrics: Metrics with their direction; exactly one is primary.
        average: Task ids whose primary values are averaged (unweighted) into ``average``.
        timing: Batch size and warm-up samples.
        hardware: Hardware profile of official (verified) runs.
        trusted_keys: File next to eval.yaml with the trusted evaluator keys.
    """

    version: Literal[1]
    metrics: Annotated[list[MetricSpec], Field(min_length=1)]
    average: list[str] = Field(default_factory=list)
    timing: TimingSpec
    hardware: HardwareSpec
    trusted_keys: Annotated[str, AfterValidator(_check_file_name)] = "evaluators.yaml"

    @model_validator(mode="after")
    def _consistent_metrics(self) -> FFASRExtension:
        ids = [metric.id for metric in self.metrics]
        for index, metric_id in enumerate(ids):
            if metric_id in ids[:index]:
                raise PydanticCustomError(
                    "duplicate_metric", "metric '{id}' is listed twice", {"id": metric_id, "at": ("metrics", index, "id")}
                )
        if sum(metric.primary for metric in self.metrics) != 1:
            raise PydanticCustomError(
                "primary_metric", "exactly one metric must have primary: true (it ranks the leaderboard)", {"at": ("metrics",)}
            )
        for index, task_id in enumerate(self.average):
            if task_id in self.average[:index]:
                raise PydanticCustomError(
                    "duplicate_average", "task '{id}' is averaged twice", {"id": task_id, "at": ("average", index)}
                )
        return self


class EvalSpec(HubSpec, _Model):
    """A runnable eval.yaml: the Hub core, Inspect-style tasks and the ``ffasr`` extension.

    Example:
        >>> spec = load_spec("eval.yaml")
        >>> spec.ffasr.average[0], spec.tasks[0].scorers[0].name
        ('near_field', 'wer')
        >>> load_spec(spec.dump("/tmp/copy.yaml")) == spec
        True
    """

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)

    evaluation_framework: Literal["inspect-ai"]
    tasks: Annotated[list[TaskSpec], Field(min_length=1)]
    ffasr: FFASRExtension

    @model_validator(mode="after")
    def _average_names_tasks(self) -> EvalSpec:
        scorer_of = {task.id: task.scorers[0].name for task in self.tasks}
        for index, task_id in enumerate(self.ffasr.average):
            if task_id not in scorer_of:
                raise PydanticCustomError(
                    "unknown_task",
                    "names task '{id}', which is not in tasks (task ids: {known})",
                    {"id": task_id, "known": ", ".join(scorer_of), "at": ("ffasr", "average", index)},
                )
        averaged = {scorer_of[task_id] for task_id in self.ffasr.average}
        if len(averaged) > 1:
            raise PydanticCustomError(
                "mixed_average",
                "averages tasks scored with different metrics ({metrics}); average only tasks whose first scorer is the same",
                {"metrics": ", ".join(sorted(averaged)), "at": ("ffasr", "average")},
            )
        return self

    def task(self, task_id: str) -> TaskSpec:
        """The task with this id.

        Raises:
            SpecError: If there is no such task.
        """
        for task in self.tasks:
            if task.id == task_id:
                return task
        raise SpecError(f"no task {task_id!r}; tasks are {', '.join(t.id for t in self.tasks)}", field="tasks")

    def to_yaml(self) -> str:
        """This spec as eval.yaml text, keys in the order of the format (empty optional fields left out).

        Example:
            >>> print(load_spec("eval.yaml").to_yaml().splitlines()[0])
            name: FFASR
        """
        data = self.model_dump(mode="json")
        return yaml.safe_dump(data, sort_keys=False, default_flow_style=None, allow_unicode=True, width=160)

    def dump(self, path: str | Path) -> Path:
        """Write this spec to `path` (eval.yaml text) and return the path.

        Example:
            >>> load_spec("eval.yaml").dump("/tmp/eval.yaml")
            PosixPath('/tmp/eval.yaml')
        """
        path = Path(path)
        path.write_text(self.to_yaml(), encoding="utf-8")
        return path


# --------------------------------------------------------------------------- checking


@dataclass(frozen=True)
class SpecIssue:
    """One problem in an eval.yaml file.

    Attributes:
        field: Field path such as ``tasks[2].id`` ("" for the whole file).
        message: What was expected and what was found.
        line: 1-based line in the file, if known.
    """

    field: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"line {self.line}: " if self.line is not None else ""
        return f"{where}{self.field or '<file>'}: {self.message}"


@dataclass(frozen=True)
class SpecReport:
    """The result of `check_spec`: Hub-core and runnable findings, kept apart.

    Attributes:
        path: The file checked (None for text).
        spec: The runnable spec, when there are no errors at all.
        hub_errors: Problems the Hub would reject the file for.
        runnable_errors: Further problems that stop ffasr-eval from running the file (the only
            ones when the file is valid for the Hub).
    """

    path: str | None
    spec: EvalSpec | None
    hub_errors: tuple[SpecIssue, ...] = ()
    runnable_errors: tuple[SpecIssue, ...] = ()

    @property
    def hub_valid(self) -> bool:
        """True when the Hub-core rules hold."""
        return not self.hub_errors

    @property
    def runnable(self) -> bool:
        """True when ffasr-eval can run the file (implies `hub_valid`)."""
        return self.spec is not None

    def error(self) -> SpecError | None:
        """The first problem as a `SpecError` (None if the file is runnable)."""
        if self.hub_errors:
            issue, prefix = self.hub_errors[0], ""
        elif self.runnable_errors:
            issue = self.runnable_errors[0]
            prefix = "valid for the Hub, but not runnable by ffasr-eval: "
        else:
            return None
        more = len(self.hub_errors) + len(self.runnable_errors) - 1
        suffix = f" (and {more} more problem{'s' * (more > 1)}: run `ffasr-eval validate` to list all)" if more else ""
        return SpecError(prefix + issue.message + suffix, path=self.path, field=issue.field or None, line=issue.line)


def check_spec(path: str | Path) -> SpecReport:
    """Check an eval.yaml file against the Hub-core rules and the runnable rules, separately.

    Args:
        path: The eval.yaml file.

    Raises:
        SpecError: If the file cannot be read.

    Example:
        >>> report = check_spec("eval.yaml")
        >>> report.hub_valid, report.runnable
        (True, True)
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise SpecError("no such file; give the path of a benchmark's eval.yaml", path=path) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise SpecError(f"cannot read the file: {exc}", path=path) from exc
    return check_text(text, path=str(path))


def check_text(text: str, *, path: str | None = None) -> SpecReport:
    """Like `check_spec`, for eval.yaml text; `path` is only used in messages."""
    try:
        data, lines = parse_yaml(text)
    except YamlSyntaxError as exc:
        return SpecReport(path, None, hub_errors=(SpecIssue("", exc.message, exc.line),))
    if not isinstance(data, dict):
        found = "an empty file" if data is None else f"a {type(data).__name__}"
        return SpecReport(path, None, hub_errors=(SpecIssue("", f"expected a mapping of fields (name, tasks, ...), got {found}", 1),))
    _, hub_errors = _validate(HubSpec, data, lines)
    spec, runnable_all = _validate(EvalSpec, data, lines)
    seen = {issue.field for issue in hub_errors}
    runnable_errors = tuple(issue for issue in runnable_all if issue.field not in seen)
    return SpecReport(path, spec if not hub_errors else None, hub_errors, runnable_errors)


def load_spec(path: str | Path) -> EvalSpec:
    """Load a runnable eval.yaml.

    Raises:
        SpecError: Naming the file, field path, line and what was expected, if the file is not
            valid for the Hub or not runnable by ffasr-eval.

    Example:
        >>> spec = load_spec("eval.yaml")
        >>> spec.name, len(spec.tasks)
        ('FFASR', 7)
    """
    report = check_spec(path)
    error = report.error()
    if error is not None:
        raise error
    assert report.spec is not None
    return report.spec


def spec_for_configs(
    configs: Iterable[str],
    *,
    name: str | None = None,
    description: str | None = None,
    split: str | None = None,
    template: str | Path = TEMPLATE_PATH,
) -> EvalSpec:
    """The benchmark template restricted to the dataset configs that were built.

    Keeps every template task whose ``config`` is in `configs` (the ``phonemes`` task reads
    ``near_field``) and drops averaged tasks that are gone.

    Args:
        configs: Names of the built dataset configs.
        name: Benchmark name (default: the template's).
        description: Benchmark description (default: the template's).
        split: Split every task reads (default: the template's), e.g. ``heldout``.
        template: The template eval.yaml.

    Raises:
        SpecError: If a config has no task in the template, or no task is left.

    Example:
        >>> spec = spec_for_configs(["near_field", "far_snr5"], name="Tiny FFASR")
        >>> [task.id for task in spec.tasks]
        ['near_field', 'far_snr5', 'phonemes']
    """
    base = load_spec(template)
    wanted = list(dict.fromkeys(configs))
    known = {task.config for task in base.tasks}
    unknown = [config for config in wanted if config not in known]
    if unknown:
        raise SpecError(
            f"no task reads config {unknown[0]!r}; the template's configs are {', '.join(sorted(known))}",
            path=template, field="tasks",
        )
    tasks = [task for task in base.tasks if task.config in wanted]
    if not tasks:
        raise SpecError("no configs given: a benchmark needs at least one task", path=template, field="tasks")
    kept = {task.id for task in tasks}
    data = base.model_dump()
    data.update(
        name=name if name is not None else base.name,
        description=description if description is not None else base.description,
        tasks=[{**task.model_dump(), **({"split": split} if split else {})} for task in tasks],
    )
    data["ffasr"]["average"] = [task_id for task_id in base.ffasr.average if task_id in kept]
    return EvalSpec.model_validate(data)


# --------------------------------------------------------------------------- error messages


def _validate(model: type[_M], data: dict[str, Any], lines: LineMap) -> tuple[_M | None, tuple[SpecIssue, ...]]:
    try:
        return model.model_validate(data), ()
    except ValidationError as exc:
        return None, _to_issues(exc, lines, model)


def _to_issues(exc: ValidationError, lines: LineMap, model: type[BaseModel]) -> tuple[SpecIssue, ...]:
    issues: dict[str, SpecIssue] = {}
    for error in exc.errors(include_url=False):
        ctx = error.get("ctx") or {}
        loc = tuple(error["loc"]) + tuple(ctx.get("at", ()))
        path = _field_path(loc)
        if path not in issues:  # one message per field
            message = _message(error, loc)
            if error["type"] == "extra_forbidden":
                message += f"; allowed fields here: {', '.join(_fields_at(model, loc[:-1]))}"
            issues[path] = SpecIssue(path, message, lines.line_of(loc))
    return tuple(issues.values())


def _fields_at(model: type[BaseModel], loc: Sequence[str | int]) -> list[str]:
    """Field names of the model found at `loc` inside `model` (following lists and Annotated)."""
    current: Any = model
    for part in loc:
        if isinstance(part, str):
            current = current.model_fields[part].annotation
        while typing.get_origin(current) in {list, typing.Annotated}:
            current = typing.get_args(current)[0]
    return list(current.model_fields)


def _field_path(loc: Sequence[str | int]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


_MISSING_HINTS = {
    "config": "ffasr-eval needs each task's dataset config, e.g. 'near_field'",
    "field_spec": "inspect-ai tasks need field_spec, e.g. {input: audio, target: text}",
    "solvers": "e.g. [{name: transcribe}]",
    "scorers": "e.g. [{name: wer, args: {normalizer: english}}]",
    "ffasr": "the ffasr extension block (version, metrics, average, timing, hardware, trusted_keys) is what lets "
    "ffasr-eval run and rank this benchmark",
    "accelerator": "use null for CPU-only profiles",
}

_TYPE_NAMES = {
    "string_type": "a string", "int_type": "an integer", "bool_type": "true or false", "list_type": "a list",
    "dict_type": "a mapping", "model_type": "a mapping", "model_attributes_type": "a mapping",
}


def _message(error: dict[str, Any], loc: Sequence[str | int]) -> str:
    kind, value = error["type"], error.get("input")
    name = next((str(part) for part in reversed(loc) if isinstance(part, str)), "")
    if kind == "missing":
        hint = _MISSING_HINTS.get(name)
        return f"required field {name!r} is missing" + (f": {hint}" if hint else "")
    if kind == "extra_forbidden":
        return f"unknown field {name!r}"
    if kind in _TYPE_NAMES:
        return f"expected {_TYPE_NAMES[kind]}, got {_describe(value)}"
    if kind == "literal_error":
        expected = error["ctx"]["expected"]
        if name == "evaluation_framework" and value in HUB_EVALUATION_FRAMEWORKS:
            return f"ffasr-eval runs only 'inspect-ai' benchmarks, this file names {value!r}"
        if name == "evaluation_framework":
            return (f"unknown evaluation_framework {value!r}: use 'inspect-ai' (the Hub accepts only its fixed list: "
                    f"{', '.join(HUB_EVALUATION_FRAMEWORKS)})")
        if name == "name" and len(loc) >= 3 and loc[-3] in {"scorers", "solvers"}:
            return f"unknown {str(loc[-3])[:-1]} {value!r}; expected {expected}"
        return f"expected {expected}, got {_describe(value)}"
    if kind == "string_too_short":
        return "expected a non-empty string"
    if kind == "too_short":
        return f"expected at least {error['ctx']['min_length']} item(s), got none"
    if kind in {"greater_than_equal", "greater_than"}:
        return f"expected an integer >= {error['ctx'].get('ge', error['ctx'].get('gt'))}, got {_describe(value)}"
    return error["msg"]


def _describe(value: object) -> str:
    kind = {str: "string", int: "integer", float: "number", bool: "boolean", list: "list", dict: "mapping"}.get(type(value))
    if value is None:
        return "null"
    shown = repr(value) if len(repr(value)) <= 40 else repr(value)[:37] + "..."
    return f"{kind or type(value).__name__} {shown}"
