"""``sphinx-crash/en-us``: the PocketSphinx baseline, except that it interrupts its own process once.

For the resume tests. Model args: ``calls`` (a file each request appends its audio's digest to),
``crash_at`` (the request, counted from 1, that interrupts the process instead of answering)
and ``signal`` (``SIGKILL``: a crash; ``SIGINT``: Ctrl-C). The interruption happens only while
``calls`` holds fewer than ``crash_at`` lines, so the resumed run, with the same model args,
answers every request.
"""

from __future__ import annotations

import hashlib
import os
import signal as signals
from pathlib import Path

from inspect_ai.model import ChatMessage, GenerateConfig, ModelOutput, modelapi
from inspect_ai.tool import ToolChoice, ToolInfo

from ffasr_eval.providers._base import _audio_of
from ffasr_eval.providers._sphinx import SphinxASR


class CrashingSphinx(SphinxASR):
    def __init__(self, model_name: str, base_url: str | None = None, api_key: str | None = None,
                 config: GenerateConfig = GenerateConfig(), warmup: int = 0, *, calls: str, crash_at: int,
                 signal: str, **options: float | str) -> None:
        super().__init__(model_name, base_url, api_key, config, warmup, **options)
        self._calls, self._crash_at, self._signal = Path(calls), int(crash_at), getattr(signals, signal)

    async def generate(self, input: list[ChatMessage], tools: list[ToolInfo], tool_choice: ToolChoice,
                       config: GenerateConfig) -> ModelOutput:
        before = self._calls.read_text().splitlines() if self._calls.exists() else []
        with self._calls.open("a") as calls:
            calls.write(hashlib.sha256(_audio_of(input).audio.encode()).hexdigest() + "\n")
        if len(before) + 1 == self._crash_at:
            os.kill(os.getpid(), self._signal)
        return await super().generate(input, tools, tool_choice, config)


@modelapi(name="sphinx-crash")
def sphinx_crash() -> type[CrashingSphinx]:
    return CrashingSphinx
