"""The `ffasr-eval` command line (click). One module per verb; see `main.py`."""
