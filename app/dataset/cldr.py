"""What frontends expect of a country as reference data, computed from its alpha-2 code when
the representations are built: its flag, and from CLDR (Unicode's locale data, through
Babel) its official languages and its name in the region's languages. Nothing is typed in.
"""

from babel import Locale
from babel.languages import get_official_languages

from app import schemas

REGIONAL_INDICATOR_A = 0x1F1E6


def flag(alpha2: str) -> str:
    """The flag emoji: each letter as its regional indicator symbol (`KZ` -> 🇰🇿)."""
    return "".join(chr(REGIONAL_INDICATOR_A + ord(ch) - ord("A")) for ch in alpha2.upper())


def official_languages(alpha2: str) -> list[str]:
    """The country's official languages, as CLDR orders them, one code per language (a
    script variant, `uz_Cyrl`, is its language)."""
    codes = (code.split("_", 1)[0] for code in get_official_languages(alpha2.upper()))
    return list(dict.fromkeys(codes))


def names(alpha2: str) -> schemas.CountryNames:
    """The country's name in each language of `CountryNames`; a language missing there, or a
    name missing in CLDR, fails the build (schemas.CountryNames gains the language then)."""
    missing = set(official_languages(alpha2)) - set(schemas.CountryNames.model_fields)
    if missing:
        raise ValueError(f"{alpha2}: no field in CountryNames for {sorted(missing)}")
    code = alpha2.upper()
    return schemas.CountryNames(
        **{lang: Locale.parse(lang).territories[code] for lang in schemas.CountryNames.model_fields}
    )
