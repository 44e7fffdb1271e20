"""The Merkle arithmetic against RFC 6962's definitions and Certificate Transparency's
published test vectors."""

from __future__ import annotations

import hashlib

import pytest

from consent_app.services.ledger.merkle import (
    EMPTY_ROOT,
    Frontier,
    consistency_ranges,
    inclusion_ranges,
    leaf_hash,
    node_hash,
    path_elements,
    range_hash,
    stored_count,
    stored_index,
    verify_consistency,
    verify_inclusion,
)

# Certificate Transparency's reference leaves and the roots of their first n leaves.
CT_LEAVES = [
    bytes.fromhex(h)
    for h in (
        "",
        "00",
        "10",
        "2021",
        "3031",
        "40414243",
        "5051525354555657",
        "606162636465666768696a6b6c6d6e6f",
    )
]
CT_ROOTS = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]
CT_INCLUSION = [
    (
        0,
        8,
        [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        5,
        8,
        [
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
]


def reference_root(leaves: list[str]) -> str:
    """MTH straight from RFC 6962 section 2.1 (recursive, split at the largest power of 2)."""
    if not leaves:
        return EMPTY_ROOT
    if len(leaves) == 1:
        return leaves[0]
    k = 1 << ((len(leaves) - 1).bit_length() - 1)
    return node_hash(reference_root(leaves[:k]), reference_root(leaves[k:]))


def reference_path(index: int, leaves: list[str]) -> list[str]:
    """PATH(m, D[n]) from RFC 6962 section 2.1.1."""
    if len(leaves) == 1:
        return []
    k = 1 << ((len(leaves) - 1).bit_length() - 1)
    if index < k:
        return [*reference_path(index, leaves[:k]), reference_root(leaves[k:])]
    return [*reference_path(index - k, leaves[k:]), reference_root(leaves[:k])]


class StoredTree:
    """A tree kept the way the ledger keeps it: every completed subtree by stored index."""

    def __init__(self, leaves: list[str]) -> None:
        self.frontier = Frontier()
        self.stored: dict[int, str] = {}
        self.by_node: dict[tuple[int, int], str] = {}
        for leaf in leaves:
            for level, index, digest in self.frontier.append(leaf):
                self.stored[stored_index(level, index)] = digest
                self.by_node[(level, index)] = digest

    def hashes(self, ranges: list[tuple[int, int]]) -> list[str]:
        return [range_hash(a, b, self.by_node.__getitem__) for a, b in ranges]


def leaves_of(count: int) -> list[str]:
    return [leaf_hash(i.to_bytes(4, "big")) for i in range(count)]


def test_leaf_and_node_hashes_have_the_rfc_prefixes() -> None:
    assert leaf_hash(b"") == hashlib.sha256(b"\x00").hexdigest()
    left, right = "aa" * 32, "bb" * 32
    assert (
        node_hash(left, right) == hashlib.sha256(b"\x01" + b"\xaa" * 32 + b"\xbb" * 32).hexdigest()
    )


def test_roots_match_certificate_transparency_vectors() -> None:
    frontier = Frontier()
    assert frontier.root() == EMPTY_ROOT
    for leaf, root in zip(CT_LEAVES, CT_ROOTS, strict=True):
        list(frontier.append(leaf_hash(leaf)))
        assert frontier.root() == root


@pytest.mark.parametrize(("index", "size", "proof"), CT_INCLUSION)
def test_inclusion_proofs_match_certificate_transparency_vectors(index, size, proof) -> None:
    tree = StoredTree([leaf_hash(leaf) for leaf in CT_LEAVES[:size]])
    assert tree.hashes(inclusion_ranges(index, size)) == proof
    assert verify_inclusion(index, size, leaf_hash(CT_LEAVES[index]), proof, CT_ROOTS[size - 1])


def test_stored_index_numbers_subtrees_in_the_order_they_complete() -> None:
    tree = StoredTree(leaves_of(37))
    assert sorted(tree.stored) == list(range(stored_count(37)))
    for (level, index), digest in tree.by_node.items():
        assert tree.stored[stored_index(level, index)] == digest


def test_every_inclusion_proof_matches_rfc6962_path_and_verifies() -> None:
    all_leaves = leaves_of(40)
    tree = StoredTree(all_leaves)
    for size in range(1, 41):
        leaves = all_leaves[:size]
        root = reference_root(leaves)
        for index in range(size):
            proof = tree.hashes(inclusion_ranges(index, size))
            assert proof == reference_path(index, leaves)
            assert verify_inclusion(index, size, leaves[index], proof, root)


def test_inclusion_proof_fails_for_another_leaf_index_or_root() -> None:
    leaves = leaves_of(11)
    tree = StoredTree(leaves)
    root = reference_root(leaves)
    proof = tree.hashes(inclusion_ranges(6, 11))
    assert not verify_inclusion(6, 11, leaves[5], proof, root)
    assert not verify_inclusion(5, 11, leaves[6], proof, root)
    assert not verify_inclusion(6, 11, leaves[6], proof, reference_root(leaves[:10]))
    assert not verify_inclusion(6, 11, leaves[6], proof[:-1], root)
    assert not verify_inclusion(11, 11, leaves[6], proof, root)


def test_every_consistency_proof_verifies_and_detects_a_rewritten_history() -> None:
    leaves = leaves_of(33)
    tree = StoredTree(leaves)
    forged = [*leaves[:3], leaf_hash(b"forged"), *leaves[4:]]
    forged_tree = StoredTree(forged)
    for second in range(1, 34):
        second_root = reference_root(leaves[:second])
        for first in range(1, second + 1):
            proof = tree.hashes(consistency_ranges(first, second))
            first_root = reference_root(leaves[:first])
            assert verify_consistency(first, second, first_root, second_root, proof)
            if first > 3:  # a log that changed leaf 3 cannot prove it only grew
                forged_proof = forged_tree.hashes(consistency_ranges(first, second))
                forged_root = reference_root(forged[:second])
                assert not verify_consistency(first, second, first_root, forged_root, forged_proof)


def test_consistency_proof_sizes_must_be_ordered() -> None:
    with pytest.raises(ValueError):
        consistency_ranges(5, 3)
    with pytest.raises(ValueError):
        consistency_ranges(0, 3)
    assert consistency_ranges(4, 4) == []


def test_frontier_resumes_from_its_pieces() -> None:
    leaves = leaves_of(13)
    whole = StoredTree(leaves).frontier
    resumed = Frontier(6, StoredTree(leaves[:6]).frontier.pieces)
    for leaf in leaves[6:]:
        list(resumed.append(leaf))
    assert resumed.root() == whole.root() == reference_root(leaves)


@pytest.mark.parametrize(
    "positions",
    [
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10],  # a run, as an export of everything
        [0, 1, 2, 5, 6, 7, 19, 30, 31, 44],  # scattered, as an export of one site
        [44],
    ],
)
def test_path_elements_give_every_leaf_its_rfc_path(positions: list[int]) -> None:
    leaves = leaves_of(45)
    tree = StoredTree(leaves)
    for size in (1, 2, 7, 11, 32, 45):
        inside = [p for p in positions if p < size]
        if not inside:
            continue
        per_level = path_elements(inside, size)
        for index in inside:
            proof = []
            for level, found in enumerate(per_level):
                element = found[index >> level]
                if element is None:
                    continue
                if isinstance(element, int):
                    proof.append(tree.stored[element])
                else:
                    proof.append(tree.hashes([element])[0])
            assert proof == reference_path(index, leaves[:size]), (size, index)
