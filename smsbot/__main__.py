"""`python -m smsbot` = the `smsbot` command."""

from .cli import main

main()
