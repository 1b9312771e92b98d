"""Planned verb(s); replaced when built."""

from ffasr_eval._cli._planned import planned_command

collect = planned_command("collect", "ffasr-eval collect")
moderate = planned_command("moderate", "ffasr-eval moderate")
