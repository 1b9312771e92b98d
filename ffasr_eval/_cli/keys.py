"""`ffasr-eval keys create|show`: Ed25519 evaluator keys."""

from __future__ import annotations

import getpass
from pathlib import Path

import click
import yaml

from ffasr_eval.errors import SigningError
from ffasr_eval.signing import EvaluatorKey, create_key, default_key_path, public_key_path, resolve_key


@click.group()
def keys() -> None:
    """Create and show Ed25519 evaluator keys (they sign your results).

    \b
    Examples:
      ffasr-eval keys create --owner alice            # ~/.config/ffasr-eval/evaluator.pem
      ffasr-eval keys create --out team.pem --owner my-org
      ffasr-eval keys show                            # kid, public key, evaluators.yaml entry
    """


@keys.command()
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Private key file to write (default: ~/.config/ffasr-eval/evaluator.pem). Never overwritten.")
@click.option("--owner", default=None, help="Your Hub user or organisation name (default: your login name).")
def create(out: Path | None, owner: str | None) -> None:
    """Create a key: private PEM (mode 0600, never printed) and FILE.pub (its evaluators.yaml entry).

    \b
    Example:
      ffasr-eval keys create --out ~/keys/ffasr.pem --owner alice
      export FFASR_KEY=~/keys/ffasr.pem            # `submit` signs with it
    """
    key = create_key(out, owner=owner or getpass.getuser())
    click.echo(f"private key: {key.path} (mode 0600; keep it secret, back it up)")
    click.echo(f"public key:  {public_key_path(key.path)}")
    _show(key)


@keys.command()
@click.argument("file", required=False, type=click.Path(dir_okay=False, path_type=Path))
def show(file: Path | None) -> None:
    """Show a key's kid, public key and evaluators.yaml entry (default: $FFASR_KEY or the default key).

    \b
    Example:
      ffasr-eval keys show ~/keys/ffasr.pem
    """
    key = resolve_key(file)
    if key is None:
        raise SigningError(
            f"no key configured: FFASR_KEY is unset and {default_key_path()} does not exist; "
            "create one with `ffasr-eval keys create`"
        )
    _show(key)


def _show(key: EvaluatorKey) -> None:
    click.echo(f"kid:         {key.kid}")
    click.echo(f"public key:  {key.public_key}")
    click.echo(f"owner:       {key.owner or 'unknown'}")
    click.echo("\nevaluators.yaml entry (the benchmark owner sets role: official|community and hardware_profile):\n")
    click.echo(yaml.safe_dump({"evaluators": [key.evaluator_entry()]}, sort_keys=False).rstrip())
