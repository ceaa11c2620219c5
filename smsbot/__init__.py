"""smsbot: SMS-first commerce for the traditional-food UMKM of Kota Payakumbuh.

Data flows one way: transport -> ingest -> router -> handler -> outbox -> transport.
The core (`smsbot.sms.core.handle_message`) is pure: it takes a sender, a text, a clock
reading and a database session, and returns replies. Only `smsbot.modem.daemon` touches a modem.
"""

__version__ = "0.1.0"
