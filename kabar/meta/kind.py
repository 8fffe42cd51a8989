"""What kind of piece an article is: news (a happening reported) or a service piece.

A service piece — a horoscope, a weather forecast, a daily market reading (a price or an
index of the day: "Harga Kripto Hari Ini 19 Juni", "IHSG Dibuka Menguat", stock picks), a
prayer or holiday calendar, a schedule, a how-to or registration guide, a fashion or tips
listicle — reports no happening. Outlets publish the same genre every day in the same words ("Ramalan Zodiak
Besok 10 Juni 2025: Cinta, Karier"), so by vocabulary alone a week of horoscopes or of
"7 Model Gamis" looks like one tight thread, and the grouping chained them into stories
of 40-60 articles (newsweek). The kind lets the grouping keep service pieces from
gathering by genre (:mod:`kabar.stories`) and the UI tell them apart.

The rule reads the title (and the start of the body for a bare title): the genre's own
words and the listicle's shape ("7 Model …", "Ini 5 Tips …"), in Indonesian and English.
A news report that matches ("Begini Cara Polisi Ungkap …") loses little: a service piece
still joins a news thread it shares a happening with; it only does not gather with other
service pieces by genre.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from kabar.model import Article

Kind = Literal["news", "service"]

_GENRE = re.compile(
    r"\b(?:"
    # horoscopes, calendars, "on this day"
    r"zodiak|horoskop|horoscopes?|ramalan\s+(?:zodiak|shio|cinta|karier|keuangan)|shio|primbon"
    r"|weton|kalender\s+(?:jawa|hijriah|islam)|tanggal\s+merah|libur\s+nasional"
    r"|hari\s+ini\s+dalam\s+sejarah|on\s+this\s+day"
    # daily market readings: a price or an index of the day, like the weather
    r"|harga\s+(?:(?!hari\b|minyak\b)\w+\s+){1,4}hari\s+ini|harga\s+emas|emas\s+antam|harga\s+(?:bitcoin|kripto)"
    r"|^\W*ihsg\b|prediksi\s+ihsg"
    r"|rekomendasi\s+saham|kurs\s+rupiah|rupiah\s+(?:hari\s+ini|dibuka|ditutup|pagi|sore)"
    # weather
    r"|prakiraan\s+cuaca|cuaca\s+(?:hari\s+ini|besok)|weather\s+forecast"
    # prayer and worship services
    r"|jadwal\s+(?:sholat|salat|shalat|imsakiyah|buka\s+puasa)|khutbah|bacaan\s+(?:doa|niat)"
    r"|niat\s+(?:puasa|sholat|salat)"
    # schedules, guides, how-tos
    r"|jadwal\s+(?:lengkap|tayang|acara|terbaru|pendaftaran|pencairan)|link\s+(?:live\s+)?streaming"
    r"|live\s+streaming|cara\s+(?:cek|daftar|mendaftar|membuat|bikin|urus|mengurus|cairkan"
    r"|mencairkan|beli|membeli|mengecek|melihat|download|mengunduh|ke)"
    r"|panduan\s+lengkap|syarat\s+dan\s+cara"
    # fashion and home listicles without a number
    r"|ootd|outfit|padu\s+padan|(?:inspirasi|rekomendasi|ide)\s+(?:\w+\s+)?(?:model|gaya|desain"
    r"|outfit|baju|dress|gamis|hijab|rumah|menu|resep|kado|hadiah)"
    r")\b",
    re.IGNORECASE,
)
_HOW_TO = re.compile(r"^\W*how\s+to\b", re.IGNORECASE)
"""English "how to" only heading a title: in a sentence it is any report's words."""
_LISTICLE = re.compile(
    r"(?<![\d.,])\b\d{1,3}\+?\s+(?:"
    r"model|ide|inspirasi|tips|trik|cara|resep|rekomendasi|desain|outfit|ootd|gaya|potret"
    r"|ucapan|contoh|twibbon|kata-kata|quotes|makanan|minuman|manfaat|khasiat|zodiak|shio"
    r"|dress|gamis|hijab|baju|kemeja|celana|tunik|kebaya|sepatu|tas|warna|parfum|skincare"
    r"|ways|tips|ideas|recipes|things|outfits"
    r")\b(?!\s+(?:yang\s+)?(?:terjual|diproduksi|ditarik|baru\s+meluncur|meluncur))",
    re.IGNORECASE,
)


def article_kind(title: str, body: str = "") -> Kind:
    """``"service"`` when the title (or, for a title of under four words, the body's first
    200 characters) has a service genre's words or a listicle's shape; else ``"news"``."""
    text = title if len(title.split()) >= 4 else f"{title} {body[:200]}"
    if _GENRE.search(text) or _LISTICLE.search(text) or _HOW_TO.search(text):
        return "service"
    return "news"


def kind_of(article: Article) -> Kind:
    """The article's kind, judged now if it was stored before kinds were (``None``)."""
    return article.kind or article_kind(article.title, article.body)
