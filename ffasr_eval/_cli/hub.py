"""Planned verb(s); replaced when built."""

from ffasr_eval._cli._planned import planned_command

hub = planned_command("hub", "ffasr-eval hub")
