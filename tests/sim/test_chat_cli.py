"""`smsbot chat`: the JSON-lines scripting contract."""

import json
import subprocess

import pytest

from ..conftest import smsbot_here


def chat(env, *events, raw_lines=()):
    stdin = "".join(json.dumps(e) + "\n" for e in events) + "".join(raw_lines)
    done = subprocess.run(["smsbot", "chat"], env=env, input=stdin, capture_output=True,
                          text=True, timeout=60)
    return done, [json.loads(line) for line in done.stdout.splitlines()]


@pytest.mark.backends
def test_output_shape_and_state_between_runs(cli_env):
    assert smsbot_here(cli_env, "db", "seed").returncode == 0
    done, out = chat(cli_env, {"from": "081300000001", "text": "CARI rendang telur",
                               "at": "2026-11-27T10:00:00+07:00"})
    assert done.returncode == 0, done.stderr
    assert out == [{"to": "+6281300000001", "text": out[0]["text"], "segments": 1,
                    "encoding": "gsm7", "kind": "reply"}]
    assert out[0]["text"].startswith("1)RT03 ")
    # a second run continues the same list: state lives in the database
    _, out = chat(cli_env, {"from": "+6281300000001", "text": "lagi",
                            "at": "2026-11-27T10:05:00+07:00"})
    assert out[0]["text"].startswith("4)RT07 ")


@pytest.mark.backends
def test_at_only_lines_bad_lines_and_ignored_senders(cli_env):
    done, out = chat(cli_env, {"at": "2026-11-27T10:00:00"}, {"from": "TELKOMSEL", "text": "promo"},
                     {"from": "081300000002", "text": "halo"},
                     raw_lines=["not json\n", '{"text": "no sender"}\n', "[1, 2]\n",
                                '{"from": "081300000002", "text": "bantuan"}\n'])
    assert done.returncode == 2
    assert [o["to"] for o in out] == ["+6281300000002", "+6281300000002"]
    assert "line 4:" in done.stderr and "line 5:" in done.stderr and "line 6:" in done.stderr
    assert "Traceback" not in done.stderr


def test_output_is_written_before_the_next_line_is_read(cli_env):
    """The process's own output buffering: the same on any database, run on SQLite."""
    proc = subprocess.Popen(["smsbot", "chat"], env=cli_env, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    try:
        for text in ("BANTUAN", "halo"):
            proc.stdin.write(json.dumps({"from": "081300000003", "text": text}) + "\n")
            proc.stdin.flush()
            reply = json.loads(proc.stdout.readline())  # would block if output waited for EOF
            assert reply["to"] == "+6281300000003"
    finally:
        proc.stdin.close()
        proc.wait(timeout=30)
    assert proc.returncode == 0
