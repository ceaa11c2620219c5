"""The short chaos run: the daemon as a subprocess on the dummy modem, kill -9 at random
moments, restart; nothing lost, nothing answered twice outside the one known window (a
kill inside Gammu's SendSMS after the modem took the SMS). The full run (1,000 SMS, 50
kills) is `python scripts/chaos.py`."""

from ..conftest import load_script


def load_chaos():
    return load_script("chaos")


def test_kill_9_ten_times_loses_nothing(tmp_path):
    chaos = load_chaos()
    report = chaos.run_chaos(tmp_path / "chaos", sms=100, kills=10, seed=11, max_delay=1.5,
                             out=lambda _line: None)
    summary = "\n".join(report.lines())
    assert report.kills == 10 and report.kills_with_work_in_flight >= 5, summary
    assert report.inbound == 100 and report.inbound_duplicated == 0, summary
    assert report.answered == 100 and report.not_answered == 0, summary
    assert report.outbox_rows == 100 and not report.outbox_not_sent, summary
    assert report.recipients_missing == 0 and report.inbox_left == 0, summary
    assert report.losses == 0, summary
    # a second send only ever comes from a row interrupted inside the modem call
    assert report.unexplained_duplicates == 0, summary
    assert report.recipients_twice <= report.requeued_after_kill, summary
