"""Enumerations of the resources capability, with their Chinese labels kept in this one place."""

from enum import StrEnum


class TeamKind(StrEnum):
    fire_station = "fire_station"
    professional = "professional"
    enterprise = "enterprise"
    community = "community"
    volunteer = "volunteer"


TEAM_KIND_LABELS = {
    TeamKind.fire_station: "消防站",
    TeamKind.professional: "专业救援队",
    TeamKind.enterprise: "企业救援队",
    TeamKind.community: "社区响应队",
    TeamKind.volunteer: "志愿者组织",
}


class FireStationClass(StrEnum):
    level1 = "level1"
    level2 = "level2"
    small = "small"
    micro = "micro"
    logistics = "logistics"  # 战勤保障消防站 (GB 51054): supplies, repairs and fuels the others in a large event


FIRE_STATION_CLASS_LABELS = {
    FireStationClass.level1: "一级消防站",
    FireStationClass.level2: "二级消防站",
    FireStationClass.small: "小型消防站",
    FireStationClass.micro: "微型消防站",
    FireStationClass.logistics: "战勤保障消防站",
}


class Speciality(StrEnum):
    comprehensive = "comprehensive"
    geological = "geological"
    hazchem = "hazchem"
    water = "water"
    mountain = "mountain"
    earthquake = "earthquake"
    high_rise = "high_rise"
    forest_fire = "forest_fire"
    medical = "medical"
    power = "power"
    communication = "communication"
    mine = "mine"
    flood = "flood"
    traffic = "traffic"


SPECIALITY_LABELS = {
    Speciality.comprehensive: "综合",
    Speciality.geological: "地质灾害",
    Speciality.hazchem: "危险化学品",
    Speciality.water: "水域救援",
    Speciality.mountain: "山岳救援",
    Speciality.earthquake: "地震救援",
    Speciality.high_rise: "高层建筑",
    Speciality.forest_fire: "森林火灾",
    Speciality.medical: "医疗救护",
    Speciality.power: "电力抢修",
    Speciality.communication: "通信保障",
    Speciality.mine: "矿山救护",
    Speciality.flood: "防汛抢险",
    Speciality.traffic: "交通抢通",
}


class TeamStatus(StrEnum):
    standby = "standby"
    on_duty = "on_duty"
    deployed = "deployed"
    unavailable = "unavailable"


TEAM_STATUS_LABELS = {
    TeamStatus.standby: "待命",
    TeamStatus.on_duty: "值守中",
    TeamStatus.deployed: "已出动",
    TeamStatus.unavailable: "不可用",
}
AVAILABLE_STATUSES = (TeamStatus.standby, TeamStatus.on_duty)


class Approval(StrEnum):
    pending = "pending"
    approved = "approved"
    rejected = "rejected"


APPROVAL_LABELS = {Approval.pending: "待审核", Approval.approved: "已通过", Approval.rejected: "未通过"}


class EquipmentKind(StrEnum):
    vehicle = "vehicle"
    equipment = "equipment"


EQUIPMENT_KIND_LABELS = {EquipmentKind.vehicle: "车辆", EquipmentKind.equipment: "装备"}


class WarehouseLevel(StrEnum):
    district = "district"
    township = "township"


WAREHOUSE_LEVEL_LABELS = {WarehouseLevel.district: "区级储备库", WarehouseLevel.township: "镇（街道）储备点"}


class MaterialCategory(StrEnum):
    """《应急保障重点物资分类目录（2015年）》: three top classes; the sub-classes are in data/."""

    site_support = "site_support"
    life_rescue = "life_rescue"
    engineering = "engineering"


MATERIAL_CATEGORY_LABELS = {
    MaterialCategory.site_support: "现场管理与保障",
    MaterialCategory.life_rescue: "生命救援与生活救助",
    MaterialCategory.engineering: "工程抢险与专业处置",
}


class DocumentKind(StrEnum):
    receipt = "receipt"
    donation = "donation"
    issue = "issue"
    transfer = "transfer"
    count = "count"
    rotation = "rotation"
    reversal = "reversal"


DOCUMENT_KIND_LABELS = {
    DocumentKind.receipt: "验收入库",
    DocumentKind.donation: "捐赠入库",
    DocumentKind.issue: "出库",
    DocumentKind.transfer: "调拨",
    DocumentKind.count: "盘点",
    DocumentKind.rotation: "轮换",
    DocumentKind.reversal: "冲销",
}


class DocumentStatus(StrEnum):
    draft = "draft"
    posted = "posted"
    in_transit = "in_transit"
    received = "received"
    reversed = "reversed"


DOCUMENT_STATUS_LABELS = {
    DocumentStatus.draft: "草稿",
    DocumentStatus.posted: "已过账",
    DocumentStatus.in_transit: "在途",
    DocumentStatus.received: "已到货",
    DocumentStatus.reversed: "已冲销",
}


class AgreementKind(StrEnum):
    reserve = "reserve"
    transport = "transport"


AGREEMENT_KIND_LABELS = {AgreementKind.reserve: "协议储备", AgreementKind.transport: "紧急运输"}


class ShelterKind(StrEnum):
    park = "park"
    square = "square"
    school = "school"
    stadium = "stadium"
    green_space = "green_space"
    indoor = "indoor"
    other = "other"


SHELTER_KIND_LABELS = {
    ShelterKind.park: "公园",
    ShelterKind.square: "广场",
    ShelterKind.school: "学校",
    ShelterKind.stadium: "体育场馆",
    ShelterKind.green_space: "绿地",
    ShelterKind.indoor: "室内场所",
    ShelterKind.other: "其他",
}


class ShelterLevel(StrEnum):
    """GB 51143-2015 3.1.4: 紧急 / 短期固定 / 中期固定 / 长期固定 / 中心避难场所."""

    emergency = "emergency"
    short_term = "short_term"
    medium_term = "medium_term"
    long_term = "long_term"
    central = "central"


SHELTER_LEVEL_LABELS = {
    ShelterLevel.emergency: "紧急避难场所",
    ShelterLevel.short_term: "短期固定避难场所",
    ShelterLevel.medium_term: "中期固定避难场所",
    ShelterLevel.long_term: "长期固定避难场所",
    ShelterLevel.central: "中心避难场所",
}


class ShelterCondition(StrEnum):
    """专栏7.3 census: a shelter is fit for use, to be improved, or to be retired."""

    unassessed = "unassessed"
    fit = "fit"
    improve = "improve"
    retire = "retire"


SHELTER_CONDITION_LABELS = {
    ShelterCondition.unassessed: "未评估",
    ShelterCondition.fit: "达标可用",
    ShelterCondition.improve: "需改造提升",
    ShelterCondition.retire: "拟撤销",
}


class NearestKind(StrEnum):
    team = "team"
    warehouse = "warehouse"
    shelter = "shelter"
