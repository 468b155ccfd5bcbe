"""Keeping a hierarchy in order: moves, sort by SUDS, and refusing a reorder made from a stale view."""
from collections.abc import Sequence


class StaleOrder(ValueError):
    """The order the client saw is no longer current (another device changed the list); nothing is applied."""

    def __init__(self, message: str = "This list changed on another screen. Here is the current order; please try again."):
        super().__init__(message)
        self.field = "order"
        self.message = message


def checked_order(
    current: Sequence[int], requested: Sequence[int], *, seen_version: int, current_version: int
) -> list[int]:
    """The requested order if it was made from the current list; else StaleOrder, so the order is never corrupted.

    The request must carry the version the client saw and be a permutation of exactly the current items.
    """
    if seen_version != current_version:
        raise StaleOrder()
    if len(requested) != len(set(requested)) or sorted(requested) != sorted(current):
        raise StaleOrder()
    return list(requested)


def moved(order: Sequence[int], item_id: int, offset: int) -> list[int]:
    """The order with one item moved `offset` places (negative is up), clamped at the ends."""
    result = list(order)
    index = result.index(item_id)
    target = max(0, min(len(result) - 1, index + offset))
    result.insert(target, result.pop(index))
    return result


def by_suds(items: Sequence[tuple[int, int]]) -> list[int]:
    """Ids sorted by SUDS, lowest first (the ladder is climbed from the bottom); ties keep their current order."""
    return [item_id for item_id, _suds in sorted(items, key=lambda pair: pair[1])]
