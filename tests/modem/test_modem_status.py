"""`smsbot modem status --ussd CODE` on Gammu's AT driver, against the modem emulator: the
prepaid balance comes back readable however the operator encoded it."""

import json

import pytest
from click.testing import CliRunner

from smsbot.modem.cli import status
from smsbot.modem.emulator import config, pdu as pdus, state as st
from smsbot.modem.transport.gammu_modem import readable_ussd

BALANCE = st.DEFAULT_BALANCE  # "Sisa pulsa Anda Rp12.345. Aktif s/d 31-12-2026."


def modem_status(directory, *args):
    result = CliRunner().invoke(status, ["--modem", str(directory / "gammurc"), *args])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("model, ussd_mode, model_line", [
    ("generic", "gsm", "model:        GSM Modem (firmware 1.0.0)"),
    # A Huawei stick on Telkomsel: packed GSM-7 requests, the answer in UCS2 hex with DCS 72
    ("huawei-e173", "ucs2", "model:        E173 (firmware 11.126.85.00.209)"),
])
def test_balance_by_ussd_is_readable(tmp_path, model, ussd_mode, model_line):
    directory = tmp_path / model
    config.init_dir(directory, model)
    st.update_faults(directory, {"ussd_mode": ussd_mode})
    lines = modem_status(directory, "--ussd", "*888#").splitlines()
    assert f"balance:      {BALANCE}" in lines
    assert model_line in lines  # Gammu names a known model twice ('E173', 'E173'): once here
    assert "network:      TELKOMSEL (TELKOMSEL), HomeNetwork, GPRS Attached" in lines
    assert "SMS memory:   SIM 0/30, phone 0/100 (0 unread)" in lines


def test_a_balance_that_reaches_gammu_as_ucs2_hex_is_decoded(tmp_path):
    """The network labels UCS2 text as GSM-7 (or answers after Gammu switched the character
    set back): Gammu hands over '0053006900730061...'. Before: printed as that hex."""
    directory = tmp_path / "modem"
    config.init_dir(directory)
    with st.transaction(directory) as state:
        state["ussd"] = {"*888#": pdus.ucs2_hex(BALANCE)}
    output = modem_status(directory, "--ussd", "*888#", "--json")
    assert json.loads(output.splitlines()[-1])["ussd"] == BALANCE


@pytest.mark.parametrize("answer, shown", [
    ("0053006900730061002000700075006C00730061", "Sisa pulsa"),           # UCS2
    ("536973612070756C73612052702E333030302E0A", "Sisa pulsa Rp.3000.\n"),  # 8-bit, DCS 0
    ("Sisa pulsa Rp3.000", "Sisa pulsa Rp3.000"),
    ("12345678", "12345678"), ("08123456", "08123456"), ("CAFE", "CAFE"),  # digits stay digits
])
def test_readable_ussd(answer, shown):
    assert readable_ussd(answer) == shown
