"""Keywords that belong to no single domain: BANTUAN, BAHASA (the reply language), SELESAI
(orders and tickets) and the fallback for a message with no keyword."""

from smsbot.sms.handlers import bahasa, bantuan, fallback, selesai

KEYWORDS = {
    "bahasa": bahasa.handle,
    "bantuan": bantuan.handle,
    "fallback": fallback.handle,
    "selesai": selesai.handle,
}
