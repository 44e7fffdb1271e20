"""The configuration refuses to guess: an unknown APP_ENV, and in production every unsafe
setting, stop the app at start-up with a message that names the setting."""

from __future__ import annotations

import re
import secrets

import pytest

from consent_app import create_app
from consent_app.config import (
    DEV_RECEIPT_SIGNING_KEY,
    DEV_SECRET_KEY,
    PROJECT_ROOT,
    ConfigurationError,
)
from consent_app.config_checks import estimated_entropy_bits
from consent_app.services.ledger.keys import b64url, generate_key
from tests.conftest import TEST_CONFIG

SETTINGS = (
    "APP_ENV",
    "FLASK_ENV",
    "FLASK_DEBUG",
    "SECRET_KEY",
    "RECEIPT_SIGNING_KEY",
    "RECEIPT_ED25519_KEYS",
    "RATELIMIT_STORAGE_URI",
    "RATELIMIT_ENABLED",
    "WEB_CONCURRENCY",
    "PASSWORD_HASH_METHOD",
    "SERVICE_ORIGIN",
    "TRUSTED_PROXY_COUNT",
    "SESSION_IDLE_SECONDS",
    "CONSENT_RATE_LIMIT",
    "LOGIN_RATE_LIMIT",
    "PASSWORD_RATE_LIMIT",
)


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch, tmp_path):
    """Sets the environment create_app() reads: a sound production one, changed by the
    test's keyword arguments (None removes a variable)."""
    for name in SETTINGS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/x.db")

    def set_environment(**changes: str | None) -> None:
        sound = {
            "APP_ENV": "production",
            "SECRET_KEY": secrets.token_urlsafe(48),
            "RECEIPT_SIGNING_KEY": secrets.token_urlsafe(48),
            "RECEIPT_ED25519_KEYS": generate_key()[1],
            "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379",
            "SERVICE_ORIGIN": "https://consent.example.com",
        }
        for name, value in {**sound, **changes}.items():
            if value is None:
                monkeypatch.delenv(name, raising=False)
            else:
                monkeypatch.setenv(name, value)

    return set_environment


def test_a_sound_production_configuration_starts(environment) -> None:
    environment()
    app = create_app()
    assert app.config["PRODUCTION"] and app.config["APP_ENV"] == "production"
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("x.db")
    assert app.config["SESSION_COOKIE_SECURE"] is True


@pytest.mark.parametrize("value", ["prod", "Production", "staging", ""])
def test_an_unknown_app_env_is_refused_naming_the_allowed_values(environment, value) -> None:
    environment(APP_ENV=value)
    with pytest.raises(ConfigurationError, match=r"APP_ENV=.*development, test, production"):
        create_app()


def test_flask_env_production_without_app_env_is_refused_not_ignored(environment) -> None:
    # Flask no longer reads FLASK_ENV; running development defaults for an operator who
    # meant production would be the worst guess.
    environment(APP_ENV=None, FLASK_ENV="production")
    with pytest.raises(ConfigurationError, match="FLASK_ENV='production' disagrees with APP_ENV"):
        create_app()


