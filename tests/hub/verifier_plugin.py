"""A leaderboard verifier loaded by the Hub server in the verifier test (``verifier_plugin:verify``)."""

import os

from ffasr_eval.hub import ResultContext


def verify(context: ResultContext) -> bool:
    """Verified when the token names the model and the dataset publishes ``trusted.txt`` listing it.

    Each call appends the model id to the file named by ``VERIFIER_CALLS``, if set.
    """
    if os.environ.get("VERIFIER_CALLS"):
        with open(os.environ["VERIFIER_CALLS"], "a", encoding="utf-8") as calls:
            calls.write(context.model_id + "\n")
    trusted = context.read_file("dataset", context.dataset_id, "trusted.txt") or b""
    return context.entry.get("verifyToken") == f"ok:{context.model_id}" and context.model_id in trusted.decode()
