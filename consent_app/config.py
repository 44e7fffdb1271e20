"""Settings, read from the environment (twelve-factor style).

Every secret has a development default so that `make run` works out of the box. The app
refuses to guess: an unknown APP_ENV stops it, and production stops at start-up while any
setting is unsafe (see check_configuration), each time with a message naming the setting.
"""

from __future__ import annotations

import math
import os
from collections import Counter
from pathlib import Path

from werkzeug.security import DEFAULT_PBKDF2_ITERATIONS

from .services.ledger.keys import InvalidKeyConfiguration, load_keyring

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEV_SECRET_KEY = "dev-secret-key-change-me"
DEV_RECEIPT_SIGNING_KEY = "dev-receipt-signing-key-change-me"
MIN_SECRET_LENGTH = 32
# 16 random bytes written as hex (32 characters) estimate at >= ~100 bits; "a" * 40 at 0.
MIN_SECRET_BITS = 96
APP_ENVS = ("development", "test", "production")
SECRET_ADVICE = "e.g. python3 -c 'import secrets; print(secrets.token_urlsafe(48))'"
# Werkzeug's default password hash (scrypt, n=2**15, r=8, p=1). Tests set a cheap one;
# production accepts nothing cheaper than this, or than PBKDF2 at OWASP's 2023 count.
DEFAULT_PASSWORD_HASH_METHOD = "scrypt"
MIN_SCRYPT = (2**15, 8, 1)
MIN_PBKDF2_ITERATIONS = 600_000


class ConfigurationError(RuntimeError):
    """Raised at start-up when a setting is unknown or unsafe; the message names it."""


def _env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


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
        "BANNER_MAX_AGE": int(os.environ.get("BANNER_MAX_AGE", 300)),
        # Proxies in front of the app whose X-Forwarded-For/-Proto/-Host to believe: the
        # client address for rate limits, https for HSTS and secure cookies.
        "TRUSTED_PROXY_COUNT": int(os.environ.get("TRUSTED_PROXY_COUNT", 0)),
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


def estimated_entropy_bits(secret: str) -> float:
    """Shannon entropy of the secret's own characters, times its length: a rough upper
    bound on what guessing it costs, which repeated or few characters bring down."""
    length = len(secret)
    return -sum(n * math.log2(n / length) for n in Counter(secret).values())


def _secret_problem(value: str, default: str) -> str | None:
    if not value:
        return f"is empty; set a random value, {SECRET_ADVICE}"
    if value == default:
        return f"is the development default; set a random value, {SECRET_ADVICE}"
    if len(value) < MIN_SECRET_LENGTH:
        return f"is shorter than {MIN_SECRET_LENGTH} characters; {SECRET_ADVICE}"
    bits = estimated_entropy_bits(value)
    if bits < MIN_SECRET_BITS:
        return (
            f"looks too predictable (about {bits:.0f} bits, at least {MIN_SECRET_BITS} "
            f"needed: too few different characters); {SECRET_ADVICE}"
        )
    return None


def _password_hash_problem(method: str) -> str | None:
    """Why werkzeug's hash `method` is unfit to store passwords with, or None."""
    advice = f"unset it (scrypt) or set pbkdf2:sha256:{MIN_PBKDF2_ITERATIONS} or more"
    name, *args = method.split(":")
    try:
        if name == "scrypt" and len(args) in (0, 3):
            n, r, p = (int(a) for a in args) if args else MIN_SCRYPT
            strong = n >= MIN_SCRYPT[0] and r >= MIN_SCRYPT[1] and p >= MIN_SCRYPT[2]
        elif name == "pbkdf2" and len(args) <= 2 and args[:1] in ([], ["sha256"], ["sha512"]):
            iterations = int(args[1]) if len(args) == 2 else DEFAULT_PBKDF2_ITERATIONS
            strong = iterations >= MIN_PBKDF2_ITERATIONS
        else:
            return f"is {method!r}, not a method this app accepts; {advice}"
    except ValueError:
        return f"is {method!r}, whose parameters are not whole numbers; {advice}"
    return None if strong else f"is {method!r}, too cheap to slow password guessing; {advice}"


def _production_problems(config: dict[str, object]) -> list[str]:
    problems = []
    secrets = {
        "SECRET_KEY": DEV_SECRET_KEY,
        "RECEIPT_SIGNING_KEY": DEV_RECEIPT_SIGNING_KEY,
    }
    for name, default in secrets.items():
        problem = _secret_problem(str(config.get(name) or ""), default)
        if problem:
            problems.append(f"{name} {problem}")
    hash_problem = _password_hash_problem(str(config.get("PASSWORD_HASH_METHOD") or ""))
    if hash_problem:
        problems.append(f"PASSWORD_HASH_METHOD {hash_problem}")
    if config.get("SECRET_KEY") == config.get("RECEIPT_SIGNING_KEY"):
        problems.append(
            "SECRET_KEY and RECEIPT_SIGNING_KEY are the same value; give each its own, so that "
            "a leaked session key cannot forge receipts"
        )
    storage = str(config.get("RATELIMIT_STORAGE_URI") or "")
    if storage.startswith("memory://") and config.get("WEB_CONCURRENCY") != 1:
        problems.append(
            "RATELIMIT_STORAGE_URI is memory://, which every worker process counts on its own, "
            "so limits would not be global; set RATELIMIT_STORAGE_URI=redis://HOST:6379, or "
            "WEB_CONCURRENCY=1 if exactly one process serves"
        )
    if not config.get("RATELIMIT_ENABLED", True):
        problems.append("RATELIMIT_ENABLED is off; sign-in and the public API need their limits")
    try:
        keyring = load_keyring(str(config.get("RECEIPT_ED25519_KEYS") or ""), "")
    except InvalidKeyConfiguration as exc:
        problems.append(f"RECEIPT_ED25519_KEYS is malformed: {exc}")
    else:
        if keyring.active is None:
            problems.append(
                "RECEIPT_ED25519_KEYS is empty; production signs receipts with Ed25519 so "
                "anyone can verify them: make a key with `flask consent keygen` (outside "
                "production) and set RECEIPT_ED25519_KEYS='kid:seed'"
            )
    return problems


def check_configuration(config: dict[str, object]) -> None:
    """Refuse to run production with any unsafe setting; every problem is named at once,
    so an operator fixes them in one go."""
    if not config.get("PRODUCTION"):
        return
    problems = _production_problems(config)
    if problems:
        raise ConfigurationError(
            "APP_ENV=production refuses to start:\n" + "\n".join(f"- {p}" for p in problems)
        )
