"""One claim: the daemon's send loop and the broadcast benchmark take rows the same way, so
the benchmark's figures are the daemon's."""

import inspect
from datetime import timedelta

from sqlmodel import Session

from smsbot.messages import outbox
from smsbot.sms.context import Reply
from smsbot.testing import Conversation

from ..broadcasts.test_broadcasts import opt_in
from ..conftest import NOW, load_script


def test_the_benchmark_measures_the_claim_the_daemon_sends_with(seeded, tmp_path, monkeypatch):
    callers = []
    real_claim = outbox.claim

    def claim(*args, **kwargs):
        callers.append(inspect.stack()[1].frame.f_globals["__name__"])
        return real_claim(*args, **kwargs)

    monkeypatch.setattr(outbox, "claim", claim)
    assert not hasattr(outbox, "claim_next")  # no second claim path left behind

    conversation = Conversation(seeded)
    assert conversation.replies("081300000001", "CARI GL01")[0].startswith("1)GL01")
    assert set(callers) == {"smsbot.modem.daemon"}

    bench = load_script("bench_broadcast")
    callers.clear()
    waits = bench.drain(tmp_path, "claim", backlog=30, arrivals=[15.0, 95.0], fifo=False)
    assert waits == [0, 0]  # each reply took the very next slot, ahead of the backlog
    assert callers and set(callers) == {"bench_broadcast"}


def test_a_reply_is_claimed_before_notices_and_broadcasts_queued_earlier(seeded):
    opt_in(seeded, "081300000200")
    with Session(seeded) as session:
        for kind in ("broadcast", "notice", "reply"):
            outbox.enqueue(session, Reply("+6281300000200", kind, kind), NOW)
        session.commit()
    sent = Conversation(seeded, start="2026-11-27T10:00").flush()
    assert [s.kind for s in sent] == ["reply", "notice", "broadcast"]


def test_a_reply_waits_for_its_own_modem_until_the_handover_then_any_modem_sends_it(seeded):
    """A reply leaves through the modem its question came in on (same operator, cheaper);
    after HANDOVER (that modem failed, or came back under another name) any modem takes it."""
    with Session(seeded) as session:
        outbox.enqueue(session, Reply("+6281300000001", "jawaban"), NOW, modem="run1")
        session.commit()
        assert [row.text for row in outbox.due(session, NOW, 10, "run1")] == ["jawaban"]
        early = NOW + outbox.HANDOVER - timedelta(seconds=1)
        assert outbox.due(session, early, 10, "run2") == []
        late = NOW + outbox.HANDOVER
        assert [row.text for row in outbox.due(session, late, 10, "run2")] == ["jawaban"]
