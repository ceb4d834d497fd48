"""What the resources API modules share."""

from __future__ import annotations

from typing import Any

from yingji.core.pagination import PageParams


def page_of(model: Any, rows: list[Any], total: int, paging: PageParams) -> dict[str, Any]:
    """The list shape of every list API: ``{items, total, page, page_size}``."""
    return {
        "items": [model.model_validate(r) for r in rows],
        "total": total,
        "page": paging.page,
        "page_size": paging.page_size,
    }
