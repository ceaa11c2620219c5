"""The city benchmark's smoke run (`scripts/bench_city.py --quick`): every part runs and
prints its figures on a tiny city (correctness only, never timing)."""

import subprocess
import sys

import pytest

from .conftest import ROOT


@pytest.mark.slow
def test_bench_city_quick_prints_every_figure(tmp_path):
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "bench_city.py"), "--quick",
                           "--dir", str(tmp_path)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    out = done.stdout
    for figure in ("smsbot import shops", "cold start", "cold start of the daemon",
                   "from the database alone", "CARI per message", "LOKASI per message",
                   "ratio city/demo", "full index builds during it: 0",
                   "naive (whole index rebuilt per change", "ratio naive/ours", "pure core",
                   "/peta.json whole city (no bbox)", "peak RSS"):
        assert figure in out, figure
