"""监测预警 in the shell: its menu entry, its dashboard card (loaded by HTMX) and its layers on the map."""

from yingji.web.shell import Card, MapLayer, NavEntry

MENU = (NavEntry("monitoring", "监测预警", "/monitoring", "监测站点与传感器、告警规则、告警处置", order=50),)
CARDS = (Card("monitoring/dashboard_cards.html", permission="monitoring.read"),)
MAP_LAYERS = (MapLayer("monitoring/map_layers.html", permission="monitoring.read"),)
