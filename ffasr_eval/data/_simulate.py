"""Far-field conditions: rooms, noise, SNR mixing and moving talkers, with pyroomacoustics.

Each condition samples a few rooms from its declared ranges (the rooms are shared by every
utterance of the condition, so their impulse responses are computed once); every random draw
comes from a generator seeded by (seed, condition, utterance index), so the same seed gives the
same bytes whatever the number of worker processes.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from functools import cache

import numpy as np
import pyroomacoustics as pra
from scipy.signal import fftconvolve

from ffasr_eval.data._acoustics import rt60

FS = 16_000
ROOMS_PER_CONDITION = 3
#: Measured RT60 must be within this fraction of the target (otherwise the room is redrawn).
RT60_TOLERANCE = 0.25
MOVING_BLOCK_S = 0.25
#: Highest image-source reflection order simulated.
MAX_ORDER = 40


@dataclass(frozen=True)
class Condition:
    """Declared ranges of one acoustic condition (one dataset config)."""

    name: str
    distance_m: tuple[float, float]
    rt60_s: tuple[float, float]
    snr_db: float | None
    noise_types: tuple[str, ...] = ()
    speed_mps: tuple[float, float] = (0.0, 0.0)
    description: str = ""


CONDITIONS: dict[str, Condition] = {c.name: c for c in (
    Condition("near_field", (0.3, 0.5), (0.15, 0.3), None, description="close-talk reference, quiet room"),
    Condition("far_snr20", (1.0, 2.0), (0.3, 0.5), 20.0, ("pink", "babble", "white"), description="far field, 20 dB SNR"),
    Condition("far_snr10", (1.0, 2.0), (0.3, 0.5), 10.0, ("pink", "babble", "white"), description="far field, 10 dB SNR"),
    Condition("far_snr5", (1.0, 2.0), (0.3, 0.5), 5.0, ("pink", "babble", "white"), description="far field, 5 dB SNR"),
    Condition("far_snr0", (1.0, 2.0), (0.3, 0.5), 0.0, ("pink", "babble", "white"), description="far field, 0 dB SNR"),
    Condition("moving", (1.0, 2.0), (0.3, 0.5), 15.0, ("pink",), (0.5, 1.2),
              description="talker walking during the utterance, 15 dB SNR"),
)}


def rng_for(seed: int, *keys: object) -> np.random.Generator:
    """A generator that depends only on the seed and the keys (stable across processes)."""
    return np.random.default_rng([seed, *(zlib.crc32(str(k).encode()) for k in keys)])


@dataclass(frozen=True)
class Room:
    """A shoebox room with absorption designed for a target RT60 and its measured acoustics."""

    dims: tuple[float, float, float]
    rt60_target: float
    absorption: float
    max_order: int
    mic: tuple[float, float, float]
    rt60_measured: float = field(default=0.0)

    def rir(self, source: tuple[float, float, float]) -> np.ndarray:
        """Impulse response from `source` to the microphone (image source method)."""
        return _rir(self.dims, self.absorption, self.max_order, source, self.mic)


@cache
def _rir(dims, absorption, max_order, source, mic) -> np.ndarray:  # type: ignore[no-untyped-def]
    # Image source only: pyroomacoustics' ray tracer draws from an unseedable C++ generator, so
    # the hybrid would break byte-identical rebuilds (the determinism test caught it). Capping the
    # reflection order at MAX_ORDER keeps the RT60 within tolerance for these rooms.
    room = pra.ShoeBox(list(dims), fs=FS, materials=pra.Material(absorption), max_order=min(max_order, MAX_ORDER),
                       air_absorption=True)
    room.add_source(list(source))
    room.add_microphone(list(mic))
    room.compute_rir()
    rir = np.asarray(room.rir[0][0], dtype=np.float64)
    return rir / np.max(np.abs(rir))


def source_at(room: Room, distance: float, rng: np.random.Generator) -> tuple[float, float, float]:
    """A talker position `distance` metres from the mic, inside the room (0.3 m from walls)."""
    for _ in range(100):
        azimuth = rng.uniform(0, 2 * np.pi)
        point = (room.mic[0] + distance * np.cos(azimuth), room.mic[1] + distance * np.sin(azimuth), 1.6)
        if all(0.3 < p < d - 0.3 for p, d in zip(point[:2], room.dims[:2], strict=True)):
            return point
    raise ValueError(f"no position {distance} m from the mic fits in room {room.dims}")


def make_room(condition: Condition, seed: int, index: int) -> Room:
    """Room `index` of a condition, redrawn until its measured RT60 is within tolerance."""
    for attempt in range(20):
        rng = rng_for(seed, condition.name, "room", index, attempt)
        dims = (float(rng.uniform(5, 9)), float(rng.uniform(4, 7)), float(rng.uniform(2.6, 3.4)))
        target = float(rng.uniform(*condition.rt60_s))
        absorption, max_order = pra.inverse_sabine(target, list(dims))
        mic = (dims[0] / 2 + float(rng.uniform(-0.5, 0.5)), dims[1] / 2 + float(rng.uniform(-0.5, 0.5)), 1.2)
        room = Room(dims, target, float(absorption), int(max_order), mic)
        probe = room.rir(source_at(room, float(np.mean(condition.distance_m)), rng))
        measured = rt60(probe, FS)
        if abs(measured - target) <= RT60_TOLERANCE * target:
            return Room(dims, target, float(absorption), int(max_order), mic, measured)
    raise ValueError(f"{condition.name}: no room within ±{RT60_TOLERANCE:.0%} of its RT60 target after 20 draws")


def noise(kind: str, length: int, rng: np.random.Generator, babble: list[np.ndarray]) -> np.ndarray:
    """White, pink (1/f) or babble (several other talkers of the corpus) noise."""
    if kind == "white":
        return rng.standard_normal(length)
    if kind == "pink":
        spectrum = np.fft.rfft(rng.standard_normal(length))
        spectrum /= np.sqrt(np.maximum(np.arange(len(spectrum)), 1))
        return np.fft.irfft(spectrum, n=length)
    if kind == "babble":
        mix = np.zeros(length)
        for talker in babble:
            start = int(rng.integers(0, max(1, len(talker) - 1)))
            piece = np.resize(np.roll(talker, -start), length)
            mix += piece / (np.std(piece) + 1e-9)
        return mix
    raise ValueError(f"unknown noise type '{kind}' (expected white, pink or babble)")


def mix_at_snr(speech: np.ndarray, interference: np.ndarray, snr_db: float) -> np.ndarray:
    """`speech` + `interference` scaled so the speech-to-noise power ratio is exactly `snr_db`."""
    gain = np.sqrt(np.mean(speech**2) / (np.mean(interference**2) * 10 ** (snr_db / 10)))
    return speech + gain * interference


def moving_reverb(clean: np.ndarray, room: Room, start: tuple[float, float, float],
                  end: tuple[float, float, float]) -> tuple[np.ndarray, list[np.ndarray]]:
    """Convolve blocks of `clean` with RIRs along the path start→end, cross-faded with Hann windows.

    The windows overlap by half a block and sum to one, so a static path gives plain convolution.
    Returns the reverberant signal and the block RIRs (first to last).
    """
    hop = int(MOVING_BLOCK_S * FS)
    blocks = max(2, int(np.ceil(len(clean) / hop)) + 1)
    window = np.hanning(2 * hop + 1)[:-1]
    padded = np.concatenate([np.zeros(hop), clean, np.zeros(2 * hop)])
    out = np.zeros(len(padded) + 20 * FS)
    rirs = []
    for b in range(blocks):
        t = b / (blocks - 1)
        position = tuple(float(s + t * (e - s)) for s, e in zip(start, end, strict=True))
        rir = room.rir(position)  # type: ignore[arg-type]
        rirs.append(rir)
        segment = padded[b * hop: b * hop + 2 * hop]
        piece = fftconvolve(segment * window[: len(segment)], rir)
        out[b * hop: b * hop + len(piece)] += piece
    return out[hop: hop + len(clean) + len(rirs[0])], rirs
