"""Build the synthetic HTML part of the cleaning gold set from the hand-labelled text part.

Each labelled article (``labels/*.tsv``) is wrapped in two typical news-site templates: the
real article text and its real boilerplate lines (captions, "Baca Juga", related lists, bylines)
are placed where such sites put them, and template chrome is added around them (nav,
breadcrumbs, share bars, ads, footer, scripts). The gold content of a page is exactly the
``C`` lines of its article; everything the template adds is boilerplate by construction.

Run from the repo root: ``.venv/bin/python eval/gold/clean/make_html.py`` (deterministic).
"""

from __future__ import annotations

import html
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent

NAV = ["Home", "News", "Nasional", "Internasional", "Ekonomi", "Bisnis", "Olahraga", "Tekno"]
NAV_EN = ["Home", "World", "UK", "Business", "Politics", "Technology", "Science", "Health"]
SITES = {
    "id": ("Berita Nusantara", "https://www.beritanusantara.example/internasional/"),
    "en": ("World Desk", "https://www.worlddesk.example/world/"),
}


def read_gold(path: Path) -> tuple[str, dict[str, object], list[tuple[str, str]]]:
    source = ""
    meta: dict[str, object] = {}
    lines: list[tuple[str, str]] = []
    for raw in path.read_text().splitlines():
        if raw.startswith("# source: "):
            source = raw[len("# source: ") :]
        elif raw.startswith("# meta: "):
            meta = json.loads(raw[len("# meta: ") :])
        elif raw.strip():
            label, text = raw.split("\t", 1)
            lines.append((label, text))
    return source, meta, lines


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _slug(text: str) -> str:
    return "-".join("".join(c for c in w.lower() if c.isalnum()) for w in text.split()[:8])


def _body_parts(lines: list[tuple[str, str]], lang: str) -> tuple[list[str], list[str], list[str]]:
    """(header blocks, article blocks, related items): where each labelled line goes."""
    content_at = [i for i, (lab, _) in enumerate(lines) if lab == "C"]
    first, last = content_at[0], content_at[-1]
    header: list[str] = []
    article: list[str] = []
    related: list[str] = []
    for index, (label, text) in enumerate(lines):
        if label == "T":
            continue
        if label == "C":
            article.append(f"<p>{_e(text)}</p>")
        elif label == "H":
            article.append(f"<h2>{_e(text)}</h2>")
        elif index < first:
            if len(text.split()) > 8 or text.lower().startswith(("foto", "photo")):
                header.append(
                    f'<figure class="photo"><img src="/img/{index}.jpg" alt="">'
                    f"<figcaption>{_e(text)}</figcaption></figure>"
                )
            else:
                header.append(f'<div class="article-meta"><span>{_e(text)}</span></div>')
        elif index > last:
            related.append(text)
        elif text.lower().startswith(("baca", "lihat", "read")):
            cue, _, rest = text.partition(":")
            label_text = cue + ":" if rest.strip() else cue
            link = rest.strip() or "Artikel terkait"
            article.append(
                f'<div class="baca-juga"><strong>{_e(label_text)}</strong> '
                f'<a href="/read/{_slug(link)}">{_e(link)}</a></div>'
            )
        elif text.lower() in ("advertising", "advertisement", "iklan"):
            article.append(f'<div class="ads-slot"><span>{_e(text)}</span></div>')
        else:
            article.append(
                f'<figure class="inline-photo"><img src="/img/{index}.jpg" alt="">'
                f"<figcaption>{_e(text)}</figcaption></figure>"
            )
    return header, article, related


