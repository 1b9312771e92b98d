"""RTFx bookkeeping and the hardware fingerprint every timed result carries.

RTFx = total audio seconds / total transcription seconds (not a mean of per-utterance ratios).
The transcription clock runs inside the provider around feature extraction + inference +
decoding only; see DESIGN.md "Timing".
"""

from __future__ import annotations

import os
import platform
from collections.abc import Iterable
from dataclasses import dataclass

from ffasr_eval.summary import HardwareInfo


@dataclass(frozen=True)
class HardwareProfile:
    """A named machine class results are comparable within (e.g. ``cpu-2c``)."""

    name: str
    cores: int | None
    accelerator: str | None

    def matches(self, hardware: HardwareInfo) -> bool:
        """Whether a machine's fingerprint belongs to this profile."""
        if self.accelerator is None:
            return hardware.gpu is None and (self.cores is None or hardware.cores == self.cores)
        return hardware.gpu is not None and self.accelerator.lower() in hardware.gpu.lower()


#: Profiles a benchmark's ``ffasr.hardware.profile`` may name.
PROFILES: dict[str, HardwareProfile] = {
    profile.name: profile
    for profile in (
        HardwareProfile("cpu-2c", 2, None),
        HardwareProfile("cpu-4c", 4, None),
        HardwareProfile("cpu-8c", 8, None),
        HardwareProfile("t4", None, "Tesla T4"),
        HardwareProfile("a10g", None, "A10G"),
        HardwareProfile("l4", None, "L4"),
        HardwareProfile("a100", None, "A100"),
        HardwareProfile("h100", None, "H100"),
    )
}


def rtfx(audio_seconds: float, transcribe_seconds: float) -> float:
    """Inverse real-time factor: audio seconds per transcription second (0 when nothing was timed)."""
    return audio_seconds / transcribe_seconds if transcribe_seconds > 0 else 0.0


def pooled_rtfx(pairs: Iterable[tuple[float, float]]) -> float:
    """Audio-weighted RTFx of several (audio seconds, transcription seconds) totals."""
    audio = transcribe = 0.0
    for audio_seconds, transcribe_seconds in pairs:
        audio += audio_seconds
        transcribe += transcribe_seconds
    return rtfx(audio, transcribe)


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _ram_gb() -> float:
    try:
        return round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1)
    except (ValueError, OSError, AttributeError):
        return 0.0


def hardware_fingerprint(profile: str | None = None) -> HardwareInfo:
    """Describe this machine; `profile` is kept only if the machine matches it.

    torch is consulted only if it is already imported (a provider that uses it imports it), so
    fingerprinting never pays for importing torch.

    Example:
        >>> hardware_fingerprint("cpu-2c").cores >= 1
        True
    """
    import sys

    gpu = gpu_memory = cuda = torch_version = None
    torch = sys.modules.get("torch")
    if torch is not None:
        torch_version = str(torch.__version__)
        if torch.cuda.is_available():
            props = torch.cuda.get_device_properties(0)
            gpu, gpu_memory, cuda = props.name, round(props.total_memory / 2**30, 1), torch.version.cuda
    info = HardwareInfo(
        cpu=_cpu_model(),
        cores=len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1),
        ram_gb=_ram_gb(),
        gpu=gpu,
        gpu_memory_gb=gpu_memory,
        cuda=cuda,
        torch=torch_version,
    )
    known = PROFILES.get(profile or "")
    return info.model_copy(update={"profile": profile}) if known and known.matches(info) else info
