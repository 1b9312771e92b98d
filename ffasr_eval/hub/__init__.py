"""An embedded Hub that the unmodified `huggingface_hub` and `datasets` clients talk to.

Repos (model, dataset, space) live in one bare git repository each; users, orgs, tokens,
discussions and pull requests in SQLite. Uploads are always "regular" (no LFS/Xet service),
pull requests are ``refs/pr/N``, and ``GET /api/datasets/{id}/leaderboard`` is computed from the
models' ``.eval_results/*.yaml`` on main and in open pull requests.

Importing this package does not import `huggingface_hub` or `datasets` (they read ``HF_ENDPOINT``
once, at import): start a `LocalHub`, set ``HF_ENDPOINT`` to its ``endpoint``, then import them.

Example:
    >>> from huggingface_hub import HfApi
    >>> from ffasr_eval.hub import LocalHub
    >>> with LocalHub() as hub:  # doctest: +SKIP
    ...     api = HfApi(endpoint=hub.endpoint, token=hub.create_user("alice"))
    ...     api.create_repo("alice/model")
"""

from ffasr_eval.hub._accounts import create_org, create_user
from ffasr_eval.hub._app import create_app
from ffasr_eval.hub._evals import ResultContext, Verifier
from ffasr_eval.hub._local import LocalHub, reserve_port
from ffasr_eval.hub._serve import serve

__all__ = ["LocalHub", "ResultContext", "Verifier", "create_app", "create_org", "create_user", "reserve_port", "serve"]
