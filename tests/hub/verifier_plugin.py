"""A leaderboard verifier loaded by the Hub server in the verifier test (``verifier_plugin:verify``)."""

from ffasr_eval.hub import ResultContext


def verify(context: ResultContext) -> bool:
    """Verified when the token names the model and the dataset publishes ``trusted.txt`` listing it."""
    trusted = context.read_file("dataset", context.dataset_id, "trusted.txt") or b""
    return context.entry.get("verifyToken") == f"ok:{context.model_id}" and context.model_id in trusted.decode()
