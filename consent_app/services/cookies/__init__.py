"""Cookies: which category a cookie name belongs to, and who says so.

classify.py decides (a site's rules, then our curated catalog, the imported catalog, the
Open Cookie Database); patterns.py says which regular expressions a rule may use;
database.py reads catalog files; catalog.py imports them; rules.py is a site's own rules
and the review queue; reports.py takes the unknown names banners report.
"""
