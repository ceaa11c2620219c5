"""Demo data: the Payakumbuh catalog in `db/seed/` plus a demo admin and buyer."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.engine import Engine
from sqlmodel import Session

from smsbot.catalog.importer import ImportReport, import_file
from smsbot.contacts import directory as contacts
from smsbot.contacts.phones import normalize
from smsbot.paths import seed_file

DEMO_ADMIN = "081200000001"
DEMO_ADMIN_PIN = "1234"
DEMO_BUYER = "081300000001"


def seed_demo(engine: Engine, now: datetime) -> dict[str, ImportReport]:
    reports = {}
    for kind in ("shops", "products"):
        reports[kind] = import_file(engine, kind, seed_file(f"{kind}.csv"), now)
        if not reports[kind].ok:
            raise RuntimeError(f"demo {kind} did not import: {reports[kind].errors[:3]}")
    with Session(engine) as session:
        contacts.upsert(session, normalize(DEMO_ADMIN), now, role="admin", name="Admin Dinas UMKM",
                        pin=DEMO_ADMIN_PIN)
        contacts.upsert(session, normalize(DEMO_BUYER), now, role="buyer", name="Pembeli Demo",
                        promote_only=True)
        session.commit()
    return reports
