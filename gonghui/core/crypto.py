"""Encryption at rest for sensitive fields, with a key ring so keys can rotate, and keyed blind indexes.

GONGHUI_FIELD_KEYS is ``kid:base64key[,kid:base64key…]``; the first key encrypts, every key decrypts.
Ciphertext is stored as ``enc1$<kid>$<base64(nonce ‖ AES-256-GCM ciphertext)>``.
"""

import base64
import hashlib
import hmac
import os
from functools import lru_cache

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

PREFIX = "enc1"


class KeyRing:
    def __init__(self, spec: str):
        self.keys: dict[str, bytes] = {}
        self.primary: str | None = None
        for item in spec.split(","):
            item = item.strip()
            if not item:
                continue
            kid, _, encoded = item.partition(":")
            try:
                key = base64.urlsafe_b64decode(encoded)
            except ValueError:
                raise ImproperlyConfigured(f"Field key {kid!r} is not valid base64.")
            if len(key) != 32 or not kid or "$" in kid:
                raise ImproperlyConfigured(f"Field key {kid!r} must be 32 bytes with a name without '$'.")
            self.keys[kid] = key
            self.primary = self.primary or kid
        if not self.primary:
            raise ImproperlyConfigured("GONGHUI_FIELD_KEYS holds no key.")

    def encrypt(self, plaintext: str) -> str:
        nonce = os.urandom(12)
        ciphertext = AESGCM(self.keys[self.primary]).encrypt(nonce, plaintext.encode(), PREFIX.encode())
        return f"{PREFIX}${self.primary}${base64.b64encode(nonce + ciphertext).decode()}"

    def decrypt(self, token: str) -> str:
        prefix, kid, payload = token.split("$", 2)
        if prefix != PREFIX or kid not in self.keys:
            raise ValueError(f"Unknown ciphertext key {kid!r}")
        raw = base64.b64decode(payload)
        return AESGCM(self.keys[kid]).decrypt(raw[:12], raw[12:], PREFIX.encode()).decode()

    def key_id(self, token: str) -> str:
        return token.split("$", 2)[1]


@lru_cache(maxsize=4)
def _ring(spec: str) -> KeyRing:
    return KeyRing(spec)


def keyring() -> KeyRing:
    return _ring(settings.FIELD_ENCRYPTION_KEYS)


def blind_index(value: str | None) -> str:
    """A keyed, deterministic digest for exact lookups of an encrypted value (normalised first)."""
    if not value:
        return ""
    normalised = "".join(value.split()).upper()
    digest = hmac.new(settings.BLIND_INDEX_KEY.encode(), normalised.encode(), hashlib.sha256)
    return digest.hexdigest()


class EncryptedTextField(models.TextField):
    """Sensitive text, encrypted at rest; Python code sees plaintext, the database only ciphertext.

    Show it through the masking helpers; a full read on screen goes through ``core.audit.reveal``.
    """

    sensitive = True

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return keyring().decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return keyring().encrypt(value)

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "gonghui.core.crypto.EncryptedTextField", args, kwargs


def reencrypt_value(token: str) -> str | None:
    """The token under the primary key, or None if it already uses it."""
    ring = keyring()
    if not token or ring.key_id(token) == ring.primary:
        return None
    return ring.encrypt(ring.decrypt(token))
