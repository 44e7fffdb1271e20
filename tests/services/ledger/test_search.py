from __future__ import annotations

from datetime import date

import pytest

from consent_app.services.errors import InvalidPayload
from consent_app.services.ledger.search import ReceiptQuery


def test_text_filters_become_a_query_and_back_into_url_arguments() -> None:
    query = ReceiptQuery.from_strings(
        site="shop",
        subject_id=" abc ",
        receipt_id="",
        action="withdraw",
        since="2026-01-02",
        until=None,
    )
    assert query == ReceiptQuery(
        site="shop", subject_id="abc", action="withdraw", since=date(2026, 1, 2)
    )
    assert query.as_args() == {
        "site": "shop",
        "subject_id": "abc",
        "action": "withdraw",
        "since": "2026-01-02",
    }
    assert query.describe() == "site=shop subject_id=abc action=withdraw since=2026-01-02"
    assert ReceiptQuery().describe() == ""


def test_bad_filters_name_every_failing_field() -> None:
    with pytest.raises(InvalidPayload) as caught:
        ReceiptQuery.from_strings(action="maybe", since="01.02.2026", until="2026-13-01")
    assert [f["field"] for f in caught.value.details["fields"]] == ["since", "until", "action"]
