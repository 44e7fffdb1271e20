#!/usr/bin/env python3
"""Verify a Samtykke receipt export offline, with only the service's public keys.

    python3 verify_export.py receipts.jsonl --jwks jwks.json
    python3 verify_export.py receipts.csv --jwks jwks.json

Needs Python 3.11+ and the `cryptography` package; nothing from the service itself, so an
auditor can read every line of what they run. Get jwks.json from
https://<consent service>/.well-known/jwks.json (keep a copy: it is what you trust).

It checks that
1. the export's tree head carries a valid Ed25519 signature by a key in the JWKS;
2. each receipt's claims, serialised canonically (sorted keys, no whitespace, UTF-8),
   hash to its leaf hash, SHA-256(0x00 || claims), and carry a valid Ed25519 signature;
3. each receipt's inclusion proof leads from its leaf to the signed root (RFC 9162
   section 2.1.3.2), so the receipt was in the log the service signed, unaltered.

Erased receipts have no claims left; their leaf must still be in the log. Receipts not
yet sealed when the export was made have no proof and are counted separately.
Exit status 0 when everything verifies, 1 otherwise; each failure names its line.
"""

from __future__ import annotations

import argparse
import base64
import csv
import hashlib
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

LOG_ID = "samtykke-consent-log/1"


