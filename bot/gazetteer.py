"""Dutch place names, first names and surnames for the de-identifier (bot/scrub.py).

The lists come from Faker's providers (MIT, well kept): about 2,400 Dutch towns and
villages from nl_NL, and the first names and surnames of nl_NL and of 18 more locales
for the places many patients' families come from or live beside (Belgium, Germany,
Turkey, Algeria (the nearest Faker has to Moroccan names), Indonesia, India (for
Hindustani Surinamese names), Poland, the UK and the US, Southern Europe, Scandinavia):
about 6,900 first names and 7,500 surnames. A name from another locale that is also a
common Dutch or English word ("Bent", "April") is left out, so that "mijn zus bent" or a
month is never taken for a name. Only provider modules are imported (plain tuples; the
whole de-identifier loads in about 0.5 s and 38 MB, once per process); no fake data is
generated.
deduce's lists are longer (15,000 first names) but deduce pins `regex<2025`, which the
bot's other dependencies cannot share, and its pipeline holds about 1 GB: see README.

Names are only one clue among several: most names in patients' messages are found by
their context (kinship words, greetings, introductions, titles), see bot/deid/names.py.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from dataclasses import dataclass

from wordfreq import zipf_frequency

# Faker locales whose names (Latin script) join the Dutch ones.
NAME_LOCALES = (
    "nl_BE", "de_DE", "de_AT", "fr_BE", "fr_FR", "fr_DZ", "tr_TR", "id_ID", "en_IN", "pl_PL",
    "en_GB", "en_US", "es_ES", "it_IT", "pt_PT", "da_DK", "sv_SE", "no_NO",
)  # fmt: skip
# Above these word frequencies (Zipf scale) a foreign name is a common word first.
COMMON_NL_ZIPF = 3.5
COMMON_EN_ZIPF = 4.0


@dataclass(frozen=True, slots=True)
class Gazetteer:
    """Lower-cased names; towns of several words are joined by single spaces."""

    first_names: frozenset[str]
    surnames: frozenset[str]
    towns: frozenset[str]
    longest_town: int  # in words


def _normal(name: str) -> str:
    return " ".join(name.replace("-", " ").split()).lower()


def load_gazetteer() -> Gazetteer:
    """Read Faker's Dutch lists (raises ImportError when Faker is not installed)."""
    from faker.providers.address.nl_NL import Provider as Address
    from faker.providers.person.nl_NL import Provider as Person

    towns = frozenset(_normal(town) for town in Address.cities)
    first = {_normal(n) for n in (*Person.first_names_male, *Person.first_names_female)}
    surnames = {_normal(n) for n in Person.last_names}
    for locale in NAME_LOCALES:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        first |= _uncommon(
            _names(provider, "first_names", "first_names_male", "first_names_female")
        )
        surnames |= _uncommon(_names(provider, "last_names"))
    return Gazetteer(
        first_names=frozenset(first),
        surnames=frozenset(surnames),
        towns=towns,
        longest_town=max(len(town.split()) for town in towns),
    )


def _names(provider: object, *attributes: str) -> set[str]:
    """The names a Faker provider lists under these attributes (tuples or weighted dicts)."""
    out: set[str] = set()
    for attribute in attributes:
        out.update(_normal(str(name)) for name in getattr(provider, attribute, ()) or ())
    return out


def _uncommon(names: Iterable[str]) -> set[str]:
    """Single-word Latin-script names of three letters or more that are no common word."""
    return {
        name
        for name in names
        if len(name) >= 3
        and name.isalpha()
        and all(ord(c) < 0x250 for c in name)
        and zipf_frequency(name, "nl", wordlist="small") < COMMON_NL_ZIPF
        and zipf_frequency(name, "en", wordlist="small") < COMMON_EN_ZIPF
    }
