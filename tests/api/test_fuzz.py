"""Schemathesis fuzzes every operation of /api/v1/openapi.json, once per database engine
(SQLite, and PostgreSQL when TEST_DATABASE_URL is set), in-process through WSGI.

What it covers:
- every operation the document lists: the banner's POSTs and their CORS preflights, the
  receipt lookups and verification, the log's head and proofs, the banner configuration
  for server-side integrations, the signing keys and the GPC statement;
- the document's own examples first (so each operation is reached with a request that
  succeeds), then schemathesis's coverage phase (boundary values and one-field-wrong
  variants of those examples) and its fuzzing phase (random valid and invalid data:
  NUL bytes, lone surrogates, bidi controls, huge numbers, wrong types and media types);
- all of schemathesis's response checks: no 5xx; every status code, content type, body
  and promised header is one the document states for that operation (error bodies name
  the documented error codes); invalid data is rejected ("negative data rejection");
  undocumented methods answer 405 with a correct Allow header;
- "positive data acceptance" where the document can state everything a valid request
  needs; where validity also depends on the seeded site (its categories, policy
  versions, origins, log size) `document_and_models_agree` checks instead that data the
  document calls valid is never refused by the request models themselves.

The calls reach the core logic: the `shop` site of tests/factories.py is seeded with the
origin the document's examples use, sent as the Origin header; the examples' subject has
receipts (functionality granted, so preferences are kept); well-shaped receipt ids in
paths are often swapped for seeded ones (sealed, waiting and erased), so lookups and
proofs answer 200, 409 and 410, not only 404. Rate limits are off here
(tests/test_rate_limits.py covers them).

Bounded for `make test`: few examples per operation, no deadline (a shared CI machine is
slow at times), and derandomized, so a failure reproduces on the next run.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from typing import Any

import hypothesis
import pytest
import schemathesis
from flask import Flask
from sqlalchemy import update

from consent_app.api.errors import INVALID_BODY
from consent_app.api.openapi import openapi_document
from consent_app.extensions import db
from consent_app.models import VisitorCredential
from consent_app.services.shapes import RECEIPT_ID, fits
from consent_app.services.visitor.secrets import secret_hash
from consent_app.services.visitor.self_service import VisitorKey, erase
from tests.conftest import BACKENDS, fresh_database, running_app
from tests.factories import SHOP_ORIGIN, make_record, make_site, seal_all

SUBJECT = "k3J9Qm2xVb7LwP0sT4aZ"  # the subject of the document's examples ...
EXAMPLE_SECRET = "Vq3kJ8mZ0xWc2LpR7sTn4YbH9dGf6Ae1Ui5Oo-Ky_Nw"  # ... and its secret
OTHER, ERASED = "another-subject-0001", "erased-subject-00001"
EVERYTHING = {"functionality": True, "advertising": True}
NOTHING = {"functionality": False, "advertising": False}
# Operations whose valid requests also depend on the seeded data (the site's categories,
# policy versions and origins, the log's size): positive_data_acceptance cannot apply.
DATA_DECIDES = ["recordConsent", "countImpression", "logConsistency"]
SECRET_NEEDED = ["latestConsent", "savePreference"]
CONFIG = schemathesis.Config.from_dict(
    {
        "checks": {
            # A vanished receipt (410) is as valid an answer as an unknown one (404).
            "positive_data_acceptance": {"expected-statuses": ["2xx", "404", "409", "410"]}
        },
        "operations": [
            {
                "include-operation-id": DATA_DECIDES,
                "checks": {"positive_data_acceptance": {"enabled": False}},
            },
            {
                # A subject id the service does not know answers like a wrong secret (403),
                # so that ids cannot be probed: as valid an answer as 404 elsewhere.
                "include-operation-id": SECRET_NEEDED,
                "checks": {
                    "positive_data_acceptance": {
                        "expected-statuses": ["2xx", "403", "404", "409", "410"]
                    }
                },
            },
        ],
    }
)
# The document the service serves (tests/api/test_openapi.py checks it is this one).
schema = schemathesis.openapi.from_dict(openapi_document(), config=CONFIG)


@schemathesis.check
def document_and_models_agree(ctx: Any, response: Any, case: Any) -> None:
    """A request the document calls valid is never refused for its shape."""
    if case.meta is None or not case.meta.generation.mode.is_positive:
        return
    refused_shape = response.status_code in (400, 413, 415) or (
        response.status_code == 422 and response.json().get("message") == INVALID_BODY
    )
    if refused_shape:
        raise AssertionError(f"valid by the document, refused: {response.text[:500]}")


def seed(app: Flask) -> list[str]:
    """The `shop` site with sealed, waiting and erased receipts; their ids."""
    key = app.config["RECEIPT_SIGNING_KEY"]
    make_site()
    granted = make_record(subject_id=SUBJECT)  # functionality: preferences may be kept
    refused = make_record(subject_id=OTHER, action="reject_all", choices=NOTHING)
    erased = make_record(subject_id=ERASED)
    seal_all(app)
    erase(VisitorKey("shop", ERASED), signing_key=key)
    waiting = make_record(subject_id=SUBJECT, action="accept_all", choices=EVERYTHING)
    # The document's example secret opens the example subject, so valid requests to the
    # endpoints that need it reach their logic instead of stopping at 403.
    db.session.execute(
        update(VisitorCredential)
        .where(VisitorCredential.subject_id == SUBJECT)
        .values(secret_hash=secret_hash(EXAMPLE_SECRET))
    )
    db.session.commit()
    return [r.receipt_id for r in (granted, refused, erased, waiting)]


@pytest.fixture(scope="module", params=BACKENDS)
def seeded(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Flask, list[str]]]:
    """One seeded app per engine for every operation (seeding per case would cost more
    than the fuzzing); rate limits off, so thousands of calls are not throttled."""
    url = fresh_database(request, request.param, tmp_path_factory.mktemp("fuzz"))
    with running_app(url, RATELIMIT_ENABLED=False) as app:
        yield app, seed(app)


def with_seeded_receipt(case: Any, receipt_ids: list[str]) -> None:
    """Point some lookups at seeded receipts (sealed, waiting, erased) instead of ids no
    receipt has; chosen from the generated id, so hypothesis still decides. Only a
    well-shaped id is swapped: an invalid one stays invalid."""
    generated = (case.path_parameters or {}).get("receipt_id")
    if isinstance(generated, str) and fits(RECEIPT_ID, generated):
        choice = zlib.crc32(generated.encode()) % (len(receipt_ids) + 1)
        if choice < len(receipt_ids):
            case.path_parameters["receipt_id"] = receipt_ids[choice]


@schema.parametrize()
@hypothesis.settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(hypothesis.HealthCheck),
)
def test_every_answer_is_one_the_document_states(
    case: Any, seeded: tuple[Flask, list[str]]
) -> None:
    app, receipt_ids = seeded
    with_seeded_receipt(case, receipt_ids)
    case.call_and_validate(app=app, headers={"Origin": SHOP_ORIGIN})
