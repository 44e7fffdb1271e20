from __future__ import annotations

import pytest

from consent_app.services.cookies.patterns import UnsafePattern, check_regex


@pytest.mark.parametrize(
    ("pattern", "name"),
    [
        (r"sess_\d+", "sess_42"),
        (r"_hjSession(User)?_\d+", "_hjSessionUser_7"),
        (r"_ga_[A-Z0-9]{4,12}", "_ga_ABC123"),
        (r"(?:ab|cd)_x(?=\w)\w", "cd_xy"),
        (r"c\++_\d{1,3}", "c++_42"),
        (r"x\{,\d", "x{,5"),
    ],
)
def test_ordinary_cookie_patterns_are_accepted(pattern: str, name: str) -> None:
    assert check_regex(pattern).fullmatch(name)


@pytest.mark.parametrize(
    ("pattern", "says"),
    [
        ("(", "Not a regular expression"),
        ("(?P<n>x)y", "lookbehind, named groups"),
        (r"(?<=a)b", "lookbehind, named groups"),
        (r"(a)\1", "lookbehind, named groups"),
        ("(?i)abc", "lookbehind, named groups"),
        (r"_ga_\w++", "lookbehind, named groups"),
        ("id_[0-9]{2,}+", "lookbehind, named groups"),
        ("id{,3}", "lookbehind, named groups"),
        ("(a+)+$", "must not contain a repeat"),
        (r"(\w*x)*", "must not contain a repeat"),
        ("(a{2,})*", "must not contain a repeat"),
        (".*", "matches almost any cookie name"),
        (r"[\w.-]+", "matches almost any cookie name"),
        ("x?", "matches almost any cookie name"),
    ],
)
def test_unsafe_or_overbroad_patterns_are_refused_with_a_reason(pattern: str, says: str) -> None:
    with pytest.raises(UnsafePattern, match=says):
        check_regex(pattern)