def test_flask_env_that_agrees_with_app_env_changes_nothing(environment) -> None:
    environment(APP_ENV=None, FLASK_ENV="development", SECRET_KEY=None)
    assert create_app().config["APP_ENV"] == "development"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"SECRET_KEY": None}, "SECRET_KEY is the development default"),
        ({"SECRET_KEY": DEV_SECRET_KEY}, "SECRET_KEY is the development default"),
        ({"RECEIPT_SIGNING_KEY": DEV_RECEIPT_SIGNING_KEY}, "RECEIPT_SIGNING_KEY is the develop"),
        ({"SECRET_KEY": ""}, "SECRET_KEY is empty"),
        ({"SECRET_KEY": "kG7#p2!xQ9"}, "SECRET_KEY is shorter than 32 characters"),
        ({"SECRET_KEY": "a" * 40}, "SECRET_KEY looks too predictable"),
        ({"RECEIPT_SIGNING_KEY": "ab" * 32}, "RECEIPT_SIGNING_KEY looks too predictable"),
        ({"RECEIPT_ED25519_KEYS": None}, "RECEIPT_ED25519_KEYS is empty"),
        ({"RECEIPT_ED25519_KEYS": "k1:not-a-key"}, "RECEIPT_ED25519_KEYS is malformed"),
        ({"RATELIMIT_STORAGE_URI": None}, "RATELIMIT_STORAGE_URI is memory://"),
        ({"RATELIMIT_STORAGE_URI": "memory://", "WEB_CONCURRENCY": "2"}, "limits would not be"),
        ({"RATELIMIT_ENABLED": "false"}, "RATELIMIT_ENABLED is off"),
        ({"PASSWORD_HASH_METHOD": "pbkdf2:sha256:1"}, "'pbkdf2:sha256:1', too cheap"),
        ({"PASSWORD_HASH_METHOD": "pbkdf2:sha256:599999"}, "'pbkdf2:sha256:599999', too cheap"),
        ({"PASSWORD_HASH_METHOD": "scrypt:16384:8:1"}, "'scrypt:16384:8:1', too cheap"),
        ({"PASSWORD_HASH_METHOD": "pbkdf2:md5:1000000"}, "not a method this app accepts"),
        ({"PASSWORD_HASH_METHOD": "plain"}, "not a method this app accepts"),
        ({"PASSWORD_HASH_METHOD": "scrypt:a:b:c"}, "not whole numbers"),
        # Each secret against every published value, not only its own default.
        ({"SECRET_KEY": DEV_RECEIPT_SIGNING_KEY}, "SECRET_KEY is the development default"),
        ({"RECEIPT_SIGNING_KEY": DEV_SECRET_KEY}, "RECEIPT_SIGNING_KEY is the development"),
        ({"RECEIPT_ED25519_KEYS": "k:" + b64url(bytes(32))}, "key 'k' has a predictable seed"),
        ({"RECEIPT_ED25519_KEYS": "k:" + b64url(b"ab" * 16)}, "key 'k' has a predictable seed"),
        ({"FLASK_DEBUG": "1"}, "FLASK_DEBUG is on"),
        ({"RATELIMIT_STORAGE_URI": "MEMORY://"}, "RATELIMIT_STORAGE_URI is memory://"),
        ({"RATELIMIT_STORAGE_URI": " memory://"}, "RATELIMIT_STORAGE_URI is memory://"),
        ({"SERVICE_ORIGIN": None}, "SERVICE_ORIGIN is unset"),
        ({"CONSENT_RATE_LIMIT": "1000000/second"}, "CONSENT_RATE_LIMIT='1000000/second' lets"),
        ({"CONSENT_RATE_LIMIT": "101 per second"}, "allow at most 100 a second"),
        ({"LOGIN_RATE_LIMIT": "120 per minute"}, "LOGIN_RATE_LIMIT='120 per minute' lets one"),
        ({"PASSWORD_RATE_LIMIT": "2/second;100000/day"}, "PASSWORD_RATE_LIMIT='2/second"),
    ],
)
def test_production_refuses_an_unsafe_setting(environment, changes, message) -> None:
    environment(**changes)
    with pytest.raises(ConfigurationError, match=message):
        create_app()


@pytest.mark.parametrize("method", ["scrypt", "scrypt:65536:8:1", "pbkdf2", "pbkdf2:sha512:600000"])
def test_production_accepts_a_password_hash_at_least_as_costly_as_the_default(
    environment, method
) -> None:
    environment(PASSWORD_HASH_METHOD=method)
    assert create_app().config["PASSWORD_HASH_METHOD"] == method


def test_the_password_hash_is_werkzeugs_default_unless_set(environment) -> None:
    environment()
    assert create_app().config["PASSWORD_HASH_METHOD"] == "scrypt"


def test_production_refuses_every_secret_written_down_in_this_project(environment) -> None:
    published = published_secrets()
    assert DEV_RECEIPT_SIGNING_KEY in published and TEST_CONFIG["SECRET_KEY"] in published
    for value in published:
        for name in ("SECRET_KEY", "RECEIPT_SIGNING_KEY"):
            environment(**{name: value})
            with pytest.raises(ConfigurationError, match=f"{name} is the development default"):
                create_app()


def published_secrets() -> set[str]:
    """Every string literal long enough to pass for a secret that the project's code gives
    to a setting or constant named *KEY: all of them are public."""
    assignment = re.compile(r"""\b[A-Z_]*KEY["']?\s*[:=]\s*["']([^"']{32,})["']""")
    found = set()
    for folder in ("consent_app", "tests", "e2e", "bench", "tools"):
        for path in (PROJECT_ROOT / folder).rglob("*.py"):
            found.update(assignment.findall(path.read_text()))
    return found


def test_production_counts_the_strictest_of_a_settings_limits(environment) -> None:
    # A burst of 5 in a second is fine when no more than 10 a minute can follow.
    environment(LOGIN_RATE_LIMIT="5/second;10/minute")
    assert create_app().config["LOGIN_RATE_LIMIT"] == "5/second;10/minute"


def test_a_loose_limit_is_allowed_outside_production(environment) -> None:
    # Benchmarks measure the service, not its limiter.
    environment(APP_ENV=None, SECRET_KEY=None, CONSENT_RATE_LIMIT="100000000 per minute")
    assert create_app().config["CONSENT_RATE_LIMIT"] == "100000000 per minute"


