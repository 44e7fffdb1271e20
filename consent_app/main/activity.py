"""The activity log page: admins read who viewed, exported or changed what."""

from __future__ import annotations

from flask import render_template, request
from flask.typing import ResponseReturnValue

from ..auth.roles import role_required
from ..labels import use_page_labels
from ..models import ACTIVITY_KINDS
from ..navigation import requested_page
from ..services.activity import recent_activity
from . import bp

use_page_labels(bp)


@bp.get("/activity")
@role_required("admin")
def activity() -> ResponseReturnValue:
    kind = request.args.get("kind")
    kind = kind if kind in ACTIVITY_KINDS else None
    page = requested_page(request.args.get("page", 1, type=int))
    return render_template(
        "main/activity.html", entries=recent_activity(kind, page=page), kind=kind
    )
