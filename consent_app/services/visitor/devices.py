"""Device class from a User-Agent string. Only the class is kept, never the string."""

from __future__ import annotations

import re

from ...models import DeviceClass

_BOT = re.compile(r"bot|crawl|spider|slurp|headless|lighthouse|monitor", re.I)
_TABLET = re.compile(r"ipad|tablet|kindle|silk|playbook|(android(?!.*mobile))", re.I)
_MOBILE = re.compile(r"mobi|iphone|ipod|android|blackberry|opera mini|windows phone", re.I)


def device_class(user_agent: str | None) -> DeviceClass:
    if not user_agent:
        return "unknown"
    if _BOT.search(user_agent):
        return "bot"
    if _TABLET.search(user_agent):
        return "tablet"
    if _MOBILE.search(user_agent):
        return "mobile"
    return "desktop"