@pytest.mark.parametrize("app_env", ["development", "production"])
@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"LOGIN_RATE_LIMIT": "garbage"}, "LOGIN_RATE_LIMIT='garbage' is not a rate limit"),
        ({"CONSENT_RATE_LIMIT": ""}, "CONSENT_RATE_LIMIT='' is not a rate limit"),
        ({"PASSWORD_RATE_LIMIT": "5 per fortnight"}, "PASSWORD_RATE_LIMIT='5 per fortnight' is"),
        ({"TRUSTED_PROXY_COUNT": "-1"}, "TRUSTED_PROXY_COUNT=-1 must be the number of proxies"),
        ({"TRUSTED_PROXY_COUNT": "1000"}, "TRUSTED_PROXY_COUNT=1000 must be"),
        ({"TRUSTED_PROXY_COUNT": "two"}, "TRUSTED_PROXY_COUNT='two' is not a whole number"),
        ({"SESSION_IDLE_SECONDS": "8h"}, "SESSION_IDLE_SECONDS='8h' is not a whole number"),
        ({"SERVICE_ORIGIN": "consent.example.com"}, "SERVICE_ORIGIN='consent.example.com' is not"),
        ({"SERVICE_ORIGIN": "https://consent.example.com/my"}, "is not an origin"),
        ({"SERVICE_ORIGIN": "https://a@consent.example.com"}, "is not an origin"),
        ({"SERVICE_ORIGIN": "https://Consent.Example.com"}, "is not an origin"),
        ({"SERVICE_ORIGIN": "https://consent.example.com:99999"}, "is not an origin"),
        ({"SERVICE_ORIGIN": "ftp://consent.example.com"}, "is not an origin"),
    ],
)
def test_a_malformed_setting_is_refused_in_every_environment(
    environment, app_env, changes, message
) -> None:
    environment(APP_ENV=app_env, **changes)
    with pytest.raises(ConfigurationError, match=re.escape(message)):
        create_app()


def test_a_proxy_count_given_by_the_factory_is_checked_too(environment) -> None:
    environment(APP_ENV=None, SECRET_KEY=None)
    with pytest.raises(ConfigurationError, match="TRUSTED_PROXY_COUNT=-1 must be"):
        create_app({"TRUSTED_PROXY_COUNT": -1})


def test_production_refuses_debug_mode_set_by_the_factory(environment) -> None:
    environment()
    with pytest.raises(ConfigurationError, match="FLASK_DEBUG is on"):
        create_app({"DEBUG": True})


def test_the_service_origin_is_the_only_host_answered(environment) -> None:
    environment(SERVICE_ORIGIN="https://consent.example.com:8443/")
    app = create_app()
    assert app.config["SERVICE_ORIGIN"] == "https://consent.example.com:8443"
    assert app.config["TRUSTED_HOSTS"] == ["consent.example.com"]


def test_development_answers_any_host_without_a_service_origin(environment) -> None:
    environment(APP_ENV=None, SECRET_KEY=None, SERVICE_ORIGIN=None)
    app = create_app()
    assert app.config["SERVICE_ORIGIN"] is None and app.config["TRUSTED_HOSTS"] is None
    assert (
        app.test_client().get("/healthz", headers={"Host": "anything.example"}).status_code == 200
    )


def test_redis_calls_give_up_after_a_second_so_the_limiter_can_fall_back(environment) -> None:
    environment()
    app = create_app()
    assert app.config["RATELIMIT_IN_MEMORY_FALLBACK_ENABLED"] is True
    assert app.config["RATELIMIT_STORAGE_OPTIONS"] == {
        "socket_connect_timeout": 1.0,
        "socket_timeout": 1.0,
    }


def test_production_refuses_one_value_for_both_secrets(environment) -> None:
    shared = secrets.token_urlsafe(48)
    environment(SECRET_KEY=shared, RECEIPT_SIGNING_KEY=shared)
    with pytest.raises(ConfigurationError, match="SECRET_KEY and RECEIPT_SIGNING_KEY are the same"):
        create_app()


def test_the_in_memory_limit_store_is_allowed_for_exactly_one_worker(environment) -> None:
    environment(RATELIMIT_STORAGE_URI="memory://", WEB_CONCURRENCY="1")
    assert create_app().config["RATELIMIT_STORAGE_URI"] == "memory://"


def test_every_problem_is_named_at_once(environment) -> None:
    environment(SECRET_KEY=None, RECEIPT_ED25519_KEYS=None, RATELIMIT_STORAGE_URI=None)
    with pytest.raises(ConfigurationError) as refused:
        create_app()
    for name in ("SECRET_KEY", "RECEIPT_ED25519_KEYS", "RATELIMIT_STORAGE_URI"):
        assert f"- {name} " in str(refused.value)


def test_entropy_estimate_tells_random_from_repeated_secrets() -> None:
    assert estimated_entropy_bits("a" * 40) == 0
    assert estimated_entropy_bits("ab" * 20) == 40
    assert estimated_entropy_bits(secrets.token_hex(16)) > 96  # 16 random bytes as hex
    assert estimated_entropy_bits(secrets.token_urlsafe(48)) > 250


def test_development_starts_with_its_default_secrets(environment) -> None:
    environment(APP_ENV=None, SECRET_KEY=None, RECEIPT_SIGNING_KEY=None, RECEIPT_ED25519_KEYS=None)
    app = create_app()
    assert app.config["APP_ENV"] == "development" and not app.config["PRODUCTION"]
    assert app.config["SECRET_KEY"] == DEV_SECRET_KEY
    assert app.config["SESSION_COOKIE_SECURE"] is False


def test_development_defaults_to_sqlite_under_instance(monkeypatch) -> None:
    for name in ("APP_ENV", "FLASK_ENV", "DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///")
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("instance/consent.db")
