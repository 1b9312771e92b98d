"""Run the embedded Hub with uvicorn (used by ``ffasr-eval hub serve`` and by `LocalHub`'s subprocess)."""

from __future__ import annotations

import argparse
import fcntl
import os
import socket
from pathlib import Path

import uvicorn

from ffasr_eval.errors import HubServerError
from ffasr_eval.hub._app import create_app

#: Request heads up to this size are parsed (and answered 431 by the app when over its limit);
#: beyond it the HTTP layer drops the connection.
PARSED_HEAD_BYTES = 1024 * 1024


def serve(data_dir: str | Path, *, host: str = "127.0.0.1", port: int = 8765, fd: int | None = None,
          verifier: str | None = None, log_level: str = "warning") -> None:
    """Serve the Hub over ``data_dir`` until interrupted (one server per data directory).

    Example:
        >>> serve("/tmp/hub-data", port=8765)  # doctest: +SKIP
    """
    data = Path(data_dir)
    data.mkdir(parents=True, exist_ok=True)
    lock = open(data / "server.lock", "w")  # noqa: SIM115 - held for the server's lifetime
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError as error:
        raise HubServerError(f"Another Hub server is already using {data}; stop it or pick another --data.") from error
    config = uvicorn.Config(create_app(data, verifier=verifier), host=host, port=port, log_level=log_level,
                            access_log=False, h11_max_incomplete_event_size=PARSED_HEAD_BYTES)
    # An inherited socket is wrapped with its real family and protocol (uvicorn's own `fd=` assumes
    # AF_UNIX), so asyncio sets TCP_NODELAY; without it every response waits ~40 ms for delayed ACKs.
    sockets = [socket.socket(fileno=fd)] if fd is not None else None
    uvicorn.Server(config).run(sockets=sockets)


def main(argv: list[str] | None = None) -> None:
    """``python -m ffasr_eval.hub --data DIR (--port N | --fd FD)``."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--data", required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--fd", type=int)
    parser.add_argument("--verifier")
    args = parser.parse_args(argv)
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    serve(args.data, host=args.host, port=args.port, fd=args.fd, verifier=args.verifier)

