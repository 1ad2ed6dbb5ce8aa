"""Ukrainian names in the Latin alphabet by the official romanisation (Cabinet of Ministers resolution No. 55
of 27 January 2010: Kyiv, Kharkiv, Zaporizhzhia, Boiarka, Oleksii, Yurii).

Takes a name in Cyrillic, in its dictionary form (any case of letters: «бондаренко», «Івано-Франківськ»);
returns it romanised with a capital at the start of every word and hyphenated part ("Ivano-Frankivsk").
The transliteration itself is translitua's `UkrainianKMU` table (it gives the resolution's own examples:
Згурський → Zghurskyi, Єнакієве → Yenakiieve, Короп'є → Koropie, Юрій → Yurii, see tests/test_names.py);
this module only fixes the capitals, which a lower-case dictionary form has lost.
"""

from __future__ import annotations

import functools
import re

__all__ = ["romanise"]


@functools.lru_cache(maxsize=20_000)
def romanise(name: str) -> str:
    from translitua import UkrainianKMU, translit

    # Word-initial letters take the resolution's initial forms (Є → Ye, Ю → Yu, Ї → Yi, Й → Y), so the capitals
    # go on before transliterating; apostrophes are dropped by the table, as the resolution says.
    cased = re.sub(r"(^|[\s-])(\w)", lambda m: m.group(1) + m.group(2).upper(), name.lower())
    return translit(cased, UkrainianKMU)
