"""Inspect AI entry point (``[options.entry_points] inspect_ai``): registers the toolkit's
model providers (``sphinx``, ``sphinx-phone``, ``hf-asr``), its ``transcribe`` solver, its
``wer``/``cer``/``per``/``pwed`` scorers and the ``ffasr`` task with Inspect."""

from ffasr_eval.providers import hf_asr, sphinx, sphinx_phone
from ffasr_eval.scorers import cer, per, pwed, wer
from ffasr_eval.tasks import ffasr, transcribe

__all__ = ["cer", "ffasr", "hf_asr", "per", "pwed", "sphinx", "sphinx_phone", "transcribe", "wer"]
