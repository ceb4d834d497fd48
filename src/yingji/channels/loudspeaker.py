"""The village loudspeaker (农村大喇叭): the text is rendered to speech in Mandarin with espeak-ng
(voice ``cmn``) as a WAV file and pushed to the broadcast endpoint.

The recipient address is the loudspeaker's device id (appended to the endpoint URL) or a full URL.
The upload is ``POST {endpoint}/{device}`` with ``Content-Type: audio/wav``, ``Idempotency-Key`` and
``X-Broadcast-Text`` (the text, percent-encoded) so the endpoint can log what it plays.
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

    def __init__(self, *, endpoint: str, voice: str = "cmn") -> None:
        self.endpoint, self.voice = endpoint.rstrip("/"), voice

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
