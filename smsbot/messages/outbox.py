"""The outbox table: the only road to the modem.

This module is the one writer of outbox rows (`enqueue` for one reply, `enqueue_many` for a
batch of answers or a broadcast run: the same GSM-7 gate and pages for both; a test fails if
another module inserts into the table) and holds the one claim (`due` then `claim`), which
only the transport loop uses to send (and the broadcast benchmark to measure it).

A row is marked `sending` (committed) before the modem is touched and `sent` (committed)
after, so a crash never loses a row. A row found `sending` at start-up was interrupted
inside the modem call, and so was maybe sent: a reply or notice is queued again
(at-least-once: the only window in which one SMS can go out twice is the modem call
itself), a broadcast becomes `unknown` and is never sent again (at-most-once). A send error
after which the SMS may have gone out (`TransportError.maybe_sent`) is treated the same way.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import lru_cache
from itertools import islice
from typing import Callable, Iterable, Iterator

from sqlalchemy import and_, bindparam, insert, or_, true, update
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, col, select

from smsbot.clock import to_db
from smsbot.messages.gsm7 import measure, septets, to_gsm7
from smsbot.messages.models import PRIORITY, OutboxMessage
from smsbot.sms.context import Reply

MAX_SEGMENTS = 2  # per SMS: a third segment costs the sender (or us) a third SMS
MAX_PAGES = 3  # per reply: beyond that the text is cut, never sent at any cost
PAGE_SEPTETS = 153 * MAX_SEGMENTS
MAX_ATTEMPTS = 3
HANDOVER = timedelta(seconds=30)  # then any modem may send a row meant for another
RETRY_BACKOFF = (timedelta(seconds=30), timedelta(minutes=2), timedelta(minutes=10))


def enqueue(session: Session, reply: Reply, now: datetime, *, inbound_id: int | None = None,
            modem: str = "") -> OutboxMessage:
    """Queue one reply; returns its (first) row. Every text passes the one gate here:
    GSM-7 only, at most MAX_SEGMENTS segments per SMS (counted by Gammu's own encoder); a
    longer text goes out as numbered pages `(1/2)`, at most MAX_PAGES, the rest cut."""
    rows = [OutboxMessage(**values) for values in _rows(reply, to_db(now), inbound_id, modem)]
    session.add_all(rows)
    return rows[0]


def pages_of(text: str) -> list[str]:
    """The SMS texts `enqueue` would queue for `text`."""
    return paginate(to_gsm7(text))


def segments(text: str) -> int:
    """How many SMS segments `enqueue` would queue for `text`, all pages together."""
    return sum(page_segments for _text, page_segments, _encoding in _gate(text))


def paginate(text: str) -> list[str]:
    """Split a GSM-7 text into pages of at most MAX_SEGMENTS segments each, on word
    boundaries, numbered ` (1/3)`; more than MAX_PAGES pages: the last one ends in `...`."""
    if septets(text) <= PAGE_SEPTETS:
        return [text]
    room = PAGE_SEPTETS - len(" (9/9)") - 2  # 2: an escape never straddles two parts
    pages: list[str] = []
    rest = text.strip()
    if not rest:
        return [_cut(text, PAGE_SEPTETS)]
    while rest:
        if len(pages) == MAX_PAGES - 1 and septets(rest) > room:
            pages.append(_cut(rest, room - 3).rstrip() + "...")
            break
        page = _cut(rest, room)
        if septets(page) < septets(rest):  # break at the last space, if there is one
            space = page.rfind(" ")
            if space > room // 2:
                page = page[:space]
        pages.append(page.rstrip())
        rest = rest[len(page):].strip()
    total = len(pages)
    return [f"{page} ({n}/{total})" for n, page in enumerate(pages, 1)] if total > 1 else pages


def _cut(text: str, budget: int) -> str:
    """The longest prefix of `text` that fits `budget` septets."""
    used = 0
    for index, ch in enumerate(text):
        used += septets(ch)
        if used > budget:
            return text[:index]
    return text


def enqueue_many(session: Session, items: Iterable[tuple[Reply, int | None, str]], now: datetime,
                 *, broadcast_id: int | None = None, dedupe_prefix: str | None = None) -> int:
    """Queue many SMS, `(reply, inbound_id, modem)` each, with executemany INSERTs and no ORM
    objects: a batch of answers at the end of its transaction, or a broadcast run (100,000
    rows in a few seconds). The same gate and pages as `enqueue`; each distinct text is
    measured once, so a broadcast costs one gate pass per language, not per recipient.

    `dedupe_prefix` gives every row the unique key `prefix + phone` (a later page `/n` more,
    see `first_page_key`): a second run of the same broadcast fails on it instead of sending
    twice. Returns how many rows (SMS) were queued."""
    created = to_db(now)
    rows = (values for reply, inbound_id, modem in items
            for values in _rows(reply, created, inbound_id, modem, broadcast_id, dedupe_prefix))
    return _insert(session, rows)


def first_page_key(row: OutboxMessage) -> str | None:
    """The dedupe key of the first page of a keyed message split into pages, for any later
    page of it; None for a first (or only) page, or a row without a key. The sender's daily
    broadcast cap counts messages, not pages: a page 2 follows its page 1."""
    key = row.dedupe_key or ""
    return key.rpartition(PAGE_MARK)[0] or None


def first_pages():
    """SQL: rows that are not a later page of a keyed message (see `first_page_key`)."""
    return or_(col(OutboxMessage.dedupe_key).is_(None),
               col(OutboxMessage.dedupe_key).not_like(f"%{PAGE_MARK}%"))


PAGE_MARK = "/"  # dedupe key of page n > 1: "<key of page 1>/n" (a phone has no "/")
INSERT_CHUNK = 20_000


def _rows(reply: Reply, created: datetime, inbound_id: int | None, modem: str,
          broadcast_id: int | None = None, dedupe_prefix: str | None = None) -> Iterator[dict]:
    """The outbox rows (as column values) of one reply: one per page, through the gate."""
    not_before = to_db(reply.not_before) if reply.not_before else None
    priority = PRIORITY.get(reply.kind, 10)
    for number, (text, parts, encoding) in enumerate(_gate(reply.text), 1):
        key = None
        if dedupe_prefix is not None:
            key = dedupe_prefix + reply.to + (f"{PAGE_MARK}{number}" if number > 1 else "")
        yield {
            "to": reply.to, "text": text, "kind": reply.kind, "priority": priority,
            "status": "queued", "segments": parts, "encoding": encoding,
            "attempts": 0, "modem": modem, "modem_ref": "", "error": "", "inbound_id": inbound_id,
            "created_at": created, "not_before": not_before, "sending_at": None, "sent_at": None,
            "broadcast_id": broadcast_id, "dedupe_key": key,
        }


@lru_cache(maxsize=4096)
def _gate(text: str) -> tuple[tuple[str, int, str], ...]:
    """THE gate: the pages of `text` as `(text, segments, encoding)`; pure, so memoised."""
    pages = []
    for page in pages_of(text):
        encoding = measure(page)
        pages.append((page, encoding.segments, encoding.encoding))
    return tuple(pages)


def _insert(session: Session, rows: Iterable[dict]) -> int:
    """One compiled INSERT, executemany on the driver, INSERT_CHUNK rows at a time. Values
    are converted by their column types once per distinct value (the times and texts of a
    broadcast repeat on every row), not per row: SQLAlchemy's own per-row bind processing
    was about half the cost of a bulk insert."""
    session.flush()  # pending ORM rows first, as an ORM insert would (autoflush)
    connection = session.connection()
    dialect = connection.dialect
    table = OutboxMessage.__table__
    names = [column.name for column in table.columns if column.name != "id"]
    compiled = insert(table).values({n: bindparam(n) for n in names}).compile(dialect=dialect)
    order = compiled.positiontup if compiled.positional else names
    converters = []
    for name in order:
        processor = table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
        converters.append(_memo(processor) if processor is not None else None)
    pairs = list(zip(order, converters))
    defaults = _defaults()
    count = 0
    for chunk in _chunks(rows, INSERT_CHUNK):
        values = [tuple(convert(row.get(n, defaults[n])) if convert else row.get(n, defaults[n])
                        for n, convert in pairs)
                  for row in chunk]
        if not compiled.positional:
            values = [dict(zip(order, v)) for v in values]
        connection.exec_driver_sql(compiled.string, values)
        count += len(values)
    return count


@lru_cache(maxsize=1)
def _defaults() -> dict:
    """The model's default for every column a row leaves out (a column added later, such as
    the delivery report's, must not break the bulk path)."""
    from pydantic_core import PydanticUndefined

    return {name: (None if field.default is PydanticUndefined else field.default)
            for name, field in OutboxMessage.model_fields.items()}


def _chunks(rows: Iterable[dict], size: int) -> Iterator[list[dict]]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _memo(processor):
    cache: dict = {}

    def convert(value):
        try:
            return cache[value]
        except KeyError:
            cache[value] = result = processor(value)
            return result
        except TypeError:  # unhashable
            return processor(value)
    return convert


def _due(now: datetime):
    return or_(col(OutboxMessage.not_before).is_(None), OutboxMessage.not_before <= to_db(now))


def _mine(modem: str, now: datetime):
    if not modem:
        return true()
    return or_(OutboxMessage.modem == "", OutboxMessage.modem == modem,
               OutboxMessage.created_at <= to_db(now - HANDOVER))


# `(session, row, now) -> bool`: may this broadcast row go now? False: it was left queued
# (quiet hours, throttle full) or skipped/deferred (opt-out, daily cap) through `session`.
Admit = Callable[[Session, OutboxMessage, datetime], bool]


def due(session: Session, now: datetime, limit: int, modem: str = "", *,
        broadcasts: bool = True) -> list[OutboxMessage]:
    """The next `limit` due rows for `modem`, most urgent first (higher priority, then
    oldest: a reply never waits behind a broadcast), in one query for a whole send batch;
    each is then taken with `claim`. A row meant for another modem (a reply leaves through
    the modem that received the question: same operator, cheaper) is due here only after
    HANDOVER, e.g. when that modem has failed. `broadcasts=False` (quiet hours) leaves
    broadcast rows out. Read without locks: `claim` decides who has a row."""
    query = select(OutboxMessage).where(OutboxMessage.status == "queued", _due(now),
                                        _mine(modem, now))
    if not broadcasts:
        query = query.where(OutboxMessage.kind != "broadcast")
    return list(session.exec(
        query.order_by(col(OutboxMessage.priority).desc(), OutboxMessage.id).limit(limit)
    ).all())


def claim(connection: Connection, session: Session, row: OutboxMessage, now: datetime,
          modem: str = "", *, admit: Admit | None = None) -> bool:
    """The one claim: take a row read by `due` for the modem call, queued -> sending,
    committed before this returns (so a crash never loses it). True: the row is ours.

    A broadcast row first passes `admit` (the daemon's: quiet hours, throttle, then
    `SendPolicy.admit`); its writes (a skip, a deferral) are committed. The row is ours only
    if the conditional UPDATE `... WHERE id = ? AND status = 'queued'` matched it: several
    modem threads and daemons read the same rows, and exactly one of them wins each, on
    SQLite and PostgreSQL alike. One prebuilt statement on the caller's held `connection`
    (the send loop runs it once per SMS); `session` is bound to that connection."""
    if admit is not None and row.kind == "broadcast" and not admit(session, row, now):
        if session.in_transaction():
            session.commit()
        return False
    if session.in_transaction():
        session.commit()  # the broadcast checks' reads, before the claim on the connection
    values = {"status": "sending", "attempts": row.attempts + 1, "sending_at": to_db(now)}
    if modem:
        values["modem"] = modem
    result = _execute(connection, _statement(tuple(values), only_if={"status": "queued"}),
                      row.id, values)
    connection.commit()
    if result.rowcount != 1:
        return False
    for name, value in values.items():
        set_committed_value(row, name, value)
    return True


def mark_sent(db, row: OutboxMessage, reference: str, now: datetime,
              modem: str = "", *, commit: bool = True) -> None:
    """`sent`, committed at once by default. `db` is a Session or a Connection (the send
    loop holds one connection: a commit on it skips the Session's transaction book-keeping
    and the pool check-in/check-out that each Session commit costs)."""
    _apply(db, row, status="sent", modem_ref=reference, sent_at=to_db(now),
           modem=modem or row.modem, error="")
    if commit:
        db.commit()


def mark_failed(session: Session, row: OutboxMessage, error: str, now: datetime,
                *, permanent: bool = False, charge: bool = True, commit: bool = True) -> None:
    """Retry with backoff up to MAX_ATTEMPTS; then (or at once, if permanent) `failed`.
    A failing number is pushed back, so it never blocks the rest of the queue. With
    `charge=False` (the modem link failed, not this SMS) the try is not counted."""
    attempts = row.attempts if charge else max(0, row.attempts - 1)
    if permanent or attempts >= MAX_ATTEMPTS:
        _apply(session, row, status="failed", error=error[:500], attempts=attempts)
    else:
        backoff = RETRY_BACKOFF[min(max(attempts, 1), len(RETRY_BACKOFF)) - 1]
        _apply(session, row, status="queued", error=error[:500], attempts=attempts,
               not_before=to_db(now + backoff))
    if commit:
        session.commit()


def mark_unknown(session: Session, row: OutboxMessage, error: str, *,
                 commit: bool = True) -> None:
    """A broadcast whose send may have reached the network (no answer came): `unknown`,
    final. At-most-once: it is not sent again, and it counts toward the daily promo cap."""
    _apply(session, row, status=OutboxMessage.UNKNOWN, error=error[:500])
    if commit:
        session.commit()


def _apply(db, row: OutboxMessage, **values) -> None:
    """One UPDATE by id, and the same values on the loaded row (without making it dirty).
    The send loop runs this twice per SMS; a statement built once per set of columns and
    run on the connection skips the ORM flush and statement building, most of the cost."""
    _execute(db, _statement(tuple(values)), row.id, values)
    for name, value in values.items():
        set_committed_value(row, name, value)


def _statement(columns: tuple, only_if: dict | None = None):
    key = (columns, tuple(sorted((only_if or {}).items())))
    statement = _UPDATES.get(key)
    if statement is None:
        table = OutboxMessage.__table__
        statement = update(table).where(table.c.id == bindparam("row_id"))
        for name, value in (only_if or {}).items():
            statement = statement.where(table.c[name] == value)
        statement = _UPDATES[key] = statement.values(
            {name: bindparam(f"v_{name}") for name in columns})
    return statement


def _execute(db, statement, row_id: int, values: dict):
    connection = db.connection() if isinstance(db, OrmSession) else db
    return connection.execute(statement, {"row_id": row_id,
                                          **{f"v_{k}": v for k, v in values.items()}})


_UPDATES: dict[tuple, object] = {}


STALE_SENDING = timedelta(minutes=10)  # no modem call takes this long


def requeue_interrupted(session: Session, modems: list[str] | None = None,
                        now: datetime | None = None) -> tuple[int, int]:
    """Rows left `sending` by a crash were maybe sent: a reply or notice goes back to the
    queue (at-least-once), a broadcast becomes `unknown` (at-most-once). With `modems`, only
    the rows those modems had claimed (other daemons' sends in flight are not theirs to
    touch), and, with `now`, any row claimed longer than STALE_SENDING ago (its daemon died
    for good). Returns how many were (queued again, marked unknown)."""
    interrupted = OutboxMessage.status == OutboxMessage.SENDING
    if modems is not None:
        # "" = claimed by a sender that named no modem (the daemon always names it)
        mine = col(OutboxMessage.modem).in_([*modems, ""])
        if now is not None:
            mine = or_(mine, OutboxMessage.sending_at < to_db(now - STALE_SENDING))
        interrupted = and_(interrupted, mine)
    broadcast = OutboxMessage.kind == "broadcast"
    unknown = session.exec(
        update(OutboxMessage).where(interrupted, broadcast)
        .values(status=OutboxMessage.UNKNOWN, error=INTERRUPTED)).rowcount or 0
    queued = session.exec(
        update(OutboxMessage).where(interrupted, ~broadcast)
        .values(status=OutboxMessage.QUEUED)).rowcount or 0
    session.commit()
    return queued, unknown


INTERRUPTED = "interrupted inside the modem call: maybe sent"


def due_count(session: Session, now: datetime, *, broadcasts: bool = True) -> int:
    from sqlalchemy import func
    query = (select(func.count()).select_from(OutboxMessage)
             .where(OutboxMessage.status == "queued", _due(now)))
    if not broadcasts:
        query = query.where(OutboxMessage.kind != "broadcast")
    return session.exec(query).one()


def retrying_count(session: Session) -> int:
    """Queued rows waiting for another try after a failed send (not yet given up)."""
    from sqlalchemy import func
    return session.exec(
        select(func.count()).select_from(OutboxMessage)
        .where(OutboxMessage.status == "queued", OutboxMessage.error != "")
    ).one()
