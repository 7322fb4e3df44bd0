"""Hardened reading of spreadsheets and CSV into grids of text: bounds and pre-scans before any parser runs.

Knows nothing of the register or the domain: it imports only errors and text helpers.
"""
