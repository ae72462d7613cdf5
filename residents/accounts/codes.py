"""The one-time codes printed on access letters.

Twelve characters drawn from 31 that cannot be mistaken for one another when read aloud
or typed from paper (digits 2-9 and capitals without I, L and O), about 59 bits of
entropy, printed in three groups of four: "K7MQ-3XPA-9TRD". Only an HMAC of
the normalised code is stored, keyed by the project's secret key.
"""

import hashlib
import hmac
import math
import secrets

from django.conf import settings

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 12
GROUP = 4
BITS = LENGTH * math.log2(len(ALPHABET))  # 59.4


def code_new() -> str:
    """A fresh code, normalised (no separators)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def code_grouped(code: str) -> str:
    """The code as printed and read aloud: groups of four joined by hyphens."""
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))


def code_normalised(text: str) -> str:
    """What a resident typed, without spaces and hyphens, in capitals. Characters outside
    the alphabet stay (and so never match) rather than being guessed at."""
    return "".join(c for c in text.upper() if c.isalnum())


def code_digest(code: str) -> str:
    """The stored form of a code: an HMAC-SHA256 of the normalised code."""
    key = ("jinzang.access-letter:" + settings.SECRET_KEY).encode()
    return hmac.new(key, code_normalised(code).encode(), hashlib.sha256).hexdigest()


def code_well_formed(text: str) -> bool:
    code = code_normalised(text)
    return len(code) == LENGTH and all(c in ALPHABET for c in code)
