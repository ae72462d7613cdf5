"""Keyset pagination for lists too long to count or to skip through with OFFSET.

A page is asked for as "the rows after (or before) the row with this primary
key", in the order (field, pk). Whatever the depth, the database walks an
index from that row to the next `size` rows: the hundredth page of 100,000
residents costs what the first does. The primary key, not the sort value,
goes in the URL (a name in a URL would end up in logs), and it is read back
only among the rows the user may see, so a key outside the user's scope
neither moves the page nor tells where that row would sort.
"""

from dataclasses import dataclass

from django.db.models import Q, Subquery

from jinzang.params import whole_number

# Keys longer than this cannot be primary keys (bigint has 19 digits) and would
# overflow a PostgreSQL bigint.
MAX_KEY_DIGITS = 18


def parse_key(value: str | None) -> int | None:
    """A primary key from the query string, or None when it is missing or malformed."""
    return whole_number(value, max_digits=MAX_KEY_DIGITS)


@dataclass
class KeysetPage:
    rows: list
    has_previous: bool
    has_next: bool

    @property
    def first_key(self):
        return self.rows[0].pk if self.rows else None

    @property
    def last_key(self):
        return self.rows[-1].pk if self.rows else None

    @property
    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next


def keyset_page(queryset, *, field: str, size: int, anchors, after=None, before=None):
    """One page of `queryset` in the order (`field`, pk): the first page, or the `size`
    rows after the row with primary key `after`, or those before `before`; the anchor
    row is looked up among `anchors` (the rows the user may see) in the same query.

    One query; an index on (`field`, pk) lets the database start at the anchor.
    """
    if before is not None:
        key = Subquery(anchors.filter(pk=before).values(field)[:1])
        rows = list(
            queryset.filter(
                Q(**{f"{field}__lte": key}),
                Q(**{f"{field}__lt": key}) | Q(pk__lt=before),
            ).order_by(f"-{field}", "-pk")[: size + 1]
        )
        return KeysetPage(rows=rows[:size][::-1], has_previous=len(rows) > size, has_next=True)
    if after is not None:
        key = Subquery(anchors.filter(pk=after).values(field)[:1])
        queryset = queryset.filter(
            Q(**{f"{field}__gte": key}),
            Q(**{f"{field}__gt": key}) | Q(pk__gt=after),
        )
    rows = list(queryset.order_by(field, "pk")[: size + 1])
    return KeysetPage(rows=rows[:size], has_previous=after is not None, has_next=len(rows) > size)
