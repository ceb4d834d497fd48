"""SMS through an HTTP gateway. The request format is configurable for the common Chinese cloud SMS APIs:

* ``aliyun``  — Alibaba Cloud Dysmsapi ``SendSms`` (RPC style: signed query string, HMAC-SHA1 signature,
  ``PhoneNumbers``, ``SignName``, ``TemplateCode``, ``TemplateParam``, ``OutId``); receipt ``BizId``.
* ``tencent`` — Tencent Cloud SMS ``SendSms`` 2021-01-11 (JSON body, TC3-HMAC-SHA256 ``Authorization``,
  ``PhoneNumberSet``, ``SmsSdkAppId``, ``TemplateId``, ``TemplateParamSet``, ``SessionContext``); receipt
  ``SerialNo``.
* ``json``    — a plain gateway: ``{"to", "text", "id"}``, receipt ``id`` (or ``message_id``). With
  ``batch`` > 1 (``YINGJI_CHANNEL_SMS_BATCH``) up to that many recipients go in one request:
  ``{"text", "messages": [{"to", "id"}, …]}``, answered ``{"results": [{"id", "ok", "message_id"} or
  {"id", "ok": false, "code", "message", "permanent"}]}``, one result per message, matched by ``id``.

The batch APIs of the clouds (Dysmsapi ``SendBatchSms``, Tencent's ``PhoneNumberSet``) carry one
``OutId``/``SessionContext`` per request, not per recipient: a repeat after a killed worker could not be
recognised recipient by recipient, so those formats send one recipient per request.

Every request carries the delivery key (``OutId`` / ``SessionContext`` / ``id``) so the gateway's
receipts can be matched and repeats recognised.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import uuid
from datetime import UTC, datetime
from urllib.parse import quote

import httpx

from yingji.channels import http
from yingji.channels.base import DeliveryResult, Message, Recipient

FORMATS = ("aliyun", "tencent", "json")


def _pct(s: str) -> str:
    return quote(s, safe="-_.~")


def aliyun_signature(params: dict[str, str], secret: str, method: str = "POST") -> str:
    """Alibaba Cloud RPC signature (SignatureVersion 1.0)."""
    canonical = "&".join(f"{_pct(k)}={_pct(v)}" for k, v in sorted(params.items()))
    to_sign = f"{method}&{_pct('/')}&{_pct(canonical)}"
    digest = hmac.new((secret + "&").encode(), to_sign.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def tencent_authorization(*, body: str, secret_id: str, secret_key: str, host: str, timestamp: int) -> str:
    """Tencent Cloud TC3-HMAC-SHA256 for service ``sms``."""
    date = datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d")
    canonical = "\n".join(
        [
            "POST",
            "/",
            "",
            f"content-type:application/json; charset=utf-8\nhost:{host}\n",
            "content-type;host",
            hashlib.sha256(body.encode()).hexdigest(),
        ]
    )
    scope = f"{date}/sms/tc3_request"
    to_sign = f"TC3-HMAC-SHA256\n{timestamp}\n{scope}\n{hashlib.sha256(canonical.encode()).hexdigest()}"

    def _h(key: bytes, msg: str) -> bytes:
        return hmac.new(key, msg.encode(), hashlib.sha256).digest()

    k = _h(_h(_h(("TC3" + secret_key).encode(), date), "sms"), "tc3_request")
    sig = hmac.new(k, to_sign.encode(), hashlib.sha256).hexdigest()
    return f"TC3-HMAC-SHA256 Credential={secret_id}/{scope}, SignedHeaders=content-type;host, Signature={sig}"


class SmsGateway:
    name = "sms"

    def __init__(
        self,
        *,
        url: str,
        format: str = "json",
        access_key: str = "",
        secret: str = "",
        sign_name: str = "",
        template: str = "",
        app_id: str = "",
        clock=None,
        batch: int = 1,
    ) -> None:
        if format not in FORMATS:
            raise ValueError(f"未知短信接口格式 {format}，可选：{', '.join(FORMATS)}")
        self.url, self.format = url, format
        self.access_key, self.secret = access_key, secret
        self.sign_name, self.template, self.app_id = sign_name, template, app_id
        self.clock = clock or (lambda: datetime.now(UTC))
        if batch > 1 and format != "json":
            raise ValueError(f"短信接口格式 {format} 不支持按接收对象区分幂等键的批量发送")
        self.batch_limit = max(1, int(batch))
        if self.batch_limit == 1:  # one recipient per request: no batch method to find
            self.send_batch = None  # type: ignore[assignment]

    def send_batch(self, *, to: list[Recipient], messages: list[Message]) -> list[DeliveryResult]:
        """One request for ``to`` (``json`` format); one result per recipient, in order."""
        keys = [m.key for m in messages]

        def results(r: httpx.Response) -> list[DeliveryResult]:
            by_key = {str(item["id"]): item for item in r.json()["results"]}
            out = []
            for key in keys:
                item = by_key.get(key)
                if item is None:
                    out.append(DeliveryResult(ok=False, error="网关应答缺少该号码的结果"))
                elif item.get("ok"):
                    out.append(DeliveryResult(ok=True, receipt=str(item.get("message_id") or item.get("id"))))
                else:
                    code, text = item.get("code", ""), item.get("message", "")
                    out.append(DeliveryResult(ok=False, error=f"网关拒绝：代码 {code}: {text}"[:480],
                                              permanent=bool(item.get("permanent"))))
            return out

        items = [{"to": t.address, "id": k} for t, k in zip(to, keys, strict=True)]
        body = {"text": messages[0].text, "messages": items}
        return http.post_batch(self.url, n=len(to), json=body, results=results)

    def send(self, *, to: Recipient, message: Message) -> DeliveryResult:
        return getattr(self, f"_send_{self.format}")(to, message)

    def _send_json(self, to: Recipient, message: Message) -> DeliveryResult:
        return http.post(
            self.url,
            json={"to": to.address, "text": message.text, "id": message.key},
            headers={"Idempotency-Key": message.key},
            receipt=lambda r: str(r.json().get("id") or r.json()["message_id"]),
        )

    def _send_aliyun(self, to: Recipient, message: Message) -> DeliveryResult:
        params = {
            "AccessKeyId": self.access_key,
            "Action": "SendSms",
            "Format": "JSON",
            "OutId": message.key,
            "PhoneNumbers": to.address,
            "RegionId": "cn-hangzhou",
            "SignName": self.sign_name,
            "SignatureMethod": "HMAC-SHA1",
            "SignatureNonce": uuid.uuid4().hex,
            "SignatureVersion": "1.0",
            "TemplateCode": self.template,
            "TemplateParam": json.dumps({"content": message.text}, ensure_ascii=False),
            "Timestamp": self.clock().strftime("%Y-%m-%dT%H:%M:%SZ"),
            "Version": "2017-05-25",
        }
        params["Signature"] = aliyun_signature(params, self.secret)

        def receipt(r: httpx.Response) -> str:
            body = r.json()
            if body.get("Code") != "OK":
                raise ValueError(f"{body.get('Code')}: {body.get('Message')}")
            return str(body["BizId"])

        return http.post(self.url, data=params, receipt=receipt)

    def _send_tencent(self, to: Recipient, message: Message) -> DeliveryResult:
        body = json.dumps(
            {
                "PhoneNumberSet": [to.address if to.address.startswith("+") else "+86" + to.address],
                "SmsSdkAppId": self.app_id,
                "SignName": self.sign_name,
                "TemplateId": self.template,
                "TemplateParamSet": [message.text],
                "SessionContext": message.key,
            },
            ensure_ascii=False,
        )
        ts = int(self.clock().timestamp())
        host = httpx.URL(self.url).host
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "Host": host,
            "X-TC-Action": "SendSms",
            "X-TC-Version": "2021-01-11",
            "X-TC-Timestamp": str(ts),
            "X-TC-Region": "ap-guangzhou",
            "Authorization": tencent_authorization(
                body=body, secret_id=self.access_key, secret_key=self.secret, host=host, timestamp=ts
            ),
        }

        def receipt(r: httpx.Response) -> str:
            status = r.json()["Response"]["SendStatusSet"][0]
            if status.get("Code") != "Ok":
                raise ValueError(f"{status.get('Code')}: {status.get('Message')}")
            return str(status["SerialNo"])

        return http.post(self.url, content=body.encode(), headers=headers, receipt=receipt)
