"""Presentation: fonts, tables, plots and briefings. Nothing here computes what another module should."""
