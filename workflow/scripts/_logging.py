"""Route a rule script's output to its Snakemake log file."""

import logging
import sys


def setup(log_path: str) -> logging.Logger:
    handler = logging.FileHandler(log_path, mode="w")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO)
    log_file = open(log_path, "a", buffering=1)  # noqa: SIM115 - lives as long as the job
    sys.stdout = log_file
    sys.stderr = log_file
    return logging.getLogger("darkreach")
