"""Patterns of Indonesian and English news pages that mark a line as news or as boilerplate.

Hand-written because no maintained library carries these cues: jusText and trafilatura look
at HTML structure and generic stop-word density, not at "Baca Juga", "Berita Terkini" or a
Tempo stamp; plain-text crawls have lost the structure anyway.
"""

from __future__ import annotations

import re

from kabar.alternation import may_contain
from kabar.text import HAS_WEB_ENDING, WEB_ENDING

# A dateline opens the first paragraph: "HANOI -", "TEMPO.CO, Moskow –", "Jakarta, IDN Times -",
# "KONTAN.CO.ID - HANOI.", "LONDON, June 20 (Reuters) -", "WASHINGTON (AP) —",
# "TRIBUN-PAPUA.COM, NABIRE -" (the Tribun network's hyphenated portal names).
DATELINE = re.compile(
    r"""^(?P<prefix>
        (?:[A-Z][\w.'&]*(?:-[A-Za-z][\w.'&]*)?                 # place or outlet
           (?:[ ][\w.'&()]+){0,4}[ ]?,[ ]?)?                    # ("POS-KUPANG.COM"), comma
        [A-Za-z][\w.'&]*(?:-[A-Za-z][\w.'&]*)?                 # outlet, place or wire
        (?:[ ][\w.'&()/]+){0,4}
        (?:[ ]?[-–—][ ]?[A-Z][A-Z .]{2,30}\.)?                   # KONTAN.CO.ID - HANOI.
    )[ ]?(?:--|[-–—])[ ]+(?=["“]?[A-Z0-9])""",
    re.VERBOSE,
)
# A portal's dateline with the news glued on: "Liputan6.com, Jakarta -Piala Presiden …",
# "Liputan6.com, JakartaDemensia menjadi …" (the place's capital word runs into the lede).
# Also the Tribun network's capitals with the dash glued to the lede:
# "TRIBUNPEKANBARU.COM, PEKANBARU-Kapolda Riau …", "… PEKANBARU -Tim Satuan …".
# And Tempo's capitals before a title-case place: "TEMPO.CO,Jakarta-Bank Indonesia …".
# (The capital branch keeps its capital ending, (?=[A-Z]): a glued match skips the prefix,
# word and length guards of DATELINE, so it stays as narrow as the datelines it was made for.)
DATELINE_GLUED = re.compile(
    rf"""^(?P<prefix>[A-Za-z][\w-]*\.{WEB_ENDING}[ ]?,[ ]?[A-Z][a-z]+(?:[ ][A-Z][\w.]*){{0,2}}
        |[A-Z][A-Z-]*\.(?=[A-Z]){WEB_ENDING}[ ]?,[ ]?[A-Z]{{2,}}(?:[ ][A-Z]{{2,}}){{0,3}})
        (?:[ ]?[-–—]{{1,2}}[ ]?|(?=[A-Z][a-z]))(?=["“]?[A-Z0-9])""",
    re.VERBOSE,
)
DATELINE_PREFIX_OK = re.compile(
    r"^[^a-z]*$|\.(?:CO|COM|ID|NET)\b|\b(?:Times|News|Post|Reuters|AP|AFP|Antara|ANTARA)\b|,|\.[a-z]{2,4}\b"
)

