"""PocketSphinx providers: `sphinx/en-us` (words) and `sphinx-phone/en-us` (phones), fully offline."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from inspect_ai.model import GenerateConfig

from ffasr_eval.errors import ProviderError
from ffasr_eval.providers._base import SAMPLE_RATE, ASRModelAPI

#: ARPAbet (CMU dictionary phone set) → IPA, as used for the benchmark's ``phonemes_ipa``.
ARPABET_TO_IPA: dict[str, str] = {
    "AA": "ɑ", "AE": "æ", "AH": "ʌ", "AO": "ɔ", "AW": "aʊ", "AY": "aɪ", "B": "b", "CH": "tʃ",
    "D": "d", "DH": "ð", "EH": "ɛ", "ER": "ɜ˞", "EY": "eɪ", "F": "f", "G": "ɡ", "HH": "h",
    "IH": "ɪ", "IY": "i", "JH": "dʒ", "K": "k", "L": "l", "M": "m", "N": "n", "NG": "ŋ",
    "OW": "oʊ", "OY": "ɔɪ", "P": "p", "R": "ɹ", "S": "s", "SH": "ʃ", "T": "t", "TH": "θ",
    "UH": "ʊ", "UW": "u", "V": "v", "W": "w", "Y": "j", "Z": "z", "ZH": "ʒ",
}  # fmt: skip


def _model_dir() -> Path:
    from pocketsphinx import get_model_path

    return Path(get_model_path()) / "en-us"


class SphinxASR(ASRModelAPI):
    """PocketSphinx with its bundled US English acoustic model, dictionary and trigram LM.

    Model args: ``lw`` (language-model weight, default 6.5), ``beam``, ``warmup``. Cepstral
    mean normalization runs per utterance (``cmn=batch``), so no state carries between samples.
    """

    def __init__(
        self,
        model_name: str,
        base_url: str | None = None,
        api_key: str | None = None,
        config: GenerateConfig = GenerateConfig(),
        warmup: int = 0,
        **options: float | str,
    ) -> None:
        super().__init__(model_name, base_url, api_key, config, warmup, repr(sorted(options.items())))
        if model_name != "en-us":
            raise ProviderError(f"pocketsphinx ships only the 'en-us' model, not '{model_name}': use sphinx/en-us")
        from pocketsphinx import Decoder

        try:
            self._decoder = Decoder(samprate=SAMPLE_RATE, loglevel="FATAL", cmn="batch", **self.decoder_options(options))
        except (RuntimeError, ValueError, KeyError) as exc:
            raise ProviderError(f"pocketsphinx rejected the model args {options}: {exc}") from exc

    def decoder_options(self, options: dict[str, float | str]) -> dict[str, float | str]:
        return dict(options)

    def transcribe(self, audio: np.ndarray) -> str:
        pcm = (np.clip(audio, -1.0, 1.0) * 32767).astype(np.int16).tobytes()
        self._decoder.start_utt()
        self._decoder.process_raw(pcm, no_search=False, full_utt=True)
        self._decoder.end_utt()
        hypothesis = self._decoder.hyp()
        return hypothesis.hypstr if hypothesis is not None else ""


class SphinxPhoneASR(SphinxASR):
    """PocketSphinx all-phone decoding with its bundled phone LM; outputs IPA segments."""

    def decoder_options(self, options: dict[str, float | str]) -> dict[str, float | str]:
        return {"allphone": str(_model_dir().parent / "en-us-phone.lm.bin"), "lw": 2.0, "beam": 1e-20,
                "pbeam": 1e-20, **options}

    def transcribe(self, audio: np.ndarray) -> str:
        phones = super().transcribe(audio).split()
        return " ".join(ARPABET_TO_IPA[p] for p in phones if p in ARPABET_TO_IPA)
