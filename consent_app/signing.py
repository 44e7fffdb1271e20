"""The signing material of the running app, for views and commands to hand to services."""

from __future__ import annotations

from flask import Flask, current_app

from .services.ledger.keys import KeyRing, load_keyring


def install_keyring(app: Flask) -> None:
    """Parse the Ed25519 keys once at start-up; a malformed key stops the app here."""
    app.extensions["receipt_keyring"] = load_keyring(
        str(app.config.get("RECEIPT_ED25519_KEYS") or ""),
        str(app.config.get("RECEIPT_ED25519_PUBLIC_KEYS") or ""),
    )


def keyring() -> KeyRing:
    ring: KeyRing = current_app.extensions["receipt_keyring"]
    return ring


def hmac_key() -> str:
    return str(current_app.config["RECEIPT_SIGNING_KEY"])
