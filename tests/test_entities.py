"""Entities: the CRF tagger, the rules around it and cross-article resolution, on real text."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pytest
from conftest import ROOT, SHARED_DATA

from kabar.entities import entity_table, extract_mentions, model_mentions, resolve_entities
from kabar.entities.captions import captions
from kabar.entities.features import gazetteer_tags, run_features, sentence_features, tokenize
from kabar.entities.model import MODEL_PATH, CrfTagger, bio_spans, score
from kabar.entities.resolve import fold, initials
from kabar.model import Article, Mention, Story

IDNER_TEST = SHARED_DATA / "ner" / "idner-news-2k" / "test.txt"
T17 = SHARED_DATA / "t17-dev"

# The issue's "done when" list. Pham Minh Chinh is named only in seed 001's photo caption,
# which the cleaner removes from the body: he is found because captions are tagged too.
SEED_ENTITIES = {
    "Vladimir Putin": "PER", "Nguyen Phu Trong": "PER", "To Lam": "PER", "Vo Van Thuong": "PER",
    "Kim Jong Un": "PER", "Pham Minh Chinh": "PER", "Russia": "LOC", "Vietnam": "LOC", "North Korea": "LOC",
    "United States": "LOC", "Ukraine": "LOC", "Moscow": "LOC", "Hanoi": "LOC", "Beijing": "LOC",
    "Sochi": "LOC", "International Criminal Court": "ORG",
}  # fmt: skip


def _article(body: str, language: str = "en") -> Article:
    return Article(id="t", title="", body=body, source="test", raw_text=body, language=language)


def test_bio_spans_follow_conll_conventions() -> None:
    tags = ["B-PER", "I-PER", "O", "I-LOC", "I-LOC", "B-LOC", "I-ORG"]
    spans = [(s.label, s.start, s.end) for s in bio_spans(tags)]
    assert spans == [("PER", 0, 2), ("LOC", 3, 5), ("LOC", 5, 6), ("ORG", 6, 7)]
    result = score([tags], [["B-PER", "I-PER", "O", "B-LOC", "I-LOC", "O", "O"]])
    assert (result["micro"].tp, result["micro"].predicted, result["micro"].gold) == (2, 2, 4)
    assert result["micro"].f1 == pytest.approx(2 / 3)


def test_tokenizer_keeps_names_and_acronyms_whole() -> None:
    words = [w for w, _s, _e in tokenize("Kim Jong-un tiba di AS. Pejabat U.S. hadir.")]
    assert words == ["Kim", "Jong-un", "tiba", "di", "AS", ".", "Pejabat", "U.S.", "hadir", "."]


def test_tokenizer_splits_words_the_scraper_glued_and_keeps_offsets() -> None:
    # the newsweek scraper glued words where it removed links; the body stays as scraped
    text = "Menteri Luar NegeriSugionomenetapkan itu, kata Joey Pelupessymemastikan kepadaRepublika"
    toks = tokenize(text)
    assert [w for w, _s, _e in toks] == [
        "Menteri", "Luar", "Negeri", "Sugiono", "menetapkan", "itu", ",", "kata", "Joey",
        "Pelupessy", "memastikan", "kepada", "Republika",
    ]  # fmt: skip
    assert all(text[s:e] == w for w, s, e in toks)
    # known words, short prefixes and names ending in a root or a function word stay whole
    kept = "YouTube McDonald DeSantis iPhone Kurniawan Danantara Palmerah Environmental"
    assert [w for w, _s, _e in tokenize(kept)] == kept.split()
    # the tagger then ends the name where the verb begins
    text = "Direktur Utama Garuda Joey Pelupessymemastikan Garuda siap."
    people = [text[s:e] for s, e, label in model_mentions(text) if label == "PER"]
    assert any(p.endswith("Joey Pelupessy") for p in people), people


def test_gazetteer_feature_marks_multiword_places_not_lowercase_words() -> None:
    words = "Ia datang dari Korea Utara as the US said".split()
    assert gazetteer_tags(words) == ["O", "O", "O", "B-LOC", "I-LOC", "O", "O", "B-LOC", "O"]


def test_lexical_features_tell_common_words_from_unknown_capitalised_words() -> None:
    # Sentence-initial capitals say nothing; whether the word is an Indonesian word does.
    name = sentence_features("Tumiran mengungkapkan itu di Sumenep .".split())
    common = sentence_features("Rahasia pribadi itu terbongkar .".split())
    assert "lx=N" in name[0] and "lx+1=Nl" in name[0]
    assert "lx=L" in common[0]
    assert "lx=l" in name[1] and "lx-1=Nl" in name[1]
    assert "gcity" in name[4] and "gcity" not in name[0]  # a town too small for the gazetteer


def test_run_features_give_each_word_its_capitalised_run() -> None:
    # A NERGrit-style sentence: a province's name, a school with a number, a hyphenated
    # village and a trailing hyphen that does not belong to the run.
    words = "Lahir di Provinsi Jawa Barat , lulus SMA Negeri 3 Malang , desa Mbuang - Mbuang , Bali -".split()
    runs = run_features(words)
    assert runs[0] == ("r=S", "rl=1", "rp=^")
    assert runs[1] == ()
    assert runs[3] == ("r=I", "rl=3", "rp=di", "rh=provinsi", "rt=barat")
    assert [r[0] for r in runs[7:11]] == ["r=B", "r=I", "r=I", "r=E"]
    assert "rt=malang" in runs[9] and "rp=lulus" in runs[9]
    village = ("rl=3", "rp=desa", "rh=mbuang", "rt=mbuang")
    assert runs[13:16] == [(f"r={pos}", *village) for pos in "BIE"]
    assert runs[17] == ("r=S", "rl=1", "rp=,") and runs[18] == ()
    assert sentence_features(words)[3][-len(runs[3]) :] == list(runs[3])


def test_shipped_model_is_small_and_packaged() -> None:
    assert MODEL_PATH.exists() and MODEL_PATH.stat().st_size < 8_000_000
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    patterns = config["tool"]["setuptools"]["package-data"]["kabar"]
    assert any(MODEL_PATH.name.endswith(p.rsplit("*", 1)[-1]) for p in patterns)
    assert any("python-crfsuite" in d for d in config["project"]["dependencies"])


def test_model_scores_on_idner_test() -> None:
    if not IDNER_TEST.exists():
        pytest.skip(f"idner-news-2k not found under {SHARED_DATA} (shared data absent)")
    gold, words = [], []
    for block in IDNER_TEST.read_text(encoding="utf-8").strip().split("\n\n"):
        rows = [line.split() for line in block.splitlines() if line.strip()]
        words.append([r[0] for r in rows])
        gold.append([r[-1] for r in rows])
    tagger = CrfTagger()
    result = score(gold, [tagger.tag(w) for w in words])
    # eval/ner.py prints the full table; a plain CRF without gazetteers reaches about 0.855,
    # issue 19 asks 0.90 (the shipped model: 0.917).
    assert result["micro"].f1 > 0.90
    assert all(result[label].f1 > 0.75 for label in ("PER", "ORG", "LOC"))


def test_seed_entities_each_appear_once_with_variants_merged(
    seed_corpus: tuple[list[Article], list[Story]],
) -> None:
    articles, _stories = seed_corpus
    table = entity_table(articles)
    by_name: dict[str, list[str]] = {}
    for entity in table:
        by_name.setdefault(entity.name, []).append(entity.label)
    for name, label in SEED_ENTITIES.items():
        assert by_name.get(name) == [label], (name, by_name.get(name))
    aliases = {e.name: set(e.aliases) for e in table}
    assert {"Pengadilan Kriminal Internasional", "ICC"} <= aliases["International Criminal Court"]
    assert {"Amerika Serikat", "AS"} <= aliases["United States"]
    assert {"To Lam", "Lam"} <= aliases["To Lam"]
    # No entity is a bare title, a reporting verb or a fragment.
    assert not {"Presiden", "Dilansir Reuters", "Melansir Reuters", "Partai", "II"} & set(by_name)


def test_captions_are_tagged_and_marked(seed_processed: dict[str, Article]) -> None:
    article = next(a for a in seed_processed.values() if "Pham Minh Chinh" in "".join(a.removed))
    assert "Pham Minh Chinh" not in article.body  # the cleaner keeps the caption out
    chinh = [m for m in article.mentions if m.canonical == "Pham Minh Chinh"]
    assert len(chinh) == 1 and chinh[0].label == "PER" and chinh[0].role == "PM Vietnam"
    assert chinh[0].where == "caption" and chinh[0].line is not None
    assert article.removed[chinh[0].line][chinh[0].start : chinh[0].end] == "Pham Minh Chinh"
    # Body mentions still index the body; every caption mention indexes its own line.
    for m in article.mentions:
        source = article.body if m.where == "body" else article.removed[m.line or 0]
        assert source[m.start : m.end] == m.text, m
    # Only captions are tagged: teasers, menus and the bare credit line are not captions.
    removed = [line for a in seed_processed.values() for line in a.removed]
    caption_lines = [text for a in seed_processed.values() for _i, text in captions(a.removed)]
    assert len(removed) > 50 and len(caption_lines) == 3  # seeds 000, 001 and 003: one each
    assert all("Baca" not in c and "Berita" not in c for c in caption_lines)
    assert not any(c.startswith("Foto:") for c in caption_lines)


def test_caption_detector_marks_and_credits() -> None:
    lines = [
        "Presiden Joko Widodo (tengah) meninjau Pasar Gede di Solo. ANTARA FOTO/Maulana Surya",
        "Foto: AFP/Kristina Kormilitsyna",
        "Panglima Militer Ukraina mengakui pihaknya menghadapi kesulitan.",
        "Rescue workers search the rubble in Port-au-Prince (REUTERS/Eduardo Munoz)",
    ]
    found = dict(captions(lines))
    assert set(found) == {0, 3}
    assert "Maulana" not in found[0] and found[0].startswith("Presiden Joko Widodo (tengah)")
    assert len(found[0]) == len(lines[0])  # credits are blanked, offsets kept
    assert "REUTERS" not in found[3]


def test_titles_become_roles(seed_processed: dict[str, Article]) -> None:
    roles = {
        (m.text, m.role)
        for a in seed_processed.values()
        for m in a.mentions
        if m.label == "PER" and m.role
    }
    assert ("Vladimir Putin", "Presiden Rusia") in roles
    assert ("To Lam", "Presiden Vietnam") in roles
    assert ("Nguyen Phu Trong", "Sekretaris Partai Komunis Vietnam") in roles


def test_model_finds_names_no_list_knows() -> None:
    text = (
        "Menteri Koordinator Bidang Perekonomian Airlangga Hartarto bertemu Sri Mulyani di Jakarta."
    )
    spans = {(text[s:e], label) for s, e, label in model_mentions(text)}
    assert ("Airlangga Hartarto", "PER") in spans
    assert ("Sri Mulyani", "PER") in spans
    assert ("Jakarta", "LOC") in spans


def test_a_person_name_ends_before_a_verb_the_model_swept_in() -> None:
    # Timeline17 bpoil_bbc: tagged as one PER span, "Hayward said BP" became an entity
    text = "Mr Hayward said BP was making a three-pronged effort to stop the leak ."
    people = [text[s:e] for s, e, label in model_mentions(text) if label == "PER"]
    assert people and all(" said" not in name for name in people)
    kept = "Ursula von der Leyen bertemu Ahmad bin Ali di Brussels."
    names = {kept[s:e] for s, e, label in model_mentions(kept) if label == "PER"}
    assert not any(name.endswith((" von", " der", " bin")) for name in names)


def test_english_news_is_tagged_sensibly() -> None:
    path = T17 / "H1N1_reuters" / "articles.jsonl"
    if not path.exists():
        pytest.skip(f"Timeline17 dev data not found under {SHARED_DATA}")
    record = next(
        json.loads(line) for line in path.read_text().splitlines() if '"id": "978"' in line
    )
    article = _article(record["text"].replace(" \n", "\n\n"))
    found = {(m.text, m.label, m.canonical) for m in extract_mentions(article)}
    assert ("Guan Yi", "PER", "Guan Yi") in found
    assert ("Guan", "PER", "Guan Yi") in found  # the later short form, linked
    assert ("University of Hong Kong", "ORG", "University of Hong Kong") in found
    assert ("China", "LOC", "China") in found


def test_resolution_links_acronyms_accents_and_short_forms() -> None:
    first = _article(
        "Badan Riset dan Inovasi Nasional (BRIN) menerima Sekjen Partai Komunis Vietnam "
        "Nguyễn Phú Trọng di Jakarta.",
        language="id",
    )
    second = _article(
        "Kepala BRIN Laksana Tri Handoko bertemu Sekjen Nguyen Phu Trong. Menurut Trong, "
        "kerja sama berjalan baik.",
        language="id",
    )
    tagged = [Article(**{**a.__dict__, "mentions": extract_mentions(a)}) for a in (first, second)]
    resolved = resolve_entities(tagged)
    canon = {}
    for a in resolved:
        for m in a.mentions:
            canon.setdefault(m.text, set()).add((m.canonical, m.label))
    assert canon["BRIN"] == {("Badan Riset dan Inovasi Nasional", "ORG")}
    assert canon["Nguyễn Phú Trọng"] == canon["Nguyen Phu Trong"] == canon["Trong"]
    assert canon["Laksana Tri Handoko"] == {("Laksana Tri Handoko", "PER")}
    roles = {m.text: m.role for a in resolved for m in a.mentions}
    assert roles["Laksana Tri Handoko"] == "Kepala BRIN"


def test_fold_and_initials() -> None:
    assert fold("Nguyễn Phú Trọng") == fold("nguyen phu trong") == fold("Nguyen-Phu Trong")
    assert initials("Pengadilan Kriminal Internasional") == "PKI"
    assert initials("Bank for International Settlements") == "BIS"


def test_gold_resolution_set_has_provenance() -> None:
    gold = ROOT / "eval" / "gold" / "resolve"
    assert (gold / "PROVENANCE.md").exists()
    data = json.loads((gold / "resolve.json").read_text())
    assert len(data["entities"]) >= 40
    assert all(
        Path(ROOT / "examples" / "seeds" / d["seed"]).exists()
        for d in data["documents"].values()
        if "seed" in d
    )


def test_resolver_streams_over_articles_read_back_from_json(
    seed_processed: dict[str, Article],
) -> None:
    """The batch runner fits on one pass and rewrites articles read back from its spool."""
    from kabar.entities.resolve import EntityResolver
    from kabar.model import from_dict, to_dict

    lines = [json.dumps(to_dict(a)) for a in seed_processed.values()]
    resolver = EntityResolver()
    for line in lines:
        resolver.partial_fit(from_dict(Article, json.loads(line)).mentions)
    streamed = [resolver.transform(from_dict(Article, json.loads(line))) for line in lines]
    at_once = resolve_entities(list(seed_processed.values()))
    assert [to_dict(a) for a in streamed] == [to_dict(a) for a in at_once]
    names = {m.canonical for a in streamed for m in a.mentions}
    assert {"Vladimir Putin", "International Criminal Court", "United States"} <= names


def test_resolver_takes_the_first_written_expansion_of_an_acronym() -> None:
    bare = Mention(text="BRIN", canonical="BRIN", label="ORG", start=0, end=4)
    written = Mention(
        text="BRIN", canonical="Badan Riset dan Inovasi Nasional", label="ORG", start=0, end=4
    )
    from kabar.entities.resolve import EntityResolver

    resolver = EntityResolver().partial_fit([bare]).partial_fit([written])
    article = _article("BRIN menerima tamu.", language="id")
    article.mentions = [bare]
    assert resolver.transform(article).mentions[0].canonical == written.canonical


def _mentions(text: str) -> list[tuple[str, str, str]]:
    article = _article(text, language="id")
    return [(m.text, m.label, m.canonical) for m in extract_mentions(article)]


def test_common_words_ranks_and_mojibake_are_never_entities() -> None:
    # The junk of a real news week (issue 19): each a capitalised common word or a run of them.
    found = _mentions(
        "Nanti kita lihat hasilnya. Kita semua tahu itu, kata warga Kota itu. "
        "Undang-Undang Nomor 1 Tahun 2023 menjamin Hak Asasi Manusia. ‚Äù Kota Bandung ramai."
    )
    texts = {text for text, _label, _canonical in found}
    assert not {"Nanti", "Kita", "Kota", "Undang-Undang", "Hak Asasi Manusia"} & texts
    assert not any("Ä" in t for t in texts)
    assert ("Kota Bandung", "LOC", "Bandung") in found  # a head word makes a name
    assert all(canonical != "Nantes" for _t, _l, canonical in found)


def test_common_word_is_never_a_foreign_city() -> None:
    from kabar.entities.gazetteer import lookup
    from kabar.entities.stoplist import common_words

    assert {"nanti", "kota", "kita"} <= common_words()
    assert lookup("Nanti") is None and lookup("Kota") is None
    assert lookup("Medan") == ("Medan", "LOC")  # Indonesia's own cities keep their names


def test_alias_table_merges_acronyms_expansions_and_short_names() -> None:
    found = _mentions(
        "Komisi Pemberantasan Korupsi (KPK) memeriksa anggota Dewan Perwakilan Rakyat. "
        "Presiden Joko Widodo meminta KPK bekerja. Jokowi juga menyebut DPR dan BMKG. "
        "Badan Meteorologi, Klimatologi, dan Geofisika (BMKG) memperingatkan hujan."
    )
    canonical = {(text, c) for text, _label, c in found}
    assert ("KPK", "Komisi Pemberantasan Korupsi") in canonical
    assert ("Jokowi", "Joko Widodo") in canonical and ("Joko Widodo", "Joko Widodo") in canonical
    assert ("DPR", "Dewan Perwakilan Rakyat") in canonical
    bmkg = "Badan Meteorologi, Klimatologi, dan Geofisika"
    assert ("BMKG", bmkg) in canonical and (bmkg, bmkg) in canonical
    assert "Geofisika" not in {text for text, _c in canonical}


def test_names_with_link_words_stay_whole_and_ranks_are_roles() -> None:
    found = _mentions(
        "Putin hadir di Forum Belt and Road di Beijing. Uni Soviet bubar; Soviet dulu kuat. "
        "Ajun Komisaris Besar Polisi Budi Santoso mengatakan pelaku ditangkap."
    )
    assert ("Forum Belt and Road", "ORG", "Belt and Road Forum") in found
    assert ("Soviet", "LOC", "Soviet Union") in found
    assert ("Uni Soviet", "LOC", "Soviet Union") in found
    article = _article("Ajun Komisaris Besar Polisi Budi Santoso mengatakan pelaku ditangkap.")
    (budi,) = [m for m in extract_mentions(article) if m.label == "PER"]
    assert budi.text == "Budi Santoso" and budi.role == "Ajun Komisaris Besar Polisi"


def test_a_rare_typo_takes_the_frequent_spelling() -> None:
    from kabar.entities.resolve import typo_winners

    counts = {
        "ajun komisasris besar polisi": 1,
        "ajun komisaris besar polisi": 40,
        "andi wijaya": 1,  # two people one letter apart: a short word differs
        "andri wijaya": 9,
    }
    assert typo_winners(counts) == {"ajun komisasris besar polisi": "ajun komisaris besar polisi"}


def test_seed_story_subjects_name_its_people_without_agencies_or_junk(
    seed_corpus: tuple[list[Article], list[Story]],
) -> None:
    _articles, stories = seed_corpus
    (story,) = stories
    by_name = {s.name: s for s in story.subjects}
    people = {s.name for s in story.subjects if s.label == "PER"}
    assert {"To Lam", "Vo Van Thuong", "Pham Minh Chinh", "Vladimir Putin"} <= people
    assert story.subjects[0].salience >= story.subjects[-1].salience
    assert story.entities == [s.name for s in story.subjects[:15]]
    assert by_name["Vladimir Putin"].quotes > 0 and "Putin" in by_name["Vladimir Putin"].aliases
    assert "Presiden Vietnam" in by_name["To Lam"].roles
    assert not {"Reuters", "TASS", "AFP", "Forum Belt", "Soviet"} & set(by_name)
    assert "Soviet Union" not in by_name or by_name["Soviet Union"].label == "LOC"


def test_training_never_sees_a_held_out_test_sentence() -> None:
    if not (SHARED_DATA / "ner" / "nergrit").exists():
        pytest.skip(f"NERGrit not found under {SHARED_DATA} (shared data absent)")
    from train.corpora import TESTS, load
    from train.ner import training_sets

    held_out = {" ".join(words) for split in TESTS for words, _tags in load(split)}
    tuning, final = training_sets(("nerui", "mdee-gold"))
    assert len(held_out) > 600 and len(final) > len(tuning)
    assert not held_out & {" ".join(words) for words, _tags in final}


def test_kind_inside_moves_place_kind_words_into_the_span() -> None:
    """NERGrit's convention ("Kota Bandung" one place) applied to idner's real sentences,
    where "Kota" is often left out: every such place gains its kind word, nothing else moves."""
    if not (SHARED_DATA / "ner" / "idner-news-2k").exists():
        pytest.skip(f"idner-news-2k not found under {SHARED_DATA} (shared data absent)")
    from train.corpora import PLACE_KINDS, kind_inside, load

    sentences = load("idner-train")
    moved = kind_inside(sentences)
    changed = 0
    for (words, before), (_w, after) in zip(sentences, moved, strict=True):
        for i, (old, new) in enumerate(zip(before, after, strict=True)):
            if old != new:
                changed += 1
                if new == "B-LOC":  # the kind word
                    assert words[i].lower() in PLACE_KINDS and words[i][:1].isupper()
                    assert old == "O" and before[i + 1] == "B-LOC" and after[i + 1] == "I-LOC"
    assert changed >= 2  # at least one place (kind word and name), in real idner text


def test_gazetteer_and_country_list_take_no_pseudo_region() -> None:
    """Babel lists pseudo-regions for locale tooling ("Zona Euro", "Wilayah Tidak Dikenal",
    "Aksen Asing"): neither the gazetteer nor the stories' country list takes them."""
    from kabar.entities.gazetteer import country_names, lookup

    for name in ["Zona Euro", "Eurozone", "Wilayah Tidak Dikenal", "Aksen Asing", "Oseania Luar"]:
        assert lookup(name) is None, name
    assert lookup("Italia") == ("Italy", "LOC") and lookup("Spanyol") == ("Spain", "LOC")
    assert lookup("Uni Eropa") == ("European Union", "ORG")
    countries = country_names()
    assert len(countries) > 200 and "Eurozone" not in countries
    assert "European Union" not in countries  # an organisation, not a place


