"""`hf-asr/<model id or local path>`: any transformers speech-recognition pipeline."""

from __future__ import annotations

import numpy as np
from inspect_ai.model import GenerateConfig

from ffasr_eval.errors import MissingDependencyError, ProviderError
from ffasr_eval.providers._base import SAMPLE_RATE, ASRModelAPI


class TransformersASR(ASRModelAPI):
    """`transformers.pipeline("automatic-speech-recognition")` at batch size 1.

    Model args: ``device`` (``cpu``, ``cuda``, ``cuda:1``; default cpu), ``dtype`` (e.g.
    ``float16``), ``revision``, ``warmup``. The model loads from a local path or from the Hub
    (``HF_ENDPOINT``), like any transformers model.
    """

    def __init__(
        self,
        model_name: str,
        base_url: str | None = None,
        api_key: str | None = None,
        config: GenerateConfig = GenerateConfig(),
        warmup: int = 0,
        device: str = "cpu",
        dtype: str | None = None,
        revision: str | None = None,
    ) -> None:
        super().__init__(model_name, base_url, api_key, config, warmup, f"{device}/{dtype}/{revision}")
        try:
            import torch
            from transformers import pipeline
        except ImportError as exc:
            raise MissingDependencyError("torch", "hf", "The hf-asr provider") from exc
        self._torch = torch
        try:
            self._pipe = pipeline(
                "automatic-speech-recognition",
                model=model_name,
                device=device,
                dtype=getattr(torch, dtype) if dtype else None,
                revision=revision,
            )
        except (OSError, ValueError) as exc:
            raise ProviderError(f"cannot load '{model_name}' as a speech-recognition pipeline: {exc}") from exc

    def transcribe(self, audio: np.ndarray) -> str:
        with self._torch.inference_mode():
            return str(self._pipe({"raw": audio, "sampling_rate": SAMPLE_RATE})["text"])
