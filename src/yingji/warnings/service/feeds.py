"""The poller of upstream feeds (``YINGJI_WARNINGS_FEEDS``): each URL answers one CAP 1.2 or
national-format message, or an Atom/RSS feed whose entries link to such messages."""

from __future__ import annotations

import logging

import httpx
from lxml import etree
from sqlalchemy.orm import Session

from yingji.core.actor import Actor
from yingji.core.errors import ValidationFailed
from yingji.warnings import cap
from yingji.warnings.service import ingest
from yingji.warnings.settings import settings

log = logging.getLogger(__name__)
ATOM = "{http://www.w3.org/2005/Atom}"


def _links(root: etree._Element) -> list[str]:
    links = [link.get("href") for link in root.iter(ATOM + "link") if link.get("href")]
    links += [el.text.strip() for el in root.iter("link") if el.text]
    return [u for u in links if u]


def poll(*, db: Session, actor: Actor, urls: list[str] | None = None, client: httpx.Client | None = None) -> str:
    urls = urls if urls is not None else [u.strip() for u in settings().feeds.split(",") if u.strip()]
    client = client or httpx.Client(timeout=15.0)
    stored, refused, failed = 0, 0, 0
    for url in urls:
        try:
            body = client.get(url).raise_for_status().content
            root = cap.safe_parse(body)
            documents = [body]
            if root.tag in (ATOM + "feed", "rss"):
                documents = [client.get(link).raise_for_status().content for link in _links(root)[:100]]
        except (httpx.HTTPError, cap.XmlRefused) as exc:
            log.warning("feed %s: %s", url, exc)
            failed += 1
            continue
        for doc in documents:
            try:
                with db.begin_nested():
                    ingest.import_message(db=db, actor=actor, data=doc)
                stored += 1
            except ValidationFailed as exc:
                log.warning("feed %s: refused message: %s", url, [d.message for d in exc.details])
                refused += 1
    return f"{len(urls)} 个来源：收录 {stored}，拒收 {refused}，失败 {failed}"