def test_stop_list_spares_real_names() -> None:
    """The stop list must not cost recall: gold entities it would reject, over idner test
    and the NERGrit held-out test (9 of 2,243 when written: "Bibit", "RI", "K2")."""
    if not (SHARED_DATA / "ner" / "nergrit").exists():
        pytest.skip(f"NERGrit not found under {SHARED_DATA} (shared data absent)")
    from kabar.entities.gazetteer import lookup
    from kabar.entities.stoplist import is_junk
    from train.corpora import TESTS, load

    spans = [
        " ".join(words[s.start : s.end])
        for split in TESTS
        for words, tags in load(split)
        for s in bio_spans(tags)
    ]
    rejected = [t for t in spans if lookup(t) is None and is_junk(t)]
    assert len(spans) > 1500 and len(rejected) < 0.01 * len(spans), rejected


def test_news_week_junk_common_nouns_provinces_and_nicknames() -> None:
    # Shapes seen in the dev news week (issue 19): a nickname in parentheses, a place's head
    # word before a name, generic nouns with their acronyms, provinces, holidays, platforms.
    found = _mentions(
        "Presiden ke-7 Republik Indonesia Joko Widodo (Jokowi) dan istrinya hadir. "
        "Wali Kota Pangkalpinang Firmantasi meninjau Kota itu. "
        "Siswa Sekolah Dasar (SD) dibawa ke Rumah Sakit (RS) terdekat, kata polisi di TKP. "
        "Gempa mengguncang Maluku Utara dan Papua Barat Daya menjelang Idul Adha. "
        "Video itu diunggah di Instagram."
    )
    canonical = {(text, c) for text, _label, c in found}
    texts = {text for text, _label, _c in found}
    assert ("Joko Widodo (Jokowi)", "Joko Widodo") in canonical
    assert not any(c == "Jokowi" for _t, c in canonical)
    assert "Kota" not in texts
    assert not texts & {"Sekolah Dasar", "SD", "Rumah Sakit", "RS", "TKP", "Idul Adha"}
    assert ("Maluku Utara", "LOC", "Maluku Utara") in found
    assert ("Papua Barat Daya", "LOC", "Papua Barat Daya") in found
    assert ("Instagram", "ORG", "Instagram") in found


