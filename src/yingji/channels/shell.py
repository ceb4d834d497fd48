"""发布渠道 in the shell: its menu entry."""

from yingji.web.shell import NavEntry

MENU = (NavEntry("channels", "发布渠道", "/channels", "短信、邮件、推送接口、农村大喇叭", order=140),)
