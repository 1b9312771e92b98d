"""`ffasr-eval hub serve|user create|org create`: the embedded Hub and its accounts."""

from __future__ import annotations

from pathlib import Path

import click

DEFAULT_DATA = Path.home() / ".local" / "share" / "ffasr-eval" / "hub"

_data_option = click.option(
    "--data", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_DATA, envvar="FFASR_HUB_DATA",
    show_default=True, help="Hub data folder: repos (git) and metadata (SQLite). Env: FFASR_HUB_DATA.")


@click.group()
def hub() -> None:
    """Run an embedded Hub that huggingface_hub and datasets use via HF_ENDPOINT.

    \b
    Examples:
      ffasr-eval hub user create alice --org ffasr     # prints alice's token
      ffasr-eval hub serve --port 8765                 # prints the HF_ENDPOINT to export
      export HF_ENDPOINT=http://127.0.0.1:8765 HF_TOKEN=<token>
      hf upload ffasr/bench ./bench --repo-type dataset
    """


@hub.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=8765, show_default=True, type=int, help="TCP port.")
@_data_option
@click.option("--verifier", default=None, metavar="MODULE:FUNCTION",
              help="Function deciding whether leaderboard results are verified (default: none are).")
def serve(host: str, port: int, data: Path, verifier: str | None) -> None:
    """Serve the Hub API until interrupted (Ctrl-C). Data survives restarts.

    \b
    Example:
      ffasr-eval hub serve --data ./hub-data --port 8765
    """
    from ffasr_eval.hub import serve as run

    click.echo(f"export HF_ENDPOINT=http://{host}:{port}")
    click.echo(f"# data: {data}; create users with `ffasr-eval hub user create NAME --data {data}`", err=True)
    run(data, host=host, port=port, verifier=verifier, log_level="info")


@hub.group()
def user() -> None:
    """Manage users (works on the data folder; no server needed)."""


@user.command("create")
@click.argument("name")
@click.option("--org", "orgs", multiple=True, help="Organization to join (created if needed). Repeatable.")
@_data_option
def create_user(name: str, orgs: tuple[str, ...], data: Path) -> None:
    """Create user NAME (or add a token to it) and print a new access token.

    \b
    Example:
      export HF_TOKEN=$(ffasr-eval hub user create alice --org ffasr)
    """
    from ffasr_eval.hub import create_user as create

    click.echo(create(data, name, orgs))


@hub.group()
def org() -> None:
    """Manage organizations (works on the data folder; no server needed)."""


@org.command("create")
@click.argument("name")
@click.option("--member", "members", multiple=True, help="Existing user to add. Repeatable.")
@_data_option
def create_org(name: str, members: tuple[str, ...], data: Path) -> None:
    """Create organization NAME (if needed) and add members to it; their repos under NAME are shared.

    \b
    Example:
      ffasr-eval hub org create ffasr --member alice --member bob
    """
    from ffasr_eval.hub import create_org as create

    create(data, name, members)
    click.echo(f"organization {name}: members added: {', '.join(members) or 'none'}")
