"""The Makefile's install targets do what CONTRIBUTING.md and the brief tell a developer to
run (`make install`, `make install-test`), read as a dry run: nothing is installed here."""

from __future__ import annotations

import subprocess

from consent_app.config import PROJECT_ROOT


def commands_of(target: str) -> str:
    """What `make TARGET` would run on a fresh clone (every step, as if nothing were made)."""
    return subprocess.run(
        ["make", "--dry-run", "--always-make", target],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def test_make_install_installs_the_locked_app_and_no_test_tools() -> None:
    commands = commands_of("install")
    assert "--require-hashes -r requirements/app.txt" in commands
    assert "--no-deps -e ." in commands
    assert "requirements/test.txt" not in commands


def test_make_install_test_installs_the_app_and_the_test_tools() -> None:
    commands = commands_of("install-test")
    assert "--require-hashes -r requirements/app.txt" in commands
    assert "--require-hashes -r requirements/test.txt" in commands
