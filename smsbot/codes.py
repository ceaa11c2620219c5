"""Short codes people read aloud and type on a keypad: no look-alikes (0/O, 1/I/L), never
sequential, not guessable (drawn from the OS's random source)."""

from __future__ import annotations

import secrets

ORDER_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
ORDER_CODE_LENGTH = 6  # orders; complaint tickets are "K" + 3 (4 characters)


def new_code(length: int = ORDER_CODE_LENGTH, prefix: str = "") -> str:
    return prefix + "".join(secrets.choice(ORDER_CODE_ALPHABET) for _ in range(length - len(prefix)))
