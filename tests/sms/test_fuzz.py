"""Hostile input over the whole router: random and adversarial texts from random senders.
No exception, every reply passes the gate, the store stays consistent.
`scripts/fuzz.py` runs the same checks on 100,000 cases."""

import itertools
from datetime import datetime, timedelta, timezone

from hypothesis import HealthCheck, given, settings, strategies as st

from smsbot.messages.limits import Limits
from smsbot.sim.seed import seed_demo
from smsbot.sms import grammar as grammar_module
from smsbot.store import engine as db
from smsbot.testing import hostile

START = datetime(2026, 11, 27, 3, 0, tzinfo=timezone.utc)

texts = st.one_of(
    st.text(max_size=200),
    st.text(st.characters(codec="utf-8"), max_size=1000),
    st.lists(st.sampled_from(hostile.PIECES), min_size=1, max_size=8).map(" ".join),
    st.tuples(st.sampled_from(hostile.PIECES), st.integers(1, 200)).map(lambda p: p[0] * p[1]),
    st.builds(lambda a, b, c: a + b + c, st.sampled_from(hostile.PIECES[:20]),
              st.sampled_from(["", " ", "#", "*", ".", "\n"]), st.text(max_size=60)),
)
people = st.sampled_from(hostile.SENDERS[:5])
senders = st.one_of(people, people, st.sampled_from(hostile.SENDERS), st.text(max_size=20))


def test_hostile_texts_never_crash_and_every_reply_passes_the_gate(tmp_path):
    engine = db.make_engine(f"sqlite:///{tmp_path / 'fuzz.db'}")
    seed_demo(engine, START)
    catalog = hostile.catalog_fingerprint(engine)
    grammar = grammar_module.load()
    limits = Limits()
    clock = {"now": START}
    uids = itertools.count()
    tally = hostile.Tally()

    @settings(max_examples=500, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(sender=senders, text=texts, gap=st.sampled_from([0, 1, 30, 600, 3600]),
           repeat=st.integers(1, 3))
    def one_sms(sender, text, gap, repeat):
        clock["now"] += timedelta(seconds=gap)
        for _ in range(repeat):  # the same SMS again: the loop guard's case
            hostile.run_case(engine, grammar, sender, text, clock["now"], limits,
                             uid=str(next(uids)), tally=tally)

    one_sms()
    assert hostile.check_db(engine, catalog) == []
    assert tally.cases >= 500 and tally.crashes == 0  # each example sent 1 to 3 times
    # the run reached the interesting places, not only the help text
    assert tally.outcomes["answered"] > 100 and tally.outcomes["ignored"] > 50
    assert tally.outcomes["limited"] + tally.outcomes["loop guard"] > 0
    engine.dispose()
