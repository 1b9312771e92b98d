"""The shared part of every ASR provider: audio in, timed transcription out."""

from __future__ import annotations

import base64
import io
from abc import abstractmethod
from time import perf_counter
from typing import Any

import numpy as np
import soundfile as sf
from inspect_ai.model import ChatMessage, ContentAudio, GenerateConfig, ModelAPI, ModelOutput
from inspect_ai.tool import ToolChoice, ToolInfo

from ffasr_eval.errors import AudioError

SAMPLE_RATE = 16_000
#: Models (class, name, options) already warmed up in this process: Inspect creates one model per
#: task, and the warm-up is meant once per loaded model, not once per task.
_WARMED_UP: set[tuple[str, str, str]] = set()


def audio_data_url(wav_bytes: bytes) -> str:
    """A ``data:`` URL for WAV bytes, as carried by `ContentAudio`."""
    return "data:audio/wav;base64," + base64.b64encode(wav_bytes).decode("ascii")


def decode_audio(content: ContentAudio) -> np.ndarray:
    """Mono float32 samples at 16 kHz from a `ContentAudio` (data URL or file path).

    Raises:
        AudioError: If the audio cannot be decoded or is not 16 kHz.
    """
    source: Any = content.audio
    if source.startswith("data:"):
        source = io.BytesIO(base64.b64decode(source.split(",", 1)[1]))
    try:
        audio, rate = sf.read(source, dtype="float32", always_2d=True)
    except (sf.LibsndfileError, RuntimeError, ValueError) as exc:
        raise AudioError(f"cannot decode the sample's audio: {exc}") from exc
    if rate != SAMPLE_RATE:
        raise AudioError(f"audio is {rate} Hz; ffasr-eval providers expect {SAMPLE_RATE} Hz")
    return audio.mean(axis=1)


def _audio_of(messages: list[ChatMessage]) -> ContentAudio:
    for message in reversed(messages):
        if isinstance(message.content, list):
            for content in message.content:
                if isinstance(content, ContentAudio):
                    return content
    raise AudioError("the sample has no audio content: ffasr-eval providers transcribe one ContentAudio per sample")


class ASRModelAPI(ModelAPI):
    """An Inspect model that transcribes the audio of a sample, one request at a time.

    Subclasses implement `transcribe`. The clock covers `transcribe` only (feature extraction +
    inference + decoding); audio decoding happens before it. The first ``warmup`` calls
    transcribe the same audio untimed and discard the result (once per model and options in a
    process). Each output carries
    ``metadata = {"transcribe_seconds": ..., "audio_seconds": ...}``.
    """

    def __init__(
        self,
        model_name: str,
        base_url: str | None = None,
        api_key: str | None = None,
        config: GenerateConfig = GenerateConfig(),
        warmup: int = 0,
        options: str = "",
    ) -> None:
        super().__init__(model_name, base_url, api_key, [], config)
        self._warmup_key = (type(self).__name__, model_name, options)
        self._warmup_left = 0 if self._warmup_key in _WARMED_UP else int(warmup)

    @abstractmethod
    def transcribe(self, audio: np.ndarray) -> str:
        """Transcribe 16 kHz mono float32 samples; must not keep state between calls."""

    def max_connections(self) -> int:
        return 1

    async def generate(
        self,
        input: list[ChatMessage],
        tools: list[ToolInfo],
        tool_choice: ToolChoice,
        config: GenerateConfig,
    ) -> ModelOutput:
        audio = decode_audio(_audio_of(input))
        while self._warmup_left > 0:
            self._warmup_left -= 1
            self.transcribe(audio)
        _WARMED_UP.add(self._warmup_key)
        start = perf_counter()
        text = self.transcribe(audio)
        elapsed = perf_counter() - start
        output = ModelOutput.from_content(model=self.model_name, content=text)
        output.metadata = {"transcribe_seconds": elapsed, "audio_seconds": len(audio) / SAMPLE_RATE}
        return output