# Lines that are boilerplate wherever they appear. Cues that could also open a news sentence
# ("Penulis buku itu …", "Share prices fell …") count only on a short line (the (?=.{0,80}$)).
LINE_CUES = re.compile(
    r"""^(?:
        baca(?:[ ]juga)?\b.*|lihat[ ](?:juga|foto)\b.*|simak(?:[ ]juga)?\b.*|pilihan[ ]editor\b.*
        |read[ ](?:more|also)\b.*|also[ ]read\b.*|see[ ]also\b.*
        |advertising|advertisement|iklan|ads|sponsored|scroll[ ]to[ ]continue.*
        |\[?gambas\s*:.*
        |artikel[ ]ini[ ]telah[ ]tayang\b.*|dapatkan[ ](?:update|berita|informasi)\b.*
        |download\b.*aplikasi.*|klik[ ]di(?:[ ]sini)?\b.*|click[ ]here\b.*
        |halaman[ ](?:selanjutnya|berikutnya|\d+)\b.*|next[ ]page\b.*
        |\d+[ ](?:detik|menit|jam|hari|minggu|pekan|bulan|tahun)[ ]lalu
        |\d+[ ](?:seconds?|minutes?|hours?|days?|weeks?|months?|years?)[ ]ago
        |social[ ]header|comments?|komentar|\d+[ ]komentar
        |(?=.{0,80}$)(?:
            (?:ilustrasi|illustration)\b.*:.*|related\b.*:.*
            |foto\b\s*:.*|photo(?:graph)?\s*:.*|image\s*:.*|video\s*:.*
            |editor\b.*|penulis\b.*|reporter\b\s*:.*|writer\b\s*:.*|redaktur\b.*|sumber\b\s*:.*
            |source\s*:.*|copyright\b.*|©.*|hak[ ]cipta\b.*|all[ ]rights[ ]reserved.*
            |share(?:[ ]this)?\b.*|bagikan\b.*|follow[ ]us\b.*
            |ikuti\b.*(?:kami|google[ ]news|whatsapp|instagram|saluran).*
            |tonton\b.*|watch\b.*video.*|listen\b.*|dengarkan\b.*
        )
    )$""",
    re.VERBOSE | re.IGNORECASE,
)

# Lines after which nothing is news: related lists, topic tags, author boxes, disclaimers.
# Headings count only as short lines: "Rekomendasi KPK itu …" opens a news sentence.
_TAIL_LINES = r"""
        (?=.{0,60}$)(?:
            berita[ ](?:terkait|terkini|trending|populer|terpopuler|lainnya|pilihan|rekomendasi)\b.*
            |artikel[ ](?:terkait|lainnya|pilihan)\b.*|terpopuler|rekomendasi\b.*|topik\b\s*:?.*
            |tag(?:s)?\s*:.*|related[ ](?:news|articles|stories|coverage)\b.*
            |more[ ](?:from|on|news|stories)\b.*|most[ ](?:read|popular|viewed)\b.*|trending\b.*
            |you[ ]may[ ]also[ ]like.*|recommended\b.*|we[ ]welcome[ ]comments\b.*
        )
        |\((?:additional[ ])?(?:reporting|writing|editing|compiled)[ ]by\b.*
"""
_TAIL_INSIDE = r"\bverified[ ]writer\b|\badalah[ ]media[ ]yang[ ]menyediakan[ ]platform\b"
TAIL_CUES = re.compile(
    rf"""^(?:{_TAIL_LINES}|.*(?:{_TAIL_INSIDE}).*)$""", re.VERBOSE | re.IGNORECASE
)
_TAIL_LINE = re.compile(rf"^(?:{_TAIL_LINES})$", re.VERBOSE | re.IGNORECASE)
_TAIL_IN = re.compile(_TAIL_INSIDE, re.VERBOSE | re.IGNORECASE)


def is_tail_cue(line: str) -> bool:
    """Whether ``TAIL_CUES`` matches ``line`` (see :func:`is_page_chrome`)."""
    if "\n" in line:
        return TAIL_CUES.match(line) is not None
    if _TAIL_LINE.match(line):
        return True
    return may_contain(line, ("verified", "menyediakan")) and bool(_TAIL_IN.search(line))


# A photo credit glued to the dateline that follows it: "Foto: AFP/Kristina KormilitsynaHANOI -".
GLUED_CREDIT = re.compile(
    r"^((?:Foto|Photo|FOTO)\s*:.*?[a-z)])([A-Z]{3,}(?:[ ][A-Z]{3,})*[ ]?[-–—][ ])"
)
CAPTION_CREDIT = re.compile(
    rf"(?<=[\w,])\s*\((?:[^()]*\.{WEB_ENDING}/[^()]*|(?:ANTARA|AFP|AP|Reuters|Getty|EPA|Foto|Photo|Dok)[^()]{{0,60}})\)\.?\s*$",
    re.IGNORECASE,
)
PLACE_AFTER_OUTLET = re.compile(r"^([A-Z]{3,}(?:[ ][A-Z]{2,})*)\.[ ]+(?=[A-Z\"“])")
NUMBERED_HEADING = re.compile(r"^\d{1,2}[.)][ ]+\S")
SIGNOFF = re.compile(
    r"""(?:(?<=[.!?"”])\s*\((?i:antara|red|ant|rls|adv|\*)[^()]{0,12}\)  # (red.J), (ANTARA)
        |\s+[A-Z]{1,4}(?:/[A-Z]{2,8})+(?:/[A-Z]{1,3}-?\d*)?      # SB/AFP/I-1
    )\s*$""",
    re.VERBOSE,
)
SENTENCE_SHAPE = re.compile(r"[.!?\"”’)]\s*$")

