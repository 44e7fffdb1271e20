from __future__ import annotations

import pytest
from flask import Flask

from consent_app.models import Site
from consent_app.services.ledger.log import latest_head
from consent_app.services.ledger.merkle import verify_consistency, verify_inclusion
from consent_app.services.ledger.proofs import (
    InvalidTreeSize,
    NotSealed,
    consistency_proof,
    inclusion_proof,
)
from tests.factories import (
    make_record,
    make_records,
    records_by_position,
    seal_all,
    subject,
)


def test_every_receipt_proves_inclusion_in_the_latest_head(app: Flask, shop: Site) -> None:
    for batch in (1, 2, 4, 6):  # several seals, so the tree grows unevenly
        make_records(batch)
        seal_all(app)
    head = latest_head()
    assert head.tree_size == 13
    for record in records_by_position():
        proof = inclusion_proof(record)
        assert proof.head.tree_size == 13
        assert verify_inclusion(
            proof.leaf_index, 13, record.leaf_hash, proof.audit_path, head.root_hash
        )


def test_a_waiting_receipt_has_no_proof_yet(app: Flask, shop: Site) -> None:
    make_records(2)
    seal_all(app)
    waiting = make_record(subject_id=subject(99))
    with pytest.raises(NotSealed):
        inclusion_proof(waiting)


def test_consistency_proofs_between_signed_heads_verify(app: Flask, shop: Site) -> None:
    roots = {}
    for batch in (3, 1, 4, 5):
        make_records(batch)
        result = seal_all(app)
        roots[result.tree_size] = result.root_hash
    for first in roots:
        for second in roots:
            if first <= second:
                proof = consistency_proof(first, second)
                assert (proof.first_root, proof.second_root) == (roots[first], roots[second])
                assert verify_consistency(first, second, roots[first], roots[second], proof.proof)


@pytest.mark.parametrize(("first", "second"), [(0, 3), (4, 3), (2, 99)])
def test_consistency_sizes_outside_the_log_are_refused(app: Flask, shop, first, second) -> None:
    make_records(5)
    seal_all(app)
    with pytest.raises(InvalidTreeSize):
        consistency_proof(first, second)
