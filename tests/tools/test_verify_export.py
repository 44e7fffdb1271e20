"""tools/verify_export.py checks an export with nothing but the JWKS, and says where a
tampered export fails."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

from consent_app.config import PROJECT_ROOT
from consent_app.services.ledger.exports import export_csv, export_jsonl
from consent_app.services.ledger.keys import generate_key, load_keyring
from consent_app.services.ledger.search import ReceiptQuery
from consent_app.services.visitor.self_service import VisitorKey, erase
from consent_app.signing import hmac_key, keyring
from tests.conftest import running_app
from tests.factories import make_record, make_records, make_site, seal_all, subject

TOOL = PROJECT_ROOT / "tools" / "verify_export.py"


@pytest.fixture
def exported(database_url: str, tmp_path: Path) -> Path:
    """A JSONL and a CSV export of a signed log (one receipt erased, one waiting), and
    the JWKS with a retired key and the current one."""
    _old_kid, old = generate_key()
    _kid, current = generate_key()
    with running_app(database_url, RECEIPT_ED25519_KEYS=f"{old} {current}") as app:
        make_site()
        make_records(12)
        seal_all(app)
        make_record(subject_id=subject(77))
        erase(VisitorKey("shop", subject(3)), signing_key=hmac_key())
        (tmp_path / "receipts.jsonl").write_text("".join(export_jsonl(ReceiptQuery())))
        (tmp_path / "receipts.csv").write_text("".join(export_csv(ReceiptQuery())))
        (tmp_path / "jwks.json").write_text(json.dumps(keyring().jwks()))
    return tmp_path


def run_tool(export: Path, jwks: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-I", str(TOOL), str(export), "--jwks", str(jwks)],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_tool_imports_only_the_standard_library_and_cryptography() -> None:
    tree = ast.parse(TOOL.read_text())
    modules = {
        (node.module if isinstance(node, ast.ImportFrom) else alias.name).split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert modules - set(sys.stdlib_module_names) == {"cryptography"}


@pytest.mark.parametrize("name", ["receipts.jsonl", "receipts.csv"])
def test_an_export_verifies_offline(exported: Path, name: str) -> None:
    result = run_tool(exported / name, exported / "jwks.json")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "11 receipts verified, 1 erased receipts in the log, 1 not yet sealed" in result.stdout
    assert "0 failures" in result.stdout


def test_an_altered_receipt_fails_on_its_line(exported: Path) -> None:
    path = exported / "receipts.jsonl"
    lines = path.read_text().splitlines()
    item = json.loads(lines[5])
    item["claims"]["action"] = "accept_all"
    lines[5] = json.dumps(item)
    path.write_text("\n".join(lines) + "\n")
    result = run_tool(path, exported / "jwks.json")
    assert result.returncode == 1
    assert f"FAIL line 6 (receipt {item['receipt_id']}): the claims do not hash" in result.stdout


def test_a_receipt_moved_to_another_position_fails_its_proof(exported: Path) -> None:
    path = exported / "receipts.jsonl"
    lines = path.read_text().splitlines()
    item = json.loads(lines[2])
    item["leaf_index"] = 3
    lines[2] = json.dumps(item)
    path.write_text("\n".join(lines) + "\n")
    result = run_tool(path, exported / "jwks.json")
    assert result.returncode == 1
    assert "line 3" in result.stdout and "does not lead to the signed root" in result.stdout


def test_a_head_signed_by_an_unknown_key_fails(exported: Path, tmp_path: Path) -> None:
    stranger = tmp_path / "stranger.json"
    _kid, entry = generate_key()
    stranger.write_text(json.dumps(load_keyring(entry).jwks()))
    result = run_tool(exported / "receipts.jsonl", stranger)
    assert result.returncode == 1
    assert "FAIL line 1: the tree head has no valid Ed25519 signature" in result.stdout