# A gallery caption: "May 23: A young heron sits …", "20/6: Presiden …".
DATED_CAPTION = re.compile(
    r"^(?:(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|Januari|Februari|Maret|April|Mei|"
    r"Juni|Juli|Agustus|September|Oktober|November|Desember)[a-z]*\.?[ ]\d{1,2}|\d{1,2}/\d{1,2})\s*:\s+[A-Z]"
)
# A wire stamp glued to the dateline: "HOUSTON | Tue May 25, 2010 2:22 pm EDT HOUSTON (Reuters) - …".
GLUED_STAMP = re.compile(
    r"^([A-Z][\w .,'-]{1,40}[ ]\|[ ](?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)\w*,?[ ]\w+[ ]\d{1,2},?[ ]\d{4}"
    r"(?:[ ]\d{1,2}:\d{2}[ ]?[apAP]\.?[mM]\.?(?:[ ][A-Z]{2,4})?)?)[ ]+(?=\S)"
)
# A photo-credit line on its own: "Foto: AFP/…", "Photograph: Suzanne Plunkett/Reuters".
CREDIT_LINE = re.compile(r"^(?:Foto|Photo|FOTO|Photograph|Gambar)\s*:\s*\S")
# A credit glued to the sentence after it: "Photograph: Suzanne Plunkett/Reuters Tony Hayward, …".
GLUED_PHOTO = re.compile(
    r"^((?:Photograph|Photo|Foto|FOTO)\s*:\s*(?:[^/:]{2,50}(?:/(?:Getty[ ]Images|[A-Z][\w.]*))+"
    r"|(?:Reuters|AP|AFP|PA|EPA|Getty[ ]Images|Corbis|Rex[ ]Features|Alamy|ANTARA)))[ ]+(?=[A-Z\"“]\S*(?:[ ]+\S+){4})"
)
# The skeleton of a related-news item: its age, its "read more" link.
ITEM_SKELETON = re.compile(
    r"""^(?:\d+[ ](?:detik|menit|jam|hari|minggu|pekan|bulan|tahun)[ ]lalu
        |\d+[ ](?:seconds?|minutes?|hours?|days?|weeks?|months?|years?)[ ]ago
        |baca[ ]selengkapnya|selengkapnya|read[ ]more|lanjut[ ]baca|continue[ ]reading)$""",
    re.VERBOSE | re.IGNORECASE,
)
# A dash-list item that is not a sentence: "- 1 Selama 2023-2024, ASDP Kumpulkan …".
DASH_ITEM = re.compile(r"^\s*[-–*][ ]+(?:\d{1,2}[ ]+)?\S(?!.*[.!?][\"”’)]*\s*$)")

