"""What the sender checks before a broadcast message goes to the modem (the buyer's side).

- Quiet hours (local time): no broadcast goes out; replies and notices are never held.
- Opt-out: a queued broadcast row to someone who has since sent STOP is `skipped`, however
  long ago it was queued (STOP also skips them at once; this check catches the rest).
- A cancelled broadcast's rows are `cancelled`.
- The daily cap: a contact who already got `promos_per_day` broadcasts today (local day)
  gets this one tomorrow morning instead. It counts messages, not pages: the later pages of
  a long broadcast follow its first page.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlalchemy import func
from sqlmodel import Session, col, select

from smsbot.broadcasts.models import Broadcast
from smsbot.clock import from_db, local, to_db
from smsbot.contacts.models import Contact
from smsbot.messages import outbox
from smsbot.messages.models import OutboxMessage
from smsbot.messages.send_settings import Settings


def in_quiet_hours(now: datetime, quiet: tuple[time, time] | None) -> bool:
    """[start, end) in local time; a range may wrap midnight (21:00-07:00)."""
    if quiet is None:
        return False
    start, end = quiet
    moment = local(now).time()
    if start < end:
        return start <= moment < end
    return moment >= start or moment < end


def next_open(now: datetime, quiet: tuple[time, time] | None) -> datetime:
    """The first moment at or after `now` outside quiet hours."""
    if not in_quiet_hours(now, quiet):
        return now
    end = quiet[1]
    here = local(now)
    candidate = here.replace(hour=end.hour, minute=end.minute, second=0, microsecond=0)
    if candidate <= here:
        candidate += timedelta(days=1)
    return to_db(candidate)


def local_day_start(now: datetime) -> datetime:
    here = local(now)
    return to_db(here.replace(hour=0, minute=0, second=0, microsecond=0))


class SendPolicy:
    def __init__(self, settings: Settings):
        self.settings = settings

    def broadcasts_open(self, now: datetime) -> bool:
        return not in_quiet_hours(now, self.settings.quiet_hours)

    def admit(self, session: Session, row: OutboxMessage, now: datetime) -> bool:
        """True: send this broadcast row now. False: the row was skipped, cancelled or
        deferred (the caller commits and looks for the next row)."""
        contact = session.exec(select(Contact).where(Contact.phone == row.to)).first()
        if contact is None or not contact.promo_opt_in:
            row.status, row.error = "skipped", "opted out"
            session.add(row)
            return False
        if row.broadcast_id is not None:
            broadcast = session.get(Broadcast, row.broadcast_id)
            if broadcast is not None and broadcast.status == "cancelled":
                row.status, row.error = "cancelled", "broadcast cancelled"
                session.add(row)
                return False
        cap = self.settings.promos_per_day
        first_key = outbox.first_page_key(row)
        if cap and first_key is not None:  # page 2 of a message goes when its page 1 went
            first = session.exec(
                select(OutboxMessage).where(OutboxMessage.dedupe_key == first_key)).first()
            if first is None or first.status != "queued":
                return True
            if first.not_before is not None and from_db(first.not_before) > to_db(now):
                row.not_before = first.not_before  # page 1 was deferred: so is the rest
                session.add(row)
            return False
        if cap and self.sent_today(session, row.to, now) >= cap:
            tomorrow = local_day_start(now) + timedelta(days=1)
            row.not_before = next_open(tomorrow, self.settings.quiet_hours)
            row.error = "daily promo cap"
            session.add(row)
            return False
        return True

    @staticmethod
    def sent_today(session: Session, phone: str, now: datetime) -> int:
        return session.exec(
            select(func.count()).select_from(OutboxMessage).where(
                OutboxMessage.to == phone, OutboxMessage.kind == "broadcast",
                col(OutboxMessage.status).in_(("sent", "sending", "unknown")),  # maybe sent
                OutboxMessage.sending_at >= local_day_start(now), outbox.first_pages())
        ).one()
