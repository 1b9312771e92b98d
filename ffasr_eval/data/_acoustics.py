"""Room acoustics measured on impulse responses: RT60 (Schroeder), DRR and C50."""

from __future__ import annotations

import numpy as np
from pyroomacoustics.experimental import measure_rt60

#: Window after the direct-path peak counted as "direct" for DRR (2.5 ms, the usual choice).
DIRECT_WINDOW_S = 0.0025


def rt60(rir: np.ndarray, fs: int) -> float:
    """Reverberation time by Schroeder backward integration (T30 extrapolated to 60 dB)."""
    return float(measure_rt60(rir, fs=fs, decay_db=30))


def drr_db(rir: np.ndarray, fs: int) -> float:
    """Direct-to-reverberant energy ratio: energy within ±2.5 ms of the direct peak vs the rest."""
    peak = int(np.argmax(np.abs(rir)))
    half = int(DIRECT_WINDOW_S * fs)
    energy = rir.astype(np.float64) ** 2
    direct = energy[max(0, peak - half): peak + half + 1].sum()
    return float(10 * np.log10(direct / max(energy.sum() - direct, 1e-20)))


def c50_db(rir: np.ndarray, fs: int) -> float:
    """Clarity: energy in the first 50 ms after the direct peak vs everything later."""
    peak = int(np.argmax(np.abs(rir)))
    energy = rir[peak:].astype(np.float64) ** 2
    split = int(0.05 * fs)
    return float(10 * np.log10(energy[:split].sum() / max(energy[split:].sum(), 1e-20)))


def direct_delay_s(rir: np.ndarray, fs: int) -> float:
    """Arrival time of the direct path (the RIR's largest peak), in seconds."""
    return int(np.argmax(np.abs(rir))) / fs
