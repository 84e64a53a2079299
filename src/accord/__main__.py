"""`python -m accord`: the `accord` command."""

from .cli import main

main()
