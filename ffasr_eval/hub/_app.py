"""The FastAPI application of the embedded Hub."""

from __future__ import annotations

import importlib
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from ffasr_eval.errors import HubServerError
from ffasr_eval.hub import _routes_discussions, _routes_files, _routes_repos
from ffasr_eval.hub._errors import HubHTTPError, error_response, handle_hub_error
from ffasr_eval.hub._evals import Verifier
from ffasr_eval.hub._service import HubService


def load_verifier(spec: Verifier | str | None) -> Verifier | None:
    """A verifier given directly or as ``"package.module:function"`` (usable across processes)."""
    if spec is None or callable(spec):
        return spec
    module, _, attr = spec.partition(":")
    try:
        return getattr(importlib.import_module(module), attr)
    except (ImportError, AttributeError, ValueError) as error:
        raise HubServerError(f"Cannot load the eval results verifier {spec!r} ('module:function'): {error}") from error


def create_app(data_dir: str | Path, *, verifier: Verifier | str | None = None) -> FastAPI:
    """Build the Hub application over a data directory (created if missing).

    Args:
        data_dir: Folder holding ``meta.sqlite`` (users, tokens, discussions) and ``repos/``
            (one bare git repository per Hub repo). Data survives restarts.
        verifier: Decides whether a leaderboard entry is ``verified`` (a callable taking a
            `ResultContext`, or its ``"module:function"`` path). Default: nothing is verified.

    Returns:
        A FastAPI app; serve it with uvicorn (or use `LocalHub`).

    Example:
        >>> import uvicorn
        >>> app = create_app("/tmp/hub-data")
        >>> # uvicorn.run(app, host="127.0.0.1", port=8765)
    """
    service = HubService(Path(data_dir))
    service.recover()
    app = FastAPI(title="ffasr-eval embedded Hub", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.service = service
    app.state.verifier = load_verifier(verifier)
    app.add_exception_handler(HubHTTPError, handle_hub_error)

    @app.exception_handler(HubServerError)
    async def _storage_error(request: Request, error: HubServerError) -> JSONResponse:
        # 500 would make clients retry for ~15 s; storage problems are not transient.
        return JSONResponse({"error": str(error)}, status_code=507)

    for module in (_routes_repos, _routes_discussions, _routes_files):
        app.include_router(module.router)
    app.add_middleware(_HeaderLimit)
    return app


#: Largest total size of request headers accepted (names + values).
MAX_HEADER_BYTES = 32 * 1024


class _HeaderLimit:
    """ASGI middleware answering 431 (with a JSON message) to requests with oversized headers."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            size = sum(len(name) + len(value) for name, value in scope["headers"])
            if size > MAX_HEADER_BYTES:
                error = HubHTTPError(431, f"Request headers are {size} bytes; at most {MAX_HEADER_BYTES} are accepted.")
                await error_response(error)(scope, receive, send)
                return
        await self.app(scope, receive, send)