def canonical(data: Any) -> bytes:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def hash_children(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def inclusion_root(index: int, size: int, leaf: bytes, path: list[bytes]) -> bytes | None:
    """The root an inclusion proof leads to (RFC 9162 2.1.3.2), or None if it is malformed."""
    if not 0 <= index < size:
        return None
    fn, sn, node = index, size - 1, leaf
    for sibling in path:
        if sn == 0:
            return None
        if fn % 2 == 1 or fn == sn:
            node = hash_children(sibling, node)
            while fn % 2 == 0 and fn != 0:
                fn, sn = fn // 2, sn // 2
        else:
            node = hash_children(node, sibling)
        fn, sn = fn // 2, sn // 2
    return node if sn == 0 else None


def load_jwks(path: str) -> dict[str, Ed25519PublicKey]:
    with open(path, encoding="utf-8") as fh:
        document = json.load(fh)
    keys = {}
    for jwk in document.get("keys", []):
        if jwk.get("kty") == "OKP" and jwk.get("crv") == "Ed25519" and "kid" in jwk:
            keys[jwk["kid"]] = Ed25519PublicKey.from_public_bytes(unb64url(jwk["x"]))
    return keys


def signature_ok(keys: dict[str, Ed25519PublicKey], signed: dict | None, data: bytes) -> bool:
    if not signed or signed.get("kid") not in keys:
        return False
    try:
        keys[signed["kid"]].verify(unb64url(signed["signature"]), data)
    except (InvalidSignature, ValueError):
        return False
    return True


@dataclass
class Entry:
    line: int
    receipt_id: str
    leaf_index: int | None
    leaf_hash: str
    claims: dict | None
    ed25519: dict | None
    proof: list[str] | None
    erased: bool


@dataclass
class Outcome:
    verified: int = 0
    erased: int = 0
    waiting: int = 0
    unsigned: int = 0
    failures: list[str] = field(default_factory=list)


def read_jsonl(path: str) -> tuple[dict, Iterator[Entry]]:
    fh = open(path, encoding="utf-8")  # noqa: SIM115 (closed when the entries run out)
    head = json.loads(fh.readline())

    def entries() -> Iterator[Entry]:
        with fh:
            for number, text in enumerate(fh, start=2):
                item = json.loads(text)
                yield Entry(
                    number,
                    item["receipt_id"],
                    item["leaf_index"],
                    item["leaf_hash"],
                    item["claims"],
                    item["ed25519"],
                    item["proof"],
                    item["erased"],
                )

    return head, entries()


def read_csv(path: str) -> tuple[dict, Iterator[Entry]]:
    fh = open(path, encoding="utf-8", newline="")  # noqa: SIM115
    rows = csv.DictReader(fh)
    head = json.loads(next(rows)["claims"])

    def entries() -> Iterator[Entry]:
        with fh:
            for number, row in enumerate(rows, start=3):
                signature = None
                if row["ed25519_signature"]:
                    signature = {"kid": row["ed25519_kid"], "signature": row["ed25519_signature"]}
                yield Entry(
                    number,
                    row["receipt_id"],
                    int(row["leaf_index"]) if row["leaf_index"] else None,
                    row["leaf_hash"],
                    json.loads(row["claims"]) if row["claims"] else None,
                    signature,
                    row["proof"].split() if row["leaf_index"] else None,
                    row["erased"] == "true",
                )

    return head, entries()


def verify(head: dict, entries: Iterator[Entry], keys: dict[str, Ed25519PublicKey]) -> Outcome:
    outcome = Outcome()
    fail = outcome.failures.append
    size, root = head.get("tree_size", 0), head.get("root_hash", "")
    signed_head = canonical(
        {"log": LOG_ID, "tree_size": size, "root_hash": root, "timestamp": head.get("timestamp")}
    )
    if head.get("log") != LOG_ID:
        fail(f"line 1: not a tree head of {LOG_ID}")
    elif not signature_ok(keys, head.get("ed25519"), signed_head):
        fail("line 1: the tree head has no valid Ed25519 signature from a key in the JWKS")
    for entry in entries:
        where = f"line {entry.line} (receipt {entry.receipt_id})"
        leaf_hex = entry.leaf_hash
        if entry.claims is not None:
            body = canonical(entry.claims)
            if hashlib.sha256(b"\x00" + body).hexdigest() != entry.leaf_hash:
                fail(f"{where}: the claims do not hash to the leaf hash")
                continue
            if entry.claims.get("receipt_id") != entry.receipt_id:
                fail(f"{where}: the claims are of another receipt")
                continue
            if entry.ed25519 is None:
                outcome.unsigned += 1
            elif not signature_ok(keys, entry.ed25519, body):
                fail(f"{where}: the Ed25519 signature does not verify")
                continue
        elif not entry.erased:
            fail(f"{where}: no claims, yet not marked erased")
            continue
        if entry.leaf_index is None:
            outcome.waiting += 1
            continue
        try:
            leaf, path = bytes.fromhex(leaf_hex), [bytes.fromhex(h) for h in entry.proof or []]
        except ValueError:
            fail(f"{where}: the leaf hash or proof is not hexadecimal")
            continue
        reached = inclusion_root(entry.leaf_index, size, leaf, path)
        if reached is None or reached.hex() != root:
            fail(
                f"{where}: the inclusion proof for position {entry.leaf_index} "
                "does not lead to the signed root"
            )
            continue
        if entry.erased:
            outcome.erased += 1
        else:
            outcome.verified += 1
    return outcome


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("export", help="a .jsonl or .csv export from the audit pages or CLI")
    parser.add_argument("--jwks", required=True, help="the service's /.well-known/jwks.json")
    parser.add_argument("--format", choices=["jsonl", "csv"], help="default: from the file name")
    args = parser.parse_args(argv)
    fmt = args.format or ("csv" if args.export.endswith(".csv") else "jsonl")
    head, entries = (read_csv if fmt == "csv" else read_jsonl)(args.export)
    outcome = verify(head, entries, load_jwks(args.jwks))
    for failure in outcome.failures:
        print(f"FAIL {failure}")
    print(
        f"tree size {head.get('tree_size')}, root {head.get('root_hash')}: "
        f"{outcome.verified} receipts verified, {outcome.erased} erased receipts in the log, "
        f"{outcome.waiting} not yet sealed, {outcome.unsigned} without Ed25519 signature, "
        f"{len(outcome.failures)} failures"
    )
    return 1 if outcome.failures else 0


if __name__ == "__main__":
    sys.exit(main())
