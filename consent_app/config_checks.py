"""What the app refuses to start with.

Some settings are checked in every environment, because a typo there would silently turn a
protection off (a rate limit that does not parse is no limit; a negative proxy count makes
every forwarded request a 500). Production refuses, besides, every setting that is unsafe on
the open internet. Every problem is named at once, so an operator fixes them in one go.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from urllib.parse import urlsplit

from limits import parse_many
from werkzeug.security import DEFAULT_PBKDF2_ITERATIONS

from .config import DEV_RECEIPT_SIGNING_KEY, DEV_SECRET_KEY, ConfigurationError
from .services.ledger.keys import InvalidKeyConfiguration, load_keyring, seed_of

MIN_SECRET_LENGTH = 32
# 16 random bytes written as hex (32 characters) estimate at >= ~100 bits; "a" * 40 at 0.
# A random 32-byte Ed25519 seed estimates at ~155 bits; 32 zero bytes at 0.
MIN_SECRET_BITS = 96
SECRET_ADVICE = "e.g. python3 -c 'import secrets; print(secrets.token_urlsafe(48))'"
# Every secret value written down in this project (the development defaults, and the keys
# of the tests, browser tests and benchmarks): public, so never a production secret,
# whichever setting it is given to. tests/test_config.py checks this list is complete.
PUBLIC_SECRETS = frozenset(
    {
        DEV_SECRET_KEY,
        DEV_RECEIPT_SIGNING_KEY,
        "test-secret-key-0123456789abcdef0123",
        "test-receipt-key-0123456789abcdef012",
        "e2e-secret-key-0123456789abcdef012345",
        "e2e-receipt-key-0123456789abcdef01234",
        "bench-secret-key-0123456789abcdef0123",
        "bench-receipt-key-0123456789abcdef012",
        "bench-receipt-key-0123456789abcdef0123",
    }
)
# Password hashes no cheaper than werkzeug's default scrypt, or PBKDF2 at OWASP's 2023 count.
MIN_SCRYPT = (2**15, 8, 1)
MIN_PBKDF2_ITERATIONS = 600_000
# A chain of CDN, load balancer and ingress is three proxies. Believing more
# X-Forwarded-For entries than there are proxies lets a client choose its own address,
# and with it its rate-limit key.
MAX_TRUSTED_PROXIES = 5
# Rate limits production refuses as too loose to do anything, in requests a second that one
# client address can keep up (the strictest of a setting's limits counts):
# - sign-in and password changes: a person submits a password every few seconds at most;
#   one a second is already 86,400 guesses a day from one address, each costing an scrypt.
# - everything else is called by browsers, about once per page view or decision: the
#   defaults allow at most 2 a second, which leaves room for a busy NAT. 100 a second is 50
#   times that; a looser limit only lets one client keep a worker busy for itself.
PASSWORD_LIMITS = frozenset({"LOGIN_RATE_LIMIT", "PASSWORD_RATE_LIMIT"})
PASSWORD_LIMIT_CEILING = 1.0
RATE_LIMIT_CEILING = 100.0
# An origin as browsers write it: scheme, lower-case host name or IPv4 address, port.
ORIGIN = re.compile(r"https?://[a-z0-9-]+(\.[a-z0-9-]+)*(:(?P<port>[0-9]{1,5}))?")


def estimated_entropy_bits(secret: str | bytes) -> float:
    """Shannon entropy of the secret's own characters (or bytes), times its length: a rough
    upper bound on what guessing it costs, which repeated or few values bring down."""
    length = len(secret)
    return -sum(n * math.log2(n / length) for n in Counter(secret).values())


def _secret_problem(value: str) -> str | None:
    if not value:
        return f"is empty; set a random value, {SECRET_ADVICE}"
    if value in PUBLIC_SECRETS:
        return (
            "is the development default or another value published with this project; "
            f"set a random value, {SECRET_ADVICE}"
        )
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


def _signing_key_problems(config: dict[str, object]) -> list[str]:
    try:
        keyring = load_keyring(str(config.get("RECEIPT_ED25519_KEYS") or ""), "")
    except InvalidKeyConfiguration as exc:
        return [f"RECEIPT_ED25519_KEYS is malformed: {exc}"]
    if keyring.active is None:
        return [
            "RECEIPT_ED25519_KEYS is empty; production signs receipts with Ed25519 so "
            "anyone can verify them: make a key with `flask consent keygen` (outside "
            "production) and set RECEIPT_ED25519_KEYS='kid:seed'"
        ]
    problems = []
    for key in keyring.keys.values():
        bits = estimated_entropy_bits(seed_of(key.private)) if key.private else math.inf
        if bits < MIN_SECRET_BITS:
            problems.append(
                f"RECEIPT_ED25519_KEYS key {key.kid!r} has a predictable seed (about "
                f"{bits:.0f} bits, at least {MIN_SECRET_BITS} needed), so anyone could sign "
                "as it; make a key with `flask consent keygen`"
            )
    return problems


def _rate_limit_problem(name: str, value: object, production: bool) -> str | None:
    try:
        limits = parse_many(value)  # type: ignore[arg-type]  # a non-string fails here too
    except ValueError:
        return (
            f"{name}={value!r} is not a rate limit, so nothing would be limited; write "
            "e.g. '10 per minute' or '10/minute;100/hour'"
        )
    if not production:
        return None
    per_second = min(limit.amount / limit.get_expiry() for limit in limits)
    ceiling = PASSWORD_LIMIT_CEILING if name in PASSWORD_LIMITS else RATE_LIMIT_CEILING
    if per_second > ceiling:
        return (
            f"{name}={value!r} lets one client address make {per_second:g} requests a "
            f"second, too many to limit anything; allow at most {ceiling:g} a second"
        )
    return None


def _is_origin(value: str) -> bool:
    match = ORIGIN.fullmatch(value)
    return match is not None and 0 < int(match["port"] or 443) < 65536


def _problems_everywhere(config: dict[str, object]) -> list[str]:
    production = bool(config.get("PRODUCTION"))
    problems = []
    for name in sorted(key for key in config if key.endswith("_RATE_LIMIT")):
        problem = _rate_limit_problem(name, config[name], production)
        if problem:
            problems.append(problem)
    proxies = config.get("TRUSTED_PROXY_COUNT")
    if type(proxies) is not int or not 0 <= proxies <= MAX_TRUSTED_PROXIES:
        problems.append(
            f"TRUSTED_PROXY_COUNT={proxies!r} must be the number of proxies in front of the "
            f"app, 0 to {MAX_TRUSTED_PROXIES}"
        )
    origin = config.get("SERVICE_ORIGIN")
    if origin and not _is_origin(str(origin)):
        problems.append(
            f"SERVICE_ORIGIN={origin!r} is not an origin; write the scheme, the lower-case host "
            "name and a port if not the default, nothing after: e.g. https://consent.example.com"
        )
    return problems


def _production_problems(config: dict[str, object]) -> list[str]:
    problems = []
    for name in ("SECRET_KEY", "RECEIPT_SIGNING_KEY"):
        problem = _secret_problem(str(config.get(name) or ""))
        if problem:
            problems.append(f"{name} {problem}")
    if config.get("SECRET_KEY") == config.get("RECEIPT_SIGNING_KEY"):
        problems.append(
            "SECRET_KEY and RECEIPT_SIGNING_KEY are the same value; give each its own, so that "
            "a leaked session key cannot forge receipts"
        )
    hash_problem = _password_hash_problem(str(config.get("PASSWORD_HASH_METHOD") or ""))
    if hash_problem:
        problems.append(f"PASSWORD_HASH_METHOD {hash_problem}")
    if config.get("DEBUG"):
        problems.append(
            "FLASK_DEBUG is on (app.debug); debug mode shows internals to anyone who causes an "
            "error and can run the interactive debugger: unset FLASK_DEBUG and --debug"
        )
    if not config.get("SERVICE_ORIGIN"):
        problems.append(
            "SERVICE_ORIGIN is unset; set the service's public origin, e.g. "
            "https://consent.example.com: withdrawal receipts name it, and only its host is "
            "answered (otherwise a forged Host header would be signed into receipts)"
        )
    # The scheme as the limits library reads it (lower case, leading spaces dropped).
    storage = urlsplit(str(config.get("RATELIMIT_STORAGE_URI") or ""))
    if storage.scheme == "memory" and config.get("WEB_CONCURRENCY") != 1:
        problems.append(
            "RATELIMIT_STORAGE_URI is memory://, which every worker process counts on its own, "
            "so limits would not be global; set RATELIMIT_STORAGE_URI=redis://HOST:6379, or "
            "WEB_CONCURRENCY=1 if exactly one process serves"
        )
    if not config.get("RATELIMIT_ENABLED", True):
        problems.append("RATELIMIT_ENABLED is off; sign-in and the public API need their limits")
    return problems + _signing_key_problems(config)


def check_configuration(config: dict[str, object]) -> None:
    """Refuse to start with a malformed setting, or in production with an unsafe one."""
    problems = _problems_everywhere(config)
    if config.get("PRODUCTION"):
        problems += _production_problems(config)
    if problems:
        raise ConfigurationError(
            f"APP_ENV={config.get('APP_ENV')} refuses to start:\n"
            + "\n".join(f"- {p}" for p in problems)
        )
