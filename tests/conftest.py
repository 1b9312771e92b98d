"""Shared pytest fixtures. Each area keeps its fixtures in its own module, re-exported here."""

from fixtures_hub import *  # noqa: F401,F403  (embedded Hub server and users)
from fixtures_benchmark import *  # noqa: F401,F403  (tiny built benchmarks)
