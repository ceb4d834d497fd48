"""Area broadcast (区域广播): one message for a whole area, not for a person — cell broadcast through the
carrier's broadcast entity, or the county emergency-broadcast platform (应急广播平台) that plays it on
every terminal of the area. The recipient address names the area (``area:<warning id>``); the area
itself travels in the message payload.

``POST {url}`` with JSON ``{"id", "headline", "text", "level", "event", "areaDesc", "area"}`` (``area``:
the warning's area as stored, ``{"polygon"}``, ``{"circle"}`` or ``{"regions"}``, and ``geometry``, its
GeoJSON) and ``Idempotency-Key``; the receipt is the platform's ``id`` (or ``broadcast_id``).
"""

from __future__ import annotations

from yingji.channels import http
from yingji.channels.base import DeliveryResult, Message, Recipient

NAME = "area_broadcast"


class AreaBroadcast:
    name = NAME

    def __init__(self, *, url: str) -> None:
        self.url = url

    def send(self, *, to: Recipient, message: Message) -> DeliveryResult:
        body = {
            "id": message.key,
            "headline": message.headline,
            "text": message.text,
            "level": message.level,
            "event": message.event,
            "areaDesc": message.payload.get("areaDesc", ""),
            "area": message.payload.get("area"),
            "geometry": message.payload.get("geometry"),
        }
        return http.post(
            self.url,
            json=body,
            headers={"Idempotency-Key": message.key},
            receipt=lambda r: str(r.json().get("id") or r.json()["broadcast_id"]),
        )
