"""RFC 6962 / RFC 9162 Merkle tree arithmetic: hashes, proofs and their verification.

Pure functions over hex strings; no database. The ledger (services/ledger.py) stores every
perfect, aligned subtree hash once it is complete, numbered in the order the tree completes
them (`stored_index`), so any proof needs only O(log n) stored hashes.

A node is named (level, index): the subtree over leaves [index * 2**level, (index + 1) *
2**level). The tree of size n is the RFC 6962 one, which is the same as pairing nodes level
by level and promoting an unpaired last node unchanged.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Sequence

Node = tuple[int, int]  # (level, index) of a perfect, aligned subtree

EMPTY_ROOT = hashlib.sha256(b"").hexdigest()


def leaf_hash(data: bytes) -> str:
    return hashlib.sha256(b"\x00" + data).hexdigest()


def node_hash(left: str, right: str) -> str:
    return hashlib.sha256(b"\x01" + bytes.fromhex(left) + bytes.fromhex(right)).hexdigest()


def stored_index(level: int, index: int) -> int:
    """Where a perfect subtree's hash sits in completion order (leaf 0, leaf 1, node (1,0),
    leaf 2, leaf 3, node (1,1), node (2,0) ...). A tree of n leaves has 2n - popcount(n)."""
    last_leaf = ((index + 1) << level) - 1
    return 2 * last_leaf - last_leaf.bit_count() + level


def stored_count(size: int) -> int:
    """How many stored hashes a tree of `size` leaves has."""
    return 2 * size - size.bit_count()


def range_nodes(start: int, end: int) -> list[Node]:
    """The perfect aligned subtrees that make up leaves [start, end), largest first.

    `start` must be aligned as in RFC 6962's recursion (a multiple of the largest power
    of two not above end - start), which every range in a proof is.
    """
    nodes = []
    while start < end:
        level = (end - start).bit_length() - 1
        nodes.append((level, start >> level))
        start += 1 << level
    return nodes


def fold(hashes: list[str]) -> str:
    """MTH of a range from its perfect pieces, largest (leftmost) first."""
    if not hashes:
        return EMPTY_ROOT
    result = hashes[-1]
    for piece in reversed(hashes[:-1]):
        result = node_hash(piece, result)
    return result


def range_hash(start: int, end: int, lookup: Callable[[Node], str]) -> str:
    return fold([lookup(node) for node in range_nodes(start, end)])


def inclusion_ranges(index: int, size: int) -> list[tuple[int, int]]:
    """The leaf ranges whose hashes form the inclusion proof of leaf `index` in a tree of
    `size` leaves, bottom-up (RFC 9162 2.1.3.1 order)."""
    if not 0 <= index < size:
        raise ValueError(f"leaf {index} is not in a tree of size {size}")
    ranges = []
    fn, sn, level = index, size - 1, 0
    while sn > 0:
        if fn & 1:
            start = (fn - 1) << level
            ranges.append((start, start + (1 << level)))
        elif fn < sn:
            start = (fn + 1) << level
            ranges.append((start, min(start + (1 << level), size)))
        fn, sn, level = fn >> 1, sn >> 1, level + 1
    return ranges


Element = int | tuple[int, int] | None  # a proof element, as path_elements names it


def path_elements(positions: Sequence[int], size: int) -> list[dict[int, Element]]:
    """The inclusion-proof elements that leaves at `positions` (increasing, all below
    `size`) need, per level: {ancestor (position >> level): element}. An element is the
    stored index of a whole sibling subtree, the (start, end) leaf range of a ragged one,
    or None where the path has no element at that level.

    A leaf's element at level L depends only on its ancestor there, so neighbouring
    leaves share nearly all of them: a run of n leaves needs about 2n elements in all,
    not n times the tree's height (exports of a million receipts rely on it).
    """
    levels, last_leaf = (size - 1).bit_length(), size - 1
    contiguous = positions[-1] - positions[0] == len(positions) - 1
    per_level: list[dict[int, Element]] = []
    for level in range(levels):
        if contiguous:
            ancestors: Iterable[int] = range(positions[0] >> level, (positions[-1] >> level) + 1)
        else:
            ancestors = {position >> level for position in positions}
        top = last_leaf >> level
        found: dict[int, Element] = {}
        for ancestor in ancestors:
            if ancestor & 1:
                sibling = ancestor - 1
            elif ancestor < top:
                sibling = ancestor + 1
            else:
                found[ancestor] = None  # promoted: no element at this level
                continue
            end = (sibling + 1) << level
            if end <= size:  # a whole subtree: stored_index(level, sibling), inlined
                found[ancestor] = 2 * (end - 1) - (end - 1).bit_count() + level
            else:
                found[ancestor] = (sibling << level, size)
        per_level.append(found)
    return per_level


def consistency_ranges(first: int, second: int) -> list[tuple[int, int]]:
    """The leaf ranges whose hashes prove that the tree of size `first` is a prefix of the
    tree of size `second` (RFC 9162 2.1.4.1, SUBPROOF)."""
    if not 0 < first <= second:
        raise ValueError(f"no consistency proof from size {first} to size {second}")

    def subproof(m: int, start: int, end: int, whole: bool) -> list[tuple[int, int]]:
        n = end - start
        if m == n:
            return [] if whole else [(start, end)]
        k = 1 << ((n - 1).bit_length() - 1)
        if m <= k:
            return [*subproof(m, start, start + k, whole), (start + k, end)]
        return [*subproof(m - k, start + k, end, False), (start, start + k)]

    return subproof(first, 0, second, True)


def nodes_for(ranges: list[tuple[int, int]]) -> set[Node]:
    return {node for start, end in ranges for node in range_nodes(start, end)}


def verify_inclusion(index: int, size: int, leaf: str, proof: list[str], root: str) -> bool:
    """RFC 9162 2.1.3.2."""
    if not 0 <= index < size:
        return False
    fn, sn, result = index, size - 1, leaf
    for sibling in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            result = node_hash(sibling, result)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            result = node_hash(result, sibling)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and result == root


def verify_consistency(
    first: int, second: int, first_root: str, second_root: str, proof: list[str]
) -> bool:
    """RFC 9162 2.1.4.2."""
    if not 0 < first <= second:
        return False
    if first == second:
        return not proof and first_root == second_root
    if not proof:
        return False
    if first & (first - 1) == 0:  # a power of two: the first root is the path's start
        proof = [first_root, *proof]
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = proof[0]
    for piece in proof[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(piece, fr)
            sr = node_hash(piece, sr)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, piece)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and fr == first_root and sr == second_root


class Frontier:
    """The right edge of a growing tree: the perfect subtrees that make up its leaves.

    Appending a leaf yields every subtree it completes, in stored (completion) order.
    """

    def __init__(self, size: int = 0, pieces: list[str] | None = None) -> None:
        self.size = size
        self.pieces = list(pieces or [])  # largest (leftmost) first
        if len(self.pieces) != size.bit_count():
            raise ValueError(f"a tree of size {size} has {size.bit_count()} pieces")

    def append(self, leaf: str) -> Iterator[tuple[int, int, str]]:
        """Add a leaf; yield (level, index, hash) of each subtree it completes."""
        position = self.size
        yield 0, position, leaf
        current, level = leaf, 0
        while (position >> level) & 1:
            current = node_hash(self.pieces.pop(), current)
            level += 1
            yield level, position >> level, current
        self.pieces.append(current)
        self.size += 1

    def root(self) -> str:
        return fold(self.pieces)


def frontier_nodes(size: int) -> list[Node]:
    """The stored subtrees that form the frontier of a tree of `size` leaves."""
    return range_nodes(0, size)
