from enum import StrEnum


class Role(StrEnum):
    admin = "admin"
    duty_officer = "duty_officer"
    leader = "leader"
    liaison = "liaison"
    township_officer = "township_officer"
    info_officer = "info_officer"
    enterprise_manager = "enterprise_manager"
    inspector = "inspector"


ROLE_LABELS = {
    Role.admin: "系统管理员",
    Role.duty_officer: "应急局值班员",
    Role.leader: "应急局领导",
    Role.liaison: "部门联络员",
    Role.township_officer: "镇（街道）应急办",
    Role.info_officer: "灾害信息员",
    Role.enterprise_manager: "企业安全管理员",
    Role.inspector: "执法人员",
}

# The region level a role's scope must be at (None: the whole district, no region needed).
ROLE_SCOPE_LEVEL: dict[Role, str | None] = {
    Role.admin: None,
    Role.duty_officer: None,
    Role.leader: None,
    Role.liaison: None,
    Role.township_officer: "township",
    Role.info_officer: "village",
    Role.enterprise_manager: None,
    # District-wide account; what an inspector sees is narrowed to its assignments by the enforcement service.
    Role.inspector: None,
}
