"""DAFTAR [nama] [kelurahan]: opt in to promos, with a name and a kelurahan (both optional).
The kelurahan is the longest run of last words that names one (`DAFTAR Siti Koto Tangah`)."""

from __future__ import annotations

from smsbot.search.places import split_name_place
from smsbot.sms.command import Command
from smsbot.sms.context import Context

MAX_NAME = 40


def handle(ctx: Context, cmd: Command) -> None:
    name, place = split_name_place(cmd.args)
    contact = ctx.contact
    contact.promo_opt_in = True
    if name:
        contact.name = name[:MAX_NAME]
    if place:
        contact.kelurahan = place
    ctx.session.add(contact)
    ctx.say("done", name=f" {contact.name}" if contact.name else "",
            place=f" ({contact.kelurahan})" if contact.kelurahan else "")
