"""Only an SMS a person wrote is answered, end to end through libGammu (the dummy driver, and
the AT driver on the emulator) and `smsbot run --until-idle`. The messages are real phones' PDUs
from Gammu's own test data (gammu/gammu tests/at-sms/NN.dump, `AT+CMGR` answers), stored in the
modem as the network would: everything is kept and removed from the modem, only people get
answers."""

import pytest
from sqlmodel import Session, select

from smsbot.messages.models import InboundMessage, OutboxMessage
from smsbot.store import engine as db

from ..conftest import smsbot_here

pytestmark = pytest.mark.backends

# sender (as Gammu decodes it) -> a real PDU
REAL = {
    # 36: SMS-STATUS-REPORT from an Indonesian SMSC on reference 1 (nothing of ours matches)
    "+6285717373455": "07912658050000F006010D91265817373754F501010161705382010101617083820000",
    # 02: an SMS-SUBMIT left in storage ("May salary na ba?")
    "+639193770523": "0791361907001003B17A0C913619397750320000AD11CD701E340FB3C3F23CC81D0689C3BF",
    # 33: an 8-bit WAP push (MMS notification), sender in national form
    "33707520030": "07913307005630F0440BA13307570230F00006017010900412806A0605040B8423F0040603"
                   "BEAF848C829831323737393730303539008D92891980160433333730373532303033302F5459"
                   "50453D504C4D4E009679424F008A808E0122880481020BB883687474703A2F2F6D6D73632E"
                   "6C61626D6374656C2E66723A393039302F6D333300",
    # 40: an 8-bit WAP push ("application/vnd.wap.mms-message") from an international number
    "+11476124010": "07912374151616F6440B911174164210F000F571309290346280860605040B8423F04F0622"
                    "6170706C69636174696F6E2F766E642E7761702E6D6D732D6D65737361676500AF848C8298"
                    "3831343630343934406D6D7331008D928918802B33333333333439333231312F545950453D"
                    "504C4D4E0096008F8186818A808E03017A598805810303F48083687474703A2F2F6D74732F"
                    "3F69643D383134363034393400",
    # 39: a short code ("llamada perdida de: ...")
    "9494": "07914336120011F10404A14949000021807001253040356C76B81D268741F0B29C9C268741E4B20EB4"
            "9AD16CB19BAD368BD96EA0B71B04BBBD603810284C078162315D2CE70289EBFAE1AC0CB2BFF52C10FC2D"
            "0799C3F6B71CC46687DB6550980D8AC962",
    # 09: "hellohello" from a South African number in national form (no '+'): not +62...
    "27838890001": "07917283010010F5040BC87238880900F10000993092516195800AE8329BFD4697D9EC37",
    # 03: "Ok sir" from an Indian number in international form: a person
    "+919884280026": "0791198948004544040C9119894882006200007050307040042206CF35689E9603",
}


SUBMIT_NOTE = "not answered: an outgoing SMS (SMS-SUBMIT) left in the modem's storage"


def smsbot(env, *args):
    """The command in this process: the installed script is test_gammu_end_to_end's."""
    done = smsbot_here(env, *args)
    assert done.returncode == 0, done.stderr
    return done


def test_only_a_persons_text_sms_is_answered_and_everything_is_kept(modem, cli_env):
    smsbot(cli_env, "db", "seed")
    modem.inject_pdus(list(REAL.values()))
    modem.inject("TELKOMSEL", "Sisa pulsa Anda Rp1.500")
    modem.inject("081300000001", "CARI galamai")
    modem.inject("+6281300000002", "CARI rendang \u2713")  # UCS-2: a person's text too
    assert modem.inbox_count() == 10

    smsbot(cli_env, "run", "--modem", str(modem.config()), "--until-idle")

    # Gammu's AT driver files a stored SMS-SUBMIT in the modem's outbox folder (the dummy keeps
    # the folder it was put in): not received, so neither read nor deleted by the bot there
    submit_in_outbox = modem.driver == "at"
    assert modem.inbox_count() == (1 if submit_in_outbox else 0)  # removed from the modem ...
    with Session(db.make_engine(cli_env["SMSBOT_DB"])) as session:
        inbound = {m.sender: m for m in session.exec(select(InboundMessage))}  # ... all kept
        sent = session.exec(select(OutboxMessage)).all()
    if submit_in_outbox:
        assert "+639193770523" not in inbound
        inbound["+639193770523"] = InboundMessage(sender="+639193770523", text="May salary na ba?",
                                                  status="ignored", note=SUBMIT_NOTE)
    assert {sender: (m.status, m.note) for sender, m in inbound.items()} == {
        "+6285717373455": ("ignored", "not answered: status report (delivered, TP-Status 0x00, "
                                      "reference 1); no sent SMS matches it"),
        "+639193770523": ("ignored", SUBMIT_NOTE),
        "33707520030": ("ignored", "not answered: binary SMS (8-bit data or WAP push; text kept "
                                   "as hex)"),
        "+11476124010": ("ignored", "not answered: binary SMS (8-bit data or WAP push; text kept "
                                    "as hex)"),
        "9494": ("ignored", "not answered: shortcode sender"),
        "27838890001": ("ignored", "not answered: number without country code, not in "
                                   "Indonesian form"),
        "TELKOMSEL": ("ignored", "not answered: alphanumeric sender"),
        "+919884280026": ("processed", ""),
        "081300000001": ("processed", ""),
        "+6281300000002": ("processed", ""),
    }
    assert inbound["27838890001"].sender_e164 is None  # never turned into +6227838890001
    assert inbound["+639193770523"].text == "May salary na ba?"
    assert b"application/vnd.wap.mms-message\x00" in bytes.fromhex(
        inbound["+11476124010"].text)  # the payload, whole
    assert sorted(m.to for m in sent) == ["+6281300000001", "+6281300000002", "+919884280026"]
    recipients = [to for to, _text in modem.sent()]
    assert sorted(recipients) == ["+6281300000001", "+6281300000002", "+919884280026"]

    smsbot(cli_env, "run", "--modem", str(modem.config()), "--until-idle")  # nothing twice
    assert len(modem.sent()) == 3
