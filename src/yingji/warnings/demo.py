"""Demo recipient base and a published rainstorm warning for the reference district.

* one loudspeaker per village (the plan's 118 villages), at the village's centre, with a caretaker phone
  as the fallback channel; a school per township and in the larger villages, a hospital per township,
  public screens in the county seat
* ~50,000 resident subscribers, spread over the villages by population: four in five with a location
  (random point inside the village), the rest by village only
* a published 暴雨橙色 warning over part of the county seat and its neighbour, with its deliveries sent
  over the first minutes (a few failed, so some villages stay under 100 %)

Phones and addresses are generated and fictitious (``example`` domains)."""

from __future__ import annotations

import secrets
from datetime import timedelta

from shapely.geometry import MultiPoint, Point, shape
from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from yingji.core.actor import SYSTEM
from yingji.core.clock import use_clock, utcnow
from yingji.geo import service as geo_service
from yingji.warnings.enums import DeliveryStatus, Level, RecipientKind, SubscriberStatus
from yingji.warnings.models import Delivery, ReceivingPoint, Subscriber
from yingji.warnings.schemas import WarningCreate
from yingji.warnings.service import authoring, delivery, lone_phones, tally

SUBSCRIBERS = 50_000


def _phone(rng, used: set[str]) -> str:
    while True:
        p = rng.choice(["13", "15", "17", "18", "19"]) + f"{rng.randint(0, 999999999):09d}"
        if p not in used:
            used.add(p)
            return p


def _points_in(geom, n: int, rng) -> list[tuple[float, float]]:
    minx, miny, maxx, maxy = geom.bounds
    out: list[tuple[float, float]] = []
    for _ in range(n * 20):
        if len(out) >= n:
            break
        lon, lat = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
        if geom.contains(Point(lon, lat)):
            out.append((round(lon, 6), round(lat, 6)))
    return out


def seed(db: Session, ctx) -> str:
    rng = ctx.rng
    now = utcnow()
    villages = geo_service.region_infos(db=db, level="village")
    townships = geo_service.region_infos(db=db, level="township")
    shapes = {
        f["properties"]["code"]: shape(f["geometry"])
        for f in geo_service.boundaries(db=db, level="village")["features"]
    }
    used: set[str] = set()
    points = []
    for n, v in enumerate(villages):
        lon, lat = v.centroid or (0.0, 0.0)
        points.append(
            {
                "kind": RecipientKind.loudspeaker.value,
                "name": f"{v.name}大喇叭",
                "village_code": v.code,
                "region_path": v.path,
                "lon": lon,
                "lat": lat,
                "created_at": now,
                "contacts": {"loudspeaker": f"lb-{v.code}", "sms": _phone(rng, used)},
            }
        )
        if v.population >= 4000 or n % 9 == 0:
            ((slon, slat),) = _points_in(shapes[v.code], 1, rng) or [(lon, lat)]
            points.append(
                {
                    "kind": RecipientKind.school.value,
                    "name": f"{v.name}小学",
                    "village_code": v.code,
                    "region_path": v.path,
                    "lon": slon,
                    "lat": slat,
                    "created_at": now,
                    "contacts": {"sms": _phone(rng, used), "email": f"school-{v.code}@example.edu.cn"},
                }
            )
    for t in townships:
        mine = [v for v in villages if v.path.startswith(t.path + "/")]
        v = max(mine, key=lambda x: x.population)
        ((hlon, hlat),) = _points_in(shapes[v.code], 1, rng) or [v.centroid]
        points.append(
            {
                "kind": RecipientKind.hospital.value,
                "name": f"{t.name}卫生院",
                "village_code": v.code,
                "region_path": v.path,
                "lon": hlon,
                "lat": hlat,
                "created_at": now,
                "contacts": {"sms": _phone(rng, used), "email": f"hospital-{t.code}@example.org.cn"},
            }
        )
    seat = [v for v in villages if v.path.startswith(townships[0].path + "/")]
    for k in range(20):
        v = seat[k % len(seat)]
        ((plon, plat),) = _points_in(shapes[v.code], 1, rng) or [v.centroid]
        points.append(
            {
                "kind": RecipientKind.screen.value,
                "name": f"公共显示屏 {k + 1:02d}（{v.name}）",
                "village_code": v.code,
                "region_path": v.path,
                "lon": plon,
                "lat": plat,
                "created_at": now,
                "contacts": {"webhook": f"https://screens.example.cn/liujiang/{k + 1:02d}"},
            }
        )
    db.execute(insert(ReceivingPoint), points)

    total_pop = sum(v.population for v in villages) or 1
    subs = []
    for v in villages:
        n = round(SUBSCRIBERS * v.population / total_pop)
        located = _points_in(shapes[v.code], int(n * 0.8), rng)
        for lon, lat in located:
            subs.append((v.code, lon, lat))
        subs += [(v.code, None, None)] * (n - len(located))
    token_base = secrets.token_hex(4)
    rows = [
        {
            "phone": _phone(rng, used),
            "status": SubscriberStatus.active.value,
            "lon": lon,
            "lat": lat,
            "village_code": code,
            "event_types": "",
            "code_attempts": 0,
            "unsubscribe_token": f"demo-{token_base}-{i}",
            "created_at": now - timedelta(days=rng.randint(1, 700)),
            "confirmed_at": now,
        }
        for i, (code, lon, lat) in enumerate(subs)
    ]
    for i in range(0, len(rows), 10_000):
        db.execute(insert(Subscriber), rows[i : i + 10_000])
    lone_phones.settle_all(db)  # written in bulk, not by sign-ups

    # The rainstorm warning: the hull of the county seat's first villages and the next township's first ones.
    second = [v for v in villages if v.path.startswith(townships[1].path + "/")]
    hull = MultiPoint([Point(*v.centroid) for v in seat[:12] + second[:4] if v.centroid]).convex_hull.buffer(0.01)
    ring = [[round(x, 6), round(y, 6)] for x, y in hull.simplify(0.002).exterior.coords]
    w = authoring.create_warning(
        db=db,
        actor=SYSTEM,
        data=WarningCreate(
            event_type="rainstorm",
            level=Level.orange,
            headline="柳江区气象局发布暴雨橙色预警",
            description="预计未来 3 小时内城区及周边村（社区）降雨量将达 50 毫米以上，并可能持续，"
            "局地伴有雷电和短时大风。",
            instruction="1. 停止集会、停课、停业（除特殊行业外）；2. 山洪、地质灾害隐患点人员立即转移；"
            "3. 低洼地区做好排涝，切勿涉水通行。",
            effective=now - timedelta(minutes=90),
            expires=now + timedelta(hours=22),
            area={"polygon": ring},
            department="柳江区应急管理局",
        ),
    )
    authoring.submit(db=db, actor=SYSTEM, warning_id=w.id)
    authoring.approve(db=db, actor=SYSTEM, warning_id=w.id, note="同意发布（演示数据）")
    published = now - timedelta(minutes=80)
    with use_clock(lambda: published):
        authoring.publish(db=db, actor=SYSTEM, warning_id=w.id, confirm_unreached=True)
    delivery.expand_now(db, w.id)  # the seed commits once: no worker writes the rest of the rows
    _simulate_delivery(db, w.id, w.published_at, rng)
    db.flush()
    tally.recount(db, w.id)  # the rows were marked delivered wholesale, not one by one
    return (
        f"{len(points)} 个接收点（含 {len(villages)} 个村级大喇叭），{len(rows)} 名订阅群众，"
        f"1 条已发布暴雨橙色预警（{_count(db, w.id)} 条投递）"
    )


