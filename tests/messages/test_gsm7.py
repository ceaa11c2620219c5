import gammu
from hypothesis import given, settings, strategies as st

from smsbot.messages.gsm7 import is_gsm7, measure, to_gsm7


def test_curly_quotes_dashes_and_accents_become_plain():
    assert to_gsm7("“Rendang” – enak… café") == '"Rendang" - enak... café'
    assert to_gsm7("Kue ‘pinyaram’ ÷ naïve") == "Kue 'pinyaram' ? naive"


def test_emoji_are_dropped():
    assert to_gsm7("Enak 😋👍🏽 sekali ❤️") == "Enak  sekali "


def test_other_scripts_become_question_marks_not_ucs2():
    text = to_gsm7("ренданг 仁当")
    assert is_gsm7(text)
    assert measure(text).encoding == "gsm7"


def test_segments_follow_the_real_encoder():
    assert measure("a" * 160).segments == 1
    assert measure("a" * 161).segments == 2
    assert measure("a" * 306).segments == 2
    assert measure("a" * 307).segments == 3
    assert measure("[" * 80).segments == 1  # extension characters count double
    assert measure("[" * 81).segments == 2
    assert measure("é" * 160).encoding == "gsm7"  # é is in the GSM-7 basic set


def test_ucs2_is_reported_when_the_text_needs_it():
    result = measure("仁" * 71)
    assert result.encoding == "ucs2" and result.segments == 2


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_anything_becomes_gsm7_and_encodes_as_gsm7(text):
    clean = to_gsm7(text)
    assert is_gsm7(clean)
    parts = gammu.EncodeSMS({"Class": -1, "Entries": [{"ID": "ConcatenatedAutoTextLong",
                                                        "Buffer": clean}]})
    assert all(not p["Coding"].startswith("Unicode") for p in parts)
