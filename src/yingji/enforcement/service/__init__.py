"""Enforcement use cases, split by sub-domain (``items``, ``roster``, ``draws``, ``cases``). Other
capabilities use the functions listed here, never the tables:

- ``ensure_inspectable(db, item_id)`` — refuses an item that has not been published (应急〔2025〕11号);
- ``listed_enterprise_ids(db)`` — the enterprises on the untrustworthy list now (public information).
"""

from yingji.enforcement.service.credit import listed_enterprise_ids
from yingji.enforcement.service.items import ensure_inspectable

__all__ = ["ensure_inspectable", "listed_enterprise_ids"]