def test_headline_openers_are_trimmed_off_names() -> None:
    found = _mentions("Benarkah Prabowo Subianto menolak? Mari kita lihat. Adapun Solana naik.")
    texts = {text for text, _label, _c in found}
    assert not any(t.split()[0] in {"Benarkah", "Mari", "Adapun"} for t in texts)


def test_dictionary_word_is_never_another_citys_alternate_name() -> None:
    from kabar.entities.gazetteer import lookup

    assert lookup("Baris") is None and lookup("Kudus") is None  # Paris, Jerusalem
    assert lookup("Paris") == ("Paris", "LOC") and lookup("Kabul") == ("Kabul", "LOC")


def test_city_alternate_name_before_a_known_person_is_their_given_name() -> None:
    # "Nanto" is an alternate name of Nantes in the gazetteer; here it is a man's first name,
    # and the lone "Nanto" later in the article is him too, never Nantes.
    from kabar.entities import _mentions_in, _register_person

    people: dict[str, str] = {}
    _register_person("Dwi Subekti", people)  # the tagger's (shorter) person span
    first = _mentions_in("Kepala dinas Nanto Dwi Subekti meninjau lokasi banjir.", 0, people)
    later = _mentions_in("Menurut Nanto, air mulai surut.", 0, people)
    assert [(m.text, m.label, m.canonical) for m in first] == [
        ("Nanto Dwi Subekti", "PER", "Nanto Dwi Subekti")
    ]
    assert [(m.text, m.label, m.canonical) for m in later] == [
        ("Nanto", "PER", "Nanto Dwi Subekti")
    ]


