"""Fixtures that build tiny benchmarks (owned by the data area)."""
