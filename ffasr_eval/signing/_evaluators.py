"""The trusted-evaluator registry a benchmark dataset repo publishes as ``evaluators.yaml``.

```yaml
evaluators:
  - kid: q0v3Xk2b9mJ1cT0a            # fingerprint of public_key (checked)
    public_key: 8Jt0...               # raw Ed25519 public key, base64url
    owner: ffasr                      # Hub user or organisation holding the key
    role: official                    # official (benchmark's own queue) | community
    hardware_profile: cpu-2c          # profile the key's machine is timed on (null: none)
    revoked: false                    # revoked keys make every result they signed invalid
```
`ffasr-eval keys show` prints such an entry for a key.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator, model_validator

from ffasr_eval.errors import VerificationError
from ffasr_eval.signing._keys import decode_public_key, key_id

#: File name of the registry in a benchmark dataset repo.
EVALUATORS_FILENAME = "evaluators.yaml"


class Evaluator(BaseModel):
    """One trusted key of a benchmark."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kid: str
    public_key: str
    owner: str
    role: Literal["official", "community"]
    hardware_profile: str | None = None
    revoked: bool = False

    @field_validator("public_key")
    @classmethod
    def _valid_public_key(cls, value: str) -> str:
        decode_public_key(value)  # raises ValueError with the reason
        return value

    @model_validator(mode="after")
    def _kid_matches_key(self) -> Evaluator:
        expected = key_id(self.public_key)
        if self.kid != expected:
            raise ValueError(f"kid '{self.kid}' is not the fingerprint of public_key (expected '{expected}')")
        return self


class EvaluatorRegistry(BaseModel):
    """The content of an ``evaluators.yaml`` file.

    Example:
        >>> registry = EvaluatorRegistry.load("bench/evaluators.yaml")
        >>> registry.get("q0v3Xk2b9mJ1cT0a").role
        'official'
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    evaluators: list[Evaluator] = Field(default_factory=list)
    _by_kid: dict[str, Evaluator] = PrivateAttr(default_factory=dict)

    @model_validator(mode="after")
    def _index_kids(self) -> EvaluatorRegistry:
        seen: set[str] = set()
        for index, evaluator in enumerate(self.evaluators):
            if evaluator.kid in seen:
                raise ValueError(f"evaluators[{index}]: kid '{evaluator.kid}' is listed twice")
            seen.add(evaluator.kid)
        self._by_kid = {e.kid: e for e in self.evaluators}
        return self

    def get(self, kid: str) -> Evaluator | None:
        """The evaluator with this key id, or None."""
        return self._by_kid.get(kid)

    def to_yaml(self) -> str:
        """The registry as ``evaluators.yaml`` text."""
        return yaml.safe_dump(self.model_dump(mode="json"), sort_keys=False)

    @classmethod
    def from_yaml(cls, text: str, *, source: str = EVALUATORS_FILENAME) -> EvaluatorRegistry:
        """Parse ``evaluators.yaml`` text.

        Raises:
            VerificationError: If it is not valid; the message names the file and the entry.
        """
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise VerificationError(f"{source}: not valid YAML: {exc}") from exc
        if data is None:
            data = {}
        if not isinstance(data, dict):
            raise VerificationError(f"{source}: expected a mapping with an `evaluators:` list")
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in err['loc']) or 'evaluators'}: {err['msg']}" for err in exc.errors()
            )
            raise VerificationError(f"{source}: invalid trusted-evaluator registry: {problems}") from exc

    @classmethod
    def load(cls, path: str | Path) -> EvaluatorRegistry:
        """Read an ``evaluators.yaml`` file.

        Raises:
            VerificationError: If the file is missing or invalid.
        """
        path = Path(path)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise VerificationError(f"cannot read {path}: {exc.strerror or exc}") from exc
        return cls.from_yaml(text, source=str(path))
