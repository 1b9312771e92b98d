"""Inspect AI model providers for speech recognition, registered with `@modelapi`.

- ``sphinx/en-us``: PocketSphinx, the bundled offline baseline (model arg ``lw`` etc.);
- ``sphinx-phone/en-us``: PocketSphinx all-phone decoding, for the phoneme task;
- ``hf-asr/<model id or path>``: a transformers ASR pipeline (``pip install 'ffasr-eval[hf]'``).

Any other Inspect provider that accepts audio input works too: the samples carry their audio as
`ContentAudio` (a WAV data URL) in one user message, and the `transcribe` solver asks for the
transcript. Such providers report no per-sample timing, so their runs have no RTFx.
"""

from inspect_ai.model import modelapi

from ffasr_eval.providers._base import ASRModelAPI, audio_data_url, decode_audio
from ffasr_eval.providers._sphinx import ARPABET_TO_IPA


#: What each provider of this package outputs: transcripts ("words") or IPA segments ("phones").
OUTPUT_KINDS: dict[str, str] = {"sphinx": "words", "sphinx-phone": "phones", "hf-asr": "words"}


@modelapi(name="sphinx")
def sphinx() -> type[ASRModelAPI]:
    from ffasr_eval.providers._sphinx import SphinxASR

    return SphinxASR


@modelapi(name="sphinx-phone")
def sphinx_phone() -> type[ASRModelAPI]:
    from ffasr_eval.providers._sphinx import SphinxPhoneASR

    return SphinxPhoneASR


@modelapi(name="hf-asr")
def hf_asr() -> type[ASRModelAPI]:
    from ffasr_eval.providers._hf import TransformersASR

    return TransformersASR


__all__ = ["ARPABET_TO_IPA", "ASRModelAPI", "OUTPUT_KINDS", "audio_data_url", "decode_audio", "hf_asr", "sphinx", "sphinx_phone"]
