"""Tables of the enforcement capability: the enforceable items (执法事项清单) and their checklists per industry,
the inspector roster with declared conflicts of interest, the yearly inspection caps (a provincial settings
table), the random inspection draws (双随机) as committed and performed records, and the penalty cases
(行政处罚案件) with every step taken. Enterprises and users are linked by id; ``region_path`` is the
enterprise's place, kept for the scope checks (a prefix test)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from yingji.core.db import Base, UTCDateTime


class EnforceableItem(Base):
    """One enforceable item (执法事项) with its legal basis; inspected only once published (应急〔2025〕11号)."""

    __tablename__ = "enf_items"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))  # enums.ItemKind
    industry: Mapped[str] = mapped_column(String(32), index=True)  # registry industry code, or "all"
    basis: Mapped[str] = mapped_column(Text)  # the legal basis, article by article
    department: Mapped[str] = mapped_column(String(100), default="")
    status: Mapped[str] = mapped_column(String(12), default="draft")  # draft / published / withdrawn
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ChecklistEntry(Base):
    """One line of an industry's checklist (检查表): what is checked, how, and on what basis."""

    __tablename__ = "enf_checklist_entries"
    __table_args__ = (UniqueConstraint("industry", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    industry: Mapped[str] = mapped_column(String(32), index=True)
    number: Mapped[str] = mapped_column(String(20))  # "1.2" as the bureau numbers it
    item_id: Mapped[int] = mapped_column(ForeignKey("enf_items.id", ondelete="RESTRICT"), index=True)
    content: Mapped[str] = mapped_column(Text)
    method: Mapped[str] = mapped_column(String(200), default="")
    basis: Mapped[str] = mapped_column(Text, default="")
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)


class Inspector(Base):
    """An enforcement officer on the roster (执法人员名录), linked to a user account."""

    __tablename__ = "enf_inspectors"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), unique=True)
    name: Mapped[str] = mapped_column(String(50))
    certificate_no: Mapped[str] = mapped_column(String(40), unique=True)  # 执法证号
    township_path: Mapped[str | None] = mapped_column(String(400))  # where the officer lives (回避 by township)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # 专栏4: enforcement staff with a relevant qualification (安全生产相关专业学历或注册安全工程师等资格), and
    # the officer's enforcement equipment fitted to the standard (执法装备配备到位)
    qualified: Mapped[bool] = mapped_column(Boolean, default=False)
    equipment_fitted: Mapped[bool] = mapped_column(Boolean, default=False)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)


