"""Thin views: read the filter form, ask services/stats.py, render a page or a CSV."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, cast

from flask import Response, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict
from wtforms import SelectChoice

from ..auth.roles import role_required
from ..models import ACTIONS, ANSWERS, PolicyVersion, Site
from ..services.sites.profiles import all_sites, policy_versions
from ..services.stats import figures as stats
from ..services.stats.figures import MAX_DAYS
from ..web.labels import ACTION_LABELS
from . import bp
from .charts import Segment, rate_bars, share_bars, stacked_columns
from .formatting import number, percent, short_day
from .forms import DEFAULT_DAYS, CompareForm, OverviewForm, PeriodForm
from .tables import (
    BREAKDOWN_LABELS,
    Table,
    breakdown_table,
    category_table,
    comparison_table,
    key_label,
    table_csv,
)

ROLES = ("marketer", "admin")


def _read_form(form_class: type[PeriodForm]) -> tuple[Any, Site | None, dict[str, PolicyVersion]]:
    """The filter form over the query string, completed with defaults, and its site
    (None when there is no site yet or the form names none of them)."""
    sites = all_sites()
    args = MultiDict(request.args)
    args.setdefault("site", sites[0].key if sites else "")
    site = next((s for s in sites if s.key == args["site"]), None)
    versions = {v.label: v for v in policy_versions(site)} if site else {}
    defaults: dict[str, object] = {**form_class.defaults(), "by": "day"}
    if len(versions) >= 2:
        defaults.update(first=list(versions)[-2], second=list(versions)[-1])
        if form_class is CompareForm:
            # From a month before the latest version to today, so both sides have data.
            change = list(versions.values())[-1].published_at.date()
            end = cast(date, defaults["end"])
            earliest = end - timedelta(days=MAX_DAYS - 1)
            defaults["start"] = min(max(change - timedelta(days=DEFAULT_DAYS), earliest), end)
    for name, value in defaults.items():
        args.setdefault(name, str(value))
    form = form_class(formdata=args)
    form.site.choices = [SelectChoice(s.key, s.name) for s in sites]
    labelled = [SelectChoice(label, _("Version %(label)s", label=label)) for label in versions]
    if isinstance(form, OverviewForm):
        form.policy.choices = [SelectChoice("", _("All versions")), *labelled]
        form.by.choices = [SelectChoice(k, str(v)) for k, v in BREAKDOWN_LABELS.items()]
    if isinstance(form, CompareForm):
        form.first.choices = form.second.choices = labelled
    return form, site, versions


def _checked(form: PeriodForm, site: Site | None) -> Site | None:
    """The site when the whole form is valid (validated in any case, for its errors)."""
    return site if form.validate() else None


def _overview(
    form: OverviewForm, site: Site, versions: dict[str, PolicyVersion]
) -> tuple[stats.Breakdown, Table, Table]:
    period = stats.Period(form.start.data, form.end.data)
    result = stats.breakdown(site, period, form.by.data, policy=versions.get(form.policy.data))
    return (
        result,
        breakdown_table(result, site),
        category_table(result.total, result.categories, site),
    )


def _outcome_chart(result: stats.Breakdown) -> Any:
    """What became of the banner's displays: each bar adds up to the displays (when every
    decision answered one). Withdrawals answer no display, so they are in the tables only."""
    segments = [Segment(a, str(ACTION_LABELS[a])) for a in ANSWERS]
    segments.append(Segment("ignored", _("Ignored")))

    def values(figures: stats.Figures) -> dict[str, int]:
        return {**{a: figures.counts[a] for a in ANSWERS}, "ignored": figures.ignored}

    title = _(
        "What visitors did with the banner, by %(dimension)s",
        dimension=str(BREAKDOWN_LABELS[result.dimension]).lower(),
    )
    if result.dimension == "day":
        columns = [(short_day(day), values(f)) for day, f in result.rows]
        return stacked_columns(columns, segments, title=title, number=number), segments
    rows = [(key_label(result.dimension, key), values(f)) for key, f in result.rows]
    chart = share_bars(rows, segments, title=title, percent=percent, number=number)
    return chart, segments


def _opt_in_chart(table: Table) -> Any:
    series = [Segment("opt-in", _("Opt-in rate"))]
    rows = [(row.label, [row.cells[2]]) for row in table.rows]
    title = _("Opt-in rate per category")
    return rate_bars(rows, series, title=title, percent=percent, width=440, label_w=120)


@bp.get("/")
@role_required(*ROLES)
def overview() -> ResponseReturnValue:
    form, site, versions = _read_form(OverviewForm)
    site = _checked(form, site)
    if site is None:
        status = 400 if form.site.choices else 200  # no site yet is not an error
        return render_template("dashboard/overview.html", form=form, site=site), status
    result, table, categories = _overview(form, site, versions)
    outcome_chart, segments = _outcome_chart(result)
    return render_template(
        "dashboard/overview.html",
        form=form,
        site=site,
        result=result,
        table=table,
        categories=categories,
        outcome_chart=outcome_chart,
        segments=segments,
        shares=[(a, ACTION_LABELS[a]) for a in ACTIONS],
        opt_in_chart=_opt_in_chart(categories),
        dimension_label=str(BREAKDOWN_LABELS[result.dimension]),
    )


def _csv(table: Table, site: Site, form: PeriodForm, detail: str) -> Response:
    filename = f"consent-{site.key}-{detail}-{form.start.data}-{form.end.data}.csv"
    return Response(
        table_csv(table),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.get("/<any(breakdown, categories):table>.csv")
@role_required(*ROLES)
def export(table: str) -> ResponseReturnValue:
    form, site, versions = _read_form(OverviewForm)
    site = _checked(form, site)
    if site is None:
        return render_template("dashboard/overview.html", form=form, site=site), 400
    result, breakdown, categories = _overview(form, site, versions)
    if table == "breakdown":
        return _csv(breakdown, site, form, f"by-{result.dimension}")
    return _csv(categories, site, form, "categories")


def _comparison(form: CompareForm, site: Site, versions: dict[str, PolicyVersion]) -> Table:
    period = stats.Period(form.start.data, form.end.data)
    first, second = versions[form.first.data], versions[form.second.data]
    a, b, categories = stats.compare_policies(site, period, first, second)
    return comparison_table(a, b, site, categories, (first.label, second.label))


@bp.get("/compare")
@role_required(*ROLES)
def compare() -> ResponseReturnValue:
    form, site, versions = _read_form(CompareForm)
    # Fewer than two versions, or no site at all yet: not an error, the page says so.
    if (len(versions) < 2 and site is not None) or not form.site.choices:
        return render_template("dashboard/compare.html", form=form, site=site)
    site = _checked(form, site)
    if site is None:
        return render_template("dashboard/compare.html", form=form, site=site), 400
    table = _comparison(form, site, versions)
    series = [Segment("first", table.columns[0].label), Segment("second", table.columns[1].label)]
    rows = [(row.label, row.cells[:2]) for row in table.rows if row.kinds is None]
    chart = rate_bars(rows, series, title=_("Policy versions compared"), percent=percent)
    return render_template(
        "dashboard/compare.html", form=form, site=site, table=table, chart=chart, series=series
    )


@bp.get("/compare.csv")
@role_required(*ROLES)
def compare_export() -> ResponseReturnValue:
    form, site, versions = _read_form(CompareForm)
    site = _checked(form, site) if len(versions) >= 2 else None
    if site is None:
        return render_template("dashboard/compare.html", form=form, site=site), 400
    detail = f"version-{form.first.data}-vs-{form.second.data}"
    return _csv(_comparison(form, site, versions), site, form, detail)
