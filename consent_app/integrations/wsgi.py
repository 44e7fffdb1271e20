"""A WSGI middleware for customer backends (Flask, Django, any WSGI app): it removes
`Set-Cookie` headers of categories the visitor has not granted, so that a server-side
integration cannot set an advertising cookie the banner would refuse in the browser.

    from consent_app.integrations.wsgi import ConsentCookieFilter
    app.wsgi_app = ConsentCookieFilter.from_service(app.wsgi_app,
        "https://consent.example.com", "YOUR-SITE-KEY")          # Flask
    application = ConsentCookieFilter.from_service(get_wsgi_application(), ...)  # Django

It reads the banner's first-party consent cookie from the request (no call per request)
and classifies cookie names with the site's rules, like the banner does. Standard library
only, so it can be copied into a project that does not install this package.
"""

from __future__ import annotations

import json
import re
import time
import urllib.request
from collections.abc import Callable, Iterable, Sequence
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import unquote

NECESSARY = "necessary"
Rule = Sequence[str]  # (pattern, kind "e"|"p"|"r", category), as in the banner config


class ConsentCookieFilter:
    def __init__(
        self,
        app: Callable[..., Iterable[bytes]],
        *,
        rules: Iterable[Rule],
        unknown: str = "advertising",
        cookie_name: str = "samtykke",
        epoch: str | None = None,
        lifetime_days: float | None = None,
    ) -> None:
        self.app = app
        self.unknown = unknown
        self.cookie_name = cookie_name
        self.epoch = epoch
        self.lifetime_ms = lifetime_days * 864e5 if lifetime_days else None
        self.rules = [self._compile(rule) for rule in rules]

    @classmethod
    def from_service(
        cls, app: Callable[..., Iterable[bytes]], service_url: str, site_key: str, **kw: Any
    ) -> ConsentCookieFilter:
        """Configure from the site's banner configuration (GET /c/<site>.json), once."""
        url = f"{service_url.rstrip('/')}/c/{site_key}.json"
        with urllib.request.urlopen(url, timeout=10) as response:
            config = json.load(response)
        return cls(
            app,
            rules=config["rules"],
            unknown=config["unknown"],
            cookie_name=config["cookie"],
            epoch=config["epoch"],
            lifetime_days=config["days"],
            **kw,
        )

    @staticmethod
    def _compile(rule: Rule) -> tuple[Callable[[str], bool], str]:
        pattern, kind, category = rule
        if kind == "p":
            return (lambda name: name.startswith(pattern)), category
        if kind == "r":
            # As the banner reads it: \w, \d and \b are ASCII in browsers.
            regex = re.compile(pattern, re.ASCII)
            return (lambda name: regex.fullmatch(name) is not None), category
        return (lambda name: name == pattern), category

    def category_of(self, name: str) -> str:
        if name == self.cookie_name:
            return NECESSARY
        for test, category in self.rules:
            if test(name):
                return category
        return self.unknown

    def granted(self, cookie_header: str) -> set[str]:
        """Categories the request's consent cookie grants (always `necessary`)."""
        granted = {NECESSARY}
        for part in cookie_header.split(";"):
            name, _, value = part.strip().partition("=")
            if name != self.cookie_name:
                continue
            try:
                state = json.loads(unquote(value))
                choices = state["c"]
                stamp = float(state["t"])
            except (ValueError, KeyError, TypeError, RecursionError):
                return granted
            if self.epoch is not None and state.get("e") != self.epoch:
                return granted  # a major policy version: not valid any more
            if self.lifetime_ms and stamp + self.lifetime_ms < time.time() * 1000:
                return granted  # expired
            if isinstance(choices, dict):
                granted |= {category for category, on in choices.items() if on is True}
        return granted

    @staticmethod
    def is_deletion(set_cookie: str) -> bool:
        attributes = {}
        for part in set_cookie.split(";")[1:]:
            key, _, value = part.strip().partition("=")
            attributes[key.lower()] = value.strip()
        if "max-age" in attributes:
            try:
                return int(attributes["max-age"]) <= 0
            except ValueError:
                return False
        if "expires" in attributes:
            try:
                return parsedate_to_datetime(attributes["expires"]).timestamp() <= time.time()
            except (TypeError, ValueError):
                return False
        return False

    def allows(self, set_cookie: str, granted: set[str]) -> bool:
        name = set_cookie.split("=", 1)[0].strip()
        return self.category_of(name) in granted or self.is_deletion(set_cookie)

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        granted = self.granted(environ.get("HTTP_COOKIE", ""))

        def filtered(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            kept = [
                (key, value)
                for key, value in headers
                if key.lower() != "set-cookie" or self.allows(value, granted)
            ]
            return start_response(status, kept, exc_info)

        return self.app(environ, filtered)
