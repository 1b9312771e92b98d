"""Who a Hub token belongs to, and which namespaces it may write to (its user and orgs)."""

from __future__ import annotations

from huggingface_hub import HfApi
from huggingface_hub.errors import HfHubHTTPError, LocalTokenNotFoundError

from ffasr_eval.errors import FFASRError


def whoami(api: HfApi, error: type[FFASRError], needed_for: str) -> tuple[str, set[str]]:
    """The token's user name and namespaces; `error` (naming `needed_for`) if there is no usable token.

    Example:
        >>> user, namespaces = whoami(HfApi(), SubmitError, "submitting")  # doctest: +SKIP
    """
    try:
        me = api.whoami()
    except LocalTokenNotFoundError as exc:
        raise error(f"{needed_for} needs a Hub token: set HF_TOKEN or run `hf auth login`") from exc
    except HfHubHTTPError as exc:
        raise error(f"the Hub rejected the token: {exc}") from exc
    return me["name"], {me["name"]} | {org["name"] for org in me.get("orgs", []) if "name" in org}
