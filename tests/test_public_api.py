"""The public API: every exported name resolves, and importing the package stays light."""

from __future__ import annotations

import subprocess
import sys

import pytest

import ffasr_eval


@pytest.mark.parametrize("name", ffasr_eval.__all__)
def test_every_exported_name_resolves(name: str) -> None:
    assert getattr(ffasr_eval, name) is not None


def test_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        ffasr_eval.nope  # noqa: B018


def test_import_does_not_load_the_hub_client() -> None:
    # Programs (the demo, `hub serve`) must be able to set HF_ENDPOINT after `import ffasr_eval`.
    code = "import sys, ffasr_eval; print('huggingface_hub' in sys.modules, 'torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]


def test_all_lists_exactly_the_lazy_names() -> None:
    assert sorted(ffasr_eval.__all__) == sorted(["FFASRError", "__version__", *ffasr_eval._LAZY])
