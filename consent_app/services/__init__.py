"""Domain code: plain values in, plain values or named exceptions (errors.py) out.

Services never import a door (api/, admin/, dashboard/ ...), never read `request`, and
know nothing of HTTP: web/errors.py maps their exceptions to status codes. One package per
feature, each saying what it owns:

- ledger/    receipts (sign, verify), the Merkle log and its sealer, proofs, verify-log,
             search and exports for auditors, and recording decisions (ingest)
- cookies/   cookie catalogs, a site's rules, classifying names, reported unknown names
- sites/     sites and their configuration, texts, policy versions, the banner scripts
- stats/     banner impressions, the dashboard's rollups and figures
- visitor/   what a visitor owns: their secret, preferences, self-service, erasure and
             retention; what is derived from a request and forgotten (country, device)
- accounts/  sign-in users and the activity log of what they did

Modules shared by several packages sit here: errors.py, shapes.py (what input may look
like), upsert.py (insert-or-update on both engines), spreadsheet_csv.py (the CSV writer).
"""
