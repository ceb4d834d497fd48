from enum import StrEnum


class Industry(StrEnum):
    hazardous_chemicals = "hazardous_chemicals"
    fireworks = "fireworks"
    non_coal_mining = "non_coal_mining"
    metallurgy = "metallurgy"
    industry_trade = "industry_trade"
    construction = "construction"
    road_transport = "road_transport"
    special_equipment = "special_equipment"
    hazardous_waste = "hazardous_waste"
    gas = "gas"
    crowded_place = "crowded_place"


INDUSTRY_LABELS = {
    Industry.hazardous_chemicals: "危险化学品",
    Industry.fireworks: "烟花爆竹",
    Industry.non_coal_mining: "非煤矿山",
    Industry.metallurgy: "金属冶炼",
    Industry.industry_trade: "工贸",
    Industry.construction: "建筑施工",
    Industry.road_transport: "道路运输",
    Industry.special_equipment: "特种设备",
    Industry.hazardous_waste: "危险废物",
    Industry.gas: "城镇燃气",
    Industry.crowded_place: "人员密集场所",
}


class DepartmentKind(StrEnum):
    department = "department"
    township_office = "township_office"


class EnterpriseStatus(StrEnum):
    operating = "operating"
    suspended = "suspended"
    closed = "closed"


STATUS_LABELS = {
    EnterpriseStatus.operating: "在营",
    EnterpriseStatus.suspended: "停产停业",
    EnterpriseStatus.closed: "已关闭",
}
