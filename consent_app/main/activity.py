"""The activity log page: admins read who viewed, exported or changed what."""

from __future__ import annotations

from flask import render_template, request
from flask.typing import ResponseReturnValue

from ..auth.roles import role_required
from ..models import ACTIVITY_KINDS
from ..services.accounts.activity import recent_activity
from ..web.navigation import requested_page
from . import bp


@bp.get("/activity")
@role_required("admin")
def activity() -> ResponseReturnValue:
    kind = request.args.get("kind")
    kind = kind if kind in ACTIVITY_KINDS else None
    page = requested_page(request.args.get("page", 1, type=int))
    return render_template(
        "main/activity.html", entries=recent_activity(kind, page=page), kind=kind
    )