def test_cited_sources_in_the_seeds_are_credits_not_entities(
    seed_processed: dict[str, Article],
) -> None:
    # Seed 003 writes "begitu dilansir Vietnam News dan Reuters, Jumat": both are credits.
    from kabar.meta.provenance import is_cited_source

    cited = [
        (a.body, m)
        for a in seed_processed.values()
        for m in extract_mentions(a)
        if m.where == "body" and is_cited_source(a.body, m.start, m.end)
    ]
    assert cited == []
    bodies = " ".join(a.body for a in seed_processed.values())
    assert "dilansir Vietnam News dan Reuters" in bodies  # the case is really in the seeds
    texts = {m.text for a in seed_processed.values() for m in a.mentions}
    assert "Vietnam News Agency" in texts  # the agency as the subject of a report stays


def test_outlet_addresses_and_cited_sources_are_credits() -> None:
    # Shapes of the dev news week (issue 19): an outlet's dateline, a source cited by its
    # name or its domain, glued or not.
    found = _mentions(
        "TRIBUN-PAPUA.COM, JAYAPURA - Bupati Jayapura Yunus Wonda meninjau banjir. "
        "Mengutip Cointelegraph, Rabu (4/6/2025), pasokan stablecoin naik. "
        "Dikutip dari Carnewschina dan Bloomberg, harga mobil bekas turun. "
        "Hal itu dilaporkan Kompas.com pada Senin."
    )
    texts = {text for text, _label, _c in found}
    assert not texts & {"TRIBUN-PAPUA.COM", "COM", "Cointelegraph", "Carnewschina", "Kompas.com"}
    assert any("Yunus Wonda" in t and label == "PER" for t, label, _c in found)  # the subject
    # A curated institution cited for its facts is a subject too.
    assert any(
        c.startswith("Badan Meteorologi") for _t, _l, c in _mentions("Mengutip BMKG, hujan turun.")
    )
    # A person cited by title and name is a subject, not a credit.
    quoted = _mentions("Mengutip Presiden Prabowo Subianto, program itu berjalan.")
    assert any(c == "Prabowo Subianto" for _t, _l, c in quoted)


