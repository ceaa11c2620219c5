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


def test_fit_cuts_user_text_by_septets_as_the_outbox_gate_counts():
    from smsbot.messages.gsm7 import fit, fits, septets
    from smsbot.messages.outbox import pages_of

    def render(text):
        return f"Keluhan K7QX: {text} Jawab: BALAS K7QX <jawaban>"

    for text in ("{}" * 200, "a€" * 200, "naïve “rendang” … " * 30, "x" * 400):
        for limit in (160, 306):
            fitted = fit(render, text, limit)
            assert fits(fitted, limit)
            assert fitted.endswith("... Jawab: BALAS K7QX <jawaban>")
            assert len(pages_of(fitted)) == 1  # the gate sends it whole
            assert septets(to_gsm7(fitted)) > limit - 8  # and nothing was cut needlessly
    assert fit(render, "rendang basi", 160) == render("rendang basi")
    assert fit(render, "😋" * 400, 160) == render("😋" * 400)  # emoji vanish: nothing to cut
    assert fits("[" * 80) and not fits("[" * 81)
