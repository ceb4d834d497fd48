"""The poller of upstream feeds (``YINGJI_WARNINGS_FEEDS``): each URL answers one CAP 1.2 or
national-format message, or an Atom/RSS feed whose entries link to such messages."""

from __future__ import annotations

import logging

import httpx
from lxml import etree
from sqlalchemy.orm import Session

from yingji.core.actor import Actor
from yingji.core.db import Database
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


def fetch(urls: list[str], client: httpx.Client) -> tuple[list[tuple[str, bytes]], int]:
    """Downloads every feed (no database involved): the documents found, and how many feeds failed."""
    found: list[tuple[str, bytes]] = []
    failed = 0
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
        found += [(url, doc) for doc in documents]
    return found, failed


def _store(db: Session, actor: Actor, url: str, doc: bytes) -> bool:
    try:
        with db.begin_nested():
            ingest.import_message(db=db, actor=actor, data=doc)
        return True
    except ValidationFailed as exc:
        log.warning("feed %s: refused message: %s", url, [d.message for d in exc.details])
        return False


def _urls(urls: list[str] | None) -> list[str]:
    return urls if urls is not None else [u.strip() for u in settings().feeds.split(",") if u.strip()]


def _summary(urls: list[str], stored: int, refused: int, failed: int) -> str:
    return f"{len(urls)} 个来源：收录 {stored}，拒收 {refused}，失败 {failed}"


def poll(*, db: Session, actor: Actor, urls: list[str] | None = None, client: httpx.Client | None = None) -> str:
    """Fetches and imports in the caller's transaction (CLI, tests)."""
    urls = _urls(urls)
    documents, failed = fetch(urls, client or httpx.Client(timeout=15.0))
    stored = sum(_store(db, actor, url, doc) for url, doc in documents)
    return _summary(urls, stored, len(documents) - stored, failed)


def poll_in_steps(database: Database, *, actor: Actor, urls: list[str] | None = None) -> str:
    """The scheduled form: downloads with no transaction open, then one short transaction per message."""
    urls = _urls(urls)
    documents, failed = fetch(urls, httpx.Client(timeout=15.0))
    stored = 0
    for url, doc in documents:
        with database.transaction() as db:
            stored += _store(db, actor, url, doc)
    return _summary(urls, stored, len(documents) - stored, failed)