def _count(db: Session, warning_id: int) -> int:
    return len(db.scalars(select(Delivery.id).where(Delivery.warning_id == warning_id)).all())


def _simulate_delivery(db: Session, warning_id: int, published, rng) -> None:
    """Marks the demo deliveries as the gateways would have: most within minutes, a few failed."""
    rows = db.execute(
        select(Delivery.id, Delivery.village_code, Delivery.channel, Delivery.recipient_ref)
        .where(Delivery.warning_id == warning_id)
    ).all()
    # In the order of who is reached, sorted here: the random draws below follow it, and the engines
    # number the rows in orders of their own (and collate text in their own ways).
    ids = [(r.id, r.village_code) for r in sorted(rows, key=lambda r: (r.channel, r.recipient_ref))]
    weak = {code for _id, code in ids[:: max(1, len(ids) // 3)]}  # a few villages with poor reception
    buckets: dict[int, list[int]] = {}  # seconds after publication → ids reached then (20 s steps)
    failed = []
    for did, code in ids:
        if code in weak and rng.random() < 0.04:
            failed.append(did)
        else:
            buckets.setdefault(min(3600, 20 * int(rng.expovariate(1 / 90) / 20) + 5), []).append(did)
    for seconds, group in sorted(buckets.items()):
        for i in range(0, len(group), 900):
            db.execute(
                update(Delivery)
                .where(Delivery.id.in_(group[i : i + 900]))
                .values(
                    status=DeliveryStatus.sent.value,
                    attempts=1,
                    sent_at=published + timedelta(seconds=seconds),
                    receipt="demo-gateway-ok",
                ),
                execution_options={"synchronize_session": False},
            )
    if failed:
        db.execute(
            update(Delivery)
            .where(Delivery.id.in_(failed))
            .values(
                status=DeliveryStatus.failed.value, attempts=5, last_error="网关回执：用户关机或不在服务区（演示）"
            ),
            execution_options={"synchronize_session": False},
        )
