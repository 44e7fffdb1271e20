"""Consent statistics for marketers, read from rollups and never from the raw log.

impressions.py counts banner displays; rollups.py checks the trigger-kept rollups against
a recount; figures.py computes the dashboard's figures and breakdowns.
"""
