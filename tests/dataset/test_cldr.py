"""The flag and CLDR's languages and names of a country (app/dataset/cldr.py)."""

from __future__ import annotations

import pytest

from app.dataset.cldr import flag, names, official_languages


@pytest.mark.parametrize(("alpha2", "emoji"), [("KZ", "🇰🇿"), ("kg", "🇰🇬"), ("CN", "🇨🇳")])
def test_flag(alpha2: str, emoji: str) -> None:
    assert flag(alpha2) == emoji


def test_official_languages_one_code_per_language() -> None:
    assert official_languages("UZ") == ["uz"]  # CLDR also lists uz_Cyrl
    assert official_languages("kz") == ["ru", "kk"]


def test_names() -> None:
    kg = names("KG")
    assert (kg.en, kg.ru, kg.ky) == ("Kyrgyzstan", "Киргизия", "Кыргызстан")
    assert names("kz").zh == "哈萨克斯坦"


def test_a_country_speaking_a_language_without_a_field_fails_the_build() -> None:
    with pytest.raises(ValueError, match=r"FR: no field in CountryNames for \['fr'\]"):
        names("FR")
