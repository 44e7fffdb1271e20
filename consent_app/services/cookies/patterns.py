"""Which regular expressions a cookie rule may use.

A regex rule runs in two engines: Python's `re` on the service (classify, review queue)
and the visitor's browser, on every cookie write of the host page. So a pattern must
mean the same in both, must not be able to stall a page (catastrophic backtracking),
and must not swallow every cookie name, which would silently reclassify a whole site.
"""

from __future__ import annotations

import re

from flask_babel import gettext as _

# Constructs Python and JavaScript read differently or that JS lacks: named groups and
# backreferences, lookbehind, inline flags, conditionals, \A \Z \G anchors, possessive
# quantifiers (x++, which JS refuses) or atomic groups, and {,n} (a repeat in Python, the
# text "{,n}" in JS). Non-capturing groups and lookaheads mean the same in both.
_NOT_PORTABLE = re.compile(r"\(\?(?![:=!])|\\[1-9gkAZG]|\(\?<[=!]|(?<!\\)[*+?}]\+|(?<!\\)\{,")
# A quantified group that itself holds a quantifier, like (a+)+ or (\w*x)*: the shape of
# catastrophic backtracking. Refused outright; cookie names never need it.
_NESTED_QUANTIFIER = re.compile(r"\((?:[^()\\]|\\.)*[+*}](?:[^()\\]|\\.)*\)\s*[+*{]")
# Names from unrelated vendors. A pattern that matches all of them matches nearly anything.
_UNRELATED_NAMES = ("a", "PHPSESSID", "_ga", "lang", "x9-Z.q", "cookie_consent_2026")


class UnsafePattern(ValueError):
    """The pattern cannot be used as a rule; the message says why, for the admin."""


def check_regex(pattern: str) -> re.Pattern[str]:
    """The compiled pattern, or UnsafePattern with a message the admin can act on."""
    try:
        compiled = re.compile(pattern)
    except re.error as exc:
        # Python's own message is English only; where it went wrong is enough to fix it.
        if exc.pos is None:
            raise UnsafePattern(_("Not a regular expression.")) from None
        raise UnsafePattern(
            _("Not a regular expression: check character %(position)s.", position=exc.pos + 1)
        ) from None
    if _NOT_PORTABLE.search(pattern):
        raise UnsafePattern(
            _(
                "Use only groups (…), (?:…), classes, anchors and quantifiers: lookbehind, "
                "named groups, backreferences and inline flags work differently in browsers."
            )
        )
    if _NESTED_QUANTIFIER.search(pattern):
        raise UnsafePattern(
            _("A repeated group must not contain a repeat, like (a+)+: it can freeze pages.")
        )
    if compiled.fullmatch("") or all(compiled.fullmatch(name) for name in _UNRELATED_NAMES):
        raise UnsafePattern(
            _("This pattern matches almost any cookie name. Make it more specific.")
        )
    return compiled
