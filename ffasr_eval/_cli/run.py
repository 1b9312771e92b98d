"""Planned verb(s); replaced when built."""

from ffasr_eval._cli._planned import planned_command

run = planned_command("run", "ffasr-eval run")
rescore = planned_command("rescore", "ffasr-eval rescore")
