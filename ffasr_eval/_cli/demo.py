"""Planned verb(s); replaced when built."""

from ffasr_eval._cli._planned import planned_command

demo = planned_command("demo", "ffasr-eval demo")