def test_holidays_and_descriptors_are_no_names() -> None:
    from kabar.entities.stoplist import is_junk

    assert is_junk("Raya Idul Adha") and is_junk("Cuti Bersama Idul Adha")
    assert not is_junk("Muhammad Andra Ramadhan")  # a name ending in a holiday's word
    assert not is_junk("Komisi Nasional Hak Asasi Manusia")  # a head makes it a name
    found = _mentions(
        "Ganjil genap ditiadakan saat Hari Raya Idul Adha. "
        "Skuad Garuda berlatih di Jakarta. Harga Bitcoin (BTC) naik tajam."
    )
    texts = {text for text, _label, _c in found}
    assert not any(t.split()[0] in {"Raya", "Hari", "Skuad", "Harga"} for t in texts), found
    assert all(label != "PER" for text, label, _c in found if text in {"Garuda", "Bitcoin"})
    assert ("BTC", "ORG", "Bitcoin") in found  # not "Harga Bitcoin"
    assert ("Garuda", "ORG", "Garuda") in found  # the squad's name, no person
    # A product noun glued into a name is part of it, no descriptor.
    assert any(
        t == "MotorLand Aragon" for t, _l, _c in _mentions("Marquez menang di MotorLand Aragon.")
    )
    # A brand the tagger took for a person's first name is a brand after "saham".
    brand = _mentions("CEO Tesla Elon Musk berbicara. Sejak itu harga saham Tesla turun.")
    assert ("Tesla", "ORG", "Tesla") in brand, brand


