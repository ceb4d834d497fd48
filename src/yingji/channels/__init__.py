"""Delivery channels: SMS gateway, e-mail, webhook, village loudspeaker."""
