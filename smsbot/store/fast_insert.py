"""Write one ORM row at once, without flushing the rest of the session; write many rows
in bulk (`insert_many`, `update_many`: imports).

A handler that needs a new row's id (an order for its sub-orders, a ticket for its first
message) used to `session.flush()`, which also wrote every row the batch had pending (each
new sender's contact, conversation states ...) a few at a time. `insert_now` writes only
this row with one Core INSERT and attaches the object as persistent; the batch's other
rows go out together at its next flush (one flush of many rows costs far less per row than
many flushes of a few).

Every write here is reported to smsbot.store.txcache (`wrote`), where a flush reports its
tables: the caches and the catalog version hear of it as they would of a flush.
"""

from __future__ import annotations

from operator import itemgetter
from typing import TypeVar

from sqlalchemy import bindparam, insert, update
from sqlalchemy.orm import make_transient_to_detached

from smsbot.store import txcache

T = TypeVar("T")

_INSERTS: dict = {}


def insert_now(session, obj: T) -> T:
    """INSERT `obj` (a new SQLModel row without an id) now; it comes back with its id,
    persistent in `session` as if loaded."""
    table = type(obj).__table__
    statement = _INSERTS.get(table)
    if statement is None:
        statement = _INSERTS[table] = insert(table)
    values = {column.key: getattr(obj, column.key) for column in table.columns
              if not column.primary_key}
    result = session.connection().execute(statement, values)
    obj.id = result.inserted_primary_key[0]
    txcache.wrote(session, (table.name,))
    make_transient_to_detached(obj)
    session.add(obj)
    return obj



def insert_many(session, table, rows: list[dict], batch: int = 5000, progress=None) -> None:
    """INSERT `rows` (dicts of column values, all with the same keys) into `table`: a city's
    import in seconds where an ORM object and a flush per row took minutes. PostgreSQL:
    COPY; SQLite: the driver's executemany of one prepared INSERT (SQLAlchemy's own
    executemany spent more time building each row's parameters than SQLite writing it).
    `progress(n)` after every `batch` rows."""
    if not rows:
        return
    connection = session.connection()
    keys = list(rows[0])
    if connection.dialect.name == "postgresql":
        _copy(connection, table.name, keys, rows, progress)
    elif connection.dialect.paramstyle == "qmark":
        prep = connection.dialect.identifier_preparer
        sql = (f"INSERT INTO {prep.format_table(table)} "
               f"({', '.join(prep.format_column(table.c[k]) for k in keys)}) "
               f"VALUES ({', '.join('?' for _ in keys)})")
        _executemany(connection, table, sql, keys, rows, batch, progress)
    else:
        _batches(connection, insert(table), rows, batch, progress)
    txcache.wrote(session, (table.name,))


def update_many(session, table, rows: list[dict], batch: int = 5000, progress=None) -> None:
    """UPDATE `table` by id: each of `rows` holds "id" and the columns to set (all rows the
    same keys). PostgreSQL: COPY into a temporary table and one UPDATE ... FROM it."""
    if not rows:
        return
    connection = session.connection()
    keys = [key for key in rows[0] if key != "id"]
    prep = connection.dialect.identifier_preparer
    name = prep.format_table(table)
    columns = [prep.format_column(table.c[k]) for k in keys]
    if connection.dialect.name == "postgresql":
        temp = f"_changed_{table.name}"
        connection.exec_driver_sql(f"DROP TABLE IF EXISTS {temp}")
        connection.exec_driver_sql(f"CREATE TEMP TABLE {temp} AS SELECT id, {', '.join(columns)}"
                                   f" FROM {name} WITH NO DATA")
        _copy(connection, temp, ["id", *keys], rows, progress)
        connection.exec_driver_sql(
            f"UPDATE {name} SET {', '.join(f'{c} = t.{c}' for c in columns)}"
            f" FROM {temp} t WHERE {name}.id = t.id")
        connection.exec_driver_sql(f"DROP TABLE {temp}")
    elif connection.dialect.paramstyle == "qmark":
        sql = f"UPDATE {name} SET {', '.join(f'{c} = ?' for c in columns)} WHERE id = ?"
        _executemany(connection, table, sql, [*keys, "id"], rows, batch, progress)
    else:
        statement = update(table).where(table.c.id == bindparam("_id"))  # SET: the other keys
        renamed = [{("_id" if key == "id" else key): value for key, value in row.items()}
                   for row in rows]
        _batches(connection, statement, renamed, batch, progress)
    txcache.wrote(session, (table.name,))


def _executemany(connection, table, sql, keys, rows, batch, progress) -> None:
    """The driver's executemany, each value through its column type (a datetime is stored
    the way SQLAlchemy stores it), with a page cache big enough for a city's index pages
    (the default 2 MB made random code_keys a page read each)."""
    processors = [(i, _memoized(proc)) for i, key in enumerate(keys)
                  if (proc := table.c[key].type.bind_processor(connection.dialect))]
    values = itemgetter(*keys) if len(keys) > 1 else (lambda row: (row[keys[0]],))
    cache_size = connection.exec_driver_sql("PRAGMA cache_size").scalar()
    connection.exec_driver_sql("PRAGMA cache_size = -65536")
    try:
        for start in range(0, len(rows), batch):
            chunk = list(map(values, rows[start:start + batch]))
            if processors:
                chunk = [_processed(row, processors) for row in chunk]
            connection.exec_driver_sql(sql, chunk)
            if progress:
                progress(len(chunk))
    finally:
        connection.exec_driver_sql(f"PRAGMA cache_size = {int(cache_size)}")


def _memoized(proc):
    """A column processor that converts each distinct value once: an import's booleans and
    its one timestamp are the same for every row."""
    seen: dict = {}

    def process(value):
        try:
            return seen[value]
        except KeyError:
            result = seen[value] = proc(value)
            return result

    return process


def _processed(row: tuple, processors) -> tuple:
    row = list(row)
    for i, proc in processors:
        row[i] = proc(row[i])
    return tuple(row)


def _copy(connection, table_name, keys, rows, progress) -> None:
    """psycopg's COPY FROM STDIN, in this session's transaction."""
    quote = connection.dialect.identifier_preparer.quote
    cursor = connection.connection.dbapi_connection.cursor()
    columns = ", ".join(map(quote, keys))
    with cursor.copy(f"COPY {quote(table_name)} ({columns}) FROM STDIN") as copy:
        for n, row in enumerate(rows, start=1):
            copy.write_row([row[key] for key in keys])
            if progress and n % 5000 == 0:
                progress(5000)
    if progress and len(rows) % 5000:
        progress(len(rows) % 5000)


def _batches(connection, statement, rows, batch, progress) -> None:
    for start in range(0, len(rows), batch):
        chunk = rows[start:start + batch]
        connection.execute(statement, chunk)
        if progress:
            progress(len(chunk))