def test_resolution_keeps_mononyms_and_finds_the_person_after_a_company() -> None:
    def article(ident: str, *mentions: tuple[str, str]) -> Article:
        a = _article(" ".join(t for t, _l in mentions), language="id")
        ms, pos = [], 0
        for text, label in mentions:
            ms.append(Mention(text, label, pos, pos + len(text), text))  # type: ignore[arg-type]
            pos += len(text) + 1
        return Article(**{**a.__dict__, "id": ident, "mentions": ms})

    # "Soekarno" alone in three articles, "Soekarno Hatta" (an airport in a street list) in
    # one: the mononym is not that rare full name. "Tesla Elon Musk" is Elon Musk.
    articles = [article(f"s{i}", ("Soekarno", "PER")) for i in range(3)]
    articles.append(article("a", ("Soekarno Hatta", "PER")))
    articles += [article(f"m{i}", ("Elon Musk", "PER")) for i in range(2)]
    articles.append(article("t", ("Tesla Elon Musk", "PER")))
    articles += [article("k1", ("Patrick Kluivert", "PER")), article("k2", ("Kluivert", "PER"))]
    canon = {m.text: m.canonical for a in resolve_entities(articles) for m in a.mentions}
    assert canon["Soekarno"] == "Soekarno"
    assert canon["Tesla Elon Musk"] == "Elon Musk"
    assert canon["Kluivert"] == "Patrick Kluivert"  # a real short form still joins


