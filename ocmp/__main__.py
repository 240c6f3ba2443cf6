"""`python -m ocmp` is the same as the `ocmp` console script."""

from ocmp.cli import main

main()
