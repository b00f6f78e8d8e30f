"""The hashes every command takes, from CPython's own implementations rather than through
:mod:`hashlib`: BLAKE2b (each timeline event's keyed hash, and the digests of the registry
snapshot's files) and SHA-256 (the chain key's public id, an HMAC; the names of cached files).

Importing ``hashlib`` (or ``hmac``, which imports it) loads OpenSSL's library, about a sixth
of what Python's own start costs, for hashes none of which needs OpenSSL: ``hashlib.blake2b``
*is* ``_blake2.blake2b`` (hashlib never takes OpenSSL's BLAKE2), and SHA-256 and HMAC are
standards (FIPS 180-4, RFC 2104) whose bytes do not depend on who computes them.
``tests/core/test_digests.py`` holds each to hashlib's and hmac's answers.
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False
if TYPE_CHECKING:  # the same functions, as typeshed describes them
    from hashlib import blake2b as blake2b, sha256 as sha256
else:
    try:
        from _blake2 import blake2b
    except ImportError:  # a Python built without its own BLAKE2: hashlib's
        from hashlib import blake2b
    try:  # CPython's own SHA-256: its module is _sha2 from Python 3.12, _sha256 before
        if sys.version_info >= (3, 12):
            from _sha2 import sha256
        else:
            from _sha256 import sha256
    except ImportError:  # another Python: hashlib's
        from hashlib import sha256

#: SHA-256's block size, in bytes: an HMAC key is padded (or first hashed) to it.
_BLOCK = 64
_INNER_PAD = bytes(b ^ 0x36 for b in range(256))
_OUTER_PAD = bytes(b ^ 0x5C for b in range(256))


def hmac_sha256(key: bytes, message: bytes) -> bytes:
    """HMAC-SHA256 of ``message`` under ``key`` (RFC 2104): what ``hmac.digest(key, message,
    "sha256")`` gives."""
    if len(key) > _BLOCK:
        key = sha256(key).digest()
    key = key.ljust(_BLOCK, b"\0")
    inner = sha256(key.translate(_INNER_PAD) + message).digest()
    return sha256(key.translate(_OUTER_PAD) + inner).digest()
