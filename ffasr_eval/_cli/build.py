"""Planned verb(s); replaced when built."""

from ffasr_eval._cli._planned import planned_command

build = planned_command("build", "ffasr-eval build")