def test_context_model_numpy_forward_pass_matches_torch(tmp_path: Path) -> None:
    """train/ner_lstm.py scores its dev figures with the numpy forward pass of the exported
    weights (no torch at run time): it must give PyTorch's emissions on real sentences,
    batched over sentences of different lengths."""
    torch = pytest.importorskip("torch")
    if not (SHARED_DATA / "ner" / "idner-news-2k").exists():
        pytest.skip(f"idner-news-2k not found under {SHARED_DATA} (shared data absent)")
    import argparse

    import numpy as np

    from train import ner_lstm
    from train.corpora import load

    torch.manual_seed(0)
    batch = load("idner-dev")[:12]
    vocab = sorted({w.lower() for words, _t in batch for w in words})[::2]
    table = np.random.default_rng(0).normal(size=(len(vocab) + 1, 16)).astype(np.float32)
    word_index = {w: i + 1 for i, w in enumerate(vocab)}
    char_index = ner_lstm.char_vocab(batch)
    args = argparse.Namespace(
        char_dim=8, char_filters=8, dropout=0.5, hidden=16, tune_words=False, crf=False
    )
    model = ner_lstm.build_model(len(char_index) + 2, table, args)
    with torch.no_grad():
        for p in model.parameters():
            if p.requires_grad:
                p.normal_(0, 0.3)
    model.eval()
    path = tmp_path / "m.npz"
    chars = sorted(char_index, key=char_index.__getitem__)
    ner_lstm.export(model, vocab, chars, path)
    emissions = ner_lstm.NumpyTagger(path).emissions([w for w, _t in batch])
    wid, cid, clu, dense, lengths, _tags, _mask = ner_lstm.tensors(batch, word_index, char_index)
    with torch.no_grad():
        expected = model.features(wid, cid, clu, dense, lengths).numpy()
    assert len({len(w) for w, _t in batch}) > 3
    for i, (words, _t) in enumerate(batch):
        # float16 word vectors in the export: agreement to ~1e-3, not bit for bit
        assert np.abs(expected[i, : len(words)] - emissions[i]).max() < 5e-3


