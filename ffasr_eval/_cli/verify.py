"""Planned verb(s); replaced when built."""

from ffasr_eval._cli._planned import planned_command

verify = planned_command("verify", "ffasr-eval verify")
