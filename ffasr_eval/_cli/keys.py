"""Planned verb(s); replaced when built."""

from ffasr_eval._cli._planned import planned_command

keys = planned_command("keys", "ffasr-eval keys")