def test_nicknames_cut_from_a_name_and_words_that_are_no_names() -> None:
    """Indonesian news calls a person by a piece of one of their names ("Thobahul Aftoni"
    … "Toni"): that one-word mention is the person, but not a word glued to a name by the
    scraper ("Donald Trumpatas" is no longer form of "Trump"). A degree after a name
    ("M.Kes,Sp.OT.Subsp.PL(K)") and a word the article writes in lower case, capitalised
    only where a sentence opens ("Osteoartritis"), are no entities."""
    text = "\n\n".join(
        [
            "Ketua DPP Partai Persatuan Pembangunan Thobahul Aftoni menanggapi pernyataan itu.",
            "“Itu hak politik setiap orang, tidak perlu dipersoalkan,” kata Toni kepada wartawan.",
            "Dokter spesialis di Bandung, dr Azeta Arif, M.Kes,Sp.OT.Subsp.PL(K) menjelaskan"
            " bahwa osteoartritis bukan pengapuran.",
            "Osteoartritis paling sering menyerang lutut dan panggul.",
        ]
    )
    found = _mentions(text)
    assert ("Toni", "PER", "Thobahul Aftoni") in found, found
    texts = {t for t, _label, _canonical in found}
    assert not texts & {"PL", "OT", "M.Kes", "Osteoartritis"}, found
    assert "Azeta Arif" in texts, found
    glued = _mentions(
        "Presiden AS Donald Trumpatas nama pemerintahannya menolak usulan itu.\n\n"
        "Trump menyebut usulan itu tidak adil bagi petani Amerika."
    )
    assert all(c != "Donald Trumpatas" for t, _l, c in glued if t == "Trump"), glued


def test_tokenizer_splits_an_acronym_from_the_word_glued_to_it() -> None:
    # newsweek bodies as scraped: an acronym then a lower-case word where a link was removed
    text = "legendaMotoGPmenarik untuk dibahas, TNIyang bertugas, AFPterhadap KISAHkesetiaanPedro"
    toks = tokenize(text)
    assert [w for w, _s, _e in toks] == [
        "legenda", "Moto", "GP", "menarik", "untuk", "dibahas", ",", "TNI", "yang", "bertugas",
        ",", "AFP", "terhadap", "KISAH", "kesetiaan", "Pedro",
    ]  # fmt: skip
    assert all(text[s:e] == w for w, s, e in toks)
    # an English tail, an acronym before a name, a run of acronyms stay as they were
    assert [w for w, _s, _e in tokenize("SINDOnews KPKNovel DPRRI")] == [
        "SIND", "Onews", "KPK", "Novel", "DPRRI",
    ]  # fmt: skip


def _debris(name: str) -> bool:
    return any(c in name for c in "@#/") or re.search(r"\w\.(com|id|co)\b", name) is not None


def test_handles_hashtags_links_and_emails_are_no_names() -> None:
    body = (
        "KISAHtak terdugaMarc Marquez sempat diancam oleh legendaMotoGPmenarik untuk dibahas.\n\n"
        "Kecantikannya tersorot di Instagramnya @sarahilgerss. Sarah Gilbert membalas penggemar.\n\n"
        "Pengamat Pasar Modal dan Founder Stocknow.id, Hendra Wardhana mencatat saham naik.\n\n"
        "Juara dunia Marquez@motogp menang, kata Joko Widodo. Hubungi redaksi@kompas.com atau"
        " #MotoGP dan https://www.motogp.com/id (Tribunnews.com/Nurkhasanah).\n\n"
        "Posmetro.co.id,INDRAMAYU – Warga Indramayu mengungsi, menurut akun @infoBMKG."
    )
    names = [m.text for m in extract_mentions(_article(body, "id"))]
    assert not [n for n in names if _debris(n)], names
    assert {"Sarah Gilbert", "Hendra Wardhana", "Joko Widodo", "Marc Marquez"} <= set(names)
    assert "MotoGPmenarik" not in names and "Motogp" not in names and "BMKG" not in names
    # a name glued to a handle, or after a domain and its comma, is still a name
    assert "Marquez" in names and "INDRAMAYU" in names


def test_the_seeds_yield_no_web_debris_as_a_name(seed_processed: dict[str, Article]) -> None:
    # seed 000 has a photo credit "(Twitter.com/President of Russia)": no name holds it
    names = [m.text for a in seed_processed.values() for m in a.mentions]
    assert names and not [n for n in names if _debris(n)]
    assert "Vladimir Putin" in names
