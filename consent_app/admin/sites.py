"""Sites: the list, creating one, its settings and embed snippet, categories with their
names per language, and policy versions."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import Length

from ..models import Site
from ..services.errors import ConsentError
from ..services.sites import admin as site_admin
from ..services.sites.profiles import all_sites, policy_versions
from ..services.sites.texts import CATEGORY_TEXTS, available_languages, language_name
from ..services.sites.wording import category_texts, set_category_texts
from ..web.labels import category_name
from . import bp
from .common import actor, admin_only, show_error, site_or_404
from .forms import ButtonForm, CategoryForm, NewSiteForm, PublishForm, SiteForm, options


def _choices(form: SiteForm, categories: list[str]) -> None:
    languages = {tag: language_name(tag) for tag in available_languages()}
    form.default_language.choices = options(languages)
    form.unknown_cookie_policy.choices = options({slug: category_name(slug) for slug in categories})


def _settings(form: SiteForm) -> site_admin.SiteSettings:
    return site_admin.SiteSettings(
        name=form.name.data or "",
        controller=form.controller.data or "",
        default_language=form.default_language.data or "",
        consent_lifetime_days=form.consent_lifetime_days.data or 0,
        region_rule=form.region_rule.data or "",
        unknown_cookie_policy=form.unknown_cookie_policy.data or "",
        origins=tuple((form.origins.data or "").splitlines()),
        reopen_button=bool(form.reopen_button.data),
        google_consent_mode=bool(form.google_consent_mode.data),
    )


@bp.get("/")
@admin_only
def sites() -> ResponseReturnValue:
    return render_template("admin/sites.html", sites=all_sites())


@bp.route("/sites/new", methods=["GET", "POST"])
@admin_only
def new_site() -> ResponseReturnValue:
    form = NewSiteForm(data=Site.defaults())
    _choices(form, list(site_admin.DEFAULT_CATEGORIES))
    if form.validate_on_submit():
        try:
            site = site_admin.create_site(actor(), form.key.data or "", _settings(form))
        except ConsentError as error:
            show_error(form, error)
        else:
            flash(_("Site %(name)s created.", name=site.name))
            return redirect(url_for("admin.site", site_key=site.key))
    return render_template("admin/new_site.html", form=form), 400 if form.errors else 200


@bp.route("/sites/<site_key>", methods=["GET", "POST"])
@admin_only
def site(site_key: str) -> ResponseReturnValue:
    site = site_or_404(site_key)
    form = SiteForm(obj=site)
    if request.method == "GET":
        form.origins.data = "\n".join(o.origin for o in site.origins)
    _choices(form, [c.slug for c in site.categories])
    if form.validate_on_submit():
        try:
            changed = site_admin.update_site(actor(), site, _settings(form))
        except ConsentError as error:
            show_error(form, error)
        else:
            flash(_("Saved.") if changed else _("Nothing changed."))
            return redirect(url_for("admin.site", site_key=site.key))
    status = 400 if form.errors else 200
    return render_template("admin/site.html", site=site, form=form), status


@bp.route("/sites/<site_key>/categories", methods=["GET", "POST"])
@admin_only
def categories(site_key: str) -> ResponseReturnValue:
    site = site_or_404(site_key)
    form = CategoryForm()
    if form.validate_on_submit():
        try:
            category = site_admin.add_category(actor(), site, form.slug.data or "")
        except ConsentError as error:
            show_error(form, error)
        else:
            message = _(
                "Category %(slug)s added. Publish a major policy version so that visitors "
                "are asked about it.",
                slug=category.slug,
            )
            flash(message)
            return redirect(url_for("admin.category", site_key=site.key, slug=category.slug))
    return render_template(
        "admin/categories.html", site=site, form=form, delete_form=ButtonForm()
    ), (400 if form.errors else 200)


@bp.post("/sites/<site_key>/categories/<slug>/delete")
@admin_only
def delete_category(site_key: str, slug: str) -> ResponseReturnValue:
    site = site_or_404(site_key)
    form = ButtonForm()
    if form.validate_on_submit():
        try:
            site_admin.remove_category(actor(), site, slug)
        except ConsentError as error:
            flash(
                _("%(slug)s was not removed: %(reason)s", slug=slug, reason=error.message), "error"
            )
        else:
            flash(_("Category %(slug)s removed.", slug=slug))
    return redirect(url_for("admin.categories", site_key=site.key))


def _texts_form(slug: str, languages: tuple[str, ...]) -> type[FlaskForm]:
    """A form with a name and a description field for each banner language; a placeholder
    shows the built-in wording in that language, which an empty field keeps."""

    class CategoryTextsForm(FlaskForm):
        pass

    for tag in languages:
        with force_locale(tag.replace("-", "_")):
            built_in = [str(text) for text in CATEGORY_TEXTS.get(slug, ("", ""))]
        label = language_name(tag)
        name = StringField(
            _("Name (%(language)s)", language=label),
            [Length(max=100)],
            render_kw={"placeholder": built_in[0]},
        )
        text = TextAreaField(
            _("Description (%(language)s)", language=label),
            [Length(max=2000)],
            render_kw={"placeholder": built_in[1]},
        )
        setattr(CategoryTextsForm, f"name_{tag}", name)
        setattr(CategoryTextsForm, f"description_{tag}", text)
    return CategoryTextsForm


@bp.route("/sites/<site_key>/categories/<slug>", methods=["GET", "POST"])
@admin_only
def category(site_key: str, slug: str) -> ResponseReturnValue:
    site = site_or_404(site_key)
    found = next((c for c in site.categories if c.slug == slug), None)
    if found is None:
        abort(404)
    languages = available_languages()
    saved = category_texts(found)
    data = {}
    for tag, row in saved.items():
        data.update({f"name_{tag}": row.name, f"description_{tag}": row.description})
    form = _texts_form(slug, languages)(data=data)
    if form.validate_on_submit():
        texts = {
            tag: (form[f"name_{tag}"].data or "", form[f"description_{tag}"].data or "")
            for tag in languages
        }
        try:
            changed = set_category_texts(actor(), found, texts)
        except ConsentError as error:
            show_error(form, error)
        else:
            flash(
                _("Saved. Publish a policy version so that receipts name the new words.")
                if changed
                else _("Nothing changed.")
            )
            return redirect(url_for("admin.category", site_key=site.key, slug=slug))
    return render_template(
        "admin/category.html",
        site=site,
        category=found,
        form=form,
        languages=[(tag, language_name(tag)) for tag in languages],
    ), (400 if form.errors else 200)


@bp.route("/sites/<site_key>/policies", methods=["GET", "POST"])
@admin_only
def policies(site_key: str) -> ResponseReturnValue:
    site = site_or_404(site_key)
    form = PublishForm()
    if form.validate_on_submit():
        try:
            site_admin.publish_version(
                actor(), site, form.label.data or "", major=form.kind.data == "major"
            )
        except ConsentError as error:
            show_error(form, error)
        else:
            flash(_("Version %(label)s published.", label=form.label.data))
            return redirect(url_for("admin.policies", site_key=site.key))
    versions = list(reversed(policy_versions(site)))
    return render_template("admin/policies.html", site=site, form=form, versions=versions), (
        400 if form.errors else 200
    )
