"""Inclusion and consistency proofs (RFC 9162), read from the ledger's stored subtree
hashes: O(log n) stored hashes per proof, fetched in one query."""

from __future__ import annotations

from dataclasses import dataclass

from ...extensions import db
from ...models import ConsentRecord, TreeHead
from ..errors import Conflict, Invalid, NotFound
from .log import hashes_by_node, latest_head
from .merkle import consistency_ranges, inclusion_ranges, nodes_for, range_hash


class NotSealed(Conflict):
    code = "not_sealed"


class EmptyLog(NotFound):
    code = "empty_log"


class InvalidTreeSize(Invalid):
    code = "invalid_tree_size"


def stored_range_hashes(ranges: list[tuple[int, int]]) -> list[str]:
    hashes = hashes_by_node(db.session.connection(), nodes_for(ranges))
    return [range_hash(start, end, hashes.__getitem__) for start, end in ranges]


@dataclass(frozen=True)
class InclusionProof:
    leaf_index: int
    leaf_hash: str
    audit_path: list[str]
    head: TreeHead


def inclusion_proof(record: ConsentRecord, head: TreeHead | None = None) -> InclusionProof:
    """The proof that a receipt is in the log, against the latest (or the given) head."""
    head = head or latest_head()
    if record.log_index is None or head is None or record.log_index >= head.tree_size:
        raise NotSealed(
            f"receipt {record.receipt_id} is not in a signed tree head yet; "
            "it will be after the next seal"
        )
    path = stored_range_hashes(inclusion_ranges(record.log_index, head.tree_size))
    return InclusionProof(record.log_index, record.leaf_hash, path, head)


@dataclass(frozen=True)
class ConsistencyProof:
    first: int
    second: int
    first_root: str
    second_root: str
    proof: list[str]


def consistency_proof(first: int, second: int) -> ConsistencyProof:
    """Proof that the log at size `first` is a prefix of the log at size `second`."""
    head = latest_head()
    size = head.tree_size if head else 0
    if not 0 < first <= second <= size:
        raise InvalidTreeSize(
            f"need 0 < first <= second <= {size} (the latest signed tree size)",
            fields=[{"field": "first", "message": "must be at least 1 and at most second"}]
            if not 0 < first <= second
            else [{"field": "second", "message": f"must be at most {size}"}],
        )
    roots = stored_range_hashes([(0, first), (0, second)])
    proof = stored_range_hashes(consistency_ranges(first, second))
    return ConsistencyProof(first, second, roots[0], roots[1], proof)
