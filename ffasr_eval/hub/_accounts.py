"""Managing users and organizations of a Hub data directory, with or without a running server."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ffasr_eval.errors import HubServerError
from ffasr_eval.hub._errors import HubHTTPError
from ffasr_eval.hub._service import HubService


def create_user(data_dir: str | Path, name: str, orgs: Sequence[str] = ()) -> str:
    """Create a user (or add a token to an existing one), joining or creating ``orgs``; return a token.

    Example:
        >>> token = create_user("/tmp/hub-data", "alice", orgs=["ffasr"])  # doctest: +SKIP
    """
    service = HubService(Path(data_dir))
    try:
        return service.create_user(name, tuple(orgs))
    except HubHTTPError as error:
        raise HubServerError(error.message) from error
    finally:
        service.db.close()


def create_org(data_dir: str | Path, name: str, members: Sequence[str] = ()) -> None:
    """Create an organization (if needed) and add existing users to it.

    Example:
        >>> create_org("/tmp/hub-data", "ffasr", members=["alice"])  # doctest: +SKIP
    """
    service = HubService(Path(data_dir))
    try:
        service.create_org(name, tuple(members))
    except HubHTTPError as error:
        raise HubServerError(error.message) from error
    finally:
        service.db.close()