# -- reader comments and transcripts --------------------------------------------------------
# Crawled pages keep their comment threads below the story, often glued into one line.
# A marker opens (or signs) a reader's comment; from the first one on, the page is the
# thread. Spacing is loose (" : ", " , ") because tokenised crawls (Timeline17) space
# punctuation. Shapes: BBC Have Your Say "At 2:10 pm on 02 Jun 2009 , ghost wrote :" and
# "At 18:40 23rd Mar 2010 , jenny wrote :", "Added : Tuesday , 19 January , 2010 , 18:16 GMT";
# Washington Post "Posted by : eye95 | July 19 , 2010 9:25 AM | Report abuse"; Reuters
# "Posted by kiwidave | Report as abusive", "Re : Posted by Jason-May 1st , 2009 -- 4:59 pm";
# CNN "March 24 , 2011 at 8:47 am | Reply"; live-blog commenters "high_al at 11:07 am :";
# BBC blogs "12th August 2011 - 23:07 <comment>".
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?"
_CLOCK = r"\d{1,2}[:.]\d{2}(?:\s?[apAP]\.?[mM]\.?)?"
COMMENT_MARKER = re.compile(
    rf"""(?:\bAt\s{_CLOCK}(?:\s[A-Z]{{2,4}})?\s(?:on\s)?\d{{1,2}}(?:st|nd|rd|th)?\s{_MONTH}\s\d{{4}}\s?,\s?[^,:]{{1,40}}?\swrote\s?:
        |\b(?:Added|Published)\s?:\s?(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\s?,\s?\d{{1,2}}\s{_MONTH}\s?,\s?\d{{4}}\s?,\s?\d{{1,2}}:\d{{2}}\s?GMT
        |\bPosted\sby\s?:?\s?\S[^|]{{0,60}}?\|\s?(?:Report\s(?:abuse|as\sabusive)|{_MONTH}\s\d{{1,2}}\s?,\s?\d{{4}})
        |\b(?:Re\s?:\s?)?Posted\sby\s\S+(?:\s\S+){{0,3}}?\s?-?\s?{_MONTH}\s\d{{1,2}}(?:st|nd|rd|th)?\s?,\s?\d{{4}}\s?(?:--|,)?\s?{_CLOCK}
        |\b{_MONTH}\s\d{{1,2}}\s?,\s?\d{{4}}\s(?:at\s)?{_CLOCK}\s?\|\s?Reply\b
        |\|\s?Report\s(?:abuse|as\sabusive)\b
        |^[a-z][\w.-]*\sat\s{_CLOCK}\s?:
        |^\d{{1,2}}(?:st|nd|rd|th)?\s{_MONTH}\s\d{{4}}\s?-\s?\d{{1,2}}:\d{{2}}\s(?=\S)
    )""",
    re.VERBOSE,
)
# Headers of a comment thread: what follows them is readers, not the story.
COMMENT_HEADER = re.compile(
    r"""^(?:(?:add|post|leave|read|view|show|see)\s(?:your|a|all|the)?\s?comments?\b
        |(?:leave|share|post|add|offer|send)\s(?:your|them|us|a)\b[^.?!]{0,40}\bcomments?\b
        |(?:a\s)?selection\sof\s(?:your|readers'?)\s(?:comments|views|e-?mails)\b|your\scomments\s(?:appear|are\sshown)\sbelow
        |you\scan\ssend\s(?:us\s)?your\s(?:experiences|comments|views|pictures|photos)\b
        |have\syour\ssay\b(?!\s*$)|this\sdebate\sis\s(?:now\s)?closed\b|comments?\s(?:are|is)\s(?:now\s)?closed\b
        |the\scomments\sto\sthis\sentry\sare\sclosed\b|all\scomments\sare\sposted\b
        |(?:\d+\s)?(?:comments?|reader\scomments|your\scomments|readers'?\scomments)\s?:?\s?$
        |comments\sour\seditors\sfind\b|offer\sthem\sin\sthe\scomments\b
        |this\scomment\swas\sremoved\sbecause\b|sort\sby\s?:?\s(?:newest|oldest)\b
        |(?:\d+\s)?(?:people\s)?recommended\sby\s\d+
    )""",
    re.VERBOSE | re.IGNORECASE,
)
# A blog post's closing byline with its time stamp ("By Chris Cillizza | May 27 , 2010 ;
# 2:08 PM ET"): on pages with a comment thread the first comment follows it unmarked.
BLOG_SIGNOFF = re.compile(
    rf"\bBy\s[A-Z][^|]{{1,80}}\|\s?{_MONTH}\s\d{{1,2}}\s?,\s?\d{{4}}\s?;\s?{_CLOCK}(?:\s?[A-Z]{{2,3}})?"
)
# A transcript's speaker label: "Tim Hanson : …", "BILL O'REILLY , HOST : …", "Q: …".
SPEAKER_LABEL = re.compile(
    r"^(?P<name>[A-Z][\w'.-]*(?:\s[A-Z][\w'.-]*){0,3})(?:\s?,\s?[A-Z][\w'.-]*(?:\s[\w'.-]+){0,5})?\s?:\s"
)
# Labels that open a line without anyone speaking.
NOT_SPEAKERS = frozenset(
    """photograph photo foto added published update updated note source sumber watch fact
    focus status highlights editor editor's warning update caption video audio read related
    background analysis correction clarification""".split()
)
# --- Page chrome of real Indonesian and English pages (issue 18), kept apart from the cues
# above so other cue lists can grow without merge conflicts. Every cue is a whole line.
_PAGE_CHROME_LINES = r"""
        load[ ]more\W*|muat[ ]lebih[ ]banyak\W*|lihat[ ]selengkapnya\W*|tampilkan[ ]lebih[ ]banyak\W*
        |\d+(?:[.,]\d+)?[kK]?[ ]?shares?\b.*                        # "17Shares", "1.2K Shares"
        |(?:(?:facebook|twitter|whatsapp|telegram|line|linkedin|pinterest|email|e-mail|copy[ ]link
            |salin[ ]tautan|x|instagram|reddit|flipboard|print|cetak)[\s/|,·•]*){2,}
        |artikel[ ]ini[ ](?:telah|sudah)[ ](?:diubah|diperbarui|diperbaharui|mengalami[ ]perubahan|dikoreksi)\b.*
        |\(?(?:catatan|ralat|koreksi)[ ]redaksi\b.*|editor'?s[ ]note\b.*|correction\s*:.*
        |disclaimer\s*:?.*|(?:isi[ ])?komentar[ ](?:di[ ]luar|menjadi|sepenuhnya)[ ]tanggung[ ]jawab\b.*
        |(?:\(|\[)?(?:adv|advertorial|ads?)(?:\)|\])?
        |scroll[ ]ke[ ]bawah\b.*|tampilkan[ ]ringkasan[ ]artikel|dengarkan[ ]artikel|bagikan
        |[—–-][ ]?.{1,60}\(@\w+\)[ ]\w+[ ]\d{1,2},[ ]\d{4}    # tweet embed credit
        |_{3,}|\*{3,}|-{3,}
        |.{3,80}\bcontributed[ ]to[ ]this[ ]report\.?|follow[ ].{2,40}\bcoverage\b.*
        |subscribe[ ]to[ ].{0,60}newsletter.*|get[ ]the[ ]day.s[ ]top[ ]headlines\b.*
        |\(graphic\s*:.*\)|(?:additional[ ])?reporting[ ]by\b.*(?:editing|writing)[ ]by\b.*
"""
_PAGE_CHROME_INSIDE = r"""
        \bsilakan[ ]berkomentar\b|\bkomentar[ ]yang[ ](?:mengandung|bersifat)\b
        |(?:https?://t\.co/\w+|pic\.twitter\.com/\w+)\s*$     # a tweet's link ends the line
"""
PAGE_CHROME = re.compile(
    rf"""^(?:{_PAGE_CHROME_LINES}|.*(?:{_PAGE_CHROME_INSIDE}).*)$""", re.VERBOSE | re.IGNORECASE
)
# The two parts, for :func:`is_page_chrome`.
_PAGE_CHROME_LINE = re.compile(rf"^(?:{_PAGE_CHROME_LINES})$", re.VERBOSE | re.IGNORECASE)
_PAGE_CHROME_IN = re.compile(_PAGE_CHROME_INSIDE, re.VERBOSE | re.IGNORECASE)


