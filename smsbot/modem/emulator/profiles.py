"""What each emulated modem says about itself, and what Gammu makes of it.

libGammu picks a modem's quirks (libgammu/gsmphones.c) from the model the modem reports to
AT+CGMM, not from the gammurc `model` line: `model = at` only forces the AT driver. So the
huawei-e173 profile answers "E173", which gives it F_HUAWEI_INIT (Gammu then sends AT^CURC=0,
AT+CFUN=1, AT^PORTSEL=1), F_SMS_LOCATION_0 (the modem numbers its storage from 0) and
F_ENCODED_USSD (USSD strings travel as packed GSM-7 hex). SIMCom modules have no entry in
gsmphones.c: Gammu drives them as a plain AT modem.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Profile:
    name: str
    manufacturer: str
    model: str
    revision: str
    imei: str
    imsi: str
    index_base: int = 1             # first storage index (+CMGL/+CMGR/+CMGD)
    encoded_ussd: bool = False      # USSD strings are packed GSM-7 hex whatever the charset
    extra_ok: tuple[str, ...] = ()  # vendor commands answered OK (prefixes after "AT")
    gammu_model: str = "at"         # what --init writes as `model =`


PROFILES = {
    "generic": Profile("generic", "Generic", "GSM Modem", "1.0.0", "356938035643809",
                       "510109000000001"),
    "huawei-e173": Profile("huawei-e173", "huawei", "E173", "11.126.85.00.209", "353143045566778",
                           "510109000000002", index_base=0, encoded_ussd=True,
                           extra_ok=("^CURC", "^PORTSEL", "^SYSCFG", "^U2DIAG")),
    "sim800": Profile("sim800", "SIMCOM_Ltd", "SIMCOM_SIM800L", "Revision:1418B04SIM800L24",
                      "865067021234567", "510109000000003",
                      extra_ok=("+CSCLK", "+CIURC", "+CLTS", "&W")),
}


def get(name: str | None) -> Profile:
    return PROFILES[name or "generic"]
