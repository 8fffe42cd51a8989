"""Shared text patterns (kabar/text.py) on the forms real articles write."""

from __future__ import annotations

import re

import pytest

from kabar.entities import _degree
from kabar.text import DEGREE

# Degrees as the newsweek corpus writes them after a name ("dr Azeta Arif,
# M.Kes,Sp.OT.Subsp.PL(K)", "dr. Imelda Maria Loho, Sp.P.D., Subsp.G.E.H.(K)",
# "dr. Citra Raditha, Sp.A(K)").
DEGREES = ["M.Kes", "S. H.", "Ph.D", "Sp.OT.Subsp.PL(K)", "Subsp.G.E.H.(K)", "Sp.A(K)"]


@pytest.mark.parametrize("degree", DEGREES)
def test_dotted_degrees_are_degrees(degree: str) -> None:
    assert re.fullmatch(DEGREE, degree)


@pytest.mark.parametrize("address", ["SURYA.co.id", "Kompas.com"])
def test_a_web_address_after_a_comma_is_no_degree(address: str) -> None:
    assert re.fullmatch(DEGREE, address) is None
    line = f"SURABAYA, {address} - Wali Kota Surabaya Eri Cahyadi meninjau lokasi banjir."
    start = line.index(address)
    assert not _degree(line, start, start + address.index("."))


def test_a_degree_after_a_comma_is_dropped_as_a_mention() -> None:
    line = "kata dr Azeta Arif, M.Kes,Sp.OT.Subsp.PL(K) mengenai cedera itu."
    start = line.index("PL(K)")
    assert _degree(line, start, start + 2)
