"""E-mail over SMTP (STARTTLS and login optional). The receipt is the Message-ID, built from the key.

With ``batch`` > 1 (``YINGJI_CHANNEL_SMTP_BATCH``) up to that many messages go through one connection
(one login, one STARTTLS); each message keeps its own Message-ID and result."""

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
        batch: int = 1,
    ) -> None:
        self.host, self.port, self.sender = host, port, sender
        self.username, self.password, self.starttls, self.timeout_s = username, password, starttls, timeout_s
        self.batch_limit = max(1, int(batch))
        if self.batch_limit == 1:
            self.send_batch = None  # type: ignore[assignment]

    def _mail(self, to: Recipient, message: Message) -> tuple[EmailMessage, str]:
        mail = EmailMessage()
        mail["From"], mail["To"] = self.sender, to.address
        mail["Subject"] = message.headline
        mail["Date"] = formatdate(localtime=False)
        domain = self.sender.rpartition("@")[2] or "yingji.local"
        msg_id = f"<{message.key.replace(':', '.')}@{domain}>"
        mail["Message-ID"] = msg_id
        mail.set_content(message.text)
        return mail, msg_id

    def _connect(self) -> smtplib.SMTP:
        smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout_s)
        if self.starttls:
            smtp.starttls()
        if self.username:
            smtp.login(self.username, self.password)
        return smtp

    def send_batch(self, *, to: list[Recipient], messages: list[Message]) -> list[DeliveryResult]:
        try:
            smtp = self._connect()
        except (smtplib.SMTPException, OSError) as exc:
            return [failure(exc)] * len(to)
        out: list[DeliveryResult] = []
        with smtp:
            for t, m in zip(to, messages, strict=True):
                mail, msg_id = self._mail(t, m)
                try:
                    refused = smtp.send_message(mail)
                except smtplib.SMTPRecipientsRefused as exc:
                    out.append(failure(exc, permanent=True))
                    continue
                except smtplib.SMTPServerDisconnected as exc:  # the rest of the batch: retried later
                    out += [failure(exc)] * (len(to) - len(out))
                    break
                except (smtplib.SMTPException, OSError) as exc:
                    out.append(failure(exc))
                    continue
                if refused:
                    out.append(DeliveryResult(ok=False, error=f"收件人被拒绝：{refused}", permanent=True))
                else:
                    out.append(DeliveryResult(ok=True, receipt=msg_id))
        return out

    def send(self, *, to: Recipient, message: Message) -> DeliveryResult:
        mail, msg_id = self._mail(to, message)
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
