"""Cookie rules of a site over the built-in catalog, and the review queue of cookie
names its banners reported."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice

from ..models import ReportedCookie, Site
from ..services.cookies import rules as cookie_rules
from ..services.errors import ConsentError
from ..web.labels import category_name
from ..web.navigation import requested_page
from . import bp
from .common import actor, admin_only, show_error, site_or_404
from .forms import MATCH_LABELS, ButtonForm, ClassifyForm, LookupForm, RuleForm, options

SOURCE_LABELS = {
    "site": _l("This site's rules"),
    "curated": _l("Built-in catalog"),
    "imported": _l("Imported catalog"),
    "open-cookie-database": _l("Open Cookie Database"),
}


def _categories(site: Site) -> list[SelectChoice]:
    return options({c.slug: category_name(c.slug) for c in site.categories})


@bp.route("/sites/<site_key>/rules", methods=["GET", "POST"])
@admin_only
def rules(site_key: str) -> ResponseReturnValue:
    site = site_or_404(site_key)
    form = RuleForm()
    # No category preselected: a rule filed under the first one by a missed click would
    # quietly let an advertising cookie through as necessary.
    form.category.choices = [SelectChoice("", _("Choose a category")), *_categories(site)]
    if form.validate_on_submit():
        fields = cookie_rules.RuleFields(
            **{name: form[name].data or "" for name in cookie_rules.RuleFields.__annotations__}
        )
        try:
            rule = cookie_rules.add_rule(actor(), site, fields)
        except ConsentError as error:
            show_error(form, error)
        else:
            flash(_("Rule for %(pattern)s added.", pattern=rule.pattern))
            return redirect(url_for("admin.rules", site_key=site.key))
    lookup = LookupForm(formdata=request.args if "name" in request.args else None)
    found = None
    if "name" in request.args and lookup.validate():
        found = cookie_rules.lookup(site, lookup.name.data or "")
    return render_template(
        "admin/rules.html",
        site=site,
        form=form,
        delete_form=ButtonForm(),
        lookup=lookup,
        found=found,
        match_labels=MATCH_LABELS,
        source_labels=SOURCE_LABELS,
    ), (400 if form.errors else 200)


@bp.post("/sites/<site_key>/rules/<int:rule_id>/delete")
@admin_only
def delete_rule(site_key: str, rule_id: int) -> ResponseReturnValue:
    site = site_or_404(site_key)
    if ButtonForm().validate_on_submit():
        try:
            cookie_rules.delete_rule(actor(), site, rule_id)
        except ConsentError as error:
            flash(error.message, "error")
        else:
            flash(_("Rule deleted."))
    return redirect(url_for("admin.rules", site_key=site.key))


def _classify_forms(reports: list[ReportedCookie], site: Site) -> list[Any]:
    """Each queued name with its one-action form, preset to what the catalogs suggest."""
    rows = []
    for report in reports:
        known, source = cookie_rules.lookup(site, report.name)
        form = ClassifyForm(prefix=f"r{report.id}", formdata=None)
        form.category.choices = _categories(site)
        form.category.data = known.category if known else site.unknown_cookie_policy
        rows.append((report, form, (known, source)))
    return rows


@bp.get("/sites/<site_key>/review")
@admin_only
def review(site_key: str) -> ResponseReturnValue:
    site = site_or_404(site_key)
    queue = cookie_rules.review_queue(site, page=requested_page(request.args.get("page", type=int)))
    return render_template(
        "admin/review.html",
        site=site,
        queue=queue,
        rows=_classify_forms(queue.items, site),
        source_labels=SOURCE_LABELS,
    )


@bp.post("/sites/<site_key>/review/<int:report_id>")
@admin_only
def classify_report(site_key: str, report_id: int) -> ResponseReturnValue:
    """One action per queued name: add a rule in the chosen category, or dismiss it."""
    site = site_or_404(site_key)
    form = ClassifyForm(prefix=f"r{report_id}")
    form.category.choices = _categories(site)
    if not form.validate_on_submit():
        flash(_("The form was not valid; nothing changed."), "error")
        return redirect(url_for("admin.review", site_key=site.key))
    try:
        if form.dismiss.data:
            cookie_rules.dismiss_reported(actor(), site, report_id)
            flash(_("Dismissed."))
        else:
            rule = cookie_rules.classify_reported(actor(), site, report_id, form.category.data)
            flash(_("%(name)s is now %(category)s.", name=rule.pattern, category=rule.category))
    except ConsentError as error:
        show_error(form, error)
    return redirect(url_for("admin.review", site_key=site.key))
