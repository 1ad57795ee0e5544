"""``python -m skddmt.benchmark``: see :mod:`skddmt.benchmark.cli`."""

from .cli import main

main()
