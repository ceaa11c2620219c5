"""`python -m smsbot.modem.emulator DIR [--pty] [--model ...]`: what a gammurc's proxyat runs.

Gammu starts this at every Init, so it imports only the standard library and gammu.
"""
import argparse
import sys

from .profiles import PROFILES
from .serve import serve


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m smsbot.modem.emulator",
                                     description="GSM modem emulator speaking AT on stdin/stdout")
    parser.add_argument("dir")
    parser.add_argument("--pty", action="store_true", help="serve on a pseudo-terminal; prints its path")
    parser.add_argument("--model", choices=sorted(PROFILES), default=None)
    args = parser.parse_args(argv)
    return serve(args.dir, args.model, args.pty)


if __name__ == "__main__":
    sys.exit(main())
