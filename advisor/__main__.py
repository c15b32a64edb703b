"""Allows ``python -m advisor`` where the console script is not on PATH."""

from advisor.cli import main

main()
