"""Settings, read from the environment (twelve-factor style).

Every secret has a development default so that `make run` works out of the box; the app
refuses to start in production while any of those defaults is still in place.
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEV_SECRET_KEY = "dev-secret-key-change-me"
DEV_RECEIPT_SIGNING_KEY = "dev-receipt-signing-key-change-me"
MIN_SECRET_LENGTH = 32


class InsecureConfiguration(RuntimeError):
    """Raised at start-up when production runs with a default or weak secret."""


def _env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def _default_database_url(instance_path: str) -> str:
    return "sqlite:///" + os.path.join(instance_path, "consent.db")


def is_production(env: dict[str, str] | os._Environ[str] = os.environ) -> bool:
    return "production" in {env.get("APP_ENV", "").lower(), env.get("FLASK_ENV", "").lower()}


def load_config(instance_path: str) -> dict[str, object]:
    """Build the Flask config mapping from environment variables."""
    return {
        "PRODUCTION": is_production(),
        "SECRET_KEY": os.environ.get("SECRET_KEY", DEV_SECRET_KEY),
        "RECEIPT_SIGNING_KEY": os.environ.get("RECEIPT_SIGNING_KEY", DEV_RECEIPT_SIGNING_KEY),
        "SQLALCHEMY_DATABASE_URI": os.environ.get(
            "DATABASE_URL", _default_database_url(instance_path)
        ),
        # Admin and audit forms may upload files; the public ingest API has its own,
        # much smaller limit (API_MAX_BODY_BYTES) so that it can answer 413 in JSON.
        "MAX_CONTENT_LENGTH": int(os.environ.get("MAX_CONTENT_LENGTH", 8 * 1024 * 1024)),
        "API_MAX_BODY_BYTES": 16 * 1024,
        # Per client address, kept only in the limiter's memory or Redis, never stored.
        "CONSENT_RATE_LIMIT": os.environ.get("CONSENT_RATE_LIMIT", "120 per minute"),
        # Banner displays, one per page view until the visitor decides: same idea.
        "IMPRESSION_RATE_LIMIT": os.environ.get("IMPRESSION_RATE_LIMIT", "120 per minute"),
        # Language and location writes, when the visitor changes them in the banner.
        "PREFERENCE_RATE_LIMIT": os.environ.get("PREFERENCE_RATE_LIMIT", "60 per minute"),
        # Receipt checks anyone may ask for: slows guessing and bulk use of the verifier.
        "VERIFY_RATE_LIMIT": os.environ.get("VERIFY_RATE_LIMIT", "60 per minute"),
        # Each POST of the visitor's /my-consent door (open, withdraw, erase).
        "MY_CONSENT_RATE_LIMIT": os.environ.get("MY_CONSENT_RATE_LIMIT", "20 per minute"),
        # Per client address on the sign-in form: slows password guessing.
        "LOGIN_RATE_LIMIT": os.environ.get("LOGIN_RATE_LIMIT", "10 per minute"),
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_ENABLED": _env_bool("RATELIMIT_ENABLED", True),
        "RATELIMIT_HEADERS_ENABLED": True,
        # Country of the visitor: a header set by a trusted proxy (e.g. CF-IPCountry) and/or
        # a MaxMind-format database file. Only the country code is ever kept.
        "GEO_COUNTRY_HEADER": os.environ.get("GEO_COUNTRY_HEADER") or None,
        "GEOIP_DATABASE": os.environ.get("GEOIP_DATABASE") or None,
        # Cookie names a banner may report per client address (the admin's review queue).
        "COOKIE_REPORT_RATE_LIMIT": os.environ.get("COOKIE_REPORT_RATE_LIMIT", "30 per minute"),
        # How long browsers and CDNs may reuse /c/<site>.js before revalidating by ETag.
        "BANNER_MAX_AGE": int(os.environ.get("BANNER_MAX_AGE", 300)),
        "BABEL_DEFAULT_LOCALE": "en",
        "BABEL_TRANSLATION_DIRECTORIES": str(PROJECT_ROOT / "translations"),
        # Where `make run` serves the demo customer page; seed-demo allows this origin.
        "DEMO_HOST_ORIGIN": os.environ.get("DEMO_HOST_ORIGIN", "http://127.0.0.1:8000"),
        "WTF_CSRF_TIME_LIMIT": None,
        # Ed25519 receipt and tree-head keys, "kid:seed ..." (the last signs), and retired
        # public keys "kid:public ..." that stay published (see services/keys.py).
        "RECEIPT_ED25519_KEYS": os.environ.get("RECEIPT_ED25519_KEYS", ""),
        "RECEIPT_ED25519_PUBLIC_KEYS": os.environ.get("RECEIPT_ED25519_PUBLIC_KEYS", ""),
        # The sealer gives receipts log positions after this many wait, or this long.
        "SEAL_BATCH_SIZE": int(os.environ.get("SEAL_BATCH_SIZE", 1000)),
        "SEAL_INTERVAL_SECONDS": float(os.environ.get("SEAL_INTERVAL_SECONDS", 10)),
        # How long a /my-consent link works after the banner opened it.
        "MY_CONSENT_LINK_SECONDS": int(os.environ.get("MY_CONSENT_LINK_SECONDS", 30 * 60)),
    }


def check_production_secrets(config: dict[str, object]) -> None:
    """Refuse to run production with a development default or a short secret."""
    if not config.get("PRODUCTION"):
        return
    for name, default in (
        ("SECRET_KEY", DEV_SECRET_KEY),
        ("RECEIPT_SIGNING_KEY", DEV_RECEIPT_SIGNING_KEY),
    ):
        value = str(config.get(name) or "")
        if not value or value == default or len(value) < MIN_SECRET_LENGTH:
            raise InsecureConfiguration(
                f"{name} must be set to a random value of at least {MIN_SECRET_LENGTH} "
                "characters when APP_ENV/FLASK_ENV is production"
            )
