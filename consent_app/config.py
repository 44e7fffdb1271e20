"""Settings, read from the environment (twelve-factor style).

Every secret has a development default so that `make run` works out of the box. The app
refuses to guess: an unknown APP_ENV stops it, and so does any setting that is malformed
in every environment or unsafe in production (config_checks.py), each time with a message
naming the setting.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEV_SECRET_KEY = "dev-secret-key-change-me"
DEV_RECEIPT_SIGNING_KEY = "dev-receipt-signing-key-change-me"
APP_ENVS = ("development", "test", "production")
# Werkzeug's default password hash (scrypt, n=2**15, r=8, p=1). Tests set a cheap one,
# which production refuses (config_checks.py).
DEFAULT_PASSWORD_HASH_METHOD = "scrypt"
# Storage schemes of the `limits` library that speak to Redis over a socket.
REDIS_SCHEMES = frozenset({"redis", "rediss", "redis+unix"})
# Redis next to the app answers in well under a millisecond. Without a bound, a Redis host
# that drops packets would hold every rate-limited request for the kernel's TCP timeout
# (minutes) instead of letting the limiter fall back to counting in memory.
REDIS_TIMEOUT_SECONDS = 1.0


class ConfigurationError(RuntimeError):
    """Raised at start-up when a setting is unknown or unsafe; the message names it."""


def _env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        return int(raw.strip())
    except ValueError:
        raise ConfigurationError(f"{name}={raw!r} is not a whole number") from None


def _default_database_url(instance_path: str) -> str:
    return "sqlite:///" + os.path.join(instance_path, "consent.db")


def app_env(env: dict[str, str] | os._Environ[str] = os.environ) -> str:
    """APP_ENV, one of APP_ENVS (unset means development).

    FLASK_ENV is no longer read by Flask (deprecated in 2.2, removed in 2.3) and never
    selects anything here. It is only compared: an operator who still sets
    FLASK_ENV=production expects production, and silently running with development
    defaults instead would be the worst guess, so a FLASK_ENV that disagrees with
    APP_ENV stops the app."""
    value = env.get("APP_ENV", "development")
    if value not in APP_ENVS:
        raise ConfigurationError(
            f"APP_ENV={value!r} is not one of {', '.join(APP_ENVS)}; set one of them"
        )
    legacy = env.get("FLASK_ENV")
    if legacy is not None and legacy != value:
        raise ConfigurationError(
            f"FLASK_ENV={legacy!r} disagrees with APP_ENV={value!r}; Flask no longer reads "
            "FLASK_ENV: set APP_ENV (one of " + ", ".join(APP_ENVS) + ") and unset FLASK_ENV"
        )
    return value


def _worker_processes() -> int | None:
    """How many processes serve requests, as the operator told gunicorn (which reads
    WEB_CONCURRENCY for its default worker count); None when unset or not a number."""
    raw = os.environ.get("WEB_CONCURRENCY", "").strip()
    return int(raw) if raw.isdigit() else None


def load_config(instance_path: str) -> dict[str, object]:
    """Build the Flask config mapping from environment variables."""
    env = app_env()
    production = env == "production"
    return {
        "APP_ENV": env,
        "PRODUCTION": production,
        "SECRET_KEY": os.environ.get("SECRET_KEY", DEV_SECRET_KEY),
        "RECEIPT_SIGNING_KEY": os.environ.get("RECEIPT_SIGNING_KEY", DEV_RECEIPT_SIGNING_KEY),
        # How new passwords are hashed, in werkzeug's notation ("scrypt", "pbkdf2:sha256:N").
        "PASSWORD_HASH_METHOD": os.environ.get(
            "PASSWORD_HASH_METHOD", DEFAULT_PASSWORD_HASH_METHOD
        ),
        "SQLALCHEMY_DATABASE_URI": os.environ.get(
            "DATABASE_URL", _default_database_url(instance_path)
        ),
        # Admin and audit forms may upload files; the public ingest API has its own,
        # much smaller limit (API_MAX_BODY_BYTES) so that it can answer 413 in JSON.
        "MAX_CONTENT_LENGTH": _env_int("MAX_CONTENT_LENGTH", 8 * 1024 * 1024),
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
        # The same on changing one's password, which checks the current one (and costs an
        # scrypt each time): a stolen session must not become an unlimited guessing oracle.
        "PASSWORD_RATE_LIMIT": os.environ.get("PASSWORD_RATE_LIMIT", "10 per minute"),
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        # While Redis is unreachable each process counts in its own memory (limits hold per
        # process) instead of every limited request failing with a 500; Flask-Limiter goes
        # back to Redis once it answers again.
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        # Keys in a shared Redis start with this, so two deployments (or test runs) on one
        # Redis count separately.
        "RATELIMIT_KEY_PREFIX": os.environ.get("RATELIMIT_KEY_PREFIX", "samtykke"),
        # memory:// counts per process: production allows it only for exactly one worker.
        "WEB_CONCURRENCY": _worker_processes(),
        "RATELIMIT_ENABLED": _env_bool("RATELIMIT_ENABLED", True),
        "RATELIMIT_HEADERS_ENABLED": True,
        # Country of the visitor: a header set by a trusted proxy (e.g. CF-IPCountry) and/or
        # a MaxMind-format database file. Only the country code is ever kept.
        "GEO_COUNTRY_HEADER": os.environ.get("GEO_COUNTRY_HEADER") or None,
        "GEOIP_DATABASE": os.environ.get("GEOIP_DATABASE") or None,
        # Cookie names a banner may report per client address (the admin's review queue).
        "COOKIE_REPORT_RATE_LIMIT": os.environ.get("COOKIE_REPORT_RATE_LIMIT", "30 per minute"),
        # How long browsers and CDNs may reuse /c/<site>.js before revalidating by ETag.
        "BANNER_MAX_AGE": _env_int("BANNER_MAX_AGE", 300),
        # Proxies in front of the app whose X-Forwarded-For/-Proto/-Host to believe: the
        # client address for rate limits, https for HSTS and secure cookies.
        "TRUSTED_PROXY_COUNT": _env_int("TRUSTED_PROXY_COUNT", 0),
        # The service's public origin, e.g. https://consent.example.com: what withdrawal
        # receipts name as their origin, and the only Host answered (derived_settings).
        # Unset in development: the request's own origin, so `make run` works anywhere.
        "SERVICE_ORIGIN": os.environ.get("SERVICE_ORIGIN", "").strip().rstrip("/") or None,
        "BABEL_DEFAULT_LOCALE": "en",
        "BABEL_TRANSLATION_DIRECTORIES": str(PROJECT_ROOT / "translations"),
        # Where `make run` serves the demo customer page; seed-demo allows this origin.
        "DEMO_HOST_ORIGIN": os.environ.get("DEMO_HOST_ORIGIN", "http://127.0.0.1:8000"),
        "WTF_CSRF_TIME_LIMIT": None,
        # The session cookie: never readable by scripts, not sent on cross-site subrequests
        # or POSTs, and in production only over HTTPS.
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        # A console session ends after this long without a request (sign-in makes the
        # session permanent, and Flask renews a permanent session's cookie on every request).
        "PERMANENT_SESSION_LIFETIME": timedelta(seconds=_env_int("SESSION_IDLE_SECONDS", 8 * 3600)),
        # Ed25519 receipt and tree-head keys, "kid:seed ..." (the last signs), and retired
        # public keys "kid:public ..." that stay published (see services/keys.py).
        "RECEIPT_ED25519_KEYS": os.environ.get("RECEIPT_ED25519_KEYS", ""),
        "RECEIPT_ED25519_PUBLIC_KEYS": os.environ.get("RECEIPT_ED25519_PUBLIC_KEYS", ""),
        # The sealer gives receipts log positions after this many wait, or this long.
        "SEAL_BATCH_SIZE": _env_int("SEAL_BATCH_SIZE", 1000),
        "SEAL_INTERVAL_SECONDS": float(os.environ.get("SEAL_INTERVAL_SECONDS", 10)),
        # How long a /my-consent link works after the banner opened it.
        "MY_CONSENT_LINK_SECONDS": _env_int("MY_CONSENT_LINK_SECONDS", 30 * 60),
    }


def derived_settings(config: dict[str, object]) -> dict[str, object]:
    """Settings that follow from others, once the environment and the factory's overrides
    are read (and checked)."""
    derived: dict[str, object] = {}
    origin = config.get("SERVICE_ORIGIN")
    if origin:
        # Any other Host (or X-Forwarded-Host) is a 400, so no URL the app builds and no
        # receipt names a host an attacker chose.
        derived["TRUSTED_HOSTS"] = [urlsplit(str(origin)).hostname]
    storage = urlsplit(str(config.get("RATELIMIT_STORAGE_URI") or ""))
    if storage.scheme in REDIS_SCHEMES and "RATELIMIT_STORAGE_OPTIONS" not in config:
        derived["RATELIMIT_STORAGE_OPTIONS"] = {
            "socket_connect_timeout": REDIS_TIMEOUT_SECONDS,
            "socket_timeout": REDIS_TIMEOUT_SECONDS,
        }
    return derived
