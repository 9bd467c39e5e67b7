"""Refuse a start that cannot work (several workers without Redis) before anything is served: `make run` calls it."""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from customer_app.core.workers import refusal

if __name__ == "__main__":
    if why := refusal(os.environ):
        raise SystemExit(f"Not starting: {why}")
