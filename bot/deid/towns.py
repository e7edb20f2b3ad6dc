"""Towns and villages in a message: Faker's list of Dutch places, and a capitalised word
where someone says they live or come from."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from bot.deid.patterns import NEVER_NAME, UP
from bot.deid.spans import Span
from bot.gazetteer import Gazetteer


def town_spans(
    text: str, gazetteer: Gazetteer, is_common: Callable[[str], bool]
) -> Iterator[Span]:
    """Every town in Faker's list, capitalised; any capitalised word after "woon in",
    "uit", "from" or a postcode."""
    towns = gazetteer.towns
    words = list(re.finditer(r"'?[^\W_](?:[^\W_]|['’-](?=[^\W_]))*", text))
    i = 0
    while i < len(words):
        for size in range(min(gazetteer.longest_town, len(words) - i), 0, -1):
            group = words[i : i + size]
            name = " ".join(w.group(0).replace("-", " ") for w in group).lower()
            first = re.sub(r"^'[st][- ]?", "", group[0].group(0))
            usable = not is_common(first) and name not in NEVER_NAME
            if name in towns and first[:1].isupper() and usable:
                yield Span(group[0].start(), group[-1].end(), "town")
                i += size - 1
                break
        i += 1
    # After words that say where someone lives or comes from, and after a postcode.
    context = re.compile(
        rf"(?:\b(?:woon|woont|wonen|woonachtig|wonend|lives|living|live)\s+(?:in|te|at)\s+"
        rf"|\b(?:uit|from|te|near|buurt van)\s+|[1-9]\d{{3}}\s?[A-Za-z]{{2}},?\s+)"
        rf"((?:(?:de|den|het|'s|'t)\s+)?{UP}[\w'’-]*(?:\s+(?:aan|op|bij|in)\s+(?:de|den)\s+{UP}\w*)?(?:\s+{UP}\w+)?)",
    )
    for match in context.finditer(text):
        head = match.group(1).split()[-1]
        if not is_common(head) and head.lower() not in NEVER_NAME:
            yield Span(*match.span(1), "town")
