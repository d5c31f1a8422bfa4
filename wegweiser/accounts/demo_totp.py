"""The demo logins' second factor: one published, synthetic key (README, "Demo logins").

Apart from the models so that a load generator (bench/soak.py) or a test's browser can
compute the codes an authenticator app would show without setting Django up. Never a real
person's key: real keys are made by django-otp and stay in the database."""

from __future__ import annotations

import base64
import binascii
import time

from django_otp.oath import hotp

#: 20 bytes, as RFC 6238 recommends for HMAC-SHA-1
DEMO_KEY_HEX = b"wegweiser demo totp!".hex()


def demo_key_base32() -> str:
    """The key as an authenticator app takes it."""
    return base64.b32encode(binascii.unhexlify(DEMO_KEY_HEX)).decode()


def demo_code(at: float | None = None) -> str:
    """The code of the 30-second step at time ``at`` (now without it)."""
    step = int((time.time() if at is None else at) // 30)
    return f"{hotp(binascii.unhexlify(DEMO_KEY_HEX), step):06d}"
