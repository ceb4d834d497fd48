"""What each role may do with resources. The where is checked in the service: a township changes only its
own points; everyone sees the district-level resources that serve their area."""

GRANTS = {
    "duty_officer": {
        "resources.read",
        "resources.write",
        "resources.catalogue",
        "resources.stock.post",
        "resources.team.status",
        "resources.volunteer.register",
        "resources.volunteer.approve",
        "resources.shelter.assess",
        "resources.shelter.occupancy",
    },
    "leader": {"resources.read"},
    "liaison": {"resources.read"},
    "township_officer": {
        "resources.read",
        "resources.write",
        "resources.stock.post",
        "resources.team.status",
        "resources.volunteer.register",
        "resources.shelter.assess",
        "resources.shelter.occupancy",
    },
    "info_officer": {"resources.read", "resources.volunteer.register", "resources.shelter.occupancy"},
    # An enterprise manager sees its own enterprise's teams and reports their status.
    "enterprise_manager": {"resources.read", "resources.team.status"},
}
