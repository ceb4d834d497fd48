from enum import StrEnum


class RegionLevel(StrEnum):
    district = "district"
    township = "township"
    village = "village"
    grid = "grid"


LEVEL_LABELS = {
    RegionLevel.district: "区县",
    RegionLevel.township: "镇（街道）",
    RegionLevel.village: "村（社区）",
    RegionLevel.grid: "网格",
}
LEVEL_ORDER = [RegionLevel.district, RegionLevel.township, RegionLevel.village, RegionLevel.grid]
