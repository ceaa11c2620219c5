"""Transports: the edge where SMS come in and go out (httpx-style: one small interface).

    receive() -> list[IncomingSMS]   complete messages still on the device
    delete(sms)                      remove one from the device (after it is committed)
    send(to, text, reference) -> str send one SMS (all its parts); returns the modem's refs
    close()

`GammuTransport` drives a real modem (or Gammu's dummy driver); `MemoryTransport` serves the
core's tests and `smsbot chat`. Errors a transport raises are `TransportError`.
"""

from smsbot.modem.transport.base import IncomingSMS, Transport, TransportError  # noqa: F401
