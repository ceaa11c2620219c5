"""IKUTI follows a known shop (code or name) or the catalog's food, nothing else: an
operator's promo starting "Ikuti ..." gets what can be followed. And the seller's PROMO
(alias DISKON) from a buyer says what it is for, not how to type it."""

from sqlmodel import Session, col, select

from smsbot.broadcasts.models import Follow
from tests.conftest import speaks_english

BUYER = "081300000001"


def follows(engine):
    with Session(engine) as session:
        return [(f.kind, f.value) for f in session.exec(select(Follow).order_by(col(Follow.id)))]


def test_ikuti_follows_shops_and_food_and_explains_anything_else(conversation, seeded):
    conversation.check(f"""
        {BUYER} > Ikuti JobFairActive & UjiKlyakanKerjaBerstifikat. Daftar skrg di link ini
        {BUYER} < Yg bisa diikuti: toko (kode atau nama) atau makanan. Contoh: IKUTI RDG1, IKUTI Uni Emi, IKUTI rendang. Kode toko ada di hasil CARI.
        {BUYER} > IKUTI sepatu
        {BUYER} <~ Yg bisa diikuti: toko
        {BUYER} > IKUTI uni emi
        {BUYER} < Anda mengikuti Rendang Uni Emi (RDG1). Ketik DAFTAR agar promo dikirim.
        {BUYER} > IKUTI RT02
        {BUYER} < Anda mengikuti Rendang Amak Ida (RDG2). Ketik DAFTAR agar promo dikirim.
        {BUYER} > IKUTI galamai
        {BUYER} < Anda mengikuti promo galamai. Ketik DAFTAR agar promo dikirim.
        {BUYER} > DISKON 30RIBU khusus pelanggan baru, pakai kode ini
        {BUYER} < PROMO perintah penjual (pasang diskon produk toko), hanya dari nomor toko terdaftar. Mau jualan? Hubungi kantor UMKM Payakumbuh. Pembeli: ketik BANTUAN
    """)
    assert follows(seeded) == [("shop", "RDG1"), ("shop", "RDG2"), ("word", "galamai")]


def test_ikuti_and_the_gate_in_english(conversation, seeded):
    speaks_english(seeded, BUYER)
    conversation.check(f"""
        {BUYER} > Ikuti JobFairActive & UjiKlyakanKerjaBerstifikat
        {BUYER} < You can follow a shop (code or name) or a food. Example: IKUTI RDG1, IKUTI Uni Emi, IKUTI rendang. Shop codes are in CARI results.
        {BUYER} > IKUTI rendang
        {BUYER} < You follow rendang promos. Send DAFTAR to get promos.
        {BUYER} > DISKON 30RIBU for new customers
        {BUYER} < PROMO is a seller command (a product discount), only from a registered shop number. Want to sell? Contact the Payakumbuh UMKM office. Buyers: send BANTUAN
        {BUYER} > SIARAN 1234 sekarang halo
        {BUYER} < SIARAN is a Payakumbuh UMKM admin command (SMS to every customer), not available from your number. Commands: send BANTUAN
    """)
    assert follows(seeded) == [("word", "rendang")]
