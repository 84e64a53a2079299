"""`python -m accord.cli`: the `accord` command."""

from . import main

main()
