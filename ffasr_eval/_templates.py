"""Where the repository's `templates/` live, and how they are rendered.

The top-level ``templates/`` folder is the one users read and edit; the package reaches it through
the ``ffasr_eval/resources/templates`` symlink, which setuptools follows when it builds a wheel.
Text templates are Jinja2 with `StrictUndefined`, so a missing value fails loudly instead of
rendering as an empty string.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import jinja2

from ffasr_eval.errors import FFASRError

TEMPLATES_DIR = Path(__file__).resolve().parent / "resources" / "templates"


def template_path(name: str) -> Path:
    """Path of one template, e.g. ``template_path("eval.yaml")``."""
    return TEMPLATES_DIR / name


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR), undefined=jinja2.StrictUndefined, keep_trailing_newline=True
    )


def render_template(name: str, error: type[FFASRError], /, **context: Any) -> str:
    """Render ``templates/<name>`` with `context`.

    Raises:
        error: If the template file is missing (the message names its path).
    """
    try:
        template = _environment().get_template(name)
    except jinja2.TemplateNotFound as exc:
        raise error(f"template {template_path(name)} is missing: reinstall ffasr-eval") from exc
    return template.render(**context)
