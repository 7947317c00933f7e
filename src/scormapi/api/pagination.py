"""NexPort paging: ``page`` (1-based) and ``per_page`` in the query, totals in headers."""
from __future__ import annotations

from dataclasses import dataclass

DEFAULT_PER_PAGE = 30
MAX_PER_PAGE = 1000
# The contract types page as int32; a larger one would overflow the SQL OFFSET.
MAX_PAGE = 2**31 - 1


@dataclass(frozen=True)
class Page:
    page: int
    per_page: int

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page

    def headers(self, total: int) -> dict[str, str]:
        return {"X-Total-Count": str(total), "X-Per-Page": str(self.per_page), "X-Page": str(self.page)}


def page_of(page: int | None, per_page: int | None, max_per_page: int = MAX_PER_PAGE) -> Page:
    """Out-of-range values are clamped, never refused (NexPort's behaviour).
    An operation whose items can be large passes a smaller ``max_per_page``
    so that one page stays bounded in memory; X-Per-Page says what applied."""
    size = DEFAULT_PER_PAGE if per_page is None or per_page < 1 else per_page
    return Page(page=min(max(page or 1, 1), MAX_PAGE), per_page=min(size, MAX_PER_PAGE, max_per_page))