def is_page_chrome(line: str) -> bool:
    """Whether ``PAGE_CHROME`` matches ``line``: on a line without a newline, its whole-line
    cues, or one of the cues it reads anywhere in the line (``.*`` before them made ``re``
    walk the line back and forth for each), searched only if the line holds their words."""
    if "\n" in line:
        return PAGE_CHROME.match(line) is not None
    if _PAGE_CHROME_LINE.match(line):
        return True
    return may_contain(line, ("komentar", "t.co/", "pic.twitter.com/")) and bool(
        _PAGE_CHROME_IN.search(line)
    )


# The related-article cue glued inside a line of scraped text: "… kata dia. Baca Juga: …".
GLUED_READ_ALSO = re.compile(
    r"(?:^|(?<=\s)|(?<=[.!?\"”]))(?:(?:baca[ ]juga|baca|read[ ]also|also[ ]read|lihat[ ]juga"
    r"|simak[ ]juga)\s*(?::|>>|»)|baca[ ]juga[ ][-–](?=\s))",  # ".Baca juga:" glued, "BACA JUGA -"
    re.IGNORECASE,
)
# An editorial note glued after the last sentence of a paragraph: "… kata dia. Artikel ini
# telah diubah pada …", "… (Catatan redaksi: …)".
GLUED_NOTE = re.compile(
    r"(?<=[.!?\"”])\s+(?=\(?(?:artikel[ ]ini[ ](?:telah|sudah)[ ](?:diubah|diperbarui|diperbaharui"
    r"|mengalami[ ]perubahan|dikoreksi)|catatan[ ]redaksi|ralat\s*:|koreksi\s*:))",
    re.IGNORECASE,
)

