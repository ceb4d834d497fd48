"""Yingji (应急): integrated emergency-management platform for a county-level district."""

__version__ = "0.1.0"

# Every capability package, in dependency order. The app, the CLI, the migrations and the demo
# seed discover each one's optional modules (api, pages, cli, models, demo, scheduled) from this list,
# so adding a capability touches one line here.
CAPABILITIES: tuple[str, ...] = (
    "geo",
    "registry",
    "accounts",
    "risk",
    "enforcement",
    "monitoring",
    "warnings",
    "resources",
    "natural",
    "incidents",
    "plans",
    "stats",
    "channels",
)
