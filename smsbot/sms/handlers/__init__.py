"""Keywords that belong to no single domain: BANTUAN, SELESAI (orders and tickets) and the
fallback for a message with no keyword."""

from smsbot.sms.handlers import bantuan, fallback, selesai

KEYWORDS = {
    "bantuan": bantuan.handle,
    "fallback": fallback.handle,
    "selesai": selesai.handle,
}
