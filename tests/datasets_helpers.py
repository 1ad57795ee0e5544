"""Shared helpers of the dataset tests: where the shared benchmark data lives
and a writer of small text files."""

from pathlib import Path

SHARED_DATA = Path(__file__).parents[2] / "shared" / "data"


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path
