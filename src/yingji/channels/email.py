"""E-mail over SMTP (STARTTLS and login optional). The receipt is the Message-ID, built from the key."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage
from email.utils import formatdate

from yingji.channels.base import DeliveryResult, Message, Recipient, failure


class SmtpEmail:
    name = "email"

    def __init__(
        self,
        *,
        host: str,
        port: int = 25,
        sender: str,
        username: str = "",
        password: str = "",
        starttls: bool = False,
        timeout_s: float = 15.0,
    ) -> None:
        self.host, self.port, self.sender = host, port, sender
        self.username, self.password, self.starttls, self.timeout_s = username, password, starttls, timeout_s

    def send(self, *, to: Recipient, message: Message) -> DeliveryResult:
        mail = EmailMessage()
        mail["From"], mail["To"] = self.sender, to.address
        mail["Subject"] = message.headline
        mail["Date"] = formatdate(localtime=False)
        domain = self.sender.rpartition("@")[2] or "yingji.local"
        msg_id = f"<{message.key.replace(':', '.')}@{domain}>"
        mail["Message-ID"] = msg_id
        mail.set_content(message.text)
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout_s) as smtp:
                if self.starttls:
                    smtp.starttls()
                if self.username:
                    smtp.login(self.username, self.password)
                refused = smtp.send_message(mail)
        except smtplib.SMTPRecipientsRefused as exc:
            return failure(exc, permanent=True)
        except (smtplib.SMTPException, OSError) as exc:
            return failure(exc)
        if refused:
            return DeliveryResult(ok=False, error=f"收件人被拒绝：{refused}", permanent=True)
        return DeliveryResult(ok=True, receipt=msg_id)
