"""Entry point of the `ffasr-eval` command: a click group whose verbs are imported lazily.

Each verb lives in its own module (``ffasr_eval/_cli/<verb>.py``) and is imported only when it is
invoked, so ``ffasr-eval --help`` and light verbs stay fast even though ``run`` pulls in
Inspect, torch and friends.
"""

from __future__ import annotations

import importlib

import click

from ffasr_eval.errors import FFASRError

#: verb -> (module, attribute, one-line help shown by `ffasr-eval --help`)
COMMANDS: dict[str, tuple[str, str, str]] = {
    "hub": ("ffasr_eval._cli.hub", "hub", "Run the embedded Hub server and manage its users."),
    "validate": ("ffasr_eval._cli.validate", "validate", "Check an eval.yaml benchmark definition."),
    "build": ("ffasr_eval._cli.build", "build", "Build a far-field benchmark dataset repo."),
    "run": ("ffasr_eval._cli.run", "run", "Evaluate a speech model on a benchmark (Inspect AI)."),
    "rescore": ("ffasr_eval._cli.run", "rescore", "Recompute the scores of a run from its logs."),
    "keys": ("ffasr_eval._cli.keys", "keys", "Create and show Ed25519 evaluator keys."),
    "submit": ("ffasr_eval._cli.submit", "submit", "Sign a run and open the result PR on a model repo."),
    "verify": ("ffasr_eval._cli.verify", "verify", "Verify signed .eval_results files."),
    "collect": ("ffasr_eval._cli.collect", "collect", "Gather, verify, flag and publish the leaderboard."),
    "moderate": ("ffasr_eval._cli.collect", "moderate", "Approve or reject a flagged result."),
    "queue": ("ffasr_eval._cli.queue", "queue", "Request or work official (verified) evaluations."),
    "demo": ("ffasr_eval._cli.demo", "demo", "Run the whole toolkit end to end on a local Hub."),
}


class _ReportedError(click.ClickException):
    """An `FFASRError` shown as one line, with the error's own exit code."""

    def __init__(self, error: FFASRError) -> None:
        super().__init__(str(error))
        self.exit_code = error.exit_code


class LazyGroup(click.Group):
    """A click group that imports a verb's module only when the verb is used.

    It also turns every `FFASRError` raised by a verb into a one-line message without a
    traceback, so the command line and `click.testing.CliRunner` behave the same.
    """

    def invoke(self, ctx: click.Context):  # type: ignore[no-untyped-def]
        try:
            return super().invoke(ctx)
        except FFASRError as error:
            raise _ReportedError(error) from error

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module, attr, _ = COMMANDS[cmd_name]
        return getattr(importlib.import_module(module), attr)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # Use the registry's one-line help so `--help` does not import every verb.
        with formatter.section("Commands"):
            formatter.write_dl([(name, spec[2]) for name, spec in COMMANDS.items()])


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="ffasr-eval")
def cli() -> None:
    """Far-field speech recognition benchmarks as Hugging Face Community Evals.

    \b
    Dataset owners:  build → hub/push → collect → moderate → queue work
    Model authors:   run → submit (PR on your own model repo)
    Community:       run → submit (PR on someone else's model repo)

    The Hub address and token come from HF_ENDPOINT / HF_TOKEN, as for `hf`.
    Start a local Hub with `ffasr-eval hub serve`; try everything with `ffasr-eval demo`.
    """


def main() -> None:
    """Run the `ffasr-eval` command line."""
    cli(auto_envvar_prefix="FFASR")