# Words that open a sentence and never a dateline: "Selain Gerindra -", "Menurut dia -".
DATELINE_NON_OPENERS = frozenset(
    """selain menurut sementara namun meski meskipun saat ketika dalam di dari untuk dengan bagi
    sejak setelah sebelum adapun kemudian lalu yakni yaitu bahkan hal itu ini ia dia mereka kami
    kita para sang the a an in on at after before when while but and however meanwhile this
    that it he she they we""".split()
)
_MONTHS_EN_ID = re.compile(
    r"^(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|januari|februari|maret|april|mei|"
    r"juni|juli|agustus|september|oktober|november|desember)[a-z]*\.?$",
    re.IGNORECASE,
)


def dateline_words_ok(prefix: str) -> bool:
    """A dateline is places, an outlet and a wire in capitals: "TEMPO.CO, Moskow",
    "LONDON, June 20 (Reuters)", "HAYWARD, Calif. (AP)". Lowercase words ("Rute uji coba fase
    satu") or a sentence opener ("Selain Gerindra") mean the dash was inside a sentence."""
    words = re.sub(r"\([^()]*\)", " ", prefix).replace(",", " ").split()
    if not words or words[0].lower().strip(".") in DATELINE_NON_OPENERS:
        return False
    for word in words:
        core = word.strip(".'’")
        if not core or core[0].isupper() or core[0].isdigit() or _MONTHS_EN_ID.match(core):
            continue
        if HAS_WEB_ENDING.search(word):
            continue  # "tempo.co"
        return False
    return True


# --- Scraped-text chrome of Indonesian portals (issue 18, eval/gold/scraped dev part), kept
# apart from PAGE_CHROME for the same reason. Every cue is a whole line.
SCRAPE_CHROME = re.compile(
    r"""^(?:
        \((?:[a-z]{2,4}/){1,3}[a-z]{2,4}\)|\([a-z]{2,4}\)|\(\*\)        # desk sign-offs "(kpl/khs)", "(kha)"
        |\(?(?:ayo[ ])?ikuti[ ]saluran[ ]whatsapp\b.*                  # KapanLagi promo
        |yuk,?[ ](?:baca|simak)\b.*|update[ ]berita[ ]lainnya\b.*|!!!.*!!!
        |(?:a[ ]post[ ]shared[ ]by|sebuah[ ]kiriman[ ]dibagikan[ ]oleh
            |view[ ]this[ ]post[ ]on[ ]instagram|lihat[ ]postingan[ ]ini[ ]di[ ]instagram)\b.*
        |\((?:reporter|penulis|editor)\s*:[^()]*\)                       # "(Reporter: … | Editor: …)"
        |(?=.{0,140}$).*\((?:credit|image(?:[ ]by)?|instagram|x\.com|weverse|mydramalist)\b[^()]*\)\.?
        |berikan[ ]rating\b.*|thanks[ ]for[ ]rating\W*|terima[ ]kasih[ ]sudah[ ]membantu\b.*\brating.*
    )$""",
    re.VERBOSE | re.IGNORECASE,
)
# A desk sign-off on its own line: reporter and editor initials, "(anl/ega)", "(kpl/khs)".
DESK_SIGNOFF = re.compile(r"^\((?:[a-z]{2,4}/){1,3}[a-z]{2,4}\)$")
# An Okezone sign-off: the editor's name in brackets closing the story, "(Arief Setyadi )".
NAME_SIGNOFF = re.compile(r"^\((?:[A-Z][\w.'’-]*[ ]?){1,5}\)$")
