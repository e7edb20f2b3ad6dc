"""Dutch place names, first names and surnames for the de-identifier (bot/scrub.py).

The lists come from Faker's nl_NL providers (MIT, well kept): about 2,400 Dutch towns and
villages, 500 first names and 1,100 surnames. Only the two provider modules are imported
(plain tuples, about 0.2 s and 15 MB once per process); no fake data is generated.
deduce's lists are longer (15,000 first names) but deduce pins `regex<2025`, which the
bot's other dependencies cannot share, and its pipeline holds about 1 GB: see README.

Names are only one clue among several: most names in patients' messages are found by
their context (kinship words, greetings, introductions, titles), see bot/deid/names.py.
"""

from __future__ import annotations

from dataclasses import dataclass


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
    first = (*Person.first_names_male, *Person.first_names_female)
    return Gazetteer(
        first_names=frozenset(_normal(name) for name in first),
        surnames=frozenset(_normal(name) for name in Person.last_names),
        towns=towns,
        longest_town=max(len(town.split()) for town in towns),
    )