class Conflict(Base):
    """A declared conflict of interest between an inspector and an enterprise (利益冲突申报)."""

    __tablename__ = "enf_conflicts"
    __table_args__ = (UniqueConstraint("inspector_id", "enterprise_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    inspector_id: Mapped[int] = mapped_column(ForeignKey("enf_inspectors.id", ondelete="CASCADE"), index=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(String(200))
    declared_at: Mapped[datetime] = mapped_column(UTCDateTime)


class InspectionCap(Base):
    """The most inspections a year of one enterprise, by industry group and standardisation grade: a
    provincial settings table (cn-rules §11.3, the 山西 2025 values as defaults)."""

    __tablename__ = "enf_caps"
    __table_args__ = (UniqueConstraint("province", "industry_group", "grade"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    province: Mapped[str] = mapped_column(String(20))
    industry_group: Mapped[str] = mapped_column(String(32))  # "high_risk" (危化, 冶金) or "other"
    grade: Mapped[str] = mapped_column(String(8))  # standardisation grade "1" "2" "3" or "none"
    max_per_year: Mapped[int] = mapped_column(Integer)
    basis: Mapped[str] = mapped_column(String(200), default="")


class EnterpriseGrade(Base):
    """An enterprise's safety standardisation grade (安全生产标准化等级), which sets its yearly cap."""

    __tablename__ = "enf_enterprise_grades"

    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id", ondelete="CASCADE"), primary_key=True)
    grade: Mapped[str] = mapped_column(String(8))  # "1" "2" "3" or "none"


class Draw(Base):
    """A random inspection draw: committed (seed hash and input hashes published) and then performed (seed
    revealed, result published). Never redone in place: a redraw is a new row pointing at the one it
    replaces, with its reason, and both stay published."""

    __tablename__ = "enf_draws"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    draw_no: Mapped[str] = mapped_column(String(40), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    item_id: Mapped[int] = mapped_column(ForeignKey("enf_items.id", ondelete="RESTRICT"), index=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    status: Mapped[str] = mapped_column(String(12), default="committed")  # committed / drawn / superseded
    pool: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    roster: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    conflicts: Mapped[list[list[Any]]] = mapped_column(JSON)
    parameters: Mapped[dict[str, Any]] = mapped_column(JSON)
    excluded: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)  # left out of the pool, and why
    commitment: Mapped[dict[str, str]] = mapped_column(JSON)
    seed: Mapped[str] = mapped_column(String(64))  # secret until performed; never shown before
    result: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    redraw_of: Mapped[int | None] = mapped_column(ForeignKey("enf_draws.id", ondelete="RESTRICT"))
    redraw_reason: Mapped[str] = mapped_column(String(500), default="")
    committed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    drawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by: Mapped[int | None] = mapped_column(Integer)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)


class Case(Base):
    """An administrative penalty case (行政处罚案件) and where it stands in the procedure."""

    __tablename__ = "enf_cases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_no: Mapped[str] = mapped_column(String(40), unique=True)
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprises.id", ondelete="RESTRICT"), index=True)
    region_path: Mapped[str] = mapped_column(String(400), index=True)
    party: Mapped[str] = mapped_column(String(8))  # unit / person
    party_name: Mapped[str] = mapped_column(String(200))
    person_id_no: Mapped[str] = mapped_column(String(40), default="")  # masked on publication
    violation: Mapped[str] = mapped_column(String(60))  # a key of the discretion bands
    facts: Mapped[str] = mapped_column(Text, default="")
    amount_yuan: Mapped[Decimal] = mapped_column(Numeric(14, 2), default=Decimal(0))
    first_offence: Mapped[bool] = mapped_column(Boolean, default=False)
    industry: Mapped[str] = mapped_column(String(32), default="")
    step: Mapped[str] = mapped_column(String(24), default="filed")
    done: Mapped[list[str]] = mapped_column(JSON, default=list)
    inspector_ids: Mapped[list[int]] = mapped_column(JSON, default=list)  # the two assigned officers
    filed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hearing_requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hearing_waived: Mapped[bool] = mapped_column(Boolean, default=False)
    hearing_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    extended: Mapped[bool] = mapped_column(Boolean, default=False)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)


class CaseStep(Base):
    """One step taken in a case, in order: who, when, and the note (the 执法全过程记录 in words)."""

    __tablename__ = "enf_case_steps"
    __table_args__ = (UniqueConstraint("case_id", "seq"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("enf_cases.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    step: Mapped[str] = mapped_column(String(24))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor_id: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(String(1000), default="")


class Inspection(Base):
    """An on-site inspection (现场检查) of one enterprise under a published item, by two or more inspectors,
    possibly from a draw. ``client_key`` makes the creation from a phone idempotent (a retried sync finds
    the inspection it already made)."""

    __tablename__ = "enf_inspections"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_key: Mapped[str] = mapped_column(String(64), unique=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("enf_items.id", ondelete="RESTRICT"), index=True)
    draw_id: Mapped[int | None] = mapped_column(ForeignKey("enf_draws.id", ondelete="SET NULL"))
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id", ondelete="RESTRICT"), index=True)
    region_path: Mapped[str] = mapped_column(String(400), index=True)
    inspector_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    results: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)  # checklist number → ok / finding / na
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)


class Finding(Base):
    """A finding of an inspection; it becomes a hidden hazard of the dual-prevention capability (by id)."""

    __tablename__ = "enf_findings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("enf_inspections.id", ondelete="CASCADE"), index=True)
    client_key: Mapped[str] = mapped_column(String(64), unique=True)
    checklist_number: Mapped[str] = mapped_column(String(20), default="")
    description: Mapped[str] = mapped_column(Text)
    major: Mapped[bool] = mapped_column(Boolean, default=False)
    lon: Mapped[float | None] = mapped_column(Float)
    lat: Mapped[float | None] = mapped_column(Float)
    hazard_id: Mapped[int | None] = mapped_column(Integer, index=True)  # risk capability's hidden hazard
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class InspectionAttachment(Base):
    """A file recorded on the phone page: a finding's photo, an inspector's signature or the enterprise's
    acknowledgement (its signer's name and signature), stored through ``core.files``. ``client_key`` is made
    once in the browser, so a sync replayed on a bad line answers the row it already made."""

    __tablename__ = "enf_inspection_attachments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("enf_inspections.id", ondelete="CASCADE"), index=True)
    client_key: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(24))  # photo / inspector_signature / enterprise_signature
    finding_id: Mapped[int | None] = mapped_column(ForeignKey("enf_findings.id", ondelete="CASCADE"), index=True)
    inspector_id: Mapped[int | None] = mapped_column(Integer)  # whose signature (kind inspector_signature)
    signer_name: Mapped[str] = mapped_column(String(100), default="")  # the enterprise's signer
    attachment_id: Mapped[int] = mapped_column(Integer)  # core.files Attachment
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    uploaded_by: Mapped[int | None] = mapped_column(Integer)


class InspectionDocument(Base):
    """A numbered enforcement document of an inspection (现场检查记录, 责令限期整改指令书, 整改复查意见书); each
    but the first follows the one it depends on (cn-rules §11.2 document order)."""

    __tablename__ = "enf_documents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("enf_inspections.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(24))  # site_record / rectification_order / review_opinion
    number: Mapped[str] = mapped_column(String(60), unique=True)
    depends_on: Mapped[int | None] = mapped_column(ForeignKey("enf_documents.id", ondelete="RESTRICT"))
    rectify_by: Mapped[datetime | None] = mapped_column(UTCDateTime)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime)


class AnnualPlan(Base):
    """A year's supervision and inspection plan (年度监督检查计划, 安监总政法〔2017〕150号): the lines per
    enforceable item as county bureaus publish them, every target with its frequency and months, the
    inspectors' load and the coverage by month — computed once when drafted, then published as it stands."""

    __tablename__ = "enf_plans"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    title: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(12), default="draft")  # draft / published / superseded
    parameters: Mapped[dict[str, Any]] = mapped_column(JSON)
    lines: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    targets: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    load: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    months: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    warnings: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[int | None] = mapped_column(Integer)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)


