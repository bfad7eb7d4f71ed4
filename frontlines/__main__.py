"""`python -m frontlines` runs the command line, for environments without the console script."""

from frontlines.cli import app

app()
