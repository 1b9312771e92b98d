"""Planned verb(s); replaced when built."""

from ffasr_eval._cli._planned import planned_command

queue = planned_command("queue", "ffasr-eval queue")
