"""The consent ledger: every decision as a signed receipt in an append-only Merkle log.

ingest.py records a decision (validated against its site, signed, stored unsealed);
receipts.py and keys.py make and check signatures; merkle.py is RFC 6962 arithmetic;
log.py seals receipts into the log and signs tree heads; proofs.py answers inclusion and
consistency; verify_log.py and receipt_checks.py recompute everything; search.py,
exports.py and lookup.py are how auditors and the public read it; ids.py makes receipt ids.
"""
