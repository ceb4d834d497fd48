GRANTS = {
    "duty_officer": {"channels.read"},
    "leader": {"channels.read"},
}
