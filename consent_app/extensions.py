"""Extension instances, created unbound and attached in create_app()."""

import ipaddress
from collections.abc import Callable

from flask import current_app
from flask_babel import Babel
from flask_babel import lazy_gettext as _l
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_talisman import Talisman
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

# Stable constraint names, so that Alembic migrations can address them on every engine.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
babel = Babel()
csrf = CSRFProtect()
login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.session_protection = "strong"
login_manager.login_message = _l("Please sign in to see this page.")


def client_network() -> str:
    """Whom a rate limit counts: an IPv4 client by its address, an IPv6 client by its /64.
    One IPv6 subscriber, home or server, is given a whole /64 at least, so keying on the full
    address would hand an attacker 2**64 separate limits."""
    address = get_remote_address()  # behind ProxyFix, the address the trusted proxy saw
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((int(ip) >> 64 << 64, 64)))
    return str(ip)


# The key is only held in the limiter's memory or Redis, never persisted.
limiter = Limiter(key_func=client_network)
# Security headers (CSP with per-request nonces); configured in security_headers.py.
talisman = Talisman()


def configured_limit(setting: str) -> Callable[[], str]:
    """The rate limit in the app's config[setting] (config.py), read on each request, for
    `limiter.limit(...)`: one small function per setting."""

    def limit() -> str:
        return str(current_app.config[setting])

    limit.__name__ = setting.lower()
    return limit
