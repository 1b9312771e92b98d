"""Where the repository's `templates/` live, for source trees and installed wheels alike.

The top-level ``templates/`` folder is the one users read and edit; the package reaches it through
the ``ffasr_eval/resources/templates`` symlink, which setuptools follows when it builds a wheel.
"""

from __future__ import annotations

from pathlib import Path

TEMPLATES_DIR = Path(__file__).resolve().parent / "resources" / "templates"


def template_path(name: str) -> Path:
    """Path of one template, e.g. ``template_path("eval.yaml")``."""
    return TEMPLATES_DIR / name
