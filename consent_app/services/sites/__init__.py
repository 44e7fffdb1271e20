"""Sites and what their visitors are shown.

profiles.py looks sites up (cached per revision) and checks origins; admin.py changes
them; texts.py holds the banner's built-in words from the gettext catalogs and wording.py
a site's own words over them; policies.py publishes policy versions; banner.py builds the
scripts a site embeds.
"""