def portal(meta: dict[str, object], lines: list[tuple[str, str]], lang: str) -> str:
    """A big-portal template: mega nav, breadcrumbs, share bar, inline boxes, trending rail."""
    site, base = SITES[lang]
    outlet = str(meta["outlet"]) if meta.get("outlet") else site
    title = str(meta.get("title") or next(t for lab, t in lines if lab == "C")[:70])
    header, article, related = _body_parts(lines, lang)
    nav = NAV if lang == "id" else NAV_EN
    date_meta = (
        f'<meta property="article:published_time" content="{meta["published"]}T10:47:00+07:00">'
        if meta.get("published")
        else ""
    )
    author_meta = (
        f'<meta name="author" content="{_e(str(meta["author"]))}">' if meta.get("author") else ""
    )
    rel = "".join(f'<li><a href="/read/{_slug(t)}">{_e(t)}</a></li>' for t in related)
    trending = [
        "Harga emas hari ini naik tipis",
        "Jadwal KRL terbaru pekan ini",
        "Cuaca ekstrem di Jawa Barat",
    ]
    if lang == "en":
        trending = [
            "Markets close higher on tech rally",
            "Five things to know today",
            "Weather warning issued",
        ]
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8">
<title>{_e(title)} - {_e(outlet)}</title>
<meta property="og:title" content="{_e(title)}">
<meta property="og:site_name" content="{_e(outlet)}">
<meta property="og:url" content="{base}{_slug(title)}">
{date_meta}{author_meta}
<script>window.dataLayer=window.dataLayer||[];function gtag(){{dataLayer.push(arguments)}}gtag('js',new Date());</script>
<style>.nav a{{margin:4px}}</style></head>
<body>
<header class="site-header"><div class="logo"><a href="/">{_e(outlet)}</a></div>
<nav class="nav">{"".join(f'<a href="/{n.lower()}">{n}</a>' for n in nav)}</nav>
<form class="search"><input name="q" placeholder="Cari berita..."></form></header>
<div class="ads-top">Advertisement</div>
<ol class="breadcrumb"><li><a href="/">Home</a></li><li><a href="/{nav[3].lower()}">{nav[3]}</a></li></ol>
<main><article class="detail">
<h1 class="detail-title">{_e(title)}</h1>
{"".join(header)}
<div class="share-bar"><span>Bagikan</span><a href="#fb">Facebook</a><a href="#tw">Twitter</a><a href="#wa">WhatsApp</a><a href="#copy">Salin Link</a></div>
<div class="detail-body">
{chr(10).join(article)}
</div>
<div class="tags"><span>Tag:</span> <a href="/tag/putin">Putin</a> <a href="/tag/vietnam">Vietnam</a></div>
</article>
<aside class="related"><h3>{"Berita Terkait" if lang == "id" else "Related stories"}</h3><ul>{rel}</ul></aside>
<aside class="trending"><h3>Trending</h3><ol>{"".join(f'<li><a href="/t/{i}">{t}</a></li>' for i, t in enumerate(trending))}</ol></aside>
</main>
<footer><p>Copyright © 2024 {_e(outlet)}. All rights reserved.</p>
<ul><li><a href="/about">Tentang Kami</a></li><li><a href="/pedoman">Pedoman Media Siber</a></li><li><a href="/kontak">Kontak</a></li></ul></footer>
<script src="/js/app.js"></script><script>var ads = {{slot: "article-bottom"}};</script>
</body></html>
"""


def blog(meta: dict[str, object], lines: list[tuple[str, str]], lang: str) -> str:
    """A WordPress-like template: entry header with byline, inline related boxes, sidebar, comments."""
    site, base = SITES[lang]
    outlet = str(meta["outlet"]) if meta.get("outlet") else site
    title = str(meta.get("title") or next(t for lab, t in lines if lab == "C")[:70])
    header, article, related = _body_parts(lines, lang)
    time_tag = (
        f'<time class="entry-date" datetime="{meta["published"]}">{meta["published"]}</time>'
        if meta.get("published")
        else ""
    )
    date_meta = f'<meta name="date" content="{meta["published"]}">' if meta.get("published") else ""
    byline = (
        f'<span class="byline">oleh <a rel="author" href="/author/x">{_e(str(meta["author"]))}</a></span>'
        if meta.get("author")
        else ""
    )
    rel = "".join(
        f'<div class="rp-item"><a href="/read/{_slug(t)}">{_e(t)}</a></div>' for t in related
    )
    popular = ["Ini daftar lengkap libur nasional", "Resep sederhana untuk akhir pekan"]
    if lang == "en":
        popular = ["How to save on energy bills", "The week in pictures"]
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8">
<title>{_e(title)} | {_e(outlet)}</title>
<meta property="og:site_name" content="{_e(outlet)}">
<link rel="canonical" href="{base}{_slug(title)}/">
{date_meta}
<script type="application/ld+json">{{"@context":"https://schema.org","@type":"WebSite","name":"{_e(outlet)}"}}</script>
</head>
<body class="single-post">
<div id="top-bar"><a href="/login">Masuk</a> | <a href="/daftar">Daftar</a></div>
<div id="masthead"><p class="site-title"><a href="/">{_e(outlet)}</a></p>
<ul class="menu">{"".join(f'<li><a href="/c/{n.lower()}">{n}</a></li>' for n in (NAV if lang == "id" else NAV_EN)[:6])}</ul></div>
<div id="content"><div id="primary">
<article class="post type-post">
<header class="entry-header"><h1 class="entry-title">{_e(title)}</h1>
<div class="entry-meta">{time_tag} {byline}</div></header>
{"".join(header)}
<div class="entry-content">
{chr(10).join(article)}
<div class="sharedaddy"><h3>Share this:</h3><ul><li><a href="#">Twitter</a></li><li><a href="#">Facebook</a></li></ul></div>
</div>
<div class="related-posts"><h3>{"Artikel Lainnya" if lang == "id" else "More stories"}</h3>{rel}</div>
</article>
<div id="comments"><h3>0 Komentar</h3><form><textarea name="c"></textarea><button>Kirim</button></form></div>
</div>
<div id="secondary"><section class="widget"><h2>Populer</h2><ul>{"".join(f'<li><a href="/p/{i}">{p}</a></li>' for i, p in enumerate(popular))}</ul></section>
<section class="widget newsletter"><p>Dapatkan berita terbaru setiap pagi langsung di email Anda.</p></section></div>
</div>
<footer id="colophon"><p>© {_e(outlet)} 2024 · Proudly powered by WordPress</p></footer>
<script src="/wp-includes/js/jquery.js"></script>
</body></html>
"""


def main() -> None:
    out = HERE / "html"
    out.mkdir(exist_ok=True)
    index = []
    for path in sorted((HERE / "labels").glob("*.tsv")):
        if path.name.startswith("ho_"):
            continue  # the held-out texts stay text-only
        _source, meta, lines = read_gold(path)
        lang = str(meta.get("language", "id"))
        for name, template in (("portal", portal), ("blog", blog)):
            page = out / f"{path.stem}.{name}.html"
            page.write_text(template(meta, lines, lang))
            index.append({"page": page.name, "gold": path.name, "template": name})
    (out / "index.json").write_text(json.dumps(index, indent=1) + "\n")
    print(f"wrote {len(index)} pages to {out}")


if __name__ == "__main__":
    main()
