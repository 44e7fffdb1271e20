"""String types for the API models: every string the API reads has a shape, and none
admits control or bidi characters (see services/shapes.py), so no such character reaches
a receipt, a log or the database, and PostgreSQL never sees a NUL it would refuse.

Each type carries its pattern into the OpenAPI document, so the document states exactly
what the models accept.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints

from ..services import shapes
from ..services.shapes import ONE_LINE

SiteKey = Annotated[str, StringConstraints(pattern=shapes.SITE_KEY), Field(examples=["shop"])]
SubjectId = Annotated[str, StringConstraints(pattern=shapes.SUBJECT_ID)]
VisitorSecret = Annotated[str, StringConstraints(pattern=shapes.VISITOR_SECRET)]
CategorySlug = Annotated[str, StringConstraints(pattern=shapes.CATEGORY_SLUG)]
# pydantic states the keys' pattern as patternProperties, which would let other keys through
# in the document's eyes; the model refuses them, and now the document says so too.
Choices = Annotated[
    dict[CategorySlug, bool], Field(json_schema_extra={"additionalProperties": False})
]
LanguageTag = Annotated[str, StringConstraints(pattern=shapes.LANGUAGE_TAG, max_length=16)]
ReceiptId = Annotated[
    str,
    StringConstraints(pattern=shapes.RECEIPT_ID),
    Field(examples=["01JDQ2Z7W4X3K9V5M8N6P1R2S3"]),
]
CookieName = Annotated[str, StringConstraints(pattern=shapes.COOKIE_NAME)]
# Free text, one line of it: policy labels (the CLI may publish any), places, tokens.
PolicyVersion = Annotated[str, StringConstraints(pattern=ONE_LINE, min_length=1, max_length=32)]
Location = Annotated[str, StringConstraints(pattern=ONE_LINE, min_length=1, max_length=100)]
ReceiptToken = Annotated[str, StringConstraints(pattern=ONE_LINE, min_length=1, max_length=8192)]
PageUrl = Annotated[str, StringConstraints(pattern=shapes.PAGE_URL, max_length=2048)]
