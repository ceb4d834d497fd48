"""The village loudspeaker (农村大喇叭): the text is rendered to speech in Mandarin with espeak-ng
(voice ``cmn``) as a WAV file and pushed to the broadcast endpoint.

The recipient address is the loudspeaker's device id (appended to the endpoint URL) or a full URL.
The upload is ``POST {endpoint}/{device}`` with ``Content-Type: audio/wav``, ``Idempotency-Key`` and
``X-Broadcast-Text`` (the text, percent-encoded) so the endpoint can log what it plays.

Group broadcast (``batch`` > 1, ``YINGJI_CHANNEL_BROADCAST_BATCH``): the speech is rendered once and
``POST {endpoint}/group`` carries it to up to ``batch`` devices, named in ``X-Devices`` (comma-separated,
percent-encoded) with their keys in ``X-Idempotency-Keys`` (same order); the platform answers
``{"results": [{"device", "ok", "receipt" | "error"}]}``. Devices addressed by a full URL are sent one
by one.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import quote

from yingji.channels import http
from yingji.channels.base import DeliveryResult, Message, Recipient, failure


def render_speech(text: str, *, voice: str = "cmn", speed: int = 150, espeak: str | None = None) -> bytes:
    """WAV bytes of ``text`` spoken by espeak-ng. Raises RuntimeError when espeak-ng is missing or fails."""
    exe = espeak or shutil.which("espeak-ng")
    if not exe:
        raise RuntimeError("未安装 espeak-ng，无法生成广播语音")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "speech.wav"
        try:
            proc = subprocess.run(
                [exe, "-v", voice, "-s", str(speed), "-w", str(out), "--stdin"],
                input=text.encode("utf-8"),
                capture_output=True,
                timeout=60,
                check=False,
            )
        except OSError as exc:
            raise RuntimeError(f"无法运行 espeak-ng：{exc}") from exc
        if proc.returncode != 0 or not out.exists():
            raise RuntimeError(f"espeak-ng 失败：{proc.stderr.decode(errors='replace')[:200]}")
        return out.read_bytes()


class Loudspeaker:
    name = "loudspeaker"

    def __init__(self, *, endpoint: str, voice: str = "cmn", batch: int = 1) -> None:
        self.endpoint, self.voice = endpoint.rstrip("/"), voice
        self.batch_limit = max(1, int(batch))
        if self.batch_limit == 1:
            self.send_batch = None  # type: ignore[assignment]

    def send_batch(self, *, to: list[Recipient], messages: list[Message]) -> list[DeliveryResult]:
        out: list[DeliveryResult | None] = [None] * len(to)
        group = [i for i, t in enumerate(to) if not t.address.startswith("http")]
        for i, t in enumerate(to):
            if t.address.startswith("http"):
                out[i] = self.send(to=t, message=messages[i])
        if group:
            try:
                audio = render_speech(messages[group[0]].text, voice=self.voice)
            except (RuntimeError, OSError, subprocess.TimeoutExpired) as exc:
                for i in group:
                    out[i] = failure(exc)
                return out  # type: ignore[return-value]
            devices = [to[i].address for i in group]

            def results(r) -> list[DeliveryResult]:
                by_device = {str(x["device"]): x for x in r.json()["results"]}
                found = []
                for d in devices:
                    x = by_device.get(d)
                    if x is None:
                        found.append(DeliveryResult(ok=False, error="广播平台应答缺少该设备的结果"))
                    elif x.get("ok"):
                        found.append(DeliveryResult(ok=True, receipt=str(x.get("receipt") or d)))
                    else:
                        found.append(DeliveryResult(ok=False, error=f"广播平台拒绝：{x.get('error', '')}"[:480]))
                return found

            headers = {
                "Content-Type": "audio/wav",
                "X-Devices": ",".join(quote(d, safe="") for d in devices),
                "X-Idempotency-Keys": ",".join(quote(messages[i].key, safe="") for i in group),
                "X-Broadcast-Text": quote(messages[group[0]].text[:1000]),
            }
            answers = http.post_batch(f"{self.endpoint}/group", n=len(group), content=audio, headers=headers,
                                      results=results)
            for i, res in zip(group, answers, strict=False):
                out[i] = res
        return out  # type: ignore[return-value]

    def send(self, *, to: Recipient, message: Message) -> DeliveryResult:
        try:
            audio = render_speech(message.text, voice=self.voice)
        except (RuntimeError, OSError, subprocess.TimeoutExpired) as exc:
            return failure(exc)
        url = to.address if to.address.startswith("http") else f"{self.endpoint}/{quote(to.address)}"
        headers = {
            "Content-Type": "audio/wav",
            "Idempotency-Key": message.key,
            "X-Broadcast-Text": quote(message.text[:1000]),
        }
        return http.post(url, content=audio, headers=headers, receipt=_receipt, timeout_s=30.0)


def _receipt(r) -> str | None:
    try:
        return str(r.json().get("receipt") or r.json().get("id"))
    except ValueError:
        return str(r.status_code)
