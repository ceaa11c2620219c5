"""`python -m smsbot` = the `smsbot` command."""

from smsbot.cli import main

main()