class Listing(Base):
    """An entry of the list of seriously untrustworthy entities (安全生产严重失信主体名单, 应急管理部令第11号):
    noticed first (告知), then decided with its record, listed for three years, removed early only on credit
    repair after twelve months with the evidence."""

    __tablename__ = "enf_listings"
    __generation__ = True  # map layers are kept until these rows are written (core.layercache)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id", ondelete="RESTRICT"), index=True)
    region_path: Mapped[str] = mapped_column(String(400), index=True)
    party_name: Mapped[str] = mapped_column(String(200))
    uscc: Mapped[str] = mapped_column(String(40), default="")  # 统一社会信用代码
    ground: Mapped[str] = mapped_column(String(40))  # a key of credit_rules.toml [grounds]
    case_id: Mapped[int] = mapped_column(ForeignKey("enf_cases.id", ondelete="RESTRICT"), index=True)
    facts: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(12), default="noticed")  # noticed / listed / removed / dropped
    notice_no: Mapped[str] = mapped_column(String(60), unique=True)
    noticed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    decision_no: Mapped[str | None] = mapped_column(String(60), unique=True)
    listed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    removal: Mapped[str] = mapped_column(String(12), default="")  # expired / repaired
    repair_evidence: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[int | None] = mapped_column(Integer)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
