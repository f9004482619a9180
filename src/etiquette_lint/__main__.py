"""`python -m etiquette_lint` runs the command."""
from .cli import main

main()
